"""Booking people into offerings. Capacity is never exceeded, also when two coaches book the last place at
the same moment: a place is claimed with one conditional UPDATE (`booked_count < capacity`), which only one
of two concurrent writers can win, on SQLite and PostgreSQL alike. The loser goes on the waiting list."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record, field_changes
from jobbtorg.referrals.constants import ReferralStatus

from . import perms
from .constants import BookingStatus, DeliveredBy
from .models import Booking, InterventionType, Offering
from .signals import booking_placed


def _claim_place(offering: Offering) -> bool:
    claimed = Offering.objects.filter(pk=offering.pk, active=True, booked_count__lt=F("capacity")).update(
        booked_count=F("booked_count") + 1
    )
    return claimed == 1


def _release_place(offering: Offering) -> None:
    Offering.objects.filter(pk=offering.pk, booked_count__gt=0).update(booked_count=F("booked_count") - 1)


def _require_booker(referral, by) -> None:
    if not perms.can_book(by, referral):
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
        raise ValidationError(
            {"offering": _("The person is already booked or waiting for this offering.")}
        ) from exc
    if got_place:
        booking_placed.send(sender=Booking, booking=booking, by=by)
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
    change_record(
        action="booking_cancelled",
        obj=booking,
        by=by,
        participant=booking.participant,
        changes={"reason": reason},
    )
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
    booking_placed.send(sender=Booking, booking=first, by=by)
    change_record(action="booking_promoted", obj=first, by=by, participant=first.participant)
    return first


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first person waiting; None if the booking is not waiting (selectors.waitlist_positions
    gives the positions of many bookings in one query)."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    from .selectors import waitlist_positions

    return waitlist_positions([booking.offering_id]).get(booking.pk)


@transaction.atomic
def offering_create(
    *,
    by,
    intervention_type,
    name: str,
    delivered_by: str,
    start_date: datetime.date,
    hours_per_week,
    capacity: int,
    municipality=None,
    unit=None,
    provider=None,
    **fields,
) -> Offering:
    """Add an offering. An administrator adds any; a unit head adds their own unit's (delivered by the
    Jobbtorg) or a city unit's. The deliverer must belong to the offering's municipality; a provider must be
    authorised or contracted for the type; a retired type cannot be offered."""
    if not perms.can_manage_all_offerings(by):
        if not perms.can_create_offerings(by):
            raise PermissionDenied(_("Only an administrator or a unit head can add offerings."))
        if delivered_by == DeliveredBy.CITY:
            unit = None
        elif delivered_by != DeliveredBy.JOBBTORG or (unit is not None and unit.pk != by.unit_id):
            raise PermissionDenied(_("A unit head can add offerings of their own unit or a city unit only."))
        else:
            unit = by.unit
    if delivered_by == DeliveredBy.JOBBTORG and unit is None:
        raise ValidationError({"unit": _("Name the Jobbtorg unit that delivers the offering.")})
    if delivered_by == DeliveredBy.PROVIDER and provider is None:
        raise ValidationError({"provider": _("Name the provider that delivers the offering.")})
    if delivered_by == DeliveredBy.CITY and not (fields.get("city_unit_name") or "").strip():
        raise ValidationError({"city_unit_name": _("Name the city unit that delivers the offering.")})
    if delivered_by != DeliveredBy.PROVIDER:
        provider = None
    deliverer = provider or unit
    municipality = municipality or (deliverer.municipality if deliverer is not None else by.municipality)
    if municipality is None:
        raise ValidationError({"municipality": _("Name the municipality of the offering.")})
    for field, obj in (("unit", unit), ("provider", provider)):
        if obj is not None and obj.municipality_id != municipality.pk:
            raise ValidationError({field: _("It belongs to another municipality.")})
    if not intervention_type.active:
        raise ValidationError({"intervention_type": _("This intervention type is retired.")})
    if provider is not None:
        _provider_may_deliver_check(
            provider=provider, intervention_type=intervention_type, start_date=start_date
        )
    offering = Offering(
        municipality=municipality,
        intervention_type=intervention_type,
        name=name,
        delivered_by=delivered_by,
        unit=unit,
        provider=provider,
        start_date=start_date,
        hours_per_week=hours_per_week,
        capacity=capacity,
        **fields,
    )
    offering.full_clean()
    offering.save()
    change_record(
        action="offering_created",
        obj=offering,
        by=by,
        changes={"name": name, "capacity": capacity, "intervention_type": intervention_type.code},
    )
    return offering


# The catalogue and offerings --------------------------------------------------------------------------------

_TYPE_FIELDS = (
    "name",
    "name_en",
    "description",
    "category",
    "is_sfi_related",
    "is_work_training",
    "is_internship",
    "is_matching",
    "sort_order",
)
_OFFERING_FIELDS = (
    "intervention_type",
    "name",
    "delivered_by",
    "unit",
    "provider",
    "city_unit_name",
    "place",
    "start_date",
    "end_date",
    "hours_per_week",
    "capacity",
    "languages",
    "target_groups",
    "contact",
    "active",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def intervention_type_create(*, by, code: str, **fields) -> InterventionType:
    """Add a type to the catalogue (administrators)."""
    _require(perms.can_add_intervention_type(by))
    unknown = set(fields) - set(_TYPE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    intervention_type = InterventionType(code=code, **fields)
    intervention_type.full_clean()
    intervention_type.save()
    change_record(action="intervention_type_created", obj=intervention_type, by=by, changes={"code": code})
    return intervention_type


@transaction.atomic
def intervention_type_update(*, intervention_type: InterventionType, by, **fields) -> InterventionType:
    """Describe a type (names, description, category, flags). The code never changes: plans refer to it."""
    _require(perms.can_edit_catalogue(by))
    unknown = set(fields) - set(_TYPE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = {name: getattr(intervention_type, name) for name in fields}
    for name, value in fields.items():
        setattr(intervention_type, name, value)
    intervention_type.full_clean()
    intervention_type.save(update_fields=list(fields))
    change_record(
        action="intervention_type_changed",
        obj=intervention_type,
        by=by,
        changes=field_changes(before, fields),
    )
    return intervention_type


@transaction.atomic
def intervention_type_set_active(
    *, intervention_type: InterventionType, active: bool, by
) -> InterventionType:
    """Retire a type (it can no longer be planned or offered; what exists stays) or bring it back."""
    _require(perms.can_edit_catalogue(by))
    if intervention_type.active == active:
        return intervention_type
    intervention_type.active = active
    intervention_type.save(update_fields=["active"])
    change_record(
        action="intervention_type_reinstated" if active else "intervention_type_retired",
        obj=intervention_type,
        by=by,
    )
    return intervention_type


def _provider_may_deliver_check(*, provider, intervention_type, start_date: datetime.date | None) -> None:
    """A provider's offering needs a provider authorised (in force) or contracted (LOU) for the type, on the
    offering's start or today, whichever is later."""
    today = timezone.localdate()
    on = max(start_date, today) if start_date else today
    if not provider.may_deliver(intervention_type=intervention_type, on=on):
        raise ValidationError(
            {
                "provider": _(
                    "The provider is neither authorised nor contracted for this intervention type on %(day)s."
                )
                % {"day": on.isoformat()}
            }
        )


def _offering_validate(offering: Offering, *, check_delivery: bool) -> None:
    """The rules of offering_create for a changed offering (the deliverer matching `delivered_by`)."""
    errors: dict[str, list[str]] = {}
    if check_delivery and offering.intervention_type_id and not offering.intervention_type.active:
        errors.setdefault("intervention_type", []).append(_("This intervention type is retired."))
    if offering.delivered_by == DeliveredBy.PROVIDER:
        offering.unit = None
        offering.city_unit_name = ""
        if offering.provider is None:
            errors.setdefault("provider", []).append(_("Name the provider that delivers the offering."))
        elif offering.provider.municipality_id != offering.municipality_id:
            errors.setdefault("provider", []).append(_("It belongs to another municipality."))
        elif check_delivery and offering.intervention_type_id:
            try:
                _provider_may_deliver_check(
                    provider=offering.provider,
                    intervention_type=offering.intervention_type,
                    start_date=offering.start_date,
                )
            except ValidationError as error:
                errors.setdefault("provider", []).extend(error.message_dict["provider"])
    elif offering.delivered_by == DeliveredBy.JOBBTORG:
        offering.provider = None
        offering.city_unit_name = ""
        if offering.unit is None:
            errors.setdefault("unit", []).append(_("Name the Jobbtorg unit that delivers the offering."))
        elif offering.unit.municipality_id != offering.municipality_id:
            errors.setdefault("unit", []).append(_("It belongs to another municipality."))
    elif offering.delivered_by == DeliveredBy.CITY:
        offering.provider = None
        offering.unit = None
        if not (offering.city_unit_name or "").strip():
            errors.setdefault("city_unit_name", []).append(
                _("Name the city unit that delivers the offering.")
            )
    if offering.start_date and offering.end_date and offering.end_date < offering.start_date:
        errors.setdefault("end_date", []).append(_("The end date must not be before the start date."))
    if errors:
        raise ValidationError(errors)
    offering.full_clean(exclude=["booked_count"])


@transaction.atomic
def offering_update(*, offering: Offering, by, **fields) -> Offering:
    """Change an offering. The capacity can never go below the places already given (checked against the
    locked row, so a booking made meanwhile counts); the booked count itself is never written here."""
    unknown = set(fields) - set(_OFFERING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if not perms.can_manage_offering(by, offering):
        raise PermissionDenied(_("You may not manage this offering."))
    locked = Offering.objects.select_for_update().get(pk=offering.pk)
    before = {name: getattr(locked, name) for name in fields}
    for name, value in fields.items():
        setattr(locked, name, value)
    if not perms.can_manage_offering(by, locked):
        raise PermissionDenied(_("You may not manage this offering."))
    delivery_changed = any(
        before.get(name) != fields[name]
        for name in ("intervention_type", "delivered_by", "provider")
        if name in fields
    )
    _offering_validate(locked, check_delivery=delivery_changed)
    if locked.capacity < locked.booked_count:
        raise ValidationError(
            {
                "capacity": _("%(count)s places are already booked; the capacity cannot be lower than that.")
                % {"count": locked.booked_count}
            }
        )
    updated = Offering.objects.filter(pk=locked.pk, booked_count__lte=locked.capacity).update(
        **{name: getattr(locked, name) for name in _OFFERING_FIELDS}
    )
    if updated != 1:  # a booking took a place between the check and the write (SQLite has no row locks)
        raise ValidationError({"capacity": _("The places were booked meanwhile; reload and try again.")})
    locked.refresh_from_db()
    change_record(action="offering_changed", obj=locked, by=by, changes=field_changes(before, fields))
    return locked


def referral_closed_end_bookings(*, referral, by, on: datetime.date) -> None:
    """When a referral closes, the person's places end on `on`, their last day (the exit date, even when
    the exit is recorded later), freeing them for the waiting list; their places in queues are cancelled."""
    for booking in Booking.objects.select_for_update().filter(
        referral=referral, status__in=[BookingStatus.BOOKED, BookingStatus.WAITLISTED]
    ):
        had_place = booking.status == BookingStatus.BOOKED
        last_day = max(min(on, booking.end_date or on), booking.start_date)
        Booking.objects.filter(pk=booking.pk).update(
            status=BookingStatus.ENDED if had_place else BookingStatus.CANCELLED,
            end_date=last_day if had_place else booking.end_date,
            cancel_reason="" if had_place else _("The referral was closed."),
        )
        if had_place:
            _release_place(booking.offering)
            waitlist_promote(offering=booking.offering, by=by)
