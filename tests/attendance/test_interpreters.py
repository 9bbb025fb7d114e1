"""Interpreters (issue 17): the need is part of the mapping; booking a meeting for such a person asks for an
interpreter (on site, phone, video); the booking shows in the meeting; the coach's worklist lists upcoming
meetings that still lack one."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.attendance import services
from jobbtorg.attendance.models import Appointment
from jobbtorg.audit.models import ChangeLog
from jobbtorg.plans.services import mapping_save

from ..factories import MappingFactory, UserFactory


@pytest.fixture
def client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def needs_interpreter(accepted_referral):
    return MappingFactory(
        referral=accepted_referral,
        interpreter_needed=True,
        interpreter_language="ti",
        interpreter_dialect="Asmara",
    )


def book(referral, by, **extra):
    start = timezone.now() + dt.timedelta(days=2)
    return services.appointment_create(
        referral=referral,
        by=by,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Jobbtorg Järva",
        **extra,
    )


def test_the_mapping_holds_the_need_and_asks_for_the_language(accepted_referral, coach):
    mapping = mapping_save(
        referral=accepted_referral,
        by=coach,
        interpreter_needed=True,
        interpreter_language="ar",
        interpreter_dialect="irakisk",
        swedish_level="none",
    )
    assert (mapping.interpreter_needed, mapping.interpreter_language, mapping.interpreter_dialect) == (
        True,
        "ar",
        "irakisk",
    )
    with pytest.raises(ValidationError) as error:
        mapping_save(
            referral=accepted_referral,
            by=coach,
            version=mapping.lock_version,
            interpreter_needed=True,
            interpreter_language="",
        )
    assert "interpreter_language" in error.value.message_dict


def test_a_meeting_carries_the_need_and_the_booking(accepted_referral, coach, needs_interpreter):
    lacking = book(accepted_referral, coach)
    assert lacking.interpreter_needed and lacking.interpreter_language == "ti"
    assert lacking.interpreter_dialect == "Asmara" and lacking.lacks_interpreter
    booked = book(accepted_referral, coach, interpreter_type="phone", interpreter_note="Tolkbolaget 123")
    assert not booked.lacks_interpreter and booked.get_interpreter_type_display() == "Interpreter by phone"
    assert list(Appointment.objects.lacking_interpreter(timezone.now())) == [lacking]

    services.appointment_interpreter_set(appointment=lacking, by=coach, interpreter_type="on_site")
    assert not Appointment.objects.lacking_interpreter(timezone.now()).exists()
    assert ChangeLog.objects.filter(action="appointment_interpreter_set", object_id=str(lacking.pk)).exists()
    with pytest.raises(ValidationError):
        services.appointment_interpreter_set(appointment=lacking, by=coach, interpreter_type="telepathy")
    stranger = UserFactory(coach=True)  # another unit
    with pytest.raises(PermissionDenied):
        services.appointment_interpreter_set(appointment=lacking, by=stranger, interpreter_type="video")


def test_a_person_without_the_need_has_no_interpreter_asked(accepted_referral, coach):
    appointment = book(accepted_referral, coach)
    assert not appointment.interpreter_needed and not appointment.lacks_interpreter


def test_coach_books_with_an_interpreter_and_the_worklist_shows_missing_ones(
    client, accepted_referral, coach, needs_interpreter
):
    client.force_login(coach)
    form = client.get(reverse("attendance:appointment_new", args=[accepted_referral.pk]))
    assert "needs an interpreter" in form.text and "Tigrinya" in form.text and "Asmara" in form.text
    start = timezone.localtime() + dt.timedelta(days=3)
    fields = {
        "kind": "individual",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Jobbtorg Järva",
    }
    response = client.post(reverse("attendance:appointment_new", args=[accepted_referral.pk]), fields)
    assert response.status_code == 302
    lacking = Appointment.objects.get()
    assert lacking.lacks_interpreter

    worklist = client.get(reverse("plans:worklist")).text
    assert "Meetings without an interpreter" in worklist
    assert reverse("attendance:appointment_interpreter", args=[lacking.pk]) in worklist

    bad = client.post(
        reverse("attendance:appointment_interpreter", args=[lacking.pk]), {"interpreter_type": "x"}
    )
    assert bad.status_code == 400
    done = client.post(
        reverse("attendance:appointment_interpreter", args=[lacking.pk]),
        {"interpreter_type": "video", "interpreter_note": "Tolkbolaget ref 42"},
    )
    assert done.status_code == 302
    meetings = client.get(reverse("attendance:appointments")).text
    assert "Interpreter by video" in meetings
    assert "Nothing missing" in client.get(reverse("plans:worklist")).text

    response = client.post(
        reverse("attendance:appointment_new", args=[accepted_referral.pk]),
        {**fields, "interpreter_type": "on_site", "interpreter_note": ""},
    )
    assert response.status_code == 302
    assert Appointment.objects.filter(interpreter_type="on_site").count() == 1


def test_the_participant_sees_the_interpreter_in_their_meetings(accepted_referral, coach, needs_interpreter):
    book(accepted_referral, coach, interpreter_type="phone")
    person_user = UserFactory(role="participant", participant=accepted_referral.participant)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person_user)
    assert "An interpreter takes part by phone." in client.get(reverse("portal:home")).text


def test_api_books_and_records_the_interpreter(api_client, accepted_referral, coach, needs_interpreter):
    api_client.force_authenticate(coach)
    start = timezone.now() + dt.timedelta(days=2)
    created = api_client.post(
        reverse("api-appointment-list"),
        {
            "referral": str(accepted_referral.pk),
            "kind": "individual",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
            "place": "Jobbtorg Järva",
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["lacks_interpreter"] is True and body["interpreter_language"] == "ti"
    url = reverse("api-appointment-interpreter", args=[body["id"]])
    assert api_client.post(url, {"interpreter_type": "fax"}, format="json").status_code == 400
    answer = api_client.post(url, {"interpreter_type": "on_site"}, format="json")
    assert answer.status_code == 200 and answer.json()["lacks_interpreter"] is False
