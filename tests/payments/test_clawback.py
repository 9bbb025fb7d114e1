"""Claw-back: corrected assistance data that breaks the evidence of a paid line gives a negative adjustment
in the next run, once, with the reason."""

import datetime as dt
from decimal import Decimal

import pytest

from jobbtorg.followup.assistance_import import assistance_import
from jobbtorg.payments import schemes
from jobbtorg.payments.models import PaymentLine, PaymentRun
from jobbtorg.payments.services import payment_run, payment_run_approve

from .factories import assigned_person, authorised_provider, work_exit

pytestmark = pytest.mark.django_db
FEB, MAR = dt.date(2025, 2, 1), dt.date(2025, 3, 1)


@pytest.fixture
def paid_result(municipality, finance):
    """Rusta och matcha: work from 2024-11-04 lasting 13 weeks → result due 2025-02-03, paid in February."""
    model = schemes.rusta_och_matcha(municipality=municipality, valid_from=dt.date(2020, 1, 1))
    provider, _staff, itype = authorised_provider(model=model)
    referral = assigned_person(
        provider=provider, itype=itype, start=dt.date(2024, 10, 1), end=dt.date(2024, 11, 4), tier="A"
    )
    work_exit(referral, provider, exit_date=dt.date(2024, 11, 4), hours=40)
    payment_run(month=FEB, by=finance)
    payment_run_approve(run=PaymentRun.objects.get(month=FEB), by=finance)
    line = PaymentLine.objects.get(rule_code="result")
    assert line.amount == Decimal("10000.00")
    return referral, line


def _correct(finance, participant, month, amount):
    content = f"personnummer;manad;belopp\n{participant.personal_number};{month};{amount}\n"
    assert assistance_import(by=finance, content=content.encode()).ok


def test_corrected_assistance_claws_back_the_paid_result(paid_result, finance):
    referral, line = paid_result
    _correct(finance, referral.participant, "2024-12", "5300")  # assistance after all, during the 13 weeks
    payment_run(month=MAR, by=finance)
    reversal = PaymentLine.objects.get(reverses=line)
    assert reversal.amount == Decimal("-10000.00") and reversal.is_adjustment
    assert reversal.run.month == MAR and reversal.period_month == line.period_month
    assert reversal.evidence["reason"] == "assistance_paid_after_correction"
    assert reversal.evidence["assistance_paid_in"] == "2024-12"
    payment_run(month=MAR, by=finance)  # a re-run does not claw back twice
    assert PaymentLine.objects.filter(reverses=line).count() == 1
    payment_run_approve(run=PaymentRun.objects.get(month=MAR), by=finance)
    payment_run(month=dt.date(2025, 4, 1), by=finance)
    assert PaymentLine.objects.filter(reverses=line).count() == 1
    assert PaymentLine.objects.filter(rule_code="result", amount__gt=0).count() == 1  # never paid again


def test_assistance_after_the_evidence_period_claws_back_nothing(paid_result, finance):
    referral, line = paid_result
    _correct(finance, referral.participant, "2025-03", "5300")  # after the 13 weeks the line relied on
    payment_run(month=MAR, by=finance)
    assert not PaymentLine.objects.filter(reverses=line).exists()


def test_a_draft_line_is_not_clawed_back_but_recomputed(municipality, finance):
    model = schemes.rusta_och_matcha(municipality=municipality, valid_from=dt.date(2020, 1, 1))
    provider, _staff, itype = authorised_provider(model=model)
    referral = assigned_person(
        provider=provider, itype=itype, start=dt.date(2024, 10, 1), end=dt.date(2024, 11, 4), tier="A"
    )
    work_exit(referral, provider, exit_date=dt.date(2024, 11, 4), hours=40)
    payment_run(month=FEB, by=finance)
    assert PaymentLine.objects.filter(rule_code="result").exists()
    _correct(finance, referral.participant, "2024-12", "5300")
    payment_run(month=FEB, by=finance)  # the draft is recomputed: the result is simply no longer there
    assert not PaymentLine.objects.filter(rule_code="result").exists()
    assert not PaymentLine.objects.filter(amount__lt=0).exists()
