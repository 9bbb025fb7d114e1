"""Payment endpoints: compensation models and versions, runs (preview, compute, approve with 409), lines per
provider (scoped), CSV export, disputes and the creaming check — allowed roles, 403/404, 400, nothing
written."""

import datetime as dt
from decimal import Decimal

import pytest

from jobbtorg.audit.models import ReadLog
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.payments.models import (
    CompensationModelVersion,
    CompensationRule,
    Dispute,
    PaymentLine,
    PaymentRun,
)
from jobbtorg.payments.services import payment_run
from tests.factories import UserFactory

from .factories import assigned_person, authorised_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_providers(nacka, finance):
    provider, staff, itype = authorised_provider(model=nacka)
    referral = assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3), tier="B")
    # the provider sees who its lines are for while it may see the person (consent Jobbtorg ↔ provider)
    consent_record(
        participant=referral.participant,
        status="given",
        scope=ConsentScope.JOBBTORG_PROVIDER,
        by=referral.caseworker,
    )
    other, other_staff, _ = authorised_provider(model=nacka)
    assigned_person(provider=other, itype=itype, start=dt.date(2025, 3, 3), tier="A")
    return provider, staff, other, other_staff


# --- runs ------------------------------------------------------------------------------------------------


def test_preview_writes_nothing_then_compute_and_approve(api_client, two_providers, finance):
    api_client.force_authenticate(finance)
    preview = api_client.post(
        "/api/payment-runs/compute/", {"month": "2025-03", "dry_run": True}, format="json"
    )
    assert preview.status_code == 200 and preview.json()["run"] is None
    assert preview.json()["lines"] == 2 and Decimal(preview.json()["total"]) == Decimal("8544.00")
    assert not PaymentRun.objects.exists() and not PaymentLine.objects.exists()
    real = api_client.post("/api/payment-runs/compute/", {"month": "2025-03"}, format="json").json()
    run = real["run"]
    assert run["line_count"] == 2 and len(real["providers"]) == 2
    detail = api_client.get(f"/api/payment-runs/{run['id']}/").json()
    assert {p["name"] for p in detail["providers"]} == {two_providers[0].name, two_providers[2].name}
    approve = f"/api/payment-runs/{run['id']}/approve/"
    assert api_client.post(approve, {"version": run["lock_version"] - 1}, format="json").status_code == 409
    assert PaymentRun.objects.get().status == "draft"
    assert api_client.post(approve, {}, format="json").status_code == 400
    approved = api_client.post(approve, {"version": run["lock_version"]}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    locked = api_client.post("/api/payment-runs/compute/", {"month": "2025-03"}, format="json")
    assert locked.status_code == 400 and "month" in locked.json()


def test_bad_month_is_a_400(api_client, finance):
    api_client.force_authenticate(finance)
    for month in ("2025-13", "März", "2099-01"):
        response = api_client.post("/api/payment-runs/compute/", {"month": month}, format="json")
        assert response.status_code == 400 and "month" in response.json()


def test_who_may_compute_and_see_runs(api_client, two_providers, finance, coach, unit_head, analyst):
    _provider, staff, _other, _ = two_providers
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    run = PaymentRun.objects.get()
    for user in (coach, analyst, staff):
        api_client.force_authenticate(user)
        assert api_client.get("/api/payment-runs/").status_code == 403
        assert (
            api_client.post("/api/payment-runs/compute/", {"month": "2025-03"}, format="json").status_code
            == 403
        )
    api_client.force_authenticate(unit_head)  # sees the basis, may neither compute nor approve
    assert [r["id"] for r in api_client.get("/api/payment-runs/").json()["results"]] == [run.pk]
    assert (
        api_client.post("/api/payment-runs/compute/", {"month": "2025-03"}, format="json").status_code == 403
    )
    approve = api_client.post(
        f"/api/payment-runs/{run.pk}/approve/", {"version": run.lock_version}, format="json"
    )
    assert approve.status_code == 403


# --- lines, export, disputes -----------------------------------------------------------------------------


def test_provider_staff_see_only_their_own_lines(api_client, two_providers, finance):
    provider, staff, other, _ = two_providers
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    api_client.force_authenticate(staff)
    lines = api_client.get("/api/payment-lines/?month=2025-03").json()["results"]
    assert [line["provider"] for line in lines] == [provider.pk]
    assert lines[0]["evidence"]["tier"] == "B" and lines[0]["amount"] == "4858.00"
    assert "personal_number" not in lines[0]["participant"]
    assert ReadLog.objects.filter(user=staff, view="payment_lines").count() == 1
    other_line = PaymentLine.objects.get(provider=other)
    assert api_client.get(f"/api/payment-lines/{other_line.pk}/").status_code == 404
    assert api_client.get(f"/api/payment-lines/?provider={other.pk}").json()["results"] == []
    csv = api_client.get("/api/payment-lines/export/?month=2025-03")
    assert (
        csv.status_code == 200
        and other.name not in csv.content.decode()
        and provider.name in csv.content.decode()
    )
    assert api_client.get("/api/payment-lines/?month=2025-99").status_code == 400
    assert api_client.get("/api/payment-lines/export/").status_code == 400


def test_finance_sees_every_line_and_exports(api_client, two_providers, finance, coach):
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    api_client.force_authenticate(finance)
    assert len(api_client.get("/api/payment-lines/?month=2025-03").json()["results"]) == 2
    csv = api_client.get("/api/payment-lines/export/?month=2025-03").content.decode()
    assert "4858,00" in csv and "3686,00" in csv
    assert all(line.participant.personal_number not in csv for line in PaymentLine.objects.all())
    api_client.force_authenticate(coach)
    assert api_client.get("/api/payment-lines/").status_code == 403


def test_dispute_own_line_and_finance_answers(api_client, two_providers, finance):
    provider, staff, other, other_staff = two_providers
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    own, foreign = PaymentLine.objects.get(provider=provider), PaymentLine.objects.get(provider=other)
    api_client.force_authenticate(staff)
    assert (
        api_client.post("/api/disputes/", {"line": foreign.pk, "comment": "x"}, format="json").status_code
        == 404
    )
    empty = api_client.post("/api/disputes/", {"line": own.pk, "comment": ""}, format="json")
    assert empty.status_code == 400 and "comment" in empty.json()
    created = api_client.post("/api/disputes/", {"line": own.pk, "comment": "Fel nivå"}, format="json")
    assert created.status_code == 201
    dispute_id = created.json()["id"]
    assert (
        api_client.post(f"/api/disputes/{dispute_id}/answer/", {"accept": True, "answer": "ok"}).status_code
        == 403
    )
    api_client.force_authenticate(other_staff)
    assert api_client.get("/api/disputes/").json()["results"] == []
    assert api_client.get(f"/api/disputes/{dispute_id}/").status_code == 404
    api_client.force_authenticate(finance)
    assert (
        api_client.post(f"/api/disputes/{dispute_id}/answer/", {"accept": True}, format="json").status_code
        == 400
    )
    answered = api_client.post(
        f"/api/disputes/{dispute_id}/answer/",
        {"accept": False, "answer": "Nivå B enligt kartläggning."},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "rejected"
    again = api_client.post(
        f"/api/disputes/{dispute_id}/answer/", {"accept": True, "answer": "x"}, format="json"
    )
    assert again.status_code == 400 and Dispute.objects.get().status == "rejected"


# --- compensation models ---------------------------------------------------------------------------------


def test_models_and_versions_visible_by_role(api_client, nacka, finance, coach):
    provider, staff, _itype = authorised_provider(model=nacka)
    api_client.force_authenticate(finance)
    [model] = api_client.get("/api/compensation-models/").json()["results"]
    version = model["versions"][0]
    assert version["in_force"] is True
    assert {r["code"] for r in version["rules"]} == {"monthly", "bonus"}
    monthly = next(r for r in version["rules"] if r["code"] == "monthly")
    assert {r["tier"]: r["amount"] for r in monthly["rates"]}["B"] == "4858.00"
    api_client.force_authenticate(staff)
    assert len(api_client.get("/api/compensation-models/").json()["results"]) == 1
    other_staff = UserFactory(role="provider_staff", provider=authorised_provider(model=nacka)[0])
    api_client.force_authenticate(other_staff)
    assert api_client.get(f"/api/compensation-models/{nacka.pk}/").status_code == 200
    api_client.force_authenticate(coach)
    assert api_client.get("/api/compensation-models/").status_code == 403


def test_new_version_applies_from_its_start_and_versions_in_force_are_immutable(
    api_client, nacka, finance, unit_head
):
    url = f"/api/compensation-models/{nacka.pk}/versions/"
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    api_client.force_authenticate(unit_head)
    assert api_client.post(url, {"valid_from": future}, format="json").status_code == 403
    api_client.force_authenticate(finance)
    past = api_client.post(url, {"valid_from": "2021-01-01"}, format="json")
    assert past.status_code == 400 and "valid_from" in past.json()
    bad = api_client.post(
        url,
        {
            "valid_from": future,
            "rules": [
                {
                    "code": "monthly",
                    "kind": "monthly_fee",
                    "label": "Jobbpeng",
                    "amount": "4000",
                    "rates": [{"tier": "B", "amount": "5000"}, {"tier": "B", "amount": "5100"}],
                },
                {"code": "monthly", "kind": "result_fee", "label": "Resultat", "tiers": "AX"},
            ],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert {"rules[0].rates[1].tier", "rules[1].code", "rules[1].tiers", "rules[1].outcome"} <= set(
        bad.json()
    )
    assert CompensationModelVersion.objects.count() == 1 and CompensationRule.objects.count() == 2
    new = api_client.post(
        url,
        {
            "valid_from": future,
            "rules": [
                {
                    "code": "monthly",
                    "kind": "monthly_fee",
                    "label": "Jobbpeng",
                    "amount": "4000",
                    "waiting_days": 14,
                    "rates": [{"tier": "B", "amount": "5000"}],
                },
            ],
        },
        format="json",
    )
    assert new.status_code == 201 and new.json()["in_force"] is False
    assert new.json()["rules"][0]["rates"] == [{"tier": "B", "amount": "5000.00", "multiplier": "1.00"}]
    carried = api_client.post(
        url, {"valid_from": (dt.date.today() + dt.timedelta(days=80)).isoformat()}, format="json"
    )
    assert carried.status_code == 201 and carried.json()["rules"][0]["code"] == "monthly"
    assert api_client.post(url, {"valid_from": future}, format="json").status_code == 400  # same start twice


def test_new_version_is_used_only_from_its_start(nacka, finance):
    """Service level: a version starting in the future leaves months before it unchanged."""
    from jobbtorg.payments.services import compensation_version_create

    provider, _staff, itype = authorised_provider(model=nacka)
    assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3), tier="B")
    compensation_version_create(
        model=nacka,
        by=finance,
        valid_from=dt.date.today() + dt.timedelta(days=1),
        rules=[{"code": "monthly", "kind": "monthly_fee", "label": "Ny", "amount": Decimal("9999")}],
    )
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    assert PaymentLine.objects.get().amount == Decimal("4858.00")


# --- creaming check --------------------------------------------------------------------------------------


def test_creaming_check_endpoint(api_client, municipality, finance, coach):
    analyst = UserFactory(analyst=True, municipality=municipality)
    api_client.force_authenticate(analyst)
    response = api_client.get("/api/creaming-check/?start=2025-01-01&end=2025-03-31")
    assert response.status_code == 200 and response.json()["suppressed"] is True
    assert api_client.get("/api/creaming-check/?start=2025-04-01&end=2025-03-31").status_code == 400
    api_client.force_authenticate(finance)
    assert api_client.get("/api/creaming-check/").json()["suppressed"] is False
    api_client.force_authenticate(coach)
    assert api_client.get("/api/creaming-check/").status_code == 403
