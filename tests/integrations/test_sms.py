"""The SMS gateway (46elks) behind the message sender: the request format, the stored delivery status, the
delivery-report callback and the retries through the task queue — against a local fake of the HTTP API."""

import base64
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.attendance import services as attendance_services
from jobbtorg.integrations.constants import SmsStatus
from jobbtorg.integrations.messaging import GatewaySmsSender, Message
from jobbtorg.integrations.models import SmsDelivery
from jobbtorg.integrations.sms import e164

from ..factories import ReferralFactory
from .fakehttp import FakeServer

SECRET = "dlr-secret-0123456789"
GATEWAY_SENDERS = {
    "email": "jobbtorg.integrations.messaging.EmailSender",
    "sms": "jobbtorg.integrations.messaging.GatewaySmsSender",
}


def elks_answer(request):
    """What 46elks answers to POST /a1/sms (https://46elks.se/docs/send-sms)."""
    form = request.form
    return 200, {
        "status": "created",
        "direction": "outgoing",
        "from": form["from"],
        "created": "2026-12-07T10:00:00.000000",
        "parts": 1,
        "to": form["to"],
        "cost": 3500,
        "message": form["message"],
        "id": "s17a6dafb12d6b1cabc612d798a7d3b13",
    }


@pytest.fixture
def gateway(settings):
    with FakeServer(answer=elks_answer) as fake:
        settings.JOBBTORG_SMS_46ELKS = {
            "BASE_URL": fake.url + "/a1",
            "USERNAME": "u0123456789abcdef",
            "PASSWORD": "elks-password",
            "FROM": "Jobbtorg",
            "CALLBACK_SECRET": SECRET,
            "TIMEOUT": 5,
        }
        settings.JOBBTORG_MESSAGE_SENDERS = GATEWAY_SENDERS
        settings.JOBBTORG_BASE_URL = "https://jobbtorg.example.se"
        yield fake


def test_numbers_become_e164():
    assert e164("070-123 45 67") == "+46701234567"
    assert e164("+46 70 123 45 67") == "+46701234567"
    assert e164("0046701234567") == "+46701234567"
    assert e164("hello") is None and e164("") is None


def test_an_sms_reminder_goes_through_the_gateway_and_its_delivery_is_recorded(
    gateway, coach, caseworker, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        participant__phone="070-123 45 67",
        participant__email="",
        caseworker=caseworker,
        coach=coach,
    )
    start = timezone.now() + dt.timedelta(hours=5)
    attendance_services.appointment_create(
        referral=referral,
        by=coach,
        kind="three_party",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Jobbtorg Järva, Kista",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert attendance_services.appointment_reminders_send() == 1

    [request] = gateway.requests
    assert request.method == "POST" and request.path == "/a1/sms"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    user, password = base64.b64decode(request.headers["Authorization"].split()[1]).decode().split(":")
    assert (user, password) == ("u0123456789abcdef", "elks-password")
    form = request.form
    assert set(form) == {"from", "to", "message", "whendelivered"}
    assert form["from"] == "Jobbtorg" and form["to"] == "+46701234567"
    assert form["message"].startswith("Påminnelse") or form["message"].startswith("Reminder")
    assert "Jobbtorg Järva, Kista" in form["message"]
    # the notice rules hold: no name, no identity number in the text
    person = referral.participant
    assert person.first_name not in form["message"] and person.personal_number not in form["message"]
    assert form["whendelivered"] == f"https://jobbtorg.example.se/integrationer/sms/leverans/{SECRET}/"

    delivery = SmsDelivery.objects.get()
    assert delivery.status == SmsStatus.SENT and delivery.attempts == 1
    assert delivery.gateway_id == "s17a6dafb12d6b1cabc612d798a7d3b13"
    assert delivery.to == "" and delivery.body == "" and delivery.to_hint == "67"  # handed over: forgotten

    # 46elks reports the delivery (form-encoded POST to whendelivered)
    answer = Client().post(
        reverse("integrations:sms_delivery", kwargs={"secret": SECRET}),
        {"id": delivery.gateway_id, "status": "delivered", "delivered": "2026-12-07T10:00:03.123000"},
    )
    assert answer.status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == SmsStatus.DELIVERED
    assert delivery.delivered_at == dt.datetime(2026, 12, 7, 10, 0, 3, 123000, tzinfo=dt.UTC)


def test_the_delivery_report_needs_the_secret_and_sound_fields(gateway, db):
    delivery = SmsDelivery.objects.create(status=SmsStatus.SENT, gateway_id="sabc")
    client = Client()
    url = reverse("integrations:sms_delivery", kwargs={"secret": SECRET})
    wrong = reverse("integrations:sms_delivery", kwargs={"secret": "guess"})
    assert client.post(wrong, {"id": "sabc", "status": "delivered"}).status_code == 403
    assert client.get(url).status_code == 405
    bad = client.post(url, {"id": "sabc", "status": "exploded"})
    assert bad.status_code == 400 and "status" in bad.json()
    assert client.post(url, {"status": "failed"}).json().keys() == {"id"}
    assert client.post(url, {"id": "sunknown", "status": "failed"}).status_code == 404
    assert client.post(url, {"id": "sabc", "status": "failed"}).status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == SmsStatus.FAILED


def test_no_callback_secret_means_no_delivery_reports(
    gateway, settings, db, django_capture_on_commit_callbacks
):
    settings.JOBBTORG_SMS_46ELKS = {**settings.JOBBTORG_SMS_46ELKS, "CALLBACK_SECRET": ""}
    SmsDelivery.objects.create(status=SmsStatus.SENT, gateway_id="sabc")
    url = reverse("integrations:sms_delivery", kwargs={"secret": "anything"})
    assert Client().post(url, {"id": "sabc", "status": "delivered"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        GatewaySmsSender().send(Message("sms", "0701234567", "", "Hej"))
    assert "whendelivered" not in gateway.requests[0].form


def test_a_gateway_that_is_away_is_retried_until_it_answers(gateway, db, django_capture_on_commit_callbacks):
    gateway.answer = [(503, {"error": "busy"}), (502, b"bad gateway"), (200, None)]

    def answer(request):
        status, body = gateway_answers.pop(0)
        return (status, body) if status != 200 else elks_answer(request)

    gateway_answers = list(gateway.answer)
    gateway.answer = answer
    with django_capture_on_commit_callbacks(execute=True):
        GatewaySmsSender().send(Message("sms", "0701234567", "", "Påminnelse"))
    delivery = SmsDelivery.objects.get()
    assert len(gateway.requests) == 3
    assert delivery.status == SmsStatus.SENT and delivery.attempts == 3


def test_a_gateway_that_stays_away_fails_the_sms_after_the_last_try(
    gateway, db, django_capture_on_commit_callbacks
):
    gateway.answer = [(503, {"error": "busy"})]
    with django_capture_on_commit_callbacks(execute=True):
        GatewaySmsSender().send(Message("sms", "0701234567", "", "Påminnelse"))
    delivery = SmsDelivery.objects.get()
    assert delivery.status == SmsStatus.FAILED and delivery.attempts == 9  # the first try and 8 retries
    assert delivery.error == "HTTP 503" and delivery.to == "" and delivery.body == ""


def test_a_refusal_fails_at_once_and_a_bad_number_never_reaches_the_gateway(
    gateway, db, django_capture_on_commit_callbacks
):
    gateway.answer = [(401, b"Unauthorized")]
    with django_capture_on_commit_callbacks(execute=True):
        GatewaySmsSender().send(Message("sms", "0701234567", "", "Påminnelse"))
        GatewaySmsSender().send(Message("sms", "ring mig", "", "Påminnelse"))
    assert len(gateway.requests) == 1
    refused, bad = SmsDelivery.objects.order_by("created_at")
    assert refused.status == SmsStatus.FAILED and refused.attempts == 1 and "401" in refused.error
    assert bad.status == SmsStatus.FAILED and bad.attempts == 0 and bad.error == "not a phone number"
