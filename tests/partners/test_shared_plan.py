"""Issue 18, Done when: a partner user sees exactly the plan content their consent scope covers and nothing
else, and loses it at withdrawal — through the pages and the API."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.audit.models import ReadLog
from jobbtorg.journal import services as journal_services
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.partners import services
from jobbtorg.plans import services as plan_services

from ..factories import MappingFactory

JOURNAL_TEXT = "JOURNALHEMLIS-4711"
MAPPING_TEXT = "KARTLÄGGNINGHEMLIS-4711"


@pytest.fixture
def shared_case(accepted_referral, plan, coach, caseworker, insurance):
    """A person with a plan (goals, an activity, a link to another plan), a journal entry and a mapping; the
    consent to sharing with Försäkringskassan is given and the coach sent it a request."""
    referral = accepted_referral
    plan_services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals="Deltid inom vården (MÅLTEXT)",
        activities=[
            {
                "intervention_type": "sfi_studies",
                "description": "SFI-kurs (AKTIVITETSTEXT)",
                "start_date": datetime.date(2026, 12, 7),
                "hours_per_week": 15,
            }
        ],
        other_plans=[{"kind": "other", "reference": "FK-REHAB-1", "partner": insurance}],
    )
    MappingFactory(referral=referral, participant=referral.participant, needs=MAPPING_TEXT)
    journal_services.entry_write(
        referral=referral,
        kind="meeting",
        occurred_on=datetime.date(2026, 12, 1),
        body=JOURNAL_TEXT,
        by=coach,
        sign=True,
    )
    consent_record(
        participant=referral.participant, status="given", scope=ConsentScope.SOCIAL_INSURANCE, by=caseworker
    )
    services.partner_request_send(
        referral=referral,
        by=coach,
        organisation=insurance,
        kind="rehabilitation_assessment",
        question="Begäran om rehabiliteringsbedömning (FRÅGETEXT)",
    )
    return referral


def _page(user, name, *args):
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=args))


def _api(user, name, *args):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(reverse(name, args=args))


def test_partner_sees_the_shared_plan_and_nothing_else(shared_case, fk_user):
    person = shared_case.participant
    home = _page(fk_user, "partners:home")
    assert home.status_code == 200 and person.last_name in home.content.decode()

    page = _page(fk_user, "partners:person", person.pk)
    body = page.content.decode()
    assert page.status_code == 200
    for shown in ("MÅLTEXT", "AKTIVITETSTEXT", "FK-REHAB-1", "FRÅGETEXT"):
        assert shown in body
    for hidden in (JOURNAL_TEXT, MAPPING_TEXT, person.personal_number):
        assert hidden not in body

    api = _api(fk_user, "api-partner-shared-plan", person.pk)
    assert api.status_code == 200
    data = api.json()
    assert data["plans"][0]["goals"] == "Deltid inom vården (MÅLTEXT)"
    assert [a["description"] for a in data["plans"][0]["activities"]] == ["SFI-kurs (AKTIVITETSTEXT)"]
    assert data["plans"][0]["other_plans"][0]["reference"] == "FK-REHAB-1"
    assert [r["kind"] for r in data["requests"]] == ["rehabilitation_assessment"]
    assert JOURNAL_TEXT not in api.content.decode() and MAPPING_TEXT not in api.content.decode()

    # the rest of the case stays closed to the partner: journal, mapping, referral, the person's record
    assert _page(fk_user, "journal:person", person.pk).status_code in (403, 404)
    assert _page(fk_user, "plans:mapping", shared_case.pk).status_code in (403, 404)
    assert _page(fk_user, "plans:plan", shared_case.pk).status_code in (403, 404)
    assert _page(fk_user, "participants:detail", person.pk).status_code in (403, 404)
    assert _page(fk_user, "referrals:detail", shared_case.pk).status_code in (403, 404)
    assert _api(fk_user, "api-journal-entry-list").status_code == 403
    assert _api(fk_user, "api-participant-detail", person.pk).status_code in (403, 404)
    assert _api(fk_user, "api-mapping", shared_case.pk).status_code in (403, 404)
    assert _api(fk_user, "api-message-list").json().get("results", []) == []

    views = set(ReadLog.objects.filter(user=fk_user, participant_id=person.pk).values_list("view", flat=True))
    assert {"partner_home", "partner_shared_plan"} <= views


def test_withdrawal_cuts_access_at_once(shared_case, fk_user, caseworker):
    person = shared_case.participant
    assert _page(fk_user, "partners:person", person.pk).status_code == 200
    assert _api(fk_user, "api-partner-shared-plan", person.pk).status_code == 200

    consent_record(participant=person, status="withdrawn", scope=ConsentScope.SOCIAL_INSURANCE, by=caseworker)

    assert _page(fk_user, "partners:person", person.pk).status_code == 404
    assert person.last_name not in _page(fk_user, "partners:home").content.decode()
    assert _api(fk_user, "api-partner-shared-plan", person.pk).status_code == 404
    assert _api(fk_user, "api-partner-people").json() == []
    assert _api(fk_user, "api-partner-request-list").json()["results"] == []
    assert _api(fk_user, "api-partner-meeting-list").json()["results"] == []
    request = shared_case.partner_requests.get()
    assert _api(fk_user, "api-partner-request-detail", request.pk).status_code == 404

    # given again: seen again (the latest decision counts)
    consent_record(participant=person, status="given", scope=ConsentScope.SOCIAL_INSURANCE, by=caseworker)
    assert _page(fk_user, "partners:person", person.pk).status_code == 200


def test_consent_for_another_partner_kind_gives_nothing(shared_case, af_user, employment_service, coach):
    """Arbetsförmedlingen: the plan links to its plan too, but the person consented to Försäkringskassan
    only."""
    plan = shared_case.plan
    plan_services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals=plan.goals,
        activities=[],
        other_plans=[{"kind": "employment_service", "reference": "AF-1", "partner": employment_service}],
    )
    person = shared_case.participant
    assert _page(af_user, "partners:person", person.pk).status_code == 404
    assert _api(af_user, "api-partner-shared-plan", person.pk).status_code == 404
    assert _api(af_user, "api-partner-people").json() == []


def test_consent_without_work_with_the_partner_gives_nothing(accepted_referral, caseworker, fk_user):
    """Consent alone does not open a person to every Försäkringskassan user: the organisation must work
    with them (a meeting, a request or a plan link)."""
    person = accepted_referral.participant
    consent_record(participant=person, status="given", scope=ConsentScope.SOCIAL_INSURANCE, by=caseworker)
    assert _page(fk_user, "partners:person", person.pk).status_code == 404
    assert _api(fk_user, "api-partner-people").json() == []
