"""Quick feedback to social services: facts reach the caseworker the same day; not reported ≠ absent."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobbtorg.attendance import selectors, services
from jobbtorg.attendance.models import AbsenceRules, Notice, ThreePartyMeeting
from jobbtorg.interventions import services as booking_services
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.models import Participant
from jobbtorg.participants.services import consent_record
from jobbtorg.utils.workdays import is_working_day

from ..factories import OfferingFactory, ReferralFactory, provider_user


def working_days_back(n: int) -> list[dt.date]:
    days, day = [], timezone.localdate() - dt.timedelta(days=1)
    while len(days) < n:
        if is_working_day(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


@pytest.fixture
def setup(caseworker, coach, unit):
    caseworker.email = "socsek@example.org"
    caseworker.save()
    offering = OfferingFactory(
        municipality=unit.municipality, start_date=timezone.localdate() - dt.timedelta(days=90)
    )
    referral = ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )
    consent_record(
        participant=referral.participant, status="given", scope=ConsentScope.JOBBTORG_PROVIDER, by=caseworker
    )
    booking = booking_services.booking_create(
        offering=offering,
        referral=referral,
        by=coach,
        start_date=timezone.localdate() - dt.timedelta(days=60),
    )
    reporter = provider_user(offering.provider)
    return booking, reporter


def test_unexcused_absence_reaches_the_caseworker_same_day_with_facts_only(
    setup, caseworker, django_capture_on_commit_callbacks
):
    booking, reporter = setup
    day = working_days_back(1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_report(booking=booking, day=day, status="absent_unexcused", by=reporter)
    notice = Notice.objects.get()
    assert notice.kind == "unexcused_absence" and notice.district == caseworker.district
    assert day.isoformat() in notice.facts and booking.offering.provider.name in notice.facts
    assert list(selectors.notices_for(caseworker, open_only=True)) == [notice]
    (email,) = mail.outbox
    assert email.to == ["socsek@example.org"]
    person = booking.participant
    for secret in (person.first_name, person.last_name, person.personal_number[:8]):
        assert secret not in email.body and secret not in email.subject
    services.notice_acknowledge(notice=notice, by=caseworker)
    assert list(selectors.notices_for(caseworker, open_only=True)) == []


def test_present_and_valid_absence_send_nothing(setup):
    booking, reporter = setup
    first, second = working_days_back(2)
    services.attendance_report(booking=booking, day=first, status="present", by=reporter)
    services.attendance_report(
        booking=booking, day=second, status="absent_valid", valid_reason="sick", by=reporter
    )
    assert not Notice.objects.exists()
    with pytest.raises(ValidationError):
        services.attendance_report(booking=booking, day=second, status="absent_valid", by=reporter)


def test_not_reported_is_flagged_to_the_provider_never_to_social_services(setup):
    booking, reporter = setup
    days = working_days_back(5)
    for day in days[:3]:
        services.attendance_report(booking=booking, day=day, status="present", by=reporter)
    missing = [d for b, d in selectors.unreported_days(user=reporter) if b == booking]
    assert set(days[3:]) <= set(missing) and not set(days[:3]) & set(missing)
    assert not Notice.objects.exists()


def test_eighth_sick_day_requires_a_certificate(setup):
    booking, reporter = setup
    for day in working_days_back(8):
        services.attendance_report(
            booking=booking, day=day, status="absent_valid", valid_reason="sick", by=reporter
        )
    notice = Notice.objects.get()
    assert notice.kind == "certificate_required" and "8" in notice.facts


def test_repeated_absence_proposes_one_three_party_meeting(setup, caseworker):
    booking, reporter = setup
    AbsenceRules.objects.create(municipality=booking.offering.municipality, repeated_absence_count=3)
    for day in working_days_back(4):
        services.attendance_report(booking=booking, day=day, status="absent_unexcused", by=reporter)
    assert ThreePartyMeeting.objects.filter(referral=booking.referral, status="proposed").count() == 1
    kinds = sorted(Notice.objects.values_list("kind", flat=True))
    assert kinds == ["meeting_proposed"] + ["unexcused_absence"] * 4


def test_interruption_and_restart(setup):
    booking, reporter = setup
    day = working_days_back(1)[0]
    with pytest.raises(ValidationError):
        services.attendance_event_record(booking=booking, kind="restart", day=day, reason="x", by=reporter)
    services.attendance_event_record(
        booking=booking, kind="interruption", day=day, reason="Flyttat", by=reporter
    )
    services.attendance_event_record(booking=booking, kind="restart", day=day, reason="Tillbaka", by=reporter)
    assert sorted(Notice.objects.values_list("kind", flat=True)) == ["interruption", "restart"]


def test_reporting_outside_the_booking_or_in_the_future_is_refused(setup):
    booking, reporter = setup
    for day in (booking.start_date - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.attendance_report(booking=booking, day=day, status="present", by=reporter)


def test_another_provider_cannot_report_or_see(setup):
    booking, _reporter = setup
    stranger = provider_user(OfferingFactory(municipality=booking.offering.municipality).provider)
    with pytest.raises(PermissionDenied):
        services.attendance_report(
            booking=booking, day=working_days_back(1)[0], status="present", by=stranger
        )
    assert not Participant.objects.visible_to(stranger).exists()
    assert selectors.unreported_days(user=stranger) == []


def test_provider_loses_the_person_when_consent_is_withdrawn(setup, caseworker):
    booking, reporter = setup
    assert Participant.objects.visible_to(reporter).filter(pk=booking.participant_id).exists()
    consent_record(
        participant=booking.participant,
        status="withdrawn",
        scope=ConsentScope.JOBBTORG_PROVIDER,
        by=caseworker,
    )
    assert not Participant.objects.visible_to(reporter).exists()
    with pytest.raises(PermissionDenied):
        services.attendance_report(
            booking=booking, day=working_days_back(1)[0], status="present", by=reporter
        )


def test_no_show_counts_like_an_unexcused_absence(setup, coach):
    booking, _reporter = setup
    start = timezone.now() - dt.timedelta(hours=3)
    appointment = services.appointment_create(
        referral=booking.referral,
        by=coach,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Jobbtorg",
    )
    services.appointment_outcome_record(appointment=appointment, outcome="no_show", by=coach)
    assert Notice.objects.get().kind == "no_show"
    with pytest.raises(ValidationError):
        services.appointment_outcome_record(appointment=appointment, outcome="cancelled", by=coach)


def test_reminders_go_out_once_through_the_pluggable_senders(setup, coach):
    from jobbtorg.integrations.messaging import LogSmsSender

    booking, _reporter = setup
    LogSmsSender.sent.clear()
    start = timezone.now() + dt.timedelta(hours=5)
    services.appointment_create(
        referral=booking.referral,
        by=coach,
        kind="three_party",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        video_link="https://meet.example.org/abc",
    )
    assert services.appointment_reminders_send() == 1
    assert services.appointment_reminders_send() == 0
    assert len(mail.outbox) == 1 and len(LogSmsSender.sent) == 1
    assert "meet.example.org" in LogSmsSender.sent[0].body


def test_absence_rules_are_editable_in_the_admin(db):
    from django.test import Client

    from jobbtorg.accounts.models import Municipality

    from ..factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    municipality = Municipality.objects.create(name="Nacka", code="0182")
    response = client.post(
        "/admin/attendance/absencerules/add/",
        {
            "municipality": municipality.pk,
            "notify_from_absence_day": 2,
            "certificate_from_sick_day": 8,
            "repeated_absence_count": 3,
            "repeated_absence_window_days": 30,
            "unreported_after_working_days": 1,
        },
    )
    assert response.status_code == 302
    assert services.rules_for(municipality).notify_from_absence_day == 2
