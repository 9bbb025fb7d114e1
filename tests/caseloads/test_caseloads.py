"""The unit head's caseloads: people per coach and per counsellor, overdue plans per coach, people not met
for N weeks, bulk reassignment (page and API, all or none), the caseload per coach over time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jobbtorg.audit.models import ReadLog
from jobbtorg.caseloads import selectors
from jobbtorg.journal import services as journal_services
from jobbtorg.referrals import services as referral_services
from jobbtorg.referrals.models import CoachChange, Referral
from jobbtorg.reporting.services import reporting_supported

from ..factories import ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_cases(caseworker, coach, unit):
    colleague = UserFactory(coach=True, unit=unit, username="kollega", first_name="Kim", last_name="Kollega")
    counsellor = UserFactory(counsellor=True, unit=unit, username="syv")
    long_ago = timezone.now() - dt.timedelta(days=120)

    def referral(coach_, name, **kwargs):
        return ReferralFactory(
            district=caseworker.district,
            participant__district=caseworker.district,
            participant__last_name=name,
            caseworker=caseworker,
            accepted=True,
            accepted_at=long_ago,
            referral_date=long_ago.date(),
            coach=coach_,
            **kwargs,
        )

    met = referral(coach, "Traffad")
    journal_services.entry_write(
        referral=met, kind="meeting", occurred_on=timezone.localdate(), body="Möte", by=counsellor, sign=True
    )
    return {
        "met": met,
        "lost": referral(coach, "Bortglomd"),
        "theirs": referral(colleague, "Kollegans"),
        "colleague": colleague,
        "counsellor": counsellor,
    }


def test_people_per_staff_member_and_overdue_plans(unit_head, coach, unit_cases):
    loads = {row.user: row for row in selectors.staff_loads(user=unit_head)}
    assert (loads[coach].active, loads[coach].overdue_plans) == (2, 2)
    assert (loads[unit_cases["colleague"]].active, loads[unit_cases["colleague"]].overdue_plans) == (1, 1)
    assert loads[unit_cases["counsellor"]].active == 1  # wrote about one person in the window
    assert not loads[unit_cases["counsellor"]].is_coach


def test_people_not_met_for_n_weeks(unit_head, unit_cases):
    lost = set(selectors.lost_people(user=unit_head, weeks=6))
    assert lost == {unit_cases["lost"], unit_cases["theirs"]}  # the met one wrote about this week
    recent = unit_cases["lost"]
    Referral.objects.filter(pk=recent.pk).update(accepted_at=timezone.now() - dt.timedelta(days=3))
    assert recent not in set(selectors.lost_people(user=unit_head, weeks=6))  # accepted inside the window


def test_the_caseload_page_lists_and_logs_and_takes_n_from_the_url(client, unit_head, unit_cases):
    client.force_login(unit_head)
    response = client.get(reverse("caseloads:caseloads") + "?weeks=4")
    assert response.status_code == 200 and response.context["weeks"] == 4
    assert "Bortglomd" in response.text and "Traffad" not in response.text
    logged = set(
        ReadLog.objects.filter(user=unit_head, view="caseloads").values_list("participant_id", flat=True)
    )
    assert logged == {unit_cases["lost"].participant_id, unit_cases["theirs"].participant_id}
    assert client.get(reverse("caseloads:caseloads") + "?weeks=0").status_code == 400
    assert client.get(reverse("caseloads:caseloads") + "?weeks=abc").status_code == 400
    chosen = client.get(reverse("caseloads:caseloads") + f"?coach={unit_cases['colleague'].pk}")
    assert [r.pk for r in chosen.context["chosen"]] == [unit_cases["theirs"].pk]


def test_the_caseload_page_is_the_unit_heads(client, coach, unit_cases):
    client.force_login(coach)
    assert client.get(reverse("caseloads:caseloads")).status_code == 403
    assert client.post(reverse("caseloads:reassign"), {}).status_code == 403


def test_the_unit_head_reassigns_in_bulk_on_the_page(client, unit_head, coach, unit_cases):
    colleague = unit_cases["colleague"]
    lost, met = unit_cases["lost"], unit_cases["met"]
    client.force_login(unit_head)
    data = {
        "referrals": [lost.pk, met.pk],
        f"version-{lost.pk}": 0,
        f"version-{met.pk}": 0,
        "coach": colleague.pk,
        "reason": "Jämnare fördelning",
    }
    response = client.post(reverse("caseloads:reassign"), data)
    assert response.status_code == 302
    assert set(Referral.objects.filter(coach=colleague).values_list("pk", flat=True)) == {
        lost.pk,
        met.pk,
        unit_cases["theirs"].pk,
    }
    assert (
        CoachChange.objects.filter(kind="reassigned", by=unit_head, reason="Jämnare fördelning").count() == 2
    )
    stale = client.post(reverse("caseloads:reassign"), {**data, "coach": coach.pk}, follow=True)
    assert Referral.objects.filter(coach=coach).count() == 0  # versions moved: nothing moved
    assert stale.status_code == 200
    missing = client.post(reverse("caseloads:reassign"), {"coach": coach.pk, "reason": "x"})
    assert missing.status_code == 400 and "referrals" in missing.context["reassign_form"].errors


def test_the_api_lists_caseloads_and_reassigns_all_or_none(unit_head, coach, unit_cases):
    api = APIClient()
    api.force_authenticate(unit_head)
    response = api.get("/api/caseloads/?weeks=6")
    assert response.status_code == 200
    assert {p["id"] for p in response.data["lost"]} == {
        str(unit_cases["lost"].pk),
        str(unit_cases["theirs"].pk),
    }
    assert api.get("/api/caseloads/?weeks=99").status_code == 400
    colleague = unit_cases["colleague"]
    body = {
        "referrals": [
            {"id": str(unit_cases["lost"].pk), "version": 0},
            {"id": str(unit_cases["met"].pk), "version": 5},
        ],
        "coach": colleague.pk,
        "reason": "Ny fördelning",
    }
    assert api.post("/api/caseloads/reassign/", body, format="json").status_code == 409
    assert not CoachChange.objects.exists()
    body["referrals"][1]["version"] = 0
    response = api.post("/api/caseloads/reassign/", body, format="json")
    assert response.status_code == 200 and response.data == {"moved": 2}
    assert api.post("/api/caseloads/reassign/", {"referrals": []}, format="json").status_code == 400


def test_substitutes_and_the_coach_history_through_the_api(unit_head, coach, unit_cases):
    api = APIClient()
    api.force_authenticate(coach)
    today = timezone.localdate()
    colleague = unit_cases["colleague"]
    body = {
        "coach": coach.pk,
        "substitute": colleague.pk,
        "starts_on": today,
        "ends_on": today + dt.timedelta(5),
    }
    response = api.post("/api/substitutions/", body, format="json")
    assert response.status_code == 201
    listed = api.get("/api/substitutions/").data
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [(r["coach"]["id"], r["substitute"]["id"]) for r in rows] == [(coach.pk, colleague.pk)]
    api.force_authenticate(colleague)
    mine = api.get("/api/worklist/").data
    assert str(unit_cases["lost"].pk) in {r["id"] for r in mine["overdue"]}  # the absent coach's people
    own = api.post(
        "/api/substitutions/", {**body, "coach": colleague.pk, "substitute": coach.pk}, format="json"
    )
    assert own.status_code == 201  # a coach arranges their own absence
    api.force_authenticate(unit_cases["counsellor"])
    assert api.post("/api/substitutions/", body, format="json").status_code == 403
    api.force_authenticate(unit_head)
    referral = unit_cases["theirs"]
    changed = api.post(
        f"/api/referrals/{referral.pk}/coach/",
        {"coach": coach.pk, "reason": "Byte", "version": 0},
        format="json",
    )
    assert changed.status_code == 200 and changed.data["to_coach"]["id"] == coach.pk
    history = api.get(f"/api/referrals/{referral.pk}/coach/").data
    assert [row["kind"] for row in history] == ["changed"]
    stale = api.post(
        f"/api/referrals/{referral.pk}/coach/",
        {"coach": colleague.pk, "reason": "x", "version": 0},
        format="json",
    )
    assert stale.status_code == 409


def test_caseload_over_time_follows_the_history(unit, unit_head, coach, unit_cases):
    colleague = unit_cases["colleague"]
    referral = unit_cases["theirs"]
    referral_services.referral_coach_change(referral=referral, to_coach=coach, by=unit_head, reason="Byte")
    history = selectors.caseload_over_time(unit_id=unit.pk)
    assert len(history["months"]) == 12 and history["months"][-1] == timezone.localdate()
    # No history rows for the others (made without the services): they count for their coach since acceptance.
    assert history["coaches"][coach][-1] == 3
    assert history["coaches"][coach][-2] == 2  # last month the colleague's person was still theirs
    assert history["coaches"][colleague][-2] == 1 and history["coaches"][colleague][-1] == 0
    assert all(n == 0 for n in history["coaches"][colleague][:7])  # accepted four months ago


def test_the_dashboard_shows_the_caseload_per_coach_over_time_without_names(
    client, unit_head, coach, unit_cases
):
    if not reporting_supported():
        pytest.skip("the dashboard's figures need PostgreSQL")
    client.force_login(unit_head)
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert response.context["history"]["coaches"][coach][-1] == 2
    assert str(coach) in response.text and "Bortglomd" not in response.text and "Traffad" not in response.text
