"""Scoping for the offering and booking endpoints: who sees which offering and booking."""

from django.db.models import Count, F, Q, QuerySet

from jobbtorg.accounts.constants import Role
from jobbtorg.referrals.models import Referral

from ..constants import BookingStatus
from ..models import Booking, Offering


def offerings_visible_to(user) -> QuerySet[Offering]:
    """Offerings are not personal data: everyone who works with them sees their municipality's (a system
    administrator without a municipality sees all). Annotated with `waitlist_length`."""
    from jobbtorg.providers.selectors import user_municipality_id

    if not (user.is_authenticated and user.is_active) or not user.has_perm("interventions.view_offering"):
        return Offering.objects.none()
    offerings = Offering.objects.all()
    municipality_id = user_municipality_id(user)
    if municipality_id is not None:
        offerings = offerings.filter(municipality_id=municipality_id)
    elif not (user.role == Role.ADMINISTRATOR or user.is_superuser):
        return Offering.objects.none()
    return offerings.annotate(
        waitlist_length=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED))
    )


def offerings_with_free_places(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    return offerings.filter(active=True, booked_count__lt=F("capacity"))


def bookings_visible_to(user) -> QuerySet[Booking]:
    """Jobbtorg staff: bookings of the people referred to their unit; a caseworker: of their district's
    referrals; provider staff: bookings in their own organisation's offerings of the people visible to them
    (assigned, with consent in force); a person: their own."""
    from jobbtorg.participants.models import Participant

    if not (user.is_authenticated and user.is_active):
        return Booking.objects.none()
    if user.is_unit_staff and user.unit_id:
        return Booking.objects.filter(referral__in=Referral.objects.visible_to(user))
    if user.role == Role.CASEWORKER and user.district_id:
        return Booking.objects.filter(referral__district_id=user.district_id)
    if user.role == Role.PROVIDER_STAFF and user.provider_id:
        return Booking.objects.filter(
            offering__provider_id=user.provider_id, participant__in=Participant.objects.visible_to(user)
        )
    if getattr(user, "participant_id", None):
        return Booking.objects.filter(participant_id=user.participant_id)
    return Booking.objects.none()
