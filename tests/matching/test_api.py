"""The matching API: scoping, bad input as HTTP 400 with field messages, and the flow."""

import pytest

from jobbtorg.matching.models import Match

pytestmark = pytest.mark.django_db


def test_vacancy_create_rejects_missing_and_unknown_occupation(api_client, matcher, employer, skill_ids):
    api_client.force_authenticate(matcher)
    base = {"employer": str(employer.pk), "title": "X", "postal_code": "16364"}
    missing = api_client.post("/api/matching/vacancies/", base, format="json")
    assert missing.status_code == 400 and "occupation" in missing.json()
    unknown = api_client.post("/api/matching/vacancies/", {**base, "occupation": "9999"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["occupation"] == [
        "Okänd yrkesgrupp i SSYK 2012: 9999"
    ]
    bad_skill = api_client.post(
        "/api/matching/vacancies/",
        {**base, "occupation": "5321", "skills": [{"skill": 10**9}]},
        format="json",
    )
    assert bad_skill.status_code == 400 and "skills" in bad_skill.json()
    ok = api_client.post(
        "/api/matching/vacancies/",
        {**base, "occupation": "5321", "skills": [{"skill": skill_ids[0], "required": True}]},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["skills"] == [{"skill": skill_ids[0], "required": True}]


def test_employer_create_validates_the_organisation_number(api_client, matcher, coach):
    api_client.force_authenticate(matcher)
    bad = api_client.post(
        "/api/matching/employers/", {"name": "X", "organisation_number": "123"}, format="json"
    )
    assert bad.status_code == 400 and "organisation_number" in bad.json()
    ok = api_client.post(
        "/api/matching/employers/", {"name": "X", "organisation_number": "5560000019"}, format="json"
    )
    assert ok.status_code == 201
    api_client.force_authenticate(coach)
    assert (
        api_client.post(
            "/api/matching/employers/", {"name": "Y", "organisation_number": "5560000027"}
        ).status_code
        == 403
    )


def test_ranking_and_flow(api_client, matcher, mapping, vacancy):
    api_client.force_authenticate(matcher)
    ranking = api_client.get(f"/api/matching/vacancies/{vacancy.pk}/ranking/").json()
    assert ranking["ranked"][0]["participant"] == str(mapping.participant.pk)
    rows = ranking["ranked"][0]["explanation"]["rows"]
    assert [r["key"] for r in rows] == [
        "occupation",
        "skills",
        "swedish",
        "hours",
        "licence",
        "distance",
        "wishes",
    ]
    mine = api_client.get(f"/api/matching/participant-rankings/{mapping.participant.pk}/").json()
    assert mine[0]["vacancy"] == str(vacancy.pk)

    created = api_client.post(
        "/api/matching/matches/",
        {"participant": str(mapping.participant.pk), "vacancy": str(vacancy.pk)},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (
        api_client.post(f"/api/matching/matches/{pk}/contacted/", {"version": 0}, format="json").status_code
        == 400
    )
    assert (
        api_client.post(
            f"/api/matching/matches/{pk}/answer/", {"agreed": True, "version": 0}, format="json"
        ).status_code
        == 200
    )
    assert (
        api_client.post(
            f"/api/matching/matches/{pk}/answer/", {"agreed": True, "version": 0}, format="json"
        ).status_code
        == 409
    )
    assert (
        api_client.post(f"/api/matching/matches/{pk}/contacted/", {"version": 1}, format="json").status_code
        == 200
    )
    hired = api_client.post(
        f"/api/matching/matches/{pk}/outcome/",
        {
            "outcome": "hired",
            "version": 2,
            "start_date": "2026-12-01",
            "hours_per_week": 40,
            "employment_form": "permanent",
        },
        format="json",
    )
    assert hired.status_code == 200 and hired.json()["status"] == "hired"
    assert [e["to_status"] for e in hired.json()["events"]] == [
        "proposed",
        "participant_agreed",
        "employer_contacted",
        "hired",
    ]


def test_propose_outside_the_unit_is_refused(api_client, other_unit_matcher, mapping, vacancy):
    api_client.cookies["django_language"] = "en"
    api_client.force_authenticate(other_unit_matcher)
    response = api_client.post(
        "/api/matching/matches/",
        {"participant": str(mapping.participant.pk), "vacancy": str(vacancy.pk)},
        format="json",
    )
    assert response.status_code == 403 and "not one of your unit" in response.json()["detail"]
    assert not Match.objects.exists()
    assert api_client.get(f"/api/matching/participant-rankings/{mapping.participant.pk}/").status_code == 404


def test_coach_may_view_matches_but_not_propose(api_client, coach, matcher, mapping, vacancy):
    api_client.force_authenticate(matcher)
    api_client.post(
        "/api/matching/matches/",
        {"participant": str(mapping.participant.pk), "vacancy": str(vacancy.pk)},
        format="json",
    )
    api_client.force_authenticate(coach)
    listed = api_client.get("/api/matching/matches/").json()
    assert len(listed["results"] if isinstance(listed, dict) else listed) == 1
    response = api_client.post(
        "/api/matching/matches/",
        {"participant": str(mapping.participant.pk), "vacancy": str(vacancy.pk)},
        format="json",
    )
    assert response.status_code == 403


def test_mapping_api_validates_codes_and_skills(api_client, coach, accepted_referral, skill_ids):
    api_client.cookies["django_language"] = "en"
    api_client.force_authenticate(coach)
    url = f"/api/referrals/{accepted_referral.pk}/mapping/"
    bad = api_client.put(url, {"wanted_occupations": ["9999"], "skills": [10**9]}, format="json")
    assert bad.status_code == 400
    assert bad.json()["wanted_occupations"] == ["Unknown SSYK 2012 occupation group: 9999"]
    assert "skills" in bad.json()
    ok = api_client.put(
        url,
        {"wanted_occupations": ["5321"], "skills": [skill_ids[0]], "wanted_kinds": ["internship"]},
        format="json",
    )
    assert ok.status_code == 201
    assert (ok.json()["wanted_occupations"], ok.json()["skills"], ok.json()["wanted_kinds"]) == (
        ["5321"],
        [skill_ids[0]],
        ["internship"],
    )
