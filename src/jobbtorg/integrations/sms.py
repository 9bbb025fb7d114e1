"""SMS through 46elks (https://46elks.se/docs/send-sms), a Swedish gateway with a plain HTTP API.

    POST {base}/sms   (HTTP basic auth: the API username and password)
    form fields: from (an alphanumeric sender of at most 11 characters, or a number), to (E.164, +46…),
                 message, whendelivered (optional: the URL 46elks POSTs the delivery report to)
    answer: JSON {"id": "s…", "status": "created", "to": …, "parts": 1, "cost": …}
    delivery report (to whendelivered): form fields id, status ("delivered" or "failed"), delivered (UTC)

Settings: JOBBTORG_SMS_46ELKS (base URL, username, password, sender, callback secret, timeout). The callback
URL carries a secret of its own (never a person's data): /integrationer/sms/leverans/<secret>/.

Each SMS is a `SmsDelivery` row, sent by the task `integrations.send_sms` after the caller's transaction
commits. A gateway that is away (connection error, timeout, HTTP 429 or 5xx) is retried by the task with
exponential back-off; a refusal (another 4xx: a bad number, bad credentials) fails the row at once."""

import datetime
import hmac
import re

import requests
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .constants import SmsStatus
from .models import SmsDelivery


class GatewayUnavailable(ConnectionError):
    """The gateway did not take the message this time; trying again later may work."""


class GatewayRefused(Exception):
    """The gateway refused the message; trying again would fail the same way."""


def config() -> dict:
    return settings.JOBBTORG_SMS_46ELKS


def e164(number: str) -> str | None:
    """A Swedish phone number as E.164 (+46701234567), or None if it is not a phone number."""
    raw = re.sub(r"[\s\-()/.]", "", number or "")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw.startswith("0"):
        raw = "+46" + raw[1:]
    if not re.fullmatch(r"\+[1-9]\d{6,14}", raw):
        return None
    return raw


def callback_url() -> str:
    secret = config()["CALLBACK_SECRET"]
    if not secret:
        return ""
    path = reverse("integrations:sms_delivery", kwargs={"secret": secret})
    return settings.JOBBTORG_BASE_URL.rstrip("/") + path


def callback_secret_matches(secret: str) -> bool:
    expected = config()["CALLBACK_SECRET"]
    return bool(expected) and hmac.compare_digest(expected.encode(), (secret or "").encode())


def sms_record(*, to: str, body: str) -> SmsDelivery:
    """Record an SMS to send (queued), or a failed row if `to` is not a phone number. The caller sends it
    with the task `integrations.send_sms` once its transaction commits (messaging.GatewaySmsSender)."""
    number = e164(to)
    return SmsDelivery.objects.create(
        to=number or "",
        to_hint=re.sub(r"\D", "", to or "")[-2:],
        body=body,
        status=SmsStatus.QUEUED if number else SmsStatus.FAILED,
        error="" if number else "not a phone number",
    )


def _post(delivery: SmsDelivery) -> dict:
    conf = config()
    data = {"from": conf["FROM"], "to": delivery.to, "message": delivery.body}
    if url := callback_url():
        data["whendelivered"] = url
    try:
        response = requests.post(
            conf["BASE_URL"].rstrip("/") + "/sms",
            data=data,
            auth=(conf["USERNAME"], conf["PASSWORD"]),
            timeout=conf["TIMEOUT"],
        )
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise GatewayUnavailable(type(exc).__name__) from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise GatewayUnavailable(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise GatewayRefused(f"HTTP {response.status_code}: {response.text[:150]}")
    try:
        answer = response.json()
    except ValueError as exc:
        raise GatewayUnavailable("answer is not JSON") from exc
    if not answer.get("id"):
        raise GatewayRefused("answer without an id")
    return answer


def _handed_over(delivery: SmsDelivery, **fields) -> SmsDelivery:
    """Final state of the attempt: the number and the text are no longer needed, so they go."""
    for name, value in fields.items():
        setattr(delivery, name, value)
    delivery.to = delivery.body = ""
    delivery.save()
    return delivery


def sms_attempt(delivery_id, *, last_try: bool) -> SmsDelivery | None:
    """One attempt to hand a queued SMS to the gateway. Raises GatewayUnavailable (for the task to retry)
    unless this is the last try, which fails the row instead. Returns the row, or None if it is gone or no
    longer queued (a redelivered task)."""
    with transaction.atomic():
        delivery = SmsDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != SmsStatus.QUEUED:
            return None
        delivery.attempts += 1
        try:
            answer = _post(delivery)
        except GatewayRefused as exc:
            return _handed_over(delivery, status=SmsStatus.FAILED, error=str(exc)[:200])
        except GatewayUnavailable as exc:
            if last_try:
                return _handed_over(delivery, status=SmsStatus.FAILED, error=str(exc)[:200])
            delivery.error = str(exc)[:200]
            delivery.save()
            unavailable = exc
        else:
            return _handed_over(
                delivery,
                status=SmsStatus.SENT,
                gateway_id=answer["id"],
                sent_at=timezone.now(),
                error="",
            )
    raise unavailable  # after the commit: the attempt is counted


def _when(value: str):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.now()
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


def sms_delivery_report(*, gateway_id: str, status: str, delivered: str = "") -> SmsDelivery | None:
    """Store the gateway's delivery report. Returns the row, or None for an id we never sent."""
    delivery = SmsDelivery.objects.filter(gateway_id=gateway_id).first()
    if delivery is None:
        return None
    delivery.status = SmsStatus.DELIVERED if status == "delivered" else SmsStatus.FAILED
    if delivery.status == SmsStatus.DELIVERED:
        delivery.delivered_at = _when(delivered)
    else:
        delivery.error = "the gateway reports the message failed"
    delivery.save(update_fields=["status", "delivered_at", "error", "updated_at"])
    return delivery
