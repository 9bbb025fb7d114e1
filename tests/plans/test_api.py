import pytest
from django.urls import reverse

from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.plans.models import ActionPlan, Mapping, PlanActivity, PlanVersion

from ..factories import ActionPlanFactory, ReferralFactory, UserFactory

SFI = {
    "intervention_type": "sfi_studies",
    "start_date": "2026-12-07",
    "end_date": "2027-06-04",
    "hours_per_week": "20",
}
INTERNSHIP = {
    "intervention_type": "language_internship",
    "description": "Praktik på förskola",
    "start_date": "2026-12-07",
    "hours_per_week": 20,
}


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def mapping_url(referral):
    return reverse("api-mapping", args=[referral.pk])


def plan_url(plan, name="detail"):
    return reverse(f"api-plan-{name}", args=[plan.pk])


def start_plan(client, referral) -> dict:
    response = client.post(reverse("api-referral-plan", args=[referral.pk]))
    assert response.status_code in (200, 201), response.data
    return response.data


# --- mapping --------------------------------------------------------------------------------------------


def test_mapping_put_computes_the_tier(as_user, accepted_referral, coach, caseworker):
    client = as_user(coach)
    assert client.get(mapping_url(accepted_referral)).status_code == 404
    payload = {
        "education_level": "none",
        "swedish_level": "sfi_a",
        "months_without_work": 30,
        "work_capacity": 50,
        "obstacles": ["health", "housing"],
        "wanted_occupations": ["5321"],
    }
    response = client.put(mapping_url(accepted_referral), payload, format="json")
    assert response.status_code == 201, response.data
    assert response.data["tier"] == "C" and response.data["lock_version"] == 0
    assert {r["factor"] for r in response.data["tier_reasons"]} >= {"education", "swedish", "work_capacity"}

    response = client.put(mapping_url(accepted_referral), {"education_level": "university"}, format="json")
    assert response.status_code == 400 and "version" in response.data
    response = client.put(
        mapping_url(accepted_referral),
        {
            "version": 0,
            "education_level": "university",
            "swedish_level": "native",
            "months_without_work": 2,
            "work_capacity": 100,
            "obstacles": [],
        },
        format="json",
    )
    assert response.status_code == 200 and response.data["tier"] == "A" and response.data["lock_version"] == 1
    response = client.put(mapping_url(accepted_referral), {"version": 0, "needs": "x"}, format="json")
    assert response.status_code == 409
    assert Mapping.objects.get().needs == ""

    response = as_user(caseworker).get(mapping_url(accepted_referral))
    assert response.status_code == 200 and response.data["tier"] == "A"
    log = ReadLog.objects.get(user=caseworker)
    assert (log.view, log.channel) == ("mapping", "api")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"months_without_work": "many"}, "months_without_work"),
        ({"months_without_work": 700}, "months_without_work"),
        ({"obstacles": ["health", "dragons"]}, "obstacles[1]"),
        ({"wanted_occupations": ["12"]}, "wanted_occupations"),
        ({"education_level": 3}, "education_level"),
        ({"work_capacity": "half"}, "work_capacity"),
        ({"version": "x"}, "version"),
    ],
)
def test_mapping_bad_input_is_400(as_user, accepted_referral, coach, payload, field):
    response = as_user(coach).put(mapping_url(accepted_referral), payload, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data
    assert not Mapping.objects.exists()


def test_mapping_scope_and_rights(as_user, accepted_referral, caseworker, other_unit_coach, analyst):
    assert as_user(caseworker).put(mapping_url(accepted_referral), {}, format="json").status_code == 403
    assert as_user(other_unit_coach).put(mapping_url(accepted_referral), {}, format="json").status_code == 404
    assert as_user(other_unit_coach).get(mapping_url(accepted_referral)).status_code == 404
    assert as_user(analyst).get(mapping_url(accepted_referral)).status_code == 403


# --- action plan ----------------------------------------------------------------------------------------


def test_plan_flow_draft_propose_approve(as_user, accepted_referral, coach, caseworker):
    client = as_user(coach)
    created = client.post(reverse("api-referral-plan", args=[accepted_referral.pk]))
    assert created.status_code == 201
    plan = ActionPlan.objects.get(pk=created.data["id"])
    assert client.post(reverse("api-referral-plan", args=[accepted_referral.pk])).status_code == 200

    response = client.put(
        plan_url(plan),
        {
            "version": 0,
            "goals": "Arbete inom barnomsorg",
            "activities": [SFI, INTERNSHIP],
            "other_plans": [{"kind": "sfi_study", "reference": "SFI-1"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    data = response.data
    assert data["status"] == "draft" and data["lock_version"] == 1
    assert [a["intervention_type"] for a in data["activities"]] == ["sfi_studies", "language_internship"]
    assert data["week_load"]["planned_hours"] == "40.0" and data["week_load"]["is_full"] is True
    assert data["due_date"] == accepted_referral.plan_due_date.isoformat()

    response = client.post(plan_url(plan, "propose"), {"version": 1}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["plan"]["status"] == "proposed" and response.data["version"]["number"] == 1

    assert client.post(plan_url(plan, "approve"), {"version": 2}, format="json").status_code == 403
    response = as_user(caseworker).post(
        plan_url(plan, "approve"), {"version": 2, "comment": "Bra"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["plan"] == {
        "id": str(plan.pk),
        "status": "approved",
        "lock_version": 3,
        "current_version": 1,
    }
    assert response.data["version"]["status"] == "approved"

    detail = as_user(caseworker).get(plan_url(plan)).data
    assert detail["current_version"] == 1 and detail["status"] == "approved"
    versions = as_user(caseworker).get(plan_url(plan, "versions")).data
    assert [(v["number"], v["status"]) for v in versions] == [(1, "approved")]
    frozen = as_user(caseworker).get(reverse("api-plan-version", args=[plan.pk, 1])).data
    assert frozen["content"]["goals"] == "Arbete inom barnomsorg"
    assert frozen["content"]["other_plans"][0]["reference"] == "SFI-1"
    assert frozen["content"]["activities"][1]["description"] == "Praktik på förskola"
    assert as_user(caseworker).get(reverse("api-plan-version", args=[plan.pk, 9])).status_code == 404
    views = set(ReadLog.objects.filter(user=caseworker, channel="api").values_list("view", flat=True))
    assert {"plan_detail", "plan_versions", "plan_version"} <= views


def test_approving_twice_with_the_same_version_conflicts_and_changes_nothing(
    as_user, accepted_referral, caseworker
):
    plan = ActionPlanFactory(referral=accepted_referral, proposed=True)
    second = UserFactory(caseworker=True, district=caseworker.district)
    first = as_user(caseworker).post(plan_url(plan, "approve"), {"version": 0}, format="json")
    assert first.status_code == 200
    response = as_user(second).post(plan_url(plan, "return"), {"version": 0, "comment": "Nej"}, format="json")
    assert response.status_code == 409 and response.data["code"] == "conflict"
    response = as_user(second).post(plan_url(plan, "approve"), {"version": 0}, format="json")
    assert response.status_code == 409
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.lock_version == 1
    assert PlanVersion.objects.get(plan=plan).decided_by == caseworker
    assert ChangeLog.objects.filter(action="plan_approved").count() == 1
    assert not ChangeLog.objects.filter(action="plan_returned").exists()


def test_draft_errors_name_the_activity_field_and_nothing_is_saved(as_user, accepted_referral, coach):
    client = as_user(coach)
    plan = ActionPlan.objects.get(pk=start_plan(client, accepted_referral)["id"])
    cases = [
        ([{**SFI, "intervention_type": "juggling"}], "activities[0].intervention_type"),
        ([SFI, {**SFI, "hours_per_week": 50}], "activities[1].hours_per_week"),
        ([SFI, {**SFI, "end_date": "2026-01-01"}], "activities[1]"),
        ([{**SFI, "hours_per_week": "abc"}], "activities[0].hours_per_week"),
        ([{**SFI, "hours_per_week": "12.25"}], "activities[0].hours_per_week"),
        ([{**SFI, "start_date": "2026-02-30"}], "activities[0].start_date"),
        ([{**SFI, "start_date": "9999-12-31"}], "activities[0].start_date"),
        ([{k: v for k, v in SFI.items() if k != "start_date"}], "activities[0].start_date"),
        ([SFI, "not an object"], "activities[1]"),
        ("not a list", "activities"),
    ]
    for activities, field in cases:
        response = client.put(
            plan_url(plan), {"version": 0, "goals": "x", "activities": activities}, format="json"
        )
        assert response.status_code == 400, (activities, response.data)
        assert field in response.data, (field, response.data)
    for payload, field in [
        ({"goals": "x", "activities": []}, "version"),
        ({"version": 0, "activities": []}, "goals"),
        (
            {"version": 0, "goals": "x", "activities": [], "other_plans": [{"kind": "x", "reference": ""}]},
            "other_plans[0].kind",
        ),
    ]:
        response = client.put(plan_url(plan), payload, format="json")
        assert response.status_code == 400 and field in response.data, response.data
    plan.refresh_from_db()
    assert plan.lock_version == 0 and not PlanActivity.objects.exists()
    response = client.post(plan_url(plan, "propose"), {"version": 0}, format="json")
    assert response.status_code == 400 and {"goals", "activities"} <= set(response.data)


def test_return_needs_a_comment(as_user, accepted_referral, caseworker):
    plan = ActionPlanFactory(referral=accepted_referral, proposed=True)
    response = as_user(caseworker).post(plan_url(plan, "return"), {"version": 0}, format="json")
    assert response.status_code == 400 and "comment" in response.data
    response = as_user(caseworker).post(
        plan_url(plan, "return"), {"version": 0, "comment": " "}, format="json"
    )
    assert response.status_code == 400 and "comment" in response.data
    response = as_user(caseworker).post(
        plan_url(plan, "return"), {"version": 0, "comment": "Lägg till SFI"}, format="json"
    )
    assert response.status_code == 200 and response.data["plan"]["status"] == "returned"


def test_plan_list_and_scope(
    as_user, accepted_referral, caseworker, coach, other_caseworker, other_unit_coach, analyst
):
    plan = ActionPlanFactory(referral=accepted_referral, proposed=True)
    ActionPlanFactory()  # another district and unit
    response = as_user(caseworker).get("/api/plans/", {"status": "proposed"})
    assert [p["id"] for p in response.data["results"]] == [str(plan.pk)]
    assert as_user(caseworker).get("/api/plans/", {"status": "draft"}).data["count"] == 0
    assert ReadLog.objects.filter(user=caseworker, view="plan_list").count() == 1
    assert as_user(coach).get("/api/plans/").data["count"] == 1
    for user in (other_caseworker, other_unit_coach):
        client = as_user(user)
        assert str(plan.pk) not in str(client.get("/api/plans/").content)
        assert client.get(plan_url(plan)).status_code == 404
        assert client.post(plan_url(plan, "approve"), {"version": 0}, format="json").status_code == 404
        assert client.get(plan_url(plan, "versions")).status_code == 404
        assert client.post(reverse("api-referral-plan", args=[accepted_referral.pk])).status_code == 404
    for user in (analyst, UserFactory(provider_staff=True)):
        assert as_user(user).get("/api/plans/").status_code == 403
        assert as_user(user).get(plan_url(plan)).status_code == 403
    assert as_user(caseworker).get("/api/plans/not-a-uuid/").status_code == 404
    assert as_user(caseworker).get(f"/api/plans/{plan.pk}/versions/x/").status_code == 404


def test_only_unit_staff_start_a_plan(as_user, accepted_referral, caseworker):
    response = as_user(caseworker).post(reverse("api-referral-plan", args=[accepted_referral.pk]))
    assert response.status_code == 403
    assert not ActionPlan.objects.exists()


# --- worklist and inbox ---------------------------------------------------------------------------------


def test_worklist_and_inbox(as_user, accepted_referral, caseworker, coach, analyst):
    new = ReferralFactory(district=caseworker.district, participant__district=caseworker.district)
    plan = ActionPlanFactory(referral=accepted_referral, proposed=True)

    response = as_user(coach).get("/api/worklist/")
    assert response.status_code == 200
    assert [r["id"] for r in response.data["new_referrals"]] == [str(new.pk)]
    assert set(response.data) == {"new_referrals", "due_today", "overdue", "returned", "deadline", "scope"}
    assert response.data["scope"] == "mine"
    assert "masked_personal_number" in response.data["new_referrals"][0]["participant"]
    assert ReadLog.objects.filter(user=coach, view="worklist", channel="api").exists()

    response = as_user(caseworker).get("/api/inbox/")
    assert response.status_code == 200
    assert [p["id"] for p in response.data["plans_to_decide"]] == [str(plan.pk)]
    assert {r["id"] for r in response.data["referrals_open"]} == {str(new.pk), str(accepted_referral.pk)}
    assert ReadLog.objects.filter(user=caseworker, view="inbox").count() == 2

    assert as_user(caseworker).get("/api/worklist/").status_code == 403
    assert as_user(coach).get("/api/inbox/").status_code == 403
    assert as_user(analyst).get("/api/worklist/").status_code == 403
    assert as_user(analyst).get("/api/inbox/").status_code == 403
