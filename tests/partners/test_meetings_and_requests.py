"""Four-party meetings (issue 18, Done when: a meeting with Försäkringskassan is booked and its outcome lands
in the plan), requests to partners with their status and answer, and the partner's confirmation of a plan
link."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jobbtorg.audit.models import ChangeLog
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.partners import services
from jobbtorg.partners.constants import MeetingStatus, RequestStatus
from jobbtorg.partners.models import PartnerMeeting, PartnerRequest
from jobbtorg.plans import services as plan_services
from jobbtorg.plans.constants import PlanStatus

from ..factories import UserFactory


@pytest.fixture
def consented(accepted_referral, caseworker):
    consent_record(
        participant=accepted_referral.participant,
        status="given",
        scope=ConsentScope.SOCIAL_INSURANCE,
        by=caseworker,
    )
    return accepted_referral


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _approved(plan, coach, caseworker):
    plan_services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals=plan.goals,
        activities=[
            {
                "intervention_type": "sfi_studies",
                "start_date": datetime.date(2026, 12, 7),
                "hours_per_week": 15,
            }
        ],
    )
    plan_services.plan_propose(plan=plan, by=coach, version=plan.lock_version)
    plan.refresh_from_db()
    plan_services.plan_approve(plan=plan, version=plan.lock_version, by=caseworker)
    plan.refresh_from_db()
    return plan


def test_handover_meeting_with_forsakringskassan_is_booked_and_its_outcome_lands_in_the_plan(
    consented, plan, coach, caseworker, insurance, fk_user
):
    plan = _approved(plan, coach, caseworker)
    assert plan.status == PlanStatus.APPROVED
    coach_client = _client(coach)
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=10, minute=0, second=0)
    response = coach_client.post(
        reverse("partners:meeting_new", args=[consented.pk]),
        {
            "meeting-organisation": insurance.pk,
            "meeting-kind": "handover",
            "meeting-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "meeting-ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "meeting-place": "Jobbtorg Järva, rum 3",
            "meeting-agenda": "Överlämning från Försäkringskassan",
        },
    )
    assert response.status_code == 302
    meeting = PartnerMeeting.objects.get()
    assert meeting.caseworker == caseworker and meeting.organisation == insurance
    assert meeting.status == MeetingStatus.INVITED

    # the invitation is visible to Försäkringskassan's staff
    home = _client(fk_user).get(reverse("partners:home")).content.decode()
    assert "Jobbtorg Järva, rum 3" in home
    assert _api(fk_user).get(reverse("api-partner-meeting-detail", args=[meeting.pk])).status_code == 200

    # the outcome with a follow-up action: an activity of the plan, which becomes a draft to approve again
    response = coach_client.post(
        reverse("partners:meeting_outcome", args=[meeting.pk]),
        {
            "version": meeting.lock_version,
            "status": "held",
            "outcome": "Överens om arbetsträning på halvtid",
            "action0_intervention": _work_training_pk(),
            "action0_description": "Arbetsträning enligt överlämningsmötet",
            "action0_start": "2027-01-10",
            "action0_hours": "20",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    plan.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.outcome_recorded_by == coach
    descriptions = list(plan.activities.values_list("description", flat=True))
    assert "Arbetsträning enligt överlämningsmötet" in descriptions
    assert plan.status == PlanStatus.DRAFT and plan.current_version is not None  # the approved one stays
    assert ChangeLog.objects.filter(action="plan_activity_added", object_id=str(plan.pk)).exists()
    assert ChangeLog.objects.filter(action="partner_meeting_outcome", object_id=str(meeting.pk)).exists()

    # the partner sees the outcome and the new activity in the shared plan
    shared = _api(fk_user).get(reverse("api-partner-shared-plan", args=[consented.participant_id])).json()
    assert shared["meetings"][0]["outcome"] == "Överens om arbetsträning på halvtid"
    assert "Arbetsträning enligt överlämningsmötet" in [
        a["description"] for a in shared["plans"][0]["activities"]
    ]


def _work_training_pk():
    from jobbtorg.interventions.models import InterventionType

    return InterventionType.objects.filter(active=True).exclude(code="sfi_studies").first().pk


def test_outcome_is_all_or_nothing_and_locked(consented, plan, coach, insurance):
    start = timezone.now() + datetime.timedelta(days=1)
    meeting = services.partner_meeting_book(
        referral=consented,
        by=coach,
        organisation=insurance,
        kind="handover",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="Jobbtorg",
    )
    activities_before = plan.activities.count()
    api = _api(coach)
    url = reverse("api-partner-meeting-outcome", args=[meeting.pk])
    bad = api.post(
        url,
        {
            "version": meeting.lock_version,
            "status": "held",
            "outcome": "Möte hållet",
            "follow_ups": [
                {"intervention_code": "no-such-code", "start_date": "2027-01-10", "hours_per_week": 10}
            ],
        },
        format="json",
    )
    assert bad.status_code == 400 and "follow_ups[0].intervention_type" in bad.json()
    meeting.refresh_from_db()
    assert (
        meeting.status == MeetingStatus.INVITED and plan.activities.count() == activities_before
    )  # nothing saved

    assert (
        api.post(
            url, {"version": meeting.lock_version, "status": "held", "outcome": ""}, format="json"
        ).status_code
        == 400
    )
    ok = api.post(
        url, {"version": meeting.lock_version, "status": "held", "outcome": "Hållet"}, format="json"
    )
    assert ok.status_code == 200
    stale = api.post(url, {"version": 0, "status": "cancelled"}, format="json")
    assert stale.status_code in (400, 409)  # held is final (400); a stale version alone would be 409


def test_booking_needs_the_persons_consent(accepted_referral, coach, insurance):
    start = timezone.now() + datetime.timedelta(days=1)
    response = _api(coach).post(
        reverse("api-partner-meeting-list"),
        {
            "referral": str(accepted_referral.pk),
            "organisation": insurance.pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
            "place": "Jobbtorg",
        },
        format="json",
    )
    assert response.status_code == 400 and "organisation" in response.json()
    assert not PartnerMeeting.objects.exists()


def test_request_to_partner_status_and_answer(consented, coach, insurance, fk_user, employment_service):
    api = _api(coach)
    response = api.post(
        reverse("api-partner-request-list"),
        {
            "referral": str(consented.pk),
            "organisation": insurance.pk,
            "kind": "rehabilitation_assessment",
            "question": "Vi begär en rehabiliteringsbedömning.",
        },
        format="json",
    )
    assert response.status_code == 201
    item = PartnerRequest.objects.get()
    assert item.status == RequestStatus.SENT

    partner = _api(fk_user)
    handle = reverse("api-partner-request-handle", args=[item.pk])
    assert (
        partner.post(handle, {"version": 0, "status": "answered", "answer": ""}, format="json").status_code
        == 400
    )
    assert partner.post(handle, {"version": 0, "status": "accepted"}, format="json").status_code == 200
    assert (
        partner.post(handle, {"version": 0, "status": "answered", "answer": "x"}, format="json").status_code
        == 409
    )
    answered = partner.post(
        handle, {"version": 1, "status": "answered", "answer": "Bedömning: arbetsförmåga 50 %"}, format="json"
    )
    assert answered.status_code == 200
    assert (
        partner.post(handle, {"version": 2, "status": "declined", "answer": "x"}, format="json").status_code
        == 400
    )

    # the coach sees status and answer, on the page and through the API
    seen = api.get(reverse("api-partner-request-detail", args=[item.pk])).json()
    assert seen["status"] == "answered" and seen["answer"] == "Bedömning: arbetsförmåga 50 %"
    page = _client(coach).get(reverse("partners:case", args=[consented.pk])).content.decode()
    assert "Bedömning: arbetsförmåga 50 %" in page

    # another partner cannot see or answer it; the coach cannot answer it
    other = UserFactory(role="partner_staff", partner_organisation=employment_service)
    assert (
        _api(other)
        .post(handle, {"version": 2, "status": "declined", "answer": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        api.post(handle, {"version": 2, "status": "declined", "answer": "x"}, format="json").status_code
        == 403
    )


def test_answer_page_shows_field_messages(consented, coach, insurance, fk_user):
    item = services.partner_request_send(
        referral=consented, by=coach, organisation=insurance, kind="sfi_test", question="SFI-test"
    )
    response = _client(fk_user).post(
        reverse("partners:request_handle", args=[item.pk]),
        {f"r{item.pk}-version": 0, f"r{item.pk}-status": "declined", f"r{item.pk}-answer": ""},
    )
    assert response.status_code == 400
    assert f'id="id_r{item.pk}-answer_error"' in response.content.decode()  # the message on its field


def test_partner_confirms_the_link_to_its_plan(consented, plan, coach, insurance, fk_user):
    plan_services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals=plan.goals,
        activities=[],
        other_plans=[
            {
                "kind": "other",
                "reference": "FK-ÄRENDE-9",
                "partner": insurance,
                "start_date": datetime.date(2027, 1, 1),
                "end_date": datetime.date(2027, 6, 30),
            }
        ],
    )
    link = plan.other_plans.get()
    assert link.status == "planned" and link.confirmed_at is None
    response = _client(fk_user).post(
        reverse("partners:link_confirm", args=[link.pk]), {f"l{link.pk}-status": "in_force"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.confirmed_by == fk_user and link.status == "in_force"

    # the coach sees it on the plan page
    page = _client(coach).get(reverse("plans:plan", args=[consented.pk])).content.decode()
    assert 'data-partner-confirmed="yes"' in page

    # an unchanged link keeps its confirmation when the draft is saved again; a changed date drops it
    plan.refresh_from_db()
    again = {
        "kind": "other",
        "reference": "FK-ÄRENDE-9",
        "partner": insurance,
        "status": "in_force",
        "start_date": datetime.date(2027, 1, 1),
        "end_date": datetime.date(2027, 6, 30),
    }
    plan_services.plan_save_draft(
        plan=plan, by=coach, version=plan.lock_version, goals=plan.goals, activities=[], other_plans=[again]
    )
    assert plan.other_plans.get().confirmed_at is not None
    plan.refresh_from_db()
    plan_services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals=plan.goals,
        activities=[],
        other_plans=[{**again, "end_date": datetime.date(2027, 12, 31)}],
    )
    assert plan.other_plans.get().confirmed_at is None

    # through the API; the coach may not confirm
    link = plan.other_plans.get()
    url = reverse("api-plan-link-confirm", args=[link.pk])
    assert _api(coach).post(url, {}, format="json").status_code in (403, 404)
    assert _api(fk_user).post(url, {"status": "bogus"}, format="json").status_code == 400
    assert _api(fk_user).post(url, {"status": "ended"}, format="json").json()["status"] == "ended"
