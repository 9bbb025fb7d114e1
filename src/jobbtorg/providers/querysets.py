import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q


class AuthorisationQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date) -> "AuthorisationQuerySet":
        """Granted by `on`, not revoked by then, and not suspended on that day."""
        from .models import Suspension

        suspended = Suspension.objects.filter(authorisation=OuterRef("pk"), start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
        return (
            self.filter(valid_from__lte=on, provider__active=True)
            .filter(Q(revoked_from__isnull=True) | Q(revoked_from__gt=on))
            .exclude(Exists(suspended))
        )


class AssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "AssignmentQuerySet":
        if on is None:
            return self.filter(end_date__isnull=True)
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
