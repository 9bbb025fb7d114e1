"""Reads for the intervention pages: offerings (filters, who is booked and waiting) and a person's bookings.

Who sees which offering and booking is one rule each, shared with the API: `Offering.objects.visible_to` and
`Booking.objects.visible_to` (querysets.py)."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from jobbtorg.participants.models import Participant

from .constants import BookingStatus
from .models import Booking, Offering

# The offering and booking pages -----------------------------------------------------------------------------


def offerings_of(user) -> QuerySet[Offering]:
    """The offerings the user sees (page and API), each with `waitlist_length`."""
    return Offering.objects.visible_to(user).with_waitlist_length()


def offerings_filtered(
    offerings: QuerySet[Offering],
    *,
    intervention_type=None,
    delivered_by: str = "",
    provider=None,
    language: str = "",
    target_group: str = "",
    free_only: bool = False,
) -> list[Offering]:
    """The list filters of the offerings page. Languages and target groups are JSON lists, matched in Python
    so that SQLite and PostgreSQL behave the same."""
    offerings = offerings.select_related("intervention_type", "provider", "unit")
    if intervention_type is not None:
        offerings = offerings.filter(intervention_type=intervention_type)
    if delivered_by:
        offerings = offerings.filter(delivered_by=delivered_by)
    if provider is not None:
        offerings = offerings.filter(provider=provider)
    if free_only:
        offerings = offerings.with_free_places()
    rows = list(offerings)
    if language:
        wanted = language.strip().casefold()
        rows = [
            o for o in rows if any(wanted == (lang or "").strip().casefold() for lang in o.languages or [])
        ]
    if target_group:
        rows = [o for o in rows if target_group in (o.target_groups or [])]
    return rows


def offering_languages(offerings: QuerySet[Offering]) -> list[str]:
    """Every language of instruction used by the offerings, for the filter."""
    seen: dict[str, str] = {}
    for languages in offerings.values_list("languages", flat=True):
        for language in languages or []:
            if isinstance(language, str) and language.strip():
                seen.setdefault(language.strip().casefold(), language.strip())
    return sorted(seen.values(), key=str.casefold)


def bookable_offerings(*, referral, plan_type_ids: set[int]) -> tuple[list[Offering], list[Offering]]:
    """Offerings open for booking in the person's municipality that have not ended and whose type is not
    retired: those of the intervention types in the person's plan first, then the rest."""
    from django.utils import timezone

    today = timezone.localdate()
    offerings = list(
        Offering.objects.filter(
            municipality_id=referral.unit.municipality_id, active=True, intervention_type__active=True
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("intervention_type", "provider", "unit")
        .with_waitlist_length()
    )
    matching = [o for o in offerings if o.intervention_type_id in plan_type_ids]
    others = [o for o in offerings if o.intervention_type_id not in plan_type_ids]
    return matching, others


def waitlist_positions(offering_ids) -> dict:
    """Waiting-list position (1 = next in line) of every waiting booking of the offerings."""
    positions: dict = {}
    counters: dict[int, int] = {}
    waiting = (
        Booking.objects.filter(offering_id__in=offering_ids, status=BookingStatus.WAITLISTED)
        .order_by("offering_id", "requested_at", "id")
        .values_list("pk", "offering_id")
    )
    for pk, offering_id in waiting:
        counters[offering_id] = counters.get(offering_id, 0) + 1
        positions[pk] = counters[offering_id]
    return positions


def referral_bookings(referral) -> QuerySet[Booking]:
    """The person's bookings under the referral (unordered: the bookings page sorts and pages them)."""
    return Booking.objects.filter(referral=referral).select_related(
        "offering", "offering__intervention_type", "offering__provider", "plan_activity"
    )


def with_positions(bookings: list[Booking]) -> list[Booking]:
    """Each booking with `position` on its waiting list (None when it is not waiting)."""
    positions = waitlist_positions({b.offering_id for b in bookings if b.status == BookingStatus.WAITLISTED})
    for booking in bookings:
        booking.position = positions.get(booking.pk)
    return bookings


def bookings_of_referral(referral) -> list[Booking]:
    """The person's bookings under the referral, newest first, each with `position` on the waiting list."""
    return with_positions(list(referral_bookings(referral).order_by("-requested_at", "-id")))


@dataclass
class OfferingPeople:
    """Who holds a place and who waits (in order) — by name only the people the user may see."""

    booked: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    hidden_booked: int = 0
    hidden_waiting: int = 0

    @property
    def shown(self) -> list:
        return [b.participant for b in self.booked + self.waiting]


def offering_people(*, offering: Offering, user) -> OfferingPeople:
    """The active bookings of an offering: names for the people `Participant.objects.visible_to(user)` lets
    the user see (unit staff: their unit's people; provider staff: theirs), a count for the others."""
    visible = set(
        Participant.objects.visible_to(user).filter(bookings__offering=offering).values_list("pk", flat=True)
    )
    people = OfferingPeople()
    active = (
        Booking.objects.filter(offering=offering, status__in=(BookingStatus.BOOKED, BookingStatus.WAITLISTED))
        .select_related("participant", "referral")
        .order_by("requested_at", "id")
    )
    position = 0
    for booking in active:
        waiting = booking.status == BookingStatus.WAITLISTED
        if waiting:
            position += 1
            booking.position = position
        if booking.participant_id in visible:
            (people.waiting if waiting else people.booked).append(booking)
        elif waiting:
            people.hidden_waiting += 1
        else:
            people.hidden_booked += 1
    return people
