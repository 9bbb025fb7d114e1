"""Assignments (uppdrag): who may record and change them, and the follow-up month by month against goals and
budget, provider payments included."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from jobbtorg.audit.models import ChangeLog
from jobbtorg.interventions.models import Booking
from jobbtorg.reporting.assignments import follow, provider_payments_by_month
from jobbtorg.reporting.models import Assignment
from jobbtorg.reporting.services import indicators_refresh
from tests.factories import OfferingFactory, ProviderFactory, ReferralFactory, UnitFactory, UserFactory

D = datetime.date


@pytest.fixture
def client_en(client):
    client.cookies["django_language"] = "en"
    return client


def form_data(offering, **overrides):
    data = {
        "name": "Unga vuxna i arbete",
        "funder": "esf",
        "funder_reference": "ESF-1",
        "start_date": "2025-01-01",
        "end_date": "2025-06-30",
        "budget": "600000",
        "cost_per_participant": "1000",
        "target_group": "",
        "offerings": [offering.pk],
        "goal_participants": "20",
        "goal_work_or_studies_percent": "40",
        "description": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def offering(unit):
    return OfferingFactory(
        municipality=unit.municipality, hours_per_week=Decimal(20), start_date=D(2025, 1, 1)
    )


def test_unit_head_records_and_changes_an_assignment_of_their_unit(client_en, unit_head, unit, offering):
    client_en.force_login(unit_head)
    response = client_en.post(reverse("reporting:assignment_create"), form_data(offering, unit=unit.pk))
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:assignment", args=[assignment.pk]
    )
    assert assignment.unit == unit and assignment.municipality_id == unit.municipality_id
    assert list(assignment.offerings.all()) == [offering]
    response = client_en.post(
        reverse("reporting:assignment_edit", args=[assignment.pk]),
        form_data(offering, unit=unit.pk, budget="700000", goal_participants="25"),
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.budget == Decimal("700000") and assignment.goal_participants == 25
    change = ChangeLog.objects.get(action="assignment_changed")
    assert change.changes["budget"] == {"from": "600000.00", "to": "700000"}


def test_the_form_refuses_bad_input(client_en, unit_head, unit, offering):
    client_en.force_login(unit_head)
    response = client_en.post(
        reverse("reporting:assignment_create"),
        form_data(offering, unit=unit.pk, end_date="2024-12-31", goal_work_or_studies_percent="140"),
    )
    assert response.status_code == 200 and not Assignment.objects.exists()
    form = response.context["form"]
    assert "goal_work_or_studies_percent" in form.errors
    assert "The assignment must end after it starts." in str(form.errors)


def test_unit_head_cannot_record_for_another_unit(client_en, unit_head, unit, offering):
    other = UnitFactory(municipality=unit.municipality)
    client_en.force_login(unit_head)
    response = client_en.post(reverse("reporting:assignment_create"), form_data(offering, unit=other.pk))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assignment = Assignment.objects.create(
        municipality=unit.municipality,
        unit=other,
        name="Annan enhets uppdrag",
        funder="municipality",
        start_date=D(2025, 1, 1),
        end_date=D(2025, 12, 31),
        budget=Decimal(1),
        goal_participants=1,
        goal_work_or_studies_percent=10,
    )
    assert client_en.get(reverse("reporting:assignment_edit", args=[assignment.pk])).status_code == 403
    assert client_en.get(reverse("reporting:assignment", args=[assignment.pk])).status_code == 404


def test_administrator_records_a_shared_assignment_and_analyst_may_not(client_en, unit, offering, analyst):
    admin = UserFactory(administrator=True, municipality=unit.municipality)
    client_en.force_login(admin)
    assert client_en.post(reverse("reporting:assignment_create"), form_data(offering)).status_code == 302
    assert Assignment.objects.get().unit is None
    client_en.force_login(analyst)
    assert client_en.get(reverse("reporting:assignment_create")).status_code == 403


def test_follow_up_month_by_month_with_provider_payments(unit, district, coach):
    provider = ProviderFactory(municipality=unit.municipality)
    offering = OfferingFactory(
        municipality=unit.municipality,
        provider=provider,
        hours_per_week=Decimal(20),
        start_date=D(2025, 1, 1),
    )
    assignment = Assignment.objects.create(
        municipality=unit.municipality,
        unit=unit,
        name="ESF",
        funder="esf",
        start_date=D(2025, 1, 1),
        end_date=D(2025, 3, 31),
        budget=Decimal("30000"),
        cost_per_participant=Decimal("1000"),
        goal_participants=10,
        goal_work_or_studies_percent=40,
    )
    assignment.offerings.set([offering])
    referrals = []
    for day in (D(2025, 1, 10), D(2025, 2, 10)):
        referral = ReferralFactory(
            district=district, participant__district=district, referral_date=day, status="accepted"
        )
        Booking.objects.create(
            offering=offering,
            participant=referral.participant,
            referral=referral,
            status="booked",
            start_date=day,
            booked_by=coach,
        )
        referrals.append(referral)
    indicators_refresh()
    assert provider_payments_by_month(assignment) == {}  # no payments yet: tolerated
    _pay(provider, referrals[0], D(2025, 2, 1), Decimal("5000"))
    assert provider_payments_by_month(assignment) == {D(2025, 2, 1): Decimal("5000.00")}
    report = follow(assignment, today=D(2025, 6, 1), suppress=False)
    months = {row["mon"]: row for row in report["months"]}
    assert [months[m]["started"] for m in sorted(months)] == [1, 2, 2]
    assert months[D(2025, 2, 1)]["provider_paid"] == Decimal("5000")
    # own cost 1 000 per active participant and month: 1 + 2 + 2 = 5 000; plus 5 000 paid to the provider
    assert report["summary"]["spent"] == Decimal("10000") and report["summary"]["left"] == Decimal("20000")
    assert report["ending"] == {
        "work_or_studies": 0,
        "other_exit": 0,
        "next_intervention": 0,
        "no_next_step": 2,
    }


def _pay(provider, referral, month, amount):
    from jobbtorg.payments import schemes
    from jobbtorg.payments.models import CompensationRule, PaymentLine, PaymentRun

    model = schemes.nacka_jobbpeng(municipality=provider.municipality, valid_from=D(2020, 1, 1))
    rule = CompensationRule.objects.filter(version__model=model).first()
    run = PaymentRun.objects.create(municipality=provider.municipality, month=month)
    PaymentLine.objects.create(
        run=run,
        provider=provider,
        participant=referral.participant,
        referral=referral,
        model=model,
        rule=rule,
        rule_code=rule.code,
        kind=rule.kind,
        period=f"{month:%Y-%m}",
        period_month=month,
        amount=amount,
    )
