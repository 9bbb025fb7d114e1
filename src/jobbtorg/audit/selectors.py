from django.apps import apps
from django.db.models import Q

from jobbtorg.accounts.constants import Role

from .models import ChangeLog, ReadLog


def read_log_visible_to(user):
    """A unit head reviews reads of the people referred to their unit and reads by their unit's staff."""
    if not user.is_authenticated or user.role != Role.UNIT_HEAD or not user.unit_id:
        return ReadLog.objects.none()
    Participant = apps.get_model("participants", "Participant")
    people = Participant.objects.visible_to(user).values("pk")
    return ReadLog.objects.filter(
        Q(participant_id__in=people) | Q(user__unit_id=user.unit_id)
    ).select_related("user")


def read_log_search(*, user, participant=None, actor=None, since=None, until=None):
    entries = read_log_visible_to(user)
    if participant is not None:
        entries = entries.filter(participant_id=participant.pk)
    if actor is not None:
        entries = entries.filter(user=actor)
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    return entries


def change_history(*, participant) -> list[ChangeLog]:
    return ChangeLog.objects.filter(participant_id=participant.pk).select_related("actor")
