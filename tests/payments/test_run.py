"""The monthly run: idempotent, adjustments for late evidence, the lock, all-or-nothing, access."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from jobbtorg.payments.models import Dispute, PaymentLine, PaymentRun
from jobbtorg.payments.services import dispute_answer, dispute_create, payment_run, payment_run_approve
from tests.factories import UserFactory

from .factories import assigned_person, authorised_provider, import_months, work_exit

pytestmark = pytest.mark.django_db
MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


@pytest.fixture
def setup(nacka):
    provider, staff, itype = authorised_provider(model=nacka)
    referral = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3), tier="B")
    return provider, staff, itype, referral


def test_running_a_month_twice_pays_nothing_twice(setup, finance):
    payment_run(month=MARCH, by=finance)
    first = list(PaymentLine.objects.values_list("provider", "participant", "rule_code", "period", "amount"))
    payment_run(month=MARCH, by=finance)
    assert (
        list(PaymentLine.objects.values_list("provider", "participant", "rule_code", "period", "amount"))
        == first
    )
    assert PaymentRun.objects.get().line_count == 1


def test_approved_month_is_locked_and_not_paid_again_next_month(setup, finance):
    payment_run(month=MARCH, by=finance)
    run = PaymentRun.objects.get(month=MARCH)
    payment_run_approve(run=run, by=finance)
    with pytest.raises(ValidationError):
        payment_run(month=MARCH, by=finance)
    payment_run(month=APRIL, by=finance)
    april = PaymentRun.objects.get(month=APRIL)
    assert [line.period for line in april.lines.all()] == ["m:2025-04"]  # March not again
    assert PaymentLine.objects.filter(period="m:2025-03").count() == 1


def test_late_evidence_becomes_an_adjustment_line_next_month(nacka, finance):
    provider, _staff, itype = authorised_provider(model=nacka)
    payment_run(month=MARCH, by=finance)
    payment_run_approve(run=PaymentRun.objects.get(month=MARCH), by=finance)
    # the assignment that started in March is registered only in April
    assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3), tier="A")
    payment_run(month=APRIL, by=finance)
    lines = {line.period: line for line in PaymentRun.objects.get(month=APRIL).lines.all()}
    assert lines["m:2025-03"].is_adjustment and lines["m:2025-03"].amount == Decimal("3686.00")
    assert not lines["m:2025-04"].is_adjustment


def test_late_exit_evidence_pays_result_as_adjustment(municipality, finance):
    from jobbtorg.payments import schemes

    model = schemes.rusta_och_matcha(municipality=municipality, valid_from=dt.date(2020, 1, 1))
    provider, _staff, itype = authorised_provider(model=model)
    referral = assigned_person(
        provider=provider, itype=itype, start=dt.date(2024, 11, 1), end=dt.date(2024, 12, 2), tier="A"
    )
    exit = work_exit(referral, provider, exit_date=dt.date(2024, 12, 2), hours=40, evidence="")
    payment_run(month=MARCH, by=finance)
    assert not PaymentLine.objects.filter(rule_code="result").exists()
    exit.evidence = "Anställningsbevis 2025-04"
    exit.save()
    payment_run(month=APRIL, by=finance)
    line = PaymentLine.objects.get(rule_code="result")
    assert line.is_adjustment and line.run.month == APRIL and line.period_month == MARCH


def test_a_crash_in_the_middle_leaves_nothing(setup, finance, monkeypatch):
    """A step that fails after the draft was opened (candidates), or after some lines were written (persist),
    leaves no line and no run."""
    from jobbtorg.payments import services

    def fail(*args, **kwargs):
        raise RuntimeError("injected failure")

    def persist_half_then_fail(draft, fresh):
        written = PaymentLine.objects.bulk_create(
            services._lines(draft.run, fresh[: max(1, len(fresh) // 2)], draft.month)
        )
        assert written and PaymentLine.objects.exists()
        raise RuntimeError("injected failure")

    for step, replacement in (("_exit_candidates", fail), ("_persist", persist_half_then_fail)):
        with monkeypatch.context() as patched:
            patched.setattr(services, step, replacement)
            with pytest.raises(RuntimeError):
                payment_run(month=MARCH, by=finance)
        assert not PaymentLine.objects.exists()
        assert not PaymentRun.objects.exists()


def test_dry_run_writes_nothing_and_command(setup, finance, capsys):
    results = payment_run(month=MARCH, by=finance, dry_run=True)
    assert results[0].lines == 1 and not PaymentLine.objects.exists()
    call_command("run_payments", "--month", "2025-03", "--dry-run")
    assert not PaymentLine.objects.exists()
    call_command("run_payments", "--month", "2025-03")
    assert PaymentLine.objects.count() == 1
    assert "1 lines" in capsys.readouterr().out


def test_future_month_refused(setup, finance):
    with pytest.raises(ValidationError):
        payment_run(month=dt.date(2099, 1, 1), by=finance)


def test_who_may_run_and_approve(setup, finance, unit_head, coach):
    with pytest.raises(PermissionDenied):
        payment_run(month=MARCH, by=coach)
    payment_run(month=MARCH, by=finance)
    with pytest.raises(PermissionDenied):
        payment_run_approve(run=PaymentRun.objects.get(), by=unit_head)


def test_provider_disputes_own_line_and_open_dispute_blocks_approval(setup, finance, nacka):
    provider, staff, _itype, _referral = setup
    payment_run(month=MARCH, by=finance)
    line = PaymentLine.objects.get()
    other_provider, other_staff, _ = authorised_provider(model=nacka)
    with pytest.raises(PermissionDenied):
        dispute_create(line=line, by=other_staff, comment="Inte vår")
    with pytest.raises(ValidationError):
        dispute_create(line=line, by=staff, comment="  ")
    dispute = dispute_create(line=line, by=staff, comment="Insatsen startade 1 mars")
    payment_run(month=MARCH, by=finance)  # a disputed line survives a re-run
    assert Dispute.objects.get().line_id == line.pk
    with pytest.raises(ValidationError):
        payment_run_approve(run=PaymentRun.objects.get(), by=finance)
    dispute_answer(dispute=dispute, by=finance, accept=False, answer="Startdatum enligt beslut 3 mars.")
    payment_run_approve(run=PaymentRun.objects.get(), by=finance)
    with pytest.raises(ValidationError):
        dispute_create(line=line, by=staff, comment="Igen")


def test_assistance_paid_does_not_block_monthly_fees(setup, finance):
    _provider, _staff, _itype, referral = setup
    import_months(MARCH, paid_for=[(referral.participant, MARCH, "4000")])
    payment_run(month=MARCH, by=finance)
    assert PaymentLine.objects.count() == 1


def test_provider_staff_user_has_no_run_permission(setup):
    provider = setup[0]
    staff = UserFactory(role="provider_staff", provider=provider)
    with pytest.raises(PermissionDenied):
        payment_run(month=MARCH, by=staff)
