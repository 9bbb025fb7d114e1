from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import ChangeLog, ReadLog


def read_log_search(*, user, participant=None, actor=None, since=None, until=None):
    entries = ReadLog.objects.visible_to(user).select_related("user", "sign_in")
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


def unusual_reads(*, user, days: int = 30, now=None) -> dict:
    """Reads a unit head should follow up, within the last `days` (only entries the head may review):

    - `outside`: the unit's staff reading a person not referred to the unit, or another unit's staff reading
      one of the unit's people;
    - `protected`: every read of a person with protected identity;
    - `bulk`: a user who read more than JOBBTORG_UNUSUAL_READS_COUNT different people within
      JOBBTORG_UNUSUAL_READS_MINUTES minutes (one row per burst: user, start, end, people read).
    """
    import datetime

    from django.conf import settings
    from django.utils import timezone

    now = now or timezone.now()
    entries = ReadLog.objects.visible_to(user).filter(at__gte=now - datetime.timedelta(days=days))
    if not user.is_authenticated or not user.unit_id:
        return {"outside": [], "protected": [], "bulk": []}
    Participant = apps.get_model("participants", "Participant")
    people = Participant.objects.referred_to_unit(user.unit_id).values("pk")
    outside = entries.filter(
        (Q(user__unit_id=user.unit_id) & ~Q(participant_id__in=people))
        | (Q(participant_id__in=people) & Q(user__unit_id__isnull=False) & ~Q(user__unit_id=user.unit_id))
    )
    protected = entries.filter(protected_identity=True)
    limit = settings.JOBBTORG_UNUSUAL_READS_COUNT
    window = datetime.timedelta(minutes=settings.JOBBTORG_UNUSUAL_READS_MINUTES)
    bulk = []
    rows = entries.order_by("user_id", "at").values_list("user_id", "at", "participant_id")
    current_user, recent, burst = None, [], None
    for reader, at, person in rows.iterator():
        if reader != current_user:
            current_user, recent, burst = reader, [], None
        recent.append((at, person))
        while recent and recent[0][0] < at - window:
            recent.pop(0)
        distinct = {p for _, p in recent}
        if len(distinct) > limit:
            if burst is not None and at - burst["end"] <= window:
                burst["end"], burst["people"] = at, max(burst["people"], len(distinct))
            else:
                burst = {"user_id": reader, "start": recent[0][0], "end": at, "people": len(distinct)}
                bulk.append(burst)
    readers = get_user_model().objects.in_bulk({row["user_id"] for row in bulk})
    for row in bulk:
        row["user"] = readers.get(row["user_id"])
    return {
        "outside": list(outside.select_related("user")[:200]),
        "protected": list(protected.select_related("user")[:200]),
        "bulk": bulk,
    }
