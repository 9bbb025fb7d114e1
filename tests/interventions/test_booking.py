import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from jobbtorg.interventions import services
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking
from jobbtorg.providers.models import Assignment

from ..factories import OfferingFactory, ReferralFactory


def _referral(caseworker, coach):
    return ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )


@pytest.fixture
def offering(unit):
    return OfferingFactory(municipality=unit.municipality, capacity=2)


def test_booking_takes_a_place_and_assigns_the_provider(offering, caseworker, coach):
    referral = _referral(caseworker, coach)
    booking = services.booking_create(offering=offering, referral=referral, by=coach)
    offering.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and offering.booked_count == 1
    assignment = Assignment.objects.get(participant=referral.participant)
    assert assignment.provider == offering.provider and assignment.source == "procurement"


def test_full_offering_waitlists_first_come_first_served_and_promotes(offering, caseworker, coach):
    people = [_referral(caseworker, coach) for _ in range(4)]
    bookings = [services.booking_create(offering=offering, referral=r, by=coach) for r in people]
    assert [b.status for b in bookings] == ["booked", "booked", "waitlisted", "waitlisted"]
    assert [services.waitlist_position(b) for b in bookings] == [None, None, 1, 2]
    promoted = services.booking_cancel(booking=bookings[0], by=coach, reason="Fick jobb")
    assert promoted.pk == bookings[2].pk and promoted.status == BookingStatus.BOOKED
    bookings[3].refresh_from_db()
    assert services.waitlist_position(bookings[3]) == 1
    offering.refresh_from_db()
    assert offering.booked_count == 2


def test_full_offering_refuses_when_waitlist_not_wanted(offering, caseworker, coach):
    for _ in range(2):
        services.booking_create(offering=offering, referral=_referral(caseworker, coach), by=coach)
    with pytest.raises(ValidationError) as exc:
        services.booking_create(
            offering=offering, referral=_referral(caseworker, coach), by=coach, waitlist=False
        )
    assert "full" in str(exc.value)
    assert Booking.objects.count() == 2


def test_the_same_person_cannot_be_booked_twice(offering, caseworker, coach):
    referral = _referral(caseworker, coach)
    services.booking_create(offering=offering, referral=referral, by=coach)
    with pytest.raises(ValidationError):
        services.booking_create(offering=offering, referral=referral, by=coach)
    offering.refresh_from_db()
    assert offering.booked_count == 1


def test_only_staff_of_the_persons_unit_book(offering, caseworker, coach, other_unit_coach):
    referral = _referral(caseworker, coach)
    for user in (other_unit_coach, caseworker):
        with pytest.raises(PermissionDenied):
            services.booking_create(offering=offering, referral=referral, by=user)


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_simultaneous_bookings(unit, caseworker, coach):
    offering = OfferingFactory(municipality=unit.municipality, capacity=3)
    referrals = [_referral(caseworker, coach) for _ in range(8)]
    barrier = threading.Barrier(len(referrals))
    outcomes = []

    def book(referral):
        try:
            barrier.wait()
            outcomes.append(services.booking_create(offering=offering, referral=referral, by=coach).status)
        except Exception as exc:  # SQLite may refuse a writer while another holds the lock: never a place
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(r,)) for r in referrals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    offering.refresh_from_db()
    booked = Booking.objects.filter(offering=offering, status=BookingStatus.BOOKED).count()
    assert booked == offering.booked_count <= offering.capacity, outcomes
    # Every writer got an answer: three places, the rest on the waiting list.
    assert sorted(outcomes) == ["booked"] * 3 + ["waitlisted"] * 5, outcomes


def test_closing_the_referral_ends_the_place_and_promotes_the_queue(offering, caseworker, coach):
    from jobbtorg.referrals.services import referral_close

    first, second, waiting = (_referral(caseworker, coach) for _ in range(3))
    for referral in (first, second, waiting):
        services.booking_create(offering=offering, referral=referral, by=coach)
    referral_close(referral=first, by=coach, reason="work", version=first.lock_version)
    statuses = dict(Booking.objects.values_list("referral_id", "status"))
    assert statuses[first.pk] == BookingStatus.ENDED and statuses[waiting.pk] == BookingStatus.BOOKED
    offering.refresh_from_db()
    assert offering.booked_count == 2
