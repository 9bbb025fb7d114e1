"""Scheduled: the payment draft of the month that just ended (monthly, after the assistance data is in).
A run recomputes the draft and never pays a line twice (unique idempotency key per line); an approved month
is locked and left alone. Before the draft, every flag of the creaming check over the last `review_months`
months (ending with the draft's month) is put under review, so the flagged people's lines of the draft are
held until the contract manager decides — a flag is never paid automatically."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from jobbtorg.accounts.models import Municipality
from jobbtorg.background.decorators import task

from .constants import RunStatus
from .creaming import thresholds
from .models import PaymentRun
from .selectors import add_months, month_end
from .services import creaming_reviews_open, payment_run


def previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@task(name="payments.monthly_payment_draft")
def monthly_payment_draft(month: str | None = None) -> dict[str, str]:
    """The draft of `month` (YYYY-MM; default the previous month) for every municipality whose basis of that
    month is not approved yet. Returns what happened per municipality code."""
    first = datetime.date.fromisoformat(f"{month}-01") if month else previous_month(timezone.localdate())
    locked = set(
        PaymentRun.objects.filter(month=first, status=RunStatus.APPROVED).values_list(
            "municipality_id", flat=True
        )
    )
    outcome = {}
    for municipality in Municipality.objects.order_by("code"):
        if municipality.pk in locked:
            outcome[municipality.code] = "approved, left alone"
            continue
        start = add_months(first, 1 - int(thresholds()["review_months"]))
        reviews = creaming_reviews_open(municipality=municipality, start=start, end=month_end(first), by=None)
        try:
            (result,) = payment_run(month=first, by=None, municipality=municipality)
        except ValidationError as error:
            outcome[municipality.code] = "; ".join(error.messages)
            continue
        outcome[municipality.code] = (
            f"{result.lines} lines, {result.total} SEK, {len(reviews)} reviews opened"
        )
    return outcome
