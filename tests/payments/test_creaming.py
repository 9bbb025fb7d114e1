"""The creaming and parking check on hand-built data: each flag triggered and not triggered."""

import datetime as dt

import pytest
from django.utils import timezone

from jobbtorg.attendance.models import Appointment
from jobbtorg.interventions.models import InterventionType
from jobbtorg.payments.creaming import CREAMING, PARKED, creaming_check, report_as_dict
from tests.factories import ProviderFactory, UserFactory

from .factories import assigned_person, work_exit

pytestmark = pytest.mark.django_db
START, END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)


@pytest.fixture
def itype(db):
    return InterventionType.objects.get(code="individual_coaching")


def people(provider, itype, tier, n, *, start=dt.date(2025, 1, 10), end=None):
    return [
        assigned_person(provider=provider, itype=itype, start=start, end=end, tier=tier) for _ in range(n)
    ]


def meet(referral, provider, times, *, outcome="attended"):
    organiser = UserFactory(role="provider_staff", provider=provider)
    for k in range(times):
        starts = timezone.make_aware(dt.datetime(2025, 2, 3 + k % 20, 10, 0))
        Appointment.objects.create(
            participant=referral.participant,
            referral=referral,
            organiser=organiser,
            provider=provider,
            kind="individual",
            place="Kista",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            outcome=outcome,
        )


def by_name(report):
    return {c.provider_id: c for c in report.providers}


def test_results_only_from_tier_a_and_parked_tier_c_are_flagged(municipality, itype):
    creamer = ProviderFactory(municipality=municipality)
    fair = ProviderFactory(municipality=municipality)
    near = people(creamer, itype, "A", 5)
    far = people(creamer, itype, "C", 5)
    for referral in near[:4]:
        work_exit(referral, creamer, exit_date=dt.date(2025, 3, 1))
    for referral in far:
        meet(referral, creamer, 1, outcome="no_show")  # booked, never met: does not count
    fair_a, fair_c = people(fair, itype, "A", 3), people(fair, itype, "C", 3)
    work_exit(fair_a[0], fair, exit_date=dt.date(2025, 3, 1))
    work_exit(fair_c[0], fair, exit_date=dt.date(2025, 3, 1), reason="studies")
    for referral in fair_a + fair_c:
        meet(referral, fair, 6)

    checks = by_name(creaming_check(municipality_id=municipality.pk, start=START, end=END))
    assert checks[creamer.pk].flags == [CREAMING, PARKED]
    assert checks[creamer.pk].tiers["A"].results == 4 and checks[creamer.pk].tiers["C"].results == 0
    assert checks[creamer.pk].tiers["C"].participants == 5 and checks[creamer.pk].tiers["C"].meetings == 0
    assert checks[fair.pk].flags == []
    assert checks[fair.pk].tiers["C"].meetings_per_month == 2.0  # 6 meetings each over 3 months


def test_no_result_from_far_tiers_despite_enough_such_people(municipality, itype):
    provider = ProviderFactory(municipality=municipality)
    [near] = people(provider, itype, "A", 1)
    people(provider, itype, "B", 5)
    work_exit(near, provider, exit_date=dt.date(2025, 2, 1))
    check = by_name(creaming_check(municipality_id=municipality.pk, start=START, end=END))[provider.pk]
    assert CREAMING in check.flags and "tiers B and C" in check.reasons[0]


def test_results_spread_like_intake_and_too_few_far_people_are_not_flagged(municipality, itype):
    provider = ProviderFactory(municipality=municipality)
    near, far = people(provider, itype, "A", 2), people(provider, itype, "B", 4)
    work_exit(near[0], provider, exit_date=dt.date(2025, 2, 1))
    check = by_name(creaming_check(municipality_id=municipality.pk, start=START, end=END))[provider.pk]
    assert check.flags == []  # 4 B/C people < 5, and 1 result < 3 for the share rule
    work_exit(far[0], provider, exit_date=dt.date(2025, 2, 1))
    work_exit(far[1], provider, exit_date=dt.date(2025, 2, 1), reason="studies")
    check = by_name(creaming_check(municipality_id=municipality.pk, start=START, end=END))[provider.pk]
    assert check.flags == []  # 1 of 3 results from A against 2 of 6 of the intake


def test_early_exits_and_intake_by_tier(municipality, itype):
    provider = ProviderFactory(municipality=municipality)
    people(provider, itype, "C", 2, start=dt.date(2025, 1, 10), end=dt.date(2025, 1, 20))  # left in 10 days
    people(provider, itype, "C", 1, start=dt.date(2025, 1, 10), end=dt.date(2025, 3, 20))
    people(provider, itype, "B", 1, start=dt.date(2024, 6, 1))  # taken in before the period
    check = by_name(creaming_check(municipality_id=municipality.pk, start=START, end=END))[provider.pk]
    assert (check.tiers["C"].intake, check.tiers["C"].early_exits) == (3, 2)
    assert check.tiers["B"].intake == 0 and check.tiers["B"].participants == 1
    assert check.tiers["B"].participant_months == 3


def test_analysts_see_small_counts_suppressed(municipality, itype):
    provider = ProviderFactory(municipality=municipality)
    people(provider, itype, "A", 5)
    people(provider, itype, "C", 2)
    report = creaming_check(municipality_id=municipality.pk, start=START, end=END)
    shown = report_as_dict(report, suppress=True)["providers"][0]["tiers"]
    assert (
        shown["A"]["intake"] == 5 and shown["C"]["intake"] == "<5" and shown["C"]["meetings_per_month"] == "–"
    )
    assert shown["B"]["intake"] == "<5"  # a zero is withheld like 1–4 (utils.suppression)
    assert report_as_dict(report, suppress=False)["providers"][0]["tiers"]["C"]["intake"] == 2


def _grid_lines(report: dict):
    """The creaming report as cells and lines: tiers add up to each provider's total, providers to the
    average of every provider."""
    checks = [*report["providers"], report["average"]]
    values = {}
    for check in checks:
        for tier, figures in [*check["tiers"].items(), ("total", check["total"])]:
            values[(check["name"], tier)] = figures["intake"]
    lines = [([(c["name"], t) for t in "ABC"], (c["name"], "total")) for c in checks]
    average = report["average"]["name"]
    lines += [([(c["name"], t) for c in report["providers"]], (average, t)) for t in (*"ABC", "total")]
    return values, lines


def test_the_creaming_check_protects_its_provider_and_tier_totals(municipality, itype):
    first, second = ProviderFactory(municipality=municipality), ProviderFactory(municipality=municipality)
    people(first, itype, "A", 5)
    people(first, itype, "C", 2)
    people(second, itype, "A", 6)
    people(second, itype, "C", 6)
    report = report_as_dict(
        creaming_check(municipality_id=municipality.pk, start=START, end=END), suppress=True
    )
    values, lines = _grid_lines(report)
    hidden = {cell for cell, value in values.items() if value in ("<5", "–")}
    for cells, total in lines:  # no line (tiers of a provider, providers of a tier) with one withheld cell
        assert sum(1 for cell in [*cells, total] if cell in hidden) != 1, (cells, total, values)
    assert values[(first.name, "C")] == "<5" and values[(first.name, "B")] == "<5"  # 2 and none
    assert all(value in ("<5", "–") or value >= 5 for value in values.values())
