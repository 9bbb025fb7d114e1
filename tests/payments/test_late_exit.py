"""An exit recorded late: the provider assignment (and the booking) ends on the exit date, not on the day the
exit is recorded, so nothing is paid after the exit, and a month already paid (approved run) is clawed back
in the next run — once."""

import datetime as dt
from decimal import Decimal

import pytest

from jobbtorg.followup.services import exit_record
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking
from jobbtorg.interventions.services import booking_create
from jobbtorg.payments.models import PaymentLine, PaymentRun
from jobbtorg.payments.services import payment_run, payment_run_approve
from jobbtorg.providers.models import Assignment
from jobbtorg.referrals.models import Referral
from tests.factories import OfferingFactory, UserFactory

from .factories import assigned_person, authorised_provider

pytestmark = pytest.mark.django_db
JAN, FEB, MAR, APR = (dt.date(2025, m, 1) for m in (1, 2, 3, 4))
EXIT = dt.date(2025, 1, 20)


def _paid(finance, *months):
    for month in months:
        payment_run(month=month, by=finance)
        payment_run_approve(run=PaymentRun.objects.get(month=month), by=finance)


@pytest.fixture
def paid_through_february(nacka, finance):
    """Assigned from 2 December 2024; January and February paid and approved; the person left on 20 January,
    which the Jobbtorg records only in March."""
    provider, _staff, itype = authorised_provider(model=nacka)
    referral = assigned_person(provider=provider, itype=itype, start=dt.date(2024, 12, 2), tier="A")
    _paid(finance, JAN, FEB)
    coach = UserFactory(coach=True, unit=referral.unit)
    return referral, coach


def test_late_exit_ends_the_assignment_on_the_exit_date(paid_through_february):
    referral, coach = paid_through_february
    exit_record(referral=referral, by=coach, reason="moved", exit_date=EXIT)
    assignment = Assignment.objects.get(referral=referral)
    assert assignment.end_date == EXIT


def test_late_exit_claws_back_the_month_paid_after_the_exit_and_pays_nothing_after(
    paid_through_february, finance
):
    referral, coach = paid_through_february
    january = PaymentLine.objects.get(referral=referral, period="m:2025-01")
    february = PaymentLine.objects.get(referral=referral, period="m:2025-02")
    exit_record(referral=referral, by=coach, reason="moved", exit_date=EXIT)

    payment_run(month=MAR, by=finance)
    march = PaymentRun.objects.get(month=MAR)
    reversal = PaymentLine.objects.get(reverses=february)
    assert reversal.run == march and reversal.amount == -february.amount == Decimal("-3686.00")
    assert reversal.is_adjustment and reversal.period_month == FEB
    assert reversal.evidence["reason"] == "assignment_ended_before_the_period"
    assert reversal.evidence["assignment_end"] == EXIT.isoformat()
    assert not PaymentLine.objects.filter(reverses=january).exists()  # January was served (until the 20th)
    assert not PaymentLine.objects.filter(referral=referral, period="m:2025-03").exists()
    assert march.total == Decimal("-3686.00")

    payment_run(month=MAR, by=finance)  # a re-run of the draft claws back once
    assert PaymentLine.objects.filter(reverses=february).count() == 1
    payment_run_approve(run=PaymentRun.objects.get(month=MAR), by=finance)
    payment_run(month=APR, by=finance)  # and the next month neither pays nor claws back again
    assert PaymentLine.objects.filter(reverses=february).count() == 1
    assert not PaymentLine.objects.filter(run__month=APR, referral=referral).exists()


def test_exit_recorded_in_time_claws_back_nothing(nacka, finance):
    provider, _staff, itype = authorised_provider(model=nacka)
    referral = assigned_person(provider=provider, itype=itype, start=dt.date(2024, 12, 2), tier="A")
    _paid(finance, JAN)
    coach = UserFactory(coach=True, unit=referral.unit)
    exit_record(referral=referral, by=coach, reason="moved", exit_date=EXIT)
    payment_run(month=FEB, by=finance)
    assert not PaymentLine.objects.filter(amount__lt=0).exists()
    assert not PaymentLine.objects.filter(period="m:2025-02").exists()


def test_late_exit_ends_the_booking_on_the_exit_date(accepted_referral, coach):
    offering = OfferingFactory(municipality=accepted_referral.unit.municipality)
    start = offering.start_date
    Referral.objects.filter(pk=accepted_referral.pk).update(referral_date=start)
    accepted_referral.refresh_from_db()
    booking = booking_create(offering=offering, referral=accepted_referral, by=coach, start_date=start)
    accepted_referral.refresh_from_db()
    exit_date = start + dt.timedelta(days=10)
    exit_record(referral=accepted_referral, by=coach, reason="moved", exit_date=exit_date)
    booking = Booking.objects.get(pk=booking.pk)
    assert booking.status == BookingStatus.ENDED and booking.end_date == exit_date
    assert Assignment.objects.get(referral=accepted_referral).end_date == exit_date
