import datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from django.utils import timezone

from jobbtorg.attendance.models import AttendanceReport
from jobbtorg.followup.models import AssistanceMonth, Exit
from jobbtorg.interventions.models import Booking
from jobbtorg.plans.models import ActionPlan
from jobbtorg.reporting import indicators, selectors
from jobbtorg.reporting.comparison import compare
from jobbtorg.reporting.constants import Breakdown
from jobbtorg.reporting.services import indicators_refresh
from tests.factories import OfferingFactory, ReferralFactory

D = datetime.date


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def months(first, last):
    out, m = [], first
    while m <= last:
        out.append(m)
        m = (m + datetime.timedelta(days=32)).replace(day=1)
    return out


@pytest.fixture
def world(district, coach):
    def referral(day, **kw):
        return ReferralFactory(district=district, participant__district=district, referral_date=day, **kw)

    r1 = referral(D(2025, 3, 3), status="closed", accepted_at=at(D(2025, 3, 3)), closed_at=at(D(2025, 6, 10)))
    r2 = referral(D(2025, 3, 3), status="closed", accepted_at=at(D(2025, 3, 4)), closed_at=at(D(2025, 6, 20)))
    referral(D(2025, 4, 1), status="accepted", accepted_at=at(D(2025, 4, 1)))
    referral(D(2025, 5, 2), status="returned", return_reason="Fel enhet")
    ActionPlan.objects.create(
        referral=r1, participant=r1.participant, status="approved", first_approved_at=at(D(2025, 3, 5))
    )
    ActionPlan.objects.create(
        referral=r2, participant=r2.participant, status="approved", first_approved_at=at(D(2025, 3, 20))
    )
    Exit.objects.create(
        referral=r1,
        participant=r1.participant,
        exit_date=D(2025, 6, 10),
        reason="work",
        work_hours_per_week=40,
        employment_form="permanent",
        municipal_labour_market_job=False,
        work_start_date=D(2025, 6, 11),
        work_lasted_one_month=True,
    )
    Exit.objects.create(
        referral=r2,
        participant=r2.participant,
        exit_date=D(2025, 6, 20),
        reason="studies",
        studies_with_student_finance=True,
        studies_eligible_for_student_finance=True,
    )
    rows = [
        AssistanceMonth(participant=r1.participant, month=m, amount=Decimal(5000), paid=True)
        for m in months(D(2024, 12, 1), D(2025, 6, 1))
    ]
    rows.append(AssistanceMonth(participant=r1.participant, month=D(2026, 2, 1), paid=False))
    rows += [
        AssistanceMonth(participant=r2.participant, month=m, amount=Decimal(6000), paid=True)
        for m in [*months(D(2024, 12, 1), D(2025, 6, 1)), D(2025, 9, 1)]
    ]
    AssistanceMonth.objects.bulk_create(rows)
    offering = OfferingFactory(
        municipality=district.municipality, hours_per_week=Decimal(20), start_date=D(2025, 3, 1)
    )
    booking = Booking.objects.create(
        offering=offering,
        participant=r1.participant,
        referral=r1,
        status="ended",
        start_date=D(2025, 3, 10),
        end_date=D(2025, 6, 10),
        booked_by=coach,
    )
    AttendanceReport.objects.create(
        participant=r1.participant,
        booking=booking,
        date=D(2025, 3, 10),
        status="present",
        hours=Decimal(4),
        reported_by=coach,
    )
    AttendanceReport.objects.create(
        participant=r1.participant,
        booking=booking,
        date=D(2025, 3, 11),
        status="absent_unexcused",
        reported_by=coach,
    )
    indicators_refresh()
    return selectors.Scope(
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
        municipality_id=district.municipality_id,
        today=D(2026, 3, 15),
    )


def total(scope, dimension=None, suppress=False):
    return indicators.evaluate(
        indicators.merge(selectors.dashboard(scope, dimension))["total"], suppress=suppress
    )


def test_flow_guarantee_and_results_on_hand_built_data(world):
    t = total(world)
    assert (t["referrals"], t["accepted"], t["plans"], t["exits"], t["active"]) == (4, 3, 2, 2, 1)
    assert t["plan_in_time"] == pytest.approx(1 / 3)  # r1 in time, r2 late, r3 overdue without a plan
    assert t["median_days_to_plan"] == pytest.approx(9.5)  # 2 and 17 days
    assert t["median_days_to_intervention"] == pytest.approx(7)  # r1: 3 March -> 10 March
    assert t["work_share"] == 0.5 and t["studies_share"] == 0.5 and t["u40455"] == 1.0
    assert t["work_full_time"] == 1.0
    assert t["no_assistance_3"] == 0.5  # r2 back on assistance in September
    assert t["no_assistance_6"] == 1.0
    assert t["no_assistance_12"] is None  # not observed yet (last month imported: Feb 2026)


def test_money_and_attendance(world):
    t = total(world)
    assert t["assistance_before"] == pytest.approx(5500)  # (6 x 5000 + 6 x 6000) / 12 person-months
    assert t["assistance_after"] == pytest.approx(6000 / 16)  # 8 observed months each
    assert t["saved"] == pytest.approx(5000 * 8 + 6000 * 8 - 6000)
    assert t["attendance_share"] == pytest.approx(0.5)  # 4 h of 4 + 4 planned
    assert t["paid"] == 0  # no payment lines


def test_monthly_and_breakdown_rows(world):
    merged = indicators.merge(selectors.dashboard(world, Breakdown.GENDER))
    assert merged["months"][D(2025, 3, 1)]["referrals"] == 2
    assert merged["months"][D(2025, 6, 1)]["exits"] == 2
    assert sum(row.get("referrals") or 0 for row in merged["groups"].values()) == 4


def test_small_groups_are_suppressed(world):
    t = total(world, suppress=True)
    assert t["referrals"] == "<5" and t["exits"] == "<5" and t["u40455"] == "–"
    row = {"referrals": 5, "exits": 10, "work": 5, "in_time": 0, "due": 4}
    shown = indicators.evaluate(row, suppress=True)
    assert shown["referrals"] == 5 and shown["work_share"] == 0.5
    assert shown["plan_in_time"] == "–"  # rests on 4 people
    assert indicators.evaluate({"referrals": 0}, suppress=True)["referrals"] == "<5"  # zero is withheld too
    # A share is withheld when the people with, or without, the trait are fewer than five (share × base).
    assert indicators.evaluate({"exits": 12, "work": 2}, suppress=True)["work_share"] == "–"
    assert indicators.evaluate({"exits": 12, "work": 10}, suppress=True)["work_share"] == "–"
    assert indicators.evaluate({"exits": 12, "work": 6}, suppress=True)["work_share"] == 0.5


def test_the_model_recovers_a_planted_difference():  # noqa: D103
    rng = np.random.default_rng(7)
    n = 4000
    frame = pd.DataFrame(
        {
            "grp": rng.choice(["north", "south"], n),
            "age_band": rng.choice(["16-24", "25-34", "55+"], n),
            "education_level": rng.choice(["none", "upper_secondary", "university"], n),
            "swedish_level": rng.choice(["none", "native"], n),
            "assistance_band": rng.choice(["0-5", "36+"], n),
            "target_group": "unemployed_on_assistance",
            "tier": rng.choice(["A", "B", "C"], n),
        }
    )
    # South serves people far from work (more tier C) but does 10 points better than its mix predicts.
    frame.loc[frame.grp == "south", "tier"] = rng.choice(["B", "C"], (frame.grp == "south").sum())
    logit = (
        -0.2
        + frame.tier.map({"A": 0.8, "B": 0.0, "C": -0.9})
        + frame.education_level.map({"none": -0.4, "upper_secondary": 0.0, "university": 0.4})
    )
    p = 1 / (1 + np.exp(-logit))
    p = np.where(frame.grp == "south", np.clip(p + 0.10, 0, 1), p)
    frame["outcome"] = (rng.random(n) < p).astype(int)
    results = {r.key: r for r in compare(frame)}
    south, north = results["south"], results["north"]
    # Both are measured against the average of all participants: the planted 10 points lie between them.
    assert south.difference - north.difference == pytest.approx(0.10, abs=0.04)
    assert south.low > 0 and north.high < 0  # clear, with their intervals
    small = compare(frame.head(40), min_exits=30)
    assert any(r.too_few for r in small)
