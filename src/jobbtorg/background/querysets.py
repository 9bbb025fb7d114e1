from django.db import models


class BackgroundJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The jobs a user may follow: the ones they started (`perms.can_view_job`)."""
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return self.none()
        return self.filter(started_by=user)
