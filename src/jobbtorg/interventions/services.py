"""Booking people into offerings. Capacity is never exceeded, also when two coaches book the last place at
the same moment: a place is claimed with one conditional UPDATE (`booked_count < capacity`), which only one
of two concurrent writers can win, on SQLite and PostgreSQL alike. The loser goes on the waiting list."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record
from jobbtorg.referrals.constants import ReferralStatus

from .constants import BookingStatus
from .models import Booking, Offering


def _claim_place(offering: Offering) -> bool:
    claimed = Offering.objects.filter(
        pk=offering.pk, active=True, booked_count__lt=F("capacity")
    ).update(booked_count=F("booked_count") + 1)
    return claimed == 1


def _release_place(offering: Offering) -> None:
    Offering.objects.filter(pk=offering.pk, booked_count__gt=0).update(booked_count=F("booked_count") - 1)


def _require_booker(referral, by) -> None:
    if not (by.is_unit_staff and by.unit_id == referral.unit_id and by.has_perm("interventions.add_booking")):
        raise PermissionDenied(_("Only staff of the unit the person is referred to can book interventions."))


@transaction.atomic
def booking_create(
    *,
    offering: Offering,
    referral,
    by,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    plan_activity=None,
    waitlist: bool = True,
) -> Booking:
    """Book the person of `referral` into `offering`: a place if one is free, else the waiting list
    (or a refusal with waitlist=False). A provider's offering also assigns the person to that provider."""
    _require_booker(referral, by)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only people with an accepted referral can be booked."))
    if not offering.active:
        raise ValidationError({"offering": _("This offering is not open for booking.")})
    if offering.municipality_id != referral.unit.municipality_id:
        raise ValidationError({"offering": _("The offering belongs to another municipality.")})
    start = start_date or max(offering.start_date, timezone.localdate())
    if offering.end_date and start > offering.end_date:
        raise ValidationError({"start_date": _("The offering has ended by then.")})
    if end_date and end_date < start:
        raise ValidationError({"end_date": _("The end date must not be before the start date.")})
    got_place = _claim_place(offering)
    if not got_place and not waitlist:
        raise ValidationError({"offering": _("The offering is full.")})
    booking = Booking(
        offering=offering,
        participant_id=referral.participant_id,
        referral=referral,
        plan_activity=plan_activity,
        status=BookingStatus.BOOKED if got_place else BookingStatus.WAITLISTED,
        start_date=start,
        end_date=end_date or offering.end_date,
        booked_at=timezone.now() if got_place else None,
        booked_by=by,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        raise ValidationError({"offering": _("The person is already booked or waiting for this offering.")}) from exc
    if got_place and offering.provider_id:
        from jobbtorg.providers.services import assignment_for_booking

        assignment_for_booking(booking=booking, by=by)
    change_record(
        action="booking_created" if got_place else "booking_waitlisted",
        obj=booking,
        by=by,
        participant=referral.participant,
        changes={"offering": offering.name},
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by, reason: str) -> Booking | None:
    """Cancel a booking or a place in the queue; a freed place goes to the first person waiting, who is
    returned (or None)."""
    _require_booker(booking.referral, by)
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.WAITLISTED):
        raise ValidationError(_("The booking is not active."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for cancelling.")})
    updated = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
        status=BookingStatus.CANCELLED, cancel_reason=reason
    )
    if updated != 1:
        raise ValidationError(_("The booking was changed by someone else; reload and try again."))
    had_place = booking.status == BookingStatus.BOOKED
    booking.status = BookingStatus.CANCELLED
    change_record(action="booking_cancelled", obj=booking, by=by, participant=booking.participant,
                  changes={"reason": reason})
    if had_place:
        _release_place(booking.offering)
        return waitlist_promote(offering=booking.offering, by=by)
    return None


def waitlist_promote(*, offering: Offering, by) -> Booking | None:
    """Give a free place to the first in the queue (first come, first served)."""
    first = (
        Booking.objects.select_for_update()
        .filter(offering=offering, status=BookingStatus.WAITLISTED)
        .order_by("requested_at", "id")
        .first()
    )
    if first is None or not _claim_place(offering):
        return None
    Booking.objects.filter(pk=first.pk).update(status=BookingStatus.BOOKED, booked_at=timezone.now())
    first.refresh_from_db()
    if offering.provider_id:
        from jobbtorg.providers.services import assignment_for_booking

        assignment_for_booking(booking=first, by=by)
    change_record(action="booking_promoted", obj=first, by=by, participant=first.participant)
    return first


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first person waiting; None if the booking is not waiting."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = Booking.objects.filter(
        offering_id=booking.offering_id, status=BookingStatus.WAITLISTED, requested_at__lt=booking.requested_at
    ).count()
    same_time = Booking.objects.filter(
        offering_id=booking.offering_id,
        status=BookingStatus.WAITLISTED,
        requested_at=booking.requested_at,
        id__lt=booking.id,
    ).count()
    return ahead + same_time + 1
