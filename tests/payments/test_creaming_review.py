"""Issue 21: a flag opens a review for the contract manager; the provider's payment lines for the flagged
people and months are held — in the payment basis, but not in the total nor in the payment file — until a
decision releases them (paid, also later as an adjustment) or rejects them (never paid; what was paid is
clawed back)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobbtorg.interventions.models import InterventionType
from jobbtorg.payments.constants import ReviewDecision, ReviewStatus
from jobbtorg.payments.creaming import PARKED
from jobbtorg.payments.exports import write_payment_basis_csv
from jobbtorg.payments.models import CreamingReview, PaymentLine, PaymentRun
from jobbtorg.payments.schemes import NACKA_BASIC, NACKA_REINFORCED
from jobbtorg.payments.services import (
    creaming_review_decide,
    creaming_reviews_open,
    payment_run,
    payment_run_approve,
)
from jobbtorg.payments.tasks import monthly_payment_draft
from tests.factories import UserFactory

from .factories import assigned_person, authorised_provider
from .test_creaming_shapes import meet, provider_with

pytestmark = pytest.mark.django_db
START, END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
FEB, MAR, APR = dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1)


@pytest.fixture
def parker(municipality, nacka, finance):
    """A provider paid the Nacka monthly fee that never meets its five tier-C people, beside a fair one;
    February is paid (approved), March is a draft."""
    provider_with(municipality, InterventionType.objects.get(code="individual_coaching"))  # fair background
    provider, _staff, itype = authorised_provider(model=nacka)
    near = [
        assigned_person(provider=provider, itype=itype, start=dt.date(2025, 1, 2), tier="A") for _ in range(5)
    ]
    meet(near, provider, 6)
    far = [
        assigned_person(provider=provider, itype=itype, start=dt.date(2025, 1, 2), tier="C") for _ in range(5)
    ]
    payment_run(month=FEB, by=finance)
    payment_run_approve(run=PaymentRun.objects.get(month=FEB), by=finance)
    payment_run(month=MAR, by=finance)
    return provider, {r.participant_id for r in far}


def _csv(lines):
    out = io.StringIO()
    write_payment_basis_csv(out, lines)
    return out.getvalue()


def _open(municipality, finance):
    return creaming_reviews_open(municipality=municipality, start=START, end=END, by=finance)


def test_a_flag_opens_a_review_that_holds_the_flagged_lines(municipality, finance, parker):
    provider, far = parker
    march = PaymentRun.objects.get(month=MAR)
    before = march.total
    [review] = _open(municipality, finance)
    assert (review.provider, review.rule, review.status) == (provider, PARKED, ReviewStatus.OPEN)
    assert set(review.participants.values_list("pk", flat=True)) == far
    assert "Tier C (5 people): 0 meetings per person and month" in review.figures["reason"]
    held = PaymentLine.objects.filter(held_by=review)
    assert {line.participant_id for line in held} == far and all(line.run == march for line in held)
    assert held.count() == 5 and all(line.amount == NACKA_REINFORCED for line in held)
    march.refresh_from_db()
    assert march.total == before - 5 * NACKA_REINFORCED  # not in the total to pay
    # the approved February lines were paid before the flag: not held (a rejection claws them back)
    assert not PaymentLine.objects.filter(run__month=FEB, held_by__isnull=False).exists()
    # the payment file leaves them out; the basis shows them
    lines = list(PaymentLine.objects.filter(run=march, provider=provider).with_person_shown(finance))
    assert _csv(lines).count("\n") == 1 + 5  # header + the five tier-A lines
    # opening again for the same period opens nothing new
    assert _open(municipality, finance) == []


def test_the_payment_run_keeps_holding_lines_under_open_review(municipality, finance, parker):
    provider, far = parker
    [review] = _open(municipality, finance)
    result = payment_run(month=MAR, by=finance)[0]  # recomputing the draft
    assert PaymentLine.objects.filter(held_by=review).count() == 5
    [row] = [p for p in result.providers if p["provider_id"] == provider.pk]
    assert row["held"] == 5 and row["total"] == 5 * NACKA_BASIC
    payment_run_approve(run=PaymentRun.objects.get(month=MAR), by=finance)  # approving leaves them unpaid
    assert PaymentRun.objects.get(month=MAR).total == result.total


def test_released_lines_are_paid_with_the_draft(municipality, finance, parker):
    [review] = _open(municipality, finance)
    creaming_review_decide(
        review=review, by=finance, release=True, reason="Samtal med anordnaren: sjukskrivna."
    )
    review.refresh_from_db()
    assert (review.status, review.decision, review.decided_by) == (
        ReviewStatus.DECIDED,
        ReviewDecision.RELEASE,
        finance,
    )
    assert not PaymentLine.objects.filter(held_by__isnull=False).exists()
    payment_run(month=MAR, by=finance)
    assert not PaymentLine.objects.filter(held_by__isnull=False).exists()  # not held again


def test_lines_held_in_an_approved_month_are_paid_once_after_release(municipality, finance, parker):
    [review] = _open(municipality, finance)
    payment_run_approve(run=PaymentRun.objects.get(month=MAR), by=finance)
    creaming_review_decide(review=review, by=finance, release=True, reason="Förklarat.")
    payment_run(month=APR, by=finance)
    released = PaymentLine.objects.filter(run__month=APR, period__endswith=":rel")
    assert released.count() == 5 and all(line.is_adjustment for line in released)
    assert all(line.evidence["review"] == review.pk for line in released)
    payment_run(month=APR, by=finance)
    assert PaymentLine.objects.filter(period__endswith=":rel").count() == 5  # never twice


def test_rejected_lines_are_never_paid_and_paid_ones_are_clawed_back(municipality, finance, parker):
    provider, far = parker
    [review] = _open(municipality, finance)
    payment_run_approve(run=PaymentRun.objects.get(month=MAR), by=finance)
    creaming_review_decide(review=review, by=finance, release=False, reason="Ingen aktivitet alls.")
    payment_run(month=APR, by=finance)
    clawed = PaymentLine.objects.filter(run__month=APR, reverses__isnull=False)
    assert {line.reverses.run.month for line in clawed} == {FEB}
    assert {line.participant_id for line in clawed} == far
    assert all(line.amount == -NACKA_REINFORCED for line in clawed)
    assert not PaymentLine.objects.filter(run__month=APR, period__endswith=":rel").exists()
    # April's own monthly fees for the tier-C people fall outside the reviewed period: paid as usual
    april = PaymentLine.objects.filter(run__month=APR, participant_id__in=far, reverses__isnull=True)
    assert april.exists() and not april.filter(held_by__isnull=False).exists()
    payment_run(month=APR, by=finance)
    assert PaymentLine.objects.filter(run__month=APR, reverses__isnull=False).count() == len(far)


def test_a_decision_needs_the_contract_manager_a_reason_and_an_open_review(municipality, finance, parker):
    [review] = _open(municipality, finance)
    head = UserFactory(unit_head=True, municipality=municipality)
    with pytest.raises(PermissionDenied):
        creaming_review_decide(review=review, by=head, release=True, reason="x")
    with pytest.raises(PermissionDenied):
        creaming_reviews_open(municipality=municipality, start=START, end=END, by=head)
    with pytest.raises(ValidationError) as exc:
        creaming_review_decide(review=review, by=finance, release=True, reason=" ")
    assert "reason" in exc.value.message_dict
    creaming_review_decide(review=review, by=finance, release=True, reason="Ok.")
    with pytest.raises(ValidationError):
        creaming_review_decide(review=review, by=finance, release=False, reason="Nej.")
    assert CreamingReview.objects.get().decision == ReviewDecision.RELEASE
    assert Decimal(PaymentRun.objects.get(month=MAR).total) > 0


def test_the_monthly_draft_puts_the_flags_under_review_by_itself(municipality, parker):
    """A flag is never paid automatically: the scheduled draft opens the review (the last three months, its
    own included) before computing, so the flagged people's lines of the draft are held; running it again
    opens nothing new and keeps them held."""
    provider, far = parker
    outcome = monthly_payment_draft.delay(month="2025-03").get()
    [review] = CreamingReview.objects.all()
    assert (review.provider, review.rule, review.start, review.end) == (provider, PARKED, START, END)
    assert review.opened_by is None and review.status == ReviewStatus.OPEN
    held = PaymentLine.objects.filter(held_by=review)
    assert {line.participant_id for line in held} == far and {line.run.month for line in held} == {MAR}
    assert "1 reviews opened" in outcome[municipality.code]
    again = monthly_payment_draft.delay(month="2025-03").get()
    assert "0 reviews opened" in again[municipality.code]
    assert CreamingReview.objects.count() == 1 and PaymentLine.objects.filter(held_by=review).count() == 5
