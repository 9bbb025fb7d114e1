"""Provider register, authorisation lifecycle and customer choice through the REST API."""

import datetime as dt

import pytest
from django.utils import timezone

from jobbtorg.audit.models import ReadLog
from jobbtorg.interventions.models import InterventionType
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.providers.models import Application, Assignment, Authorisation, Provider, Requirement

from ..factories import ProviderFactory, ReferralFactory, UserFactory, make_organisation_number, provider_user

TODAY = timezone.localdate


@pytest.fixture
def coaching(db):
    return InterventionType.objects.get(code="individual_coaching")


@pytest.fixture
def admin_user(unit):
    return UserFactory(administrator=True, municipality=unit.municipality)


@pytest.fixture
def checklist(unit, coaching):
    return [
        Requirement.objects.create(municipality=unit.municipality, text="F-skattsedel och inga skulder"),
        Requirement.objects.create(
            municipality=unit.municipality, intervention_type=coaching, text="Utbildade coacher"
        ),
    ]


def authorise(provider, itype, capacity=None):
    staff = provider_user(provider)
    application = Application.objects.create(
        provider=provider, intervention_type=itype, submitted_by=staff, status="approved"
    )
    return Authorisation.objects.create(
        provider=provider,
        intervention_type=itype,
        application=application,
        valid_from=dt.date(2020, 1, 1),
        capacity=capacity,
    )


def _referral(caseworker, coach):
    return ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )


# --- register -----------------------------------------------------------------------------------------------


def test_administrator_registers_a_provider_with_a_validated_organisation_number(
    api_client, admin_user, coach
):
    api_client.force_authenticate(admin_user)
    response = api_client.post(
        "/api/providers/",
        {
            "name": "Steg AB",
            "organisation_number": "5560160680",
            "languages": ["sv", "so"],
            "postal_area": "Kista",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["organisation_number"] == "556016-0680"
    bad = api_client.post(
        "/api/providers/", {"name": "X AB", "organisation_number": "556016-0681"}, format="json"
    )
    assert bad.status_code == 400 and "organisation_number" in bad.data
    twice = api_client.post(
        "/api/providers/", {"name": "Y AB", "organisation_number": "556016-0680"}, format="json"
    )
    assert twice.status_code == 400
    api_client.force_authenticate(coach)
    assert (
        api_client.post(
            "/api/providers/", {"name": "Z AB", "organisation_number": "5560160680"}, format="json"
        ).status_code
        == 403
    )
    listed = api_client.get("/api/providers/")
    assert listed.status_code == 200 and [p["name"] for p in listed.data["results"]] == ["Steg AB"]
    detail = api_client.get(f"/api/providers/{listed.data['results'][0]['id']}/")
    assert detail.status_code == 200 and detail.data["languages"] == ["sv", "so"]


def test_providers_of_another_municipality_are_not_found(api_client, coach):
    from ..factories import MunicipalityFactory

    elsewhere = ProviderFactory(municipality=MunicipalityFactory(code="0181", name="Annanstad"))
    api_client.force_authenticate(coach)
    assert api_client.get(f"/api/providers/{elsewhere.pk}/").status_code == 404
    assert api_client.get(f"/api/providers/{elsewhere.pk}/authorisations/").status_code == 404


def test_requirements_checklist(api_client, unit, checklist, coaching):
    staff = provider_user(ProviderFactory(municipality=unit.municipality))
    api_client.force_authenticate(staff)
    response = api_client.get("/api/requirements/", {"intervention_type": "individual_coaching"})
    assert response.status_code == 200
    assert [r["id"] for r in response.data] == [r.pk for r in checklist]
    sfi = api_client.get("/api/requirements/", {"intervention_type": "sfi_studies"})
    assert [r["id"] for r in sfi.data] == [checklist[0].pk]
    assert api_client.get("/api/requirements/").status_code == 400
    assert api_client.get("/api/requirements/", {"intervention_type": "nonsense"}).status_code == 400


# --- authorisation lifecycle --------------------------------------------------------------------------------


def test_authorisation_lifecycle_through_the_api(api_client, unit, unit_head, checklist, coaching):
    provider = ProviderFactory(municipality=unit.municipality)
    staff = provider_user(provider)
    other_staff = provider_user(ProviderFactory(municipality=unit.municipality))
    answers = [{"requirement": r.pk, "fulfilled": True, "comment": "Bifogat"} for r in checklist]

    api_client.force_authenticate(staff)
    missing = api_client.post(
        "/api/authorisation-applications/",
        {"intervention_type": "individual_coaching", "answers": answers[:1]},
        format="json",
    )
    assert missing.status_code == 400 and "answers" in missing.data
    response = api_client.post(
        "/api/authorisation-applications/",
        {"intervention_type": "individual_coaching", "answers": answers},
        format="json",
    )
    assert response.status_code == 201, response.data
    application = response.data
    assert application["status"] == "submitted" and len(application["answers"]) == 2
    assert (
        api_client.post(
            f"/api/authorisation-applications/{application['id']}/decide/",
            {"approve": True, "reason": "x", "version": 0},
            format="json",
        ).status_code
        == 403
    )

    api_client.force_authenticate(other_staff)  # another provider sees neither the list entry nor the detail
    assert api_client.get("/api/authorisation-applications/").data["results"] == []
    assert api_client.get(f"/api/authorisation-applications/{application['id']}/").status_code == 404

    api_client.force_authenticate(unit_head)
    assert [a["id"] for a in api_client.get("/api/authorisation-applications/").data["results"]] == [
        application["id"]
    ]
    decided = api_client.post(
        f"/api/authorisation-applications/{application['id']}/decide/",
        {"approve": True, "reason": "Alla krav uppfyllda", "version": 0, "capacity": 20},
        format="json",
    )
    assert decided.status_code == 200, decided.data
    assert decided.data["application"]["status"] == "approved"
    authorisation = decided.data["authorisation"]
    assert authorisation["in_force"] and authorisation["capacity"] == 20
    stale = api_client.post(
        f"/api/authorisation-applications/{application['id']}/decide/",
        {"approve": False, "reason": "x", "version": 0},
        format="json",
    )
    assert stale.status_code == 409

    base = f"/api/authorisations/{authorisation['id']}"
    suspended = api_client.post(
        f"{base}/suspend/",
        {"start_date": TODAY().isoformat(), "reason": "Brister", "version": authorisation["lock_version"]},
        format="json",
    )
    assert suspended.status_code == 200, suspended.data
    assert not suspended.data["in_force"] and len(suspended.data["suspensions"]) == 1
    reinstated = api_client.post(
        f"{base}/reinstate/",
        {"on": TODAY().isoformat(), "reason": "Åtgärdat", "version": suspended.data["lock_version"]},
        format="json",
    )
    assert reinstated.status_code == 200 and reinstated.data["in_force"]
    revoked = api_client.post(
        f"{base}/revoke/",
        {"on": TODAY().isoformat(), "reason": "Avtalsbrott", "version": reinstated.data["lock_version"]},
        format="json",
    )
    assert revoked.status_code == 200 and not revoked.data["in_force"]
    assert [e["kind"] for e in revoked.data["events"]] == ["granted", "suspended", "reinstated", "revoked"]
    again = api_client.post(
        f"{base}/revoke/",
        {"on": TODAY().isoformat(), "reason": "x", "version": revoked.data["lock_version"]},
        format="json",
    )
    assert again.status_code == 400

    listed = api_client.get(f"/api/providers/{provider.pk}/authorisations/")
    assert listed.status_code == 200 and listed.data[0]["revoked_from"] == TODAY().isoformat()


def test_unfulfilled_requirement_cannot_be_approved(api_client, unit, unit_head, checklist):
    staff = provider_user(ProviderFactory(municipality=unit.municipality))
    api_client.force_authenticate(staff)
    answers = [{"requirement": r.pk, "fulfilled": i == 0} for i, r in enumerate(checklist)]
    created = api_client.post(
        "/api/authorisation-applications/",
        {"intervention_type": "individual_coaching", "answers": answers},
        format="json",
    )
    assert created.status_code == 201
    api_client.force_authenticate(unit_head)
    url = f"/api/authorisation-applications/{created.data['id']}/decide/"
    refused = api_client.post(url, {"approve": True, "reason": "ok", "version": 0}, format="json")
    assert refused.status_code == 400 and "approve" in refused.data
    rejected = api_client.post(
        url, {"approve": False, "reason": "Krav 2 saknas", "version": 0}, format="json"
    )
    assert rejected.status_code == 200 and rejected.data["authorisation"] is None


@pytest.mark.parametrize(
    ("who", "path", "body"),
    [
        ("admin", "/api/providers/", {"name": ""}),
        ("admin", "/api/providers/", ["not", "an", "object"]),
        ("admin", "/api/providers/", {"name": "X", "organisation_number": "5560160680", "languages": "sv"}),
        (
            "staff",
            "/api/authorisation-applications/",
            {"intervention_type": "individual_coaching", "answers": "x"},
        ),
        (
            "staff",
            "/api/authorisation-applications/",
            {
                "intervention_type": "individual_coaching",
                "answers": [{"requirement": 10**30, "fulfilled": "maybe"}],
            },
        ),
        (
            "staff",
            "/api/authorisation-applications/",
            {
                "intervention_type": "individual_coaching",
                "answers": [{"requirement": 1, "fulfilled": True}] * 2,
            },
        ),
        (
            "staff",
            "/api/authorisation-applications/",
            {
                "intervention_type": "individual_coaching",
                "answers": [{"requirement": 10**9, "fulfilled": True}],
            },
        ),
        (
            "head",
            "/api/authorisation-applications/{application}/decide/",
            {"approve": "perhaps", "version": -1},
        ),
        (
            "head",
            "/api/authorisation-applications/{application}/decide/",
            {"approve": True, "reason": "  ", "version": 0},
        ),
        (
            "admin",
            "/api/authorisations/{authorisation}/suspend/",
            {"start_date": "9999-99-99", "reason": "", "version": "x"},
        ),
        (
            "admin",
            "/api/authorisations/{authorisation}/suspend/",
            {"start_date": "2026-02-01", "end_date": "2026-01-01", "reason": "x", "version": 0},
        ),
        (
            "admin",
            "/api/authorisations/{authorisation}/reinstate/",
            {"on": None, "reason": "x", "version": 0},
        ),
        (
            "admin",
            "/api/authorisations/{authorisation}/reinstate/",
            {"on": "2026-01-01", "reason": "x", "version": 0},
        ),
        ("admin", "/api/authorisations/{authorisation}/revoke/", {}),
    ],
)
def test_malformed_bodies_are_400(api_client, unit, unit_head, coaching, checklist, who, path, body):
    provider = ProviderFactory(municipality=unit.municipality)
    authorisation = authorise(provider, coaching)
    application = Application.objects.create(
        provider=provider,
        intervention_type=InterventionType.objects.get(code="sfi_studies"),
        submitted_by=provider_user(provider),
    )
    users = {
        "admin": lambda: UserFactory(administrator=True, municipality=unit.municipality),
        "staff": lambda: provider_user(provider),
        "head": lambda: unit_head,
    }
    api_client.force_authenticate(users[who]())
    url = path.format(application=application.pk, authorisation=authorisation.pk)
    response = api_client.post(url, body, format="json")
    assert response.status_code == 400, (url, response.status_code, response.data)
    assert isinstance(response.data, dict)


# --- customer choice ----------------------------------------------------------------------------------------


def test_coach_opens_a_choice_and_the_person_chooses_from_the_comparison(
    api_client, caseworker, coach, coaching, settings
):
    settings.JOBBTORG_COMPARISON_MIN_COUNT = 2
    municipality = caseworker.district.municipality
    small = ProviderFactory(municipality=municipality, name="Alfa Coaching AB", languages=["sv", "ti"])
    big = ProviderFactory(municipality=municipality, name="Beta Jobb AB")
    ProviderFactory(municipality=municipality, name="Ej auktoriserad AB")
    authorise(small, coaching, capacity=5)
    authorise(big, coaching)
    for reason in ("work", "moved"):
        closed = ReferralFactory(
            closed=True,
            close_reason=reason,
            district=caseworker.district,
            participant__district=caseworker.district,
        )
        Assignment.objects.create(
            participant=closed.participant,
            referral=closed,
            provider=big,
            intervention_type=coaching,
            source="default_rotation",
            created_by=coach,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 6, 1),
        )
    referral = _referral(caseworker, coach)
    person_login = UserFactory(role="participant", participant=referral.participant)

    api_client.force_authenticate(caseworker)  # the caseworker may read but not open a choice
    assert (
        api_client.post(
            f"/api/referrals/{referral.pk}/choices/",
            {"intervention_type": "individual_coaching"},
            format="json",
        ).status_code
        == 403
    )
    api_client.force_authenticate(coach)
    opened = api_client.post(
        f"/api/referrals/{referral.pk}/choices/", {"intervention_type": "individual_coaching"}, format="json"
    )
    assert opened.status_code == 201, opened.data
    assert (
        api_client.post(
            f"/api/referrals/{referral.pk}/choices/",
            {"intervention_type": "individual_coaching"},
            format="json",
        ).status_code
        == 400
    )
    rows = {row["provider"]["name"]: row for row in opened.data["comparison"]}
    assert set(rows) == {"Alfa Coaching AB", "Beta Jobb AB"}
    assert rows["Alfa Coaching AB"]["languages"] == ["sv", "ti"]
    assert rows["Alfa Coaching AB"]["capacity"] == 5 and rows["Alfa Coaching AB"]["free_places"] == 5
    assert rows["Alfa Coaching AB"]["results"]["work_or_studies"] == {
        "count": 0,
        "share": None,
        "enough_data": False,
    }
    assert rows["Beta Jobb AB"]["results"]["work_or_studies"] == {
        "count": 2,
        "share": 0.5,
        "enough_data": True,
    }
    assert rows["Beta Jobb AB"]["results"]["self_supporting_6m"]["enough_data"] is False

    choice_id = opened.data["id"]
    api_client.force_authenticate(person_login)
    seen = api_client.get(f"/api/choices/{choice_id}/")
    assert seen.status_code == 200 and len(seen.data["comparison"]) == 2
    assert ReadLog.objects.filter(
        user=person_login, participant_id=referral.participant_id, view="provider_choice", channel="api"
    ).exists()
    assert [c["id"] for c in api_client.get("/api/choices/").data["results"]] == [choice_id]
    unauthorised = Provider.objects.get(name="Ej auktoriserad AB")
    refused = api_client.post(
        f"/api/choices/{choice_id}/choose/", {"provider": unauthorised.pk}, format="json"
    )
    assert refused.status_code == 400 and "provider" in refused.data
    unknown = api_client.post(f"/api/choices/{choice_id}/choose/", {"provider": 10**9}, format="json")
    assert unknown.status_code == 400 and "provider" in unknown.data
    chosen = api_client.post(f"/api/choices/{choice_id}/choose/", {"provider": small.pk}, format="json")
    assert chosen.status_code == 200, chosen.data
    assert chosen.data["status"] == "chosen" and chosen.data["assignment"]["provider"]["id"] == small.pk
    assert chosen.data["assignment"]["source"] == "participant_choice"

    other_person = UserFactory(role="participant", participant=_referral(caseworker, coach).participant)
    api_client.force_authenticate(other_person)
    assert api_client.get(f"/api/choices/{choice_id}/").status_code == 404
    assert api_client.get("/api/choices/").data["results"] == []

    # change of provider with a reason, kept in the history
    api_client.force_authenticate(coach)
    assignment_id = chosen.data["assignment"]["id"]
    no_reason = api_client.post(
        f"/api/assignments/{assignment_id}/change/", {"provider": big.pk, "reason": ""}, format="json"
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.data
    changed = api_client.post(
        f"/api/assignments/{assignment_id}/change/",
        {"provider": big.pk, "reason": "Vill ha coach som talar somaliska"},
        format="json",
    )
    assert changed.status_code == 201, changed.data
    assert changed.data["provider"]["id"] == big.pk and changed.data["source"] == "change"
    history = api_client.get(f"/api/participants/{referral.participant_id}/assignments/")
    assert history.status_code == 200
    assert [a["provider"]["id"] for a in history.data] == [big.pk, small.pk]
    assert history.data[1]["end_reason"] == "Vill ha coach som talar somaliska"
    assert ReadLog.objects.filter(user=coach, view="participant_assignments", channel="api").exists()


def test_provider_staff_see_only_their_own_assignments_and_lose_them_with_consent(
    api_client, caseworker, coach, coaching
):
    municipality = caseworker.district.municipality
    first, second = ProviderFactory(municipality=municipality), ProviderFactory(municipality=municipality)
    authorise(first, coaching)
    authorise(second, coaching)
    referral = _referral(caseworker, coach)
    consent_record(
        participant=referral.participant, status="given", scope=ConsentScope.JOBBTORG_PROVIDER, by=caseworker
    )
    api_client.force_authenticate(coach)
    choice = api_client.post(
        f"/api/referrals/{referral.pk}/choices/", {"intervention_type": "individual_coaching"}, format="json"
    ).data
    assignment = api_client.post(
        f"/api/choices/{choice['id']}/choose/", {"provider": first.pk}, format="json"
    ).data["assignment"]
    staff_first, staff_second = provider_user(first), provider_user(second)

    api_client.force_authenticate(staff_second)
    assert api_client.get(f"/api/participants/{referral.participant_id}/assignments/").status_code == 404
    assert api_client.get(f"/api/assignments/{assignment['id']}/").status_code == 404
    assert api_client.get(f"/api/choices/{choice['id']}/").status_code == 404

    api_client.force_authenticate(staff_first)
    history = api_client.get(f"/api/participants/{referral.participant_id}/assignments/")
    assert history.status_code == 200 and [a["id"] for a in history.data] == [assignment["id"]]
    assert (
        api_client.post(
            f"/api/assignments/{assignment['id']}/change/",
            {"provider": second.pk, "reason": "x"},
            format="json",
        ).status_code
        == 403
    )

    consent_record(
        participant=referral.participant,
        status="withdrawn",
        scope=ConsentScope.JOBBTORG_PROVIDER,
        by=caseworker,
    )
    assert api_client.get(f"/api/participants/{referral.participant_id}/assignments/").status_code == 404
    assert api_client.get(f"/api/assignments/{assignment['id']}/").status_code == 404


def test_choice_endpoints_reject_malformed_bodies_and_hide_other_units(
    api_client, caseworker, coach, other_unit_coach, coaching
):
    referral = _referral(caseworker, coach)
    api_client.force_authenticate(other_unit_coach)
    assert (
        api_client.post(
            f"/api/referrals/{referral.pk}/choices/",
            {"intervention_type": "individual_coaching"},
            format="json",
        ).status_code
        == 404
    )
    api_client.force_authenticate(coach)
    for body in ({}, {"intervention_type": 5}, {"intervention_type": "nonsense"}, [1, 2]):
        assert (
            api_client.post(f"/api/referrals/{referral.pk}/choices/", body, format="json").status_code == 400
        )
    choice = api_client.post(
        f"/api/referrals/{referral.pk}/choices/", {"intervention_type": "individual_coaching"}, format="json"
    ).data
    for body in ({}, {"provider": "abc"}, {"provider": -1}, {"provider": 10**40}):
        assert api_client.post(f"/api/choices/{choice['id']}/choose/", body, format="json").status_code == 400
    api_client.force_authenticate(other_unit_coach)
    assert api_client.get(f"/api/choices/{choice['id']}/").status_code == 404
    provider = ProviderFactory(
        municipality=caseworker.district.municipality, organisation_number=make_organisation_number(99001)
    )
    authorise(provider, coaching)
    api_client.force_authenticate(coach)
    assignment = api_client.post(
        f"/api/choices/{choice['id']}/choose/", {"provider": provider.pk}, format="json"
    ).data["assignment"]
    for body in ({}, {"provider": provider.pk}, {"provider": "x", "reason": "y"}):
        assert (
            api_client.post(f"/api/assignments/{assignment['id']}/change/", body, format="json").status_code
            == 400
        )
