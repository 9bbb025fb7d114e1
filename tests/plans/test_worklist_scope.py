"""'My cases' by default on the coach's worklist and meetings, the whole unit with `?scope=unit`; a substitute
has the absent coach's people during the period; staff without cases of their own see the unit."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jobbtorg.attendance import services as attendance_services
from jobbtorg.audit.models import ReadLog
from jobbtorg.referrals import services as referral_services

from ..factories import ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(caseworker, coach, unit):
    """One overdue case of the coach, one of a colleague, and one new referral of the unit."""
    colleague = UserFactory(coach=True, unit=unit, username="kollega")
    long_ago = timezone.localdate() - dt.timedelta(days=30)

    def referral(referral_date=long_ago, **kwargs):
        return ReferralFactory(
            district=caseworker.district,
            participant__district=caseworker.district,
            caseworker=caseworker,
            referral_date=referral_date,
            **kwargs,
        )

    return {
        "mine": referral(accepted=True, coach=coach, participant__last_name="Egenfall"),
        "theirs": referral(accepted=True, coach=colleague, participant__last_name="Kollegafall"),
        "new": referral(referral_date=timezone.localdate(), participant__last_name="Nyremiss"),
        "colleague": colleague,
    }


def _overdue(response):
    return [row["referral"] for row in response.context["sections"]["overdue"]]


def test_a_coach_sees_their_own_cases_and_the_switch_shows_the_unit(client, coach, cases):
    client.force_login(coach)
    response = client.get(reverse("plans:worklist"))
    assert response.context["scope"] == "mine"
    assert _overdue(response) == [cases["mine"]]
    assert "Egenfall" in response.text and "Kollegafall" not in response.text
    assert "Nyremiss" in response.text  # nobody's yet: shown until accepted
    assert 'href="/planer/arbetslista/?scope=unit"' in response.text
    logged = set(ReadLog.objects.filter(user=coach, view="worklist").values_list("participant_id", flat=True))
    assert cases["theirs"].participant_id not in logged

    response = client.get(reverse("plans:worklist") + "?scope=unit")
    assert response.context["scope"] == "unit"
    assert set(_overdue(response)) == {cases["mine"], cases["theirs"]}
    assert "Kollegafall" in response.text


def test_the_substitute_sees_the_absent_coachs_people_during_the_period(client, coach, cases):
    colleague = cases["colleague"]
    today = timezone.localdate()
    referral_services.substitution_create(
        coach=colleague, substitute=coach, starts_on=today, ends_on=today + dt.timedelta(days=4), by=colleague
    )
    client.force_login(coach)
    assert set(_overdue(client.get(reverse("plans:worklist")))) == {cases["mine"], cases["theirs"]}


def test_staff_without_cases_of_their_own_see_the_unit(client, unit, cases):
    counsellor = UserFactory(counsellor=True, unit=unit)
    client.force_login(counsellor)
    response = client.get(reverse("plans:worklist"))
    assert response.context["scope"] == "unit" and not response.context["can_choose_scope"]
    assert set(_overdue(response)) == {cases["mine"], cases["theirs"]}


def test_the_api_worklist_takes_the_scope(coach, cases):
    api = APIClient()
    api.force_authenticate(coach)
    mine = api.get("/api/worklist/")
    assert mine.data["scope"] == "mine"
    assert [r["id"] for r in mine.data["overdue"]] == [str(cases["mine"].pk)]
    unit = api.get("/api/worklist/?scope=unit")
    assert {r["id"] for r in unit.data["overdue"]} == {str(cases["mine"].pk), str(cases["theirs"].pk)}
    bad = api.get("/api/worklist/?scope=alla")
    assert bad.status_code == 400 and "scope" in bad.data


def test_meetings_are_the_coachs_own_unless_the_unit_is_asked_for(client, coach, cases):
    colleague = cases["colleague"]
    start = timezone.now() + dt.timedelta(days=1)
    for referral, by in ((cases["mine"], colleague), (cases["theirs"], colleague)):
        attendance_services.appointment_create(
            referral=referral,
            by=by,
            kind="individual",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            place="Kista",
        )
    client.force_login(coach)
    response = client.get(reverse("attendance:appointments"))
    assert "Egenfall" in response.text and "Kollegafall" not in response.text  # booked by the colleague
    assert 'href="/moten/?scope=unit"' in response.text or "?scope=unit" in response.text
    response = client.get(reverse("attendance:appointments") + "?scope=unit")
    assert "Egenfall" in response.text and "Kollegafall" in response.text
