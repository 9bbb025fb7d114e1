"""Each rule type with the published figures of the three schemes, tier rates and multipliers, caps."""

import datetime as dt
from decimal import Decimal

import pytest

from jobbtorg.payments import schemes
from jobbtorg.payments.constants import RuleKind
from jobbtorg.payments.models import (
    CompensationModel,
    CompensationModelVersion,
    CompensationRule,
    PaymentLine,
    PaymentRun,
    RuleRate,
)
from jobbtorg.payments.services import payment_run

from .factories import assigned_person, authorised_provider, import_months, work_exit

pytestmark = pytest.mark.django_db


def lines(**filters):
    return list(PaymentLine.objects.filter(**filters).order_by("period_month", "rule_code"))


def test_nacka_monthly_fee_per_tier_after_14_days(nacka, finance):
    provider, _staff, itype = authorised_provider(model=nacka)
    basic = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3), tier="A")
    reinforced = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3), tier="C")
    late = assigned_person(
        provider=provider, itype=itype, start=dt.date(2025, 3, 20), tier="B"
    )  # 14 days: April
    short = assigned_person(
        provider=provider, itype=itype, start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 10)
    )

    payment_run(month=dt.date(2025, 3, 1), by=finance)

    march = {line.participant_id: line for line in lines(period_month=dt.date(2025, 3, 1))}
    assert march[basic.participant_id].amount == Decimal("3686.00")
    assert march[reinforced.participant_id].amount == Decimal("4858.00")
    assert late.participant_id not in march  # has not run 14 days in March
    assert short.participant_id not in march  # ended before 14 days
    assert march[basic.participant_id].evidence["paid_from"] == "2025-03-17"

    payment_run(month=dt.date(2025, 4, 1), by=finance)
    april = {line.participant_id: line for line in lines(period_month=dt.date(2025, 4, 1))}
    assert april[late.participant_id].amount == Decimal("4858.00")
    assert set(april) == {basic.participant_id, reinforced.participant_id, late.participant_id}


@pytest.mark.parametrize(
    "exit_kwargs, pays",
    [
        ({"form": "permanent"}, True),
        ({"form": "fixed_term", "subsidised": True}, True),  # subsidised jobs count
        ({"form": "hourly", "hours": 40}, True),  # full-time hourly work
        ({"form": "hourly", "hours": 20}, False),
        ({"form": "permanent", "municipal_labour_market_job": True}, False),  # Kolada: does not count
        ({"form": "permanent", "evidence": ""}, False),  # no evidence, no bonus
        ({"reason": "studies", "form": "", "hours": None, "studies_with_student_finance": True}, True),
        ({"reason": "studies", "form": "", "hours": None, "studies_with_student_finance": False}, False),
    ],
)
def test_nacka_bonus_only_after_six_months_self_support(nacka, finance, exit_kwargs, pays):
    provider, _staff, itype = authorised_provider(model=nacka)
    referral = assigned_person(
        provider=provider, itype=itype, start=dt.date(2024, 12, 2), end=dt.date(2025, 1, 15)
    )
    work_exit(referral, provider, exit_date=dt.date(2025, 1, 15), **exit_kwargs)
    months = [dt.date(2025, m, 1) for m in range(2, 8)]
    import_months(*months[:5])  # Feb–Jun imported: only 5 months known

    payment_run(month=dt.date(2025, 7, 1), by=finance)
    assert not lines(rule_code="bonus")

    import_months(months[5])  # July imported: six months without assistance
    PaymentLine.objects.all().delete()
    payment_run(month=dt.date(2025, 7, 1), by=finance)
    bonus = lines(rule_code="bonus")
    assert bool(bonus) is pays
    if pays:
        assert bonus[0].amount == schemes.NACKA_BONUS
        assert bonus[0].evidence["months_without_assistance"] == [f"2025-{m:02d}" for m in range(2, 8)]


def test_nacka_bonus_not_paid_when_assistance_returns(nacka, finance):
    provider, _staff, itype = authorised_provider(model=nacka)
    referral = assigned_person(
        provider=provider, itype=itype, start=dt.date(2024, 12, 2), end=dt.date(2025, 1, 15)
    )
    work_exit(referral, provider, exit_date=dt.date(2025, 1, 15))
    import_months(
        *[dt.date(2025, m, 1) for m in range(2, 8)],
        paid_for=[(referral.participant, dt.date(2025, 4, 1), "5200")],
    )
    payment_run(month=dt.date(2025, 7, 1), by=finance)
    assert not lines(rule_code="bonus")


def test_rusta_och_matcha_levels_result_and_12_month_limit(municipality, finance):
    model = schemes.rusta_och_matcha(municipality=municipality, valid_from=dt.date(2020, 1, 1))
    provider, _staff, itype = authorised_provider(model=model)
    far = assigned_person(provider=provider, itype=itype, start=dt.date(2024, 1, 1), tier="C")
    near = assigned_person(
        provider=provider, itype=itype, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28), tier="A"
    )
    work_exit(near, provider, exit_date=dt.date(2025, 2, 28), hours=30, work_start_date=dt.date(2025, 3, 3))
    import_months(*[dt.date(2025, m, 1) for m in range(3, 7)])

    payment_run(month=dt.date(2025, 6, 1), by=finance)
    # the far person started January 2024: the 12 months in the service are over
    assert not lines(participant=far.participant, rule_code="base")
    result = lines(participant=near.participant, rule_code="result")
    assert [line.amount for line in result] == [Decimal("10000.00")]
    assert result[0].evidence["due"] == "2025-06-02"  # 13 weeks after the work started

    payment_run(month=dt.date(2024, 12, 1), by=finance)
    assert lines(participant=far.participant, rule_code="base", period_month=dt.date(2024, 12, 1))[
        0
    ].amount == Decimal("2000.00")


def test_rusta_result_needs_enough_hours(municipality, finance):
    model = schemes.rusta_och_matcha(municipality=municipality, valid_from=dt.date(2020, 1, 1))
    provider, _staff, itype = authorised_provider(model=model)
    referral = assigned_person(
        provider=provider, itype=itype, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28)
    )
    work_exit(referral, provider, exit_date=dt.date(2025, 2, 28), hours=10)
    payment_run(month=dt.date(2025, 6, 1), by=finance)
    assert not lines(rule_code="result")


def test_uk_work_programme_attachment_outcome_and_sustainment(municipality, finance):
    model = schemes.uk_work_programme(municipality=municipality, valid_from=dt.date(2020, 1, 1))
    provider, _staff, itype = authorised_provider(model=model)
    group_a = assigned_person(
        provider=provider, itype=itype, start=dt.date(2024, 12, 2), end=dt.date(2025, 1, 6), tier="A"
    )
    group_c = assigned_person(
        provider=provider, itype=itype, start=dt.date(2024, 12, 2), end=dt.date(2025, 1, 6), tier="C"
    )
    for referral in (group_a, group_c):
        work_exit(referral, provider, exit_date=dt.date(2025, 1, 6))

    payment_run(month=dt.date(2024, 12, 1), by=finance)
    assert {line.amount for line in lines(rule_code="attachment")} == {Decimal("4000.00")}

    payment_run(month=dt.date(2025, 4, 1), by=finance)  # 13 weeks after 6 Jan = 7 April
    assert [(line.participant_id, line.amount) for line in lines(kind=RuleKind.JOB_OUTCOME_FEE)] == [
        (group_a.participant_id, Decimal("12000.00"))
    ]
    payment_run(month=dt.date(2025, 7, 1), by=finance)  # 26 weeks = 7 July
    outcome_c = lines(kind=RuleKind.JOB_OUTCOME_FEE, participant=group_c.participant)
    assert [line.amount for line in outcome_c] == [Decimal("40000.00")]
    # group A: sustainment every 4 weeks after 7 April: 5 May, 2 June, 30 June, 28 July
    sustain = lines(rule_code="sustain13")
    assert [line.period for line in sustain][-1].endswith(":n04")
    assert len(sustain) == 4 and all(line.amount == Decimal("1700.00") for line in sustain)


def test_uk_sustainment_stops_at_26_payments(municipality, finance):
    model = schemes.uk_work_programme(municipality=municipality, valid_from=dt.date(2020, 1, 1))
    provider, _staff, itype = authorised_provider(model=model)
    referral = assigned_person(
        provider=provider, itype=itype, start=dt.date(2022, 1, 3), end=dt.date(2022, 2, 7), tier="A"
    )
    work_exit(referral, provider, exit_date=dt.date(2022, 2, 7))
    from jobbtorg.payments import services

    services.ADJUSTMENT_MONTHS = 60
    PaymentRun.objects.create(municipality=municipality, month=dt.date(2020, 1, 1))
    try:
        payment_run(month=dt.date(2025, 1, 1), by=finance)
    finally:
        services.ADJUSTMENT_MONTHS = 3
    assert len(lines(rule_code="sustain13")) == 26


def test_tier_multiplier_and_version_from_its_start_date(municipality, finance):
    model = CompensationModel.objects.create(municipality=municipality, name="Startavgift")
    v1 = CompensationModelVersion.objects.create(model=model, valid_from=dt.date(2020, 1, 1))
    rule = CompensationRule.objects.create(
        version=v1, code="start", kind=RuleKind.START_FEE, label="Start", amount=Decimal("1000")
    )
    RuleRate.objects.create(rule=rule, tier="C", multiplier=Decimal("1.50"))
    v2 = CompensationModelVersion.objects.create(model=model, valid_from=dt.date(2025, 3, 1))
    CompensationRule.objects.create(
        version=v2, code="start", kind=RuleKind.START_FEE, label="Start", amount=Decimal("2000")
    )
    provider, _staff, itype = authorised_provider(model=model)
    before_c = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 2, 10), tier="C")
    before_a = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 2, 10), tier="A")
    after = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 1), tier="C")

    payment_run(month=dt.date(2025, 2, 1), by=finance)
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    amounts = {line.participant_id: line.amount for line in lines(rule_code="start")}
    assert amounts[before_c.participant_id] == Decimal("1500.00")  # 1000 × 1.5 for tier C
    assert amounts[before_a.participant_id] == Decimal("1000.00")
    assert amounts[after.participant_id] == Decimal("2000.00")  # the new version, from its start date


def test_caps_per_rule_and_per_participant(nacka, finance):
    version = nacka.versions.get()
    version.cap_per_participant = Decimal("10000")
    version.save()
    provider, _staff, itype = authorised_provider(model=nacka)
    referral = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 1, 1), tier="B")
    for month in (1, 2, 3):
        payment_run(month=dt.date(2025, month, 1), by=finance)
    paid = [line.amount for line in lines(participant=referral.participant)]
    assert paid == [Decimal("4858.00"), Decimal("4858.00"), Decimal("284.00")]
    assert lines(period_month=dt.date(2025, 3, 1))[0].evidence["capped_from"] == "4858.00"
    payment_run(month=dt.date(2025, 4, 1), by=finance)
    assert sum(line.amount for line in lines(participant=referral.participant)) == Decimal("10000.00")

    rule = version.rules.get(code="monthly")
    rule.cap_per_participant = Decimal("3000")
    rule.save()
    other = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 4, 1), tier="A")
    payment_run(month=dt.date(2025, 4, 1), by=finance)
    assert [line.amount for line in lines(participant=other.participant)] == [Decimal("3000.00")]


def test_deduction_for_late_attendance_reports(municipality, finance):
    from django.utils import timezone

    from jobbtorg.attendance.models import AttendanceReport
    from jobbtorg.interventions.models import Booking
    from tests.factories import OfferingFactory

    model = CompensationModel.objects.create(municipality=municipality, name="Avdrag")
    version = CompensationModelVersion.objects.create(model=model, valid_from=dt.date(2020, 1, 1))
    CompensationRule.objects.create(
        version=version,
        code="late",
        kind=RuleKind.DEDUCTION,
        label="Sen rapport",
        amount=Decimal("250"),
        deduction_trigger="late_attendance_report",
        late_after_days=3,
    )
    provider, staff, itype = authorised_provider(model=model)
    referral = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3))
    offering = OfferingFactory(
        municipality=municipality, provider=provider, intervention_type=itype, start_date=dt.date(2025, 3, 1)
    )
    booking = Booking.objects.create(
        offering=offering,
        participant=referral.participant,
        referral=referral,
        status="booked",
        start_date=dt.date(2025, 3, 3),
        booked_by=staff,
    )
    for day, reported in ((3, 4), (4, 20), (5, 25)):  # one on time, two late
        report = AttendanceReport.objects.create(
            participant=referral.participant,
            booking=booking,
            date=dt.date(2025, 3, day),
            status="present",
            reported_by=staff,
        )
        AttendanceReport.objects.filter(pk=report.pk).update(
            reported_at=timezone.make_aware(dt.datetime(2025, 3, reported, 12))
        )
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    deduction = lines(rule_code="late")
    assert [(line.amount, line.evidence["late_reports"]) for line in deduction] == [(Decimal("-500.00"), 2)]


def test_self_support_bonus_is_not_paid_for_an_intake_never_on_assistance(nacka, finance):
    """ADR 0020: a fee that rests only on the absence of assistance (Nacka's six-months bonus) proves nothing
    for a person the unit took in who was never on assistance; the same person on assistance before the
    exit earns it, and a district referral is unchanged."""
    provider, _staff, itype = authorised_provider(model=nacka)
    start, end = dt.date(2024, 12, 2), dt.date(2025, 1, 15)
    never = assigned_person(provider=provider, itype=itype, start=start, end=end)
    assisted = assigned_person(provider=provider, itype=itype, start=start, end=end)
    district = assigned_person(provider=provider, itype=itype, start=start, end=end)
    for intake in (never, assisted):
        intake.caseworker = None
        intake.source = "employment_service"
        intake.save(update_fields=["caseworker", "source"])
    for referral in (never, assisted, district):
        work_exit(referral, provider, exit_date=end)
    import_months(
        dt.date(2024, 12, 1),
        *[dt.date(2025, m, 1) for m in range(2, 8)],
        paid_for=[(assisted.participant, dt.date(2024, 12, 1), "4200")],
    )

    payment_run(month=dt.date(2025, 1, 1), by=finance)
    january = {line.participant_id for line in lines(period_month=dt.date(2025, 1, 1))}
    assert never.participant_id in january  # the work with the person is paid as for anyone

    payment_run(month=dt.date(2025, 7, 1), by=finance)
    paid = {line.participant_id for line in lines(rule_code="bonus")}
    assert paid == {assisted.participant_id, district.participant_id}
