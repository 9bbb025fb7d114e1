"""Who reviews which read-log entries (the one rule, used by the log pages, the API and the unusual reads)."""

from django.apps import apps
from django.db import models
from django.db.models import Q


class ReadLogQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReadLogQuerySet":
        """A unit head reviews reads of the people ever referred to their unit (also those whose case the
        Jobbtorg may no longer see, e.g. after a consent withdrawal) and reads by their unit's staff; nobody
        else reviews the read log here."""
        if not (user.is_authenticated and user.is_active and user.is_unit_head):
            return self.none()
        Participant = apps.get_model("participants", "Participant")
        people = Participant.objects.referred_to_unit(user.unit_id).values("pk")
        return self.filter(Q(participant_id__in=people) | Q(user__unit_id=user.unit_id))
