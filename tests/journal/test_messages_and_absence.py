"""Messages on a case (participant ↔ coach, provider ↔ coach) with notices without personal data, and the
absence the person reports in the portal."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jobbtorg.attendance import services as attendance_services
from jobbtorg.attendance.models import AttendanceReport, Notice, ReportedAbsence
from jobbtorg.attendance.selectors import unreported_days
from jobbtorg.audit.models import ReadLog
from jobbtorg.integrations.messaging import LogSmsSender
from jobbtorg.interventions import services as booking_services
from jobbtorg.journal import services
from jobbtorg.journal.models import Message
from jobbtorg.journal.notifications import channels_for
from jobbtorg.participants.models import Participant
from tests.factories import OfferingFactory, UserFactory, provider_user

from .conftest import assign

TODAY = timezone.localdate


@pytest.fixture
def person_login(accepted_referral):
    participant = accepted_referral.participant
    Participant.objects.filter(pk=participant.pk).update(email="person@example.org", phone="0701234567")
    participant.refresh_from_db()
    return UserFactory(role="participant", participant=participant, username="deltagare")


@pytest.fixture
def booked(accepted_referral, coach):
    from jobbtorg.participants.constants import ConsentScope
    from jobbtorg.participants.services import consent_record

    consent_record(
        participant=accepted_referral.participant,
        status="given",
        scope=ConsentScope.JOBBTORG_PROVIDER,
        by=accepted_referral.caseworker,
    )
    offering = OfferingFactory(
        municipality=accepted_referral.unit.municipality, start_date=TODAY() - dt.timedelta(days=30)
    )
    return booking_services.booking_create(
        offering=offering, referral=accepted_referral, by=coach, start_date=TODAY() - dt.timedelta(days=14)
    )


def test_participant_and_coach_exchange_messages_with_notices_without_personal_data(
    client, person_login, coach, accepted_referral, django_capture_on_commit_callbacks
):
    coach.email = "coach@example.org"
    coach.save()
    participant = accepted_referral.participant
    client.force_login(person_login)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:messages"), {"body": "Jag är sjuk i dag."})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["coach@example.org"]]
    assert participant.last_name not in mail.outbox[0].body and "sjuk" not in mail.outbox[0].body
    mail.outbox.clear()
    LogSmsSender.sent.clear()
    client.force_login(coach)
    url = reverse("journal:messages", kwargs={"participant_pk": participant.pk})
    page = client.get(url)
    assert "Jag är sjuk i dag." in page.content.decode()
    assert ReadLog.objects.filter(user=coach, view="messages", participant_id=participant.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"body": "Krya på dig!"}).status_code == 302
    assert [m.to for m in mail.outbox] == [["person@example.org"]]
    assert [m.to for m in LogSmsSender.sent] == ["0701234567"]
    for text in (mail.outbox[0].body, LogSmsSender.sent[0].body):
        assert "Krya" not in text and participant.first_name not in text
    client.force_login(person_login)
    assert "Krya på dig!" in client.get(reverse("portal:messages")).content.decode()
    assert list(Message.objects.values_list("side", flat=True)) == ["participant", "jobbtorg"]


def test_a_message_is_never_changed_or_deleted(coach, accepted_referral):
    message = services.message_send(referral=accepted_referral, body="Hej", by=coach)
    with pytest.raises(PermissionDenied):
        message.delete()
    message.body = "Ändrat"
    with pytest.raises(PermissionDenied):
        message.save()
    with pytest.raises(ValidationError):
        services.message_send(referral=accepted_referral, body="  ", by=coach)


def test_protected_identity_gets_a_notice_only_through_a_chosen_channel(person_login):
    participant = person_login.participant
    assert channels_for(participant) == ["email", "sms"]
    Participant.objects.filter(pk=participant.pk).update(protected_identity=True)
    participant.refresh_from_db()
    assert channels_for(participant) == []
    services.notice_preference_set(participant=participant, channel="sms", by=person_login)
    participant = Participant.objects.get(pk=participant.pk)
    assert channels_for(participant) == ["sms"]
    services.notice_preference_set(participant=participant, channel="none", by=person_login)
    assert channels_for(Participant.objects.get(pk=participant.pk)) == []


def test_provider_and_coach_write_about_a_person(coach, accepted_referral, other_unit_coach):
    from tests.factories import ProviderFactory

    provider = ProviderFactory(municipality=accepted_referral.unit.municipality)
    assign(accepted_referral, provider, accepted_referral.caseworker)
    staff = provider_user(provider)
    services.message_send(referral=accepted_referral, provider=provider, body="Fråga", by=staff)
    services.message_send(referral=accepted_referral, provider=provider, body="Svar", by=coach)
    assert Message.objects.visible_to(staff).count() == 2
    assert Message.objects.visible_to(coach).count() == 2
    assert not Message.objects.visible_to(other_unit_coach).exists()
    person_login = UserFactory(role="participant", participant=accepted_referral.participant)
    assert not Message.objects.visible_to(person_login).exists()
    with pytest.raises(PermissionDenied):
        services.message_send(referral=accepted_referral, provider=None, body="Till deltagaren", by=staff)


def test_the_participant_reports_absence_and_the_provider_and_coach_see_it(
    client, person_login, coach, booked
):
    client.force_login(person_login)
    response = client.post(
        reverse("portal:absence"),
        {
            "reason": "sick",
            "first_day": TODAY().isoformat(),
            "last_day": (TODAY() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    absence = ReportedAbsence.objects.get()
    staff = provider_user(booked.offering.provider)
    for user in (staff, coach):
        client.force_login(user)
        page = client.get(reverse("attendance:provider_home")).content.decode()
        assert booked.participant.full_name in page and "Sjuk" in page
    client.force_login(coach)
    detail = client.get(reverse("participants:detail", kwargs={"pk": booked.participant_id})).content.decode()
    assert "Sjuk" in detail
    assert ReportedAbsence.objects.visible_to(staff).get() == absence
    # the attendance rules: reported absence, not unexcused — no notice to social services
    report = attendance_services.attendance_report(
        booking=booked, day=TODAY(), status="absent_unexcused", by=staff
    )
    assert (report.status, report.valid_reason) == ("absent_valid", "sick")
    assert not Notice.objects.filter(kind="unexcused_absence").exists()
    assert AttendanceReport.objects.get().status == "absent_valid"


def test_days_the_person_reported_are_not_flagged_as_not_reported(person_login, booked, coach):
    yesterday = TODAY() - dt.timedelta(days=1)
    before = {day for _b, day in unreported_days(user=coach, until=TODAY())}
    attendance_services.absence_report(
        participant=booked.participant, reason="child", first_day=TODAY(), last_day=TODAY(), by=person_login
    )
    after = {day for _b, day in unreported_days(user=coach, until=TODAY())}
    assert TODAY() not in after and (yesterday in after) is (yesterday in before)


def test_absence_input_is_checked(person_login, booked, coach):
    participant = booked.participant
    with pytest.raises(ValidationError) as error:
        attendance_services.absence_report(
            participant=participant,
            reason="interview",
            first_day=TODAY() - dt.timedelta(days=1),
            last_day=TODAY() - dt.timedelta(days=2),
            by=person_login,
        )
    assert {"reason", "first_day", "last_day"} <= set(error.value.message_dict)
    with pytest.raises(PermissionDenied):
        attendance_services.absence_report(
            participant=participant, reason="sick", first_day=TODAY(), last_day=TODAY(), by=coach
        )


def test_the_absence_api(api_client, person_login, booked, coach):
    api_client.force_authenticate(person_login)
    response = api_client.post(
        "/api/reported-absences/", {"reason": "sick", "first_day": str(TODAY())}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["last_day"] == str(TODAY())
    assert api_client.post("/api/reported-absences/", {"reason": "x"}, format="json").status_code == 400
    api_client.force_authenticate(coach)
    listed = api_client.get("/api/reported-absences/?current=true")
    assert listed.status_code == 200 and len(listed.json()["results"]) == 1
    assert (
        api_client.post(
            "/api/reported-absences/", {"reason": "sick", "first_day": str(TODAY())}, format="json"
        ).status_code
        == 403
    )
