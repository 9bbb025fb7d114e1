"""The demo: the matcher (`matchare`) opens a vacancy, sees ranked participants with explanations, proposes
one, records the answer, the employer contact and a hire; the person's record shows it."""

import datetime

import pytest
from django.urls import reverse

from jobbtorg.accounts.models import User
from jobbtorg.demo.seed import PASSWORD, seed_demo
from jobbtorg.matching.models import Employer, Match, Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return seed_demo(participants=60, today=datetime.date(2026, 11, 16))


def test_the_demo_has_matching_data(demo):
    assert Employer.objects.count() == 25
    assert Vacancy.objects.count() == 80
    statuses = set(Match.objects.values_list("status", flat=True))
    assert {"proposed", "participant_agreed", "employer_contacted", "hired"} <= statuses
    hire = Match.objects.get(status="hired")
    assert hire.plan_activity_id is not None or hire.events.last().note
    matcher = User.objects.get(username="matchare")
    assert hire.proposed_by == matcher
    assert Match.objects.visible_to(matcher).count() == Match.objects.count()


def test_the_matcher_walks_through_the_demo(demo, client):
    client.cookies["django_language"] = "en"
    matcher = User.objects.get(username="matchare")
    assert matcher.check_password(PASSWORD)
    client.force_login(matcher)
    from jobbtorg.matching import selectors

    vacancy = None
    for candidate in Vacancy.objects.filter(status="open").order_by("created_at"):
        ranked, _filtered = selectors.rank_participants_for_vacancy(vacancy=candidate, user=matcher)
        free = [
            r
            for r in ranked
            if not Match.objects.filter(participant=r["participant"], vacancy=candidate).exists()
        ]
        if free:
            vacancy, person = candidate, free[0]["participant"]
            break
    assert vacancy is not None
    page = client.get(reverse("matching:vacancy", args=[vacancy.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Participants of your unit, ranked" in html and "points of 100" in html
    assert person.full_name in html

    client.post(reverse("matching:vacancy_propose", args=[vacancy.pk]), {"participant": person.pk})
    match = Match.objects.get(participant=person, vacancy=vacancy, status="proposed")
    client.post(reverse("matching:match_answer", args=[match.pk]), {"agreed": "yes", "version": 0})
    client.post(reverse("matching:match_contacted", args=[match.pk]), {"version": 1})
    response = client.post(
        reverse("matching:match_outcome", args=[match.pk]),
        {
            "outcome": "hired",
            "version": 2,
            "start_date": "2026-12-01",
            "hours_per_week": 30,
            "employment_form": "fixed_term",
        },
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == "hired"
    html = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "Hires and internship starts" in html and vacancy.title in html
