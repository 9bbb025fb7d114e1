"""The SMS gateway's task: hand one queued SMS to the gateway, retried with exponential back-off while the
gateway is away (30 s, 60 s, 120 s … at most 30 min, with jitter; 8 tries), then the row fails."""

from jobbtorg.background.decorators import task

from .sms import GatewayUnavailable, sms_attempt

MAX_RETRIES = 8


@task(name="integrations.send_sms", bind=True, max_retries=MAX_RETRIES, autoretry_for=())
def send_sms(self, delivery_id: str):
    last_try = self.request.retries >= MAX_RETRIES
    try:
        delivery = sms_attempt(delivery_id, last_try=last_try)
    except GatewayUnavailable as exc:
        countdown = min(30 * 2**self.request.retries, 1800)
        if self.request.is_eager:
            # without a broker (development, the demo, the tests) Celery runs the retry at once, in the
            # caller; handing back the Retry instead of raising it keeps it from reaching the caller's page
            return self.retry(exc=exc, countdown=countdown, throw=False)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return delivery.status if delivery is not None else None
