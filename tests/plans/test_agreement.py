"""The participant's agreement to their plan (issue 16): comments and proposed activities, the agreement with
the version, time and sign-in method, voiding by a change, over work capacity, the printed plan, the PDF."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.identity.constants import SignInMethod
from jobbtorg.identity.models import SignInLog
from jobbtorg.interventions.models import InterventionType
from jobbtorg.plans import services
from jobbtorg.plans.constants import AgreementVoidReason, CommentKind, PlanStatus
from jobbtorg.plans.models import PlanAgreement, PlanComment
from jobbtorg.plans.selectors import plan_agreement_state
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.sign_in import current_sign_in_set

from ..factories import MappingFactory, UserFactory

MONDAY = datetime.date(2026, 12, 7)


def _activity(code, hours):
    return {"intervention_type": code, "start_date": MONDAY, "hours_per_week": hours}


def proposed_plan(referral, coach, hours=(20, 20)):
    plan = services.plan_for_referral(referral=referral, by=coach)
    codes = ["sfi_studies", "language_internship", "individual_coaching"]
    services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals="Arbete inom vården",
        activities=[_activity(code, h) for code, h in zip(codes, hours, strict=False)],
    )
    services.plan_propose(plan=plan, by=coach, version=plan.lock_version)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def person_user(accepted_referral):
    return UserFactory(role="participant", participant=accepted_referral.participant, username="deltagare")


@pytest.fixture
def en_client(settings):
    client = Client(headers={"accept-language": "en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_agreement_records_version_time_and_sign_in_method(accepted_referral, coach, person_user):
    plan = proposed_plan(accepted_referral, coach)
    sign_in = SignInLog.objects.create(user=person_user, method=SignInMethod.EID)
    current_sign_in_set(sign_in.pk)
    read = plan.lock_version
    try:
        agreement = services.plan_agree(plan=plan, by=person_user, version=read)
    finally:
        current_sign_in_set(None)
    assert agreement.version.number == 1 and agreement.lock_version == read
    assert agreement.sign_in_method == SignInMethod.EID and agreement.by_eid
    plan.refresh_from_db()
    assert plan.lock_version == agreement.lock_version + 1  # the agreement is a write under the lock
    state = plan_agreement_state(plan)
    assert state.agreed and not state.waiting
    assert ChangeLog.objects.filter(action="plan_agreed", object_id=str(plan.pk)).exists()
    # sent twice (a double click): the same agreement, no second row
    again = services.plan_agree(plan=plan, by=person_user, version=agreement.lock_version)
    assert again == agreement and PlanAgreement.objects.count() == 1


def test_only_the_person_agrees_and_a_stale_page_is_a_conflict(
    accepted_referral, coach, caseworker, person_user
):
    plan = proposed_plan(accepted_referral, coach)
    with pytest.raises(PermissionDenied):
        services.plan_agree(plan=plan, by=coach, version=plan.lock_version)
    other = UserFactory(role="participant", participant=MappingFactory().participant)
    with pytest.raises(PermissionDenied):
        services.plan_agree(plan=plan, by=other, version=plan.lock_version)
    with pytest.raises(ConflictError):
        services.plan_agree(plan=plan, by=person_user, version=plan.lock_version - 1)
    with pytest.raises(ValidationError) as error:
        services.plan_agree(plan=plan, by=person_user, version=None)
    assert "version" in error.value.message_dict
    assert not PlanAgreement.objects.exists()


def test_a_change_after_agreement_voids_it(accepted_referral, coach, caseworker, person_user):
    plan = proposed_plan(accepted_referral, coach)
    services.plan_agree(plan=plan, by=person_user, version=plan.lock_version)
    plan.refresh_from_db()
    services.plan_return(plan=plan, version=plan.lock_version, by=caseworker, comment="Mer SFI")
    plan.refresh_from_db()
    agreement = PlanAgreement.objects.get()
    assert not agreement.in_effect and agreement.void_reason == AgreementVoidReason.RETURNED
    state = plan_agreement_state(plan)
    assert not state.agreed and state.voided == agreement
    # the coach changes and proposes again: version 2 waits for a new agreement
    services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals="Vård",
        activities=[_activity("sfi_studies", 30)],
    )
    services.plan_propose(plan=plan, by=coach, version=plan.lock_version)
    plan.refresh_from_db()
    state = plan_agreement_state(plan)
    assert state.waiting and state.version.number == 2
    services.plan_agree(plan=plan, by=person_user, version=plan.lock_version)
    plan.refresh_from_db()
    services.plan_approve(plan=plan, version=plan.lock_version, by=caseworker)
    plan.refresh_from_db()
    # a revision after approval keeps the agreement to the version in force
    services.plan_save_draft(
        plan=plan, by=coach, version=plan.lock_version, goals="Ny", activities=[_activity("sfi_studies", 20)]
    )
    assert PlanAgreement.objects.filter(voided_at__isnull=True, version__number=2).exists()


def test_comments_and_proposed_activities(accepted_referral, coach, person_user):
    plan = proposed_plan(accepted_referral, coach)
    services.plan_comment_add(plan=plan, by=person_user, body="Jag vill börja senare.")
    proposal = services.plan_comment_add(
        plan=plan, by=person_user, intervention_type="individual_coaching", hours_per_week=5
    )
    assert proposal.kind == CommentKind.ACTIVITY and proposal.version.number == 1
    with pytest.raises(ValidationError) as error:
        services.plan_comment_add(plan=plan, by=person_user, body="  ")
    assert "body" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.plan_comment_add(plan=plan, by=person_user, intervention_type="no_such_thing")
    assert "intervention_type" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.plan_comment_add(plan=plan, by=coach, body="Hej")
    with pytest.raises(PermissionDenied):
        proposal.delete()
    assert PlanComment.objects.count() == 2
    # the plan itself is not changed by a comment (no agreement voided, no version claimed)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROPOSED


def test_over_work_capacity_needs_a_reason_to_approve(accepted_referral, coach, caseworker):
    MappingFactory(referral=accepted_referral, work_capacity=50)
    plan = proposed_plan(accepted_referral, coach, hours=(20, 10))  # 30 h against 20 h at 50 %
    with pytest.raises(ValidationError) as error:
        services.plan_approve(plan=plan, version=plan.lock_version, by=caseworker)
    assert "over the person's work capacity" in error.value.message_dict["comment"][0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROPOSED
    services.plan_approve(plan=plan, version=plan.lock_version, by=caseworker, comment="Personen vill öka.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_staff_page_shows_agreement_over_and_decision_needs_reason(
    accepted_referral, coach, caseworker, person_user, en_client
):
    MappingFactory(referral=accepted_referral, work_capacity=50)
    plan = proposed_plan(accepted_referral, coach, hours=(20, 10))
    en_client.force_login(caseworker)
    url = reverse("plans:plan", args=[accepted_referral.pk])
    page = en_client.get(url).content.decode()
    assert "The participant has not agreed to version 1." in page
    assert "over: 10 hours more than 50 % work capacity allows" in page and "full time" not in page
    services.plan_agree(plan=plan, by=person_user, version=plan.lock_version)
    plan.refresh_from_db()
    page = en_client.get(url).content.decode()
    assert "The participant agreed to version 1" in page
    response = en_client.post(
        reverse("plans:plan_decide", args=[accepted_referral.pk]),
        {"action": "approve", "version": plan.lock_version, "comment": ""},
    )
    assert response.status_code == 400
    assert "state the reason for approving it" in response.content.decode()
    response = en_client.post(
        reverse("plans:plan_decide", args=[accepted_referral.pk]),
        {"action": "approve", "version": plan.lock_version, "comment": "Önskemål"},
    )
    assert response.status_code == 302


def test_portal_plan_comment_propose_and_agree(accepted_referral, coach, person_user, en_client):
    plan = proposed_plan(accepted_referral, coach)
    en_client.force_login(person_user)
    url = reverse("portal:plan")
    page = en_client.get(url).content.decode()
    assert "I agree to the plan" in page and "Arbete inom vården" in page
    assert ReadLog.objects.filter(view="portal_plan", user=person_user).exists()
    response = en_client.post(url, {"action": "comment", "comment-body": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert en_client.post(url, {"action": "comment", "comment-body": "Bra plan"}).status_code == 302
    itype = InterventionType.objects.get(code="individual_coaching")
    response = en_client.post(
        url, {"action": "activity", "activity-intervention_type": itype.pk, "activity-hours_per_week": "45"}
    )
    assert response.status_code == 400
    response = en_client.post(
        url, {"action": "activity", "activity-intervention_type": itype.pk, "activity-hours_per_week": "4"}
    )
    assert response.status_code == 302
    stale = plan.lock_version - 1
    assert en_client.post(url, {"action": "agree", "version": stale}).status_code == 409
    assert en_client.post(url, {"action": "agree", "version": "x"}).status_code == 400
    assert en_client.post(url, {"action": "agree", "version": plan.lock_version}).status_code == 302
    page = en_client.get(url).content.decode()
    assert "The participant agreed to version 1" in page and "I agree to the plan" not in page
    agreement = PlanAgreement.objects.get()
    assert agreement.sign_in_method == SignInMethod.PASSWORD  # force_login goes through the sign-in log
    assert PlanComment.objects.filter(plan=plan).count() == 2


def test_print_and_pdf_show_who_agreed_when(accepted_referral, coach, caseworker, person_user, en_client):
    plan = proposed_plan(accepted_referral, coach)
    services.plan_agree(plan=plan, by=person_user, version=plan.lock_version)
    plan.refresh_from_db()
    services.plan_approve(plan=plan, version=plan.lock_version, by=caseworker, comment="Bra")
    en_client.force_login(caseworker)
    page = en_client.get(reverse("plans:plan_print", args=[accepted_referral.pk])).content.decode()
    assert "Who agreed when" in page and "Agreed to version 1 on" in page and "Approved by" in page
    response = en_client.get(reverse("plans:plan_pdf", args=[accepted_referral.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    name = accepted_referral.participant.full_name
    assert "Handlingsplan" in text and "Vem kom överens när" in text
    assert f"av {name}" in text and "Godkänd av" in text
    assert (
        en_client.get(reverse("plans:plan_pdf", args=[accepted_referral.pk]) + "?lang=xx").status_code == 400
    )
    assert (
        en_client.get(reverse("plans:plan_pdf", args=[accepted_referral.pk]) + "?version=9").status_code
        == 404
    )
    english = en_client.get(reverse("plans:plan_pdf", args=[accepted_referral.pk]) + "?lang=en")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(english.content)).pages)
    assert "Who agreed when" in text and "Agreed to version 1" in text
    # the person downloads their own plan
    en_client.force_login(person_user)
    own = en_client.get(reverse("portal:plan_pdf"))
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    assert ReadLog.objects.filter(view="portal_plan_pdf").exists()
    assert ReadLog.objects.filter(view="plan_pdf", user=caseworker).exists()


def test_api_own_plan_agree_and_comment(accepted_referral, coach, caseworker, person_user, api_client):
    plan = proposed_plan(accepted_referral, coach, hours=(30, 20))
    api_client.force_authenticate(coach)
    assert api_client.get("/api/my-plan/").status_code == 403
    api_client.force_authenticate(person_user)
    data = api_client.get("/api/my-plan/").json()
    assert data["version"] == 1 and data["agreement"]["status"] == "waiting"
    assert data["content"]["goals"] == "Arbete inom vården"
    response = api_client.post("/api/my-plan/comments/", {"body": ""}, format="json")
    assert response.status_code == 400 and "body" in response.json()
    response = api_client.post(
        "/api/my-plan/comments/",
        {"intervention_type": "individual_coaching", "hours_per_week": 5},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["comments"][0]["intervention_type"] == "individual_coaching"
    assert api_client.post("/api/my-plan/agree/", {}, format="json").status_code == 400
    stale = api_client.post("/api/my-plan/agree/", {"version": data["lock_version"] - 1}, format="json")
    assert stale.status_code == 409
    agreed = api_client.post("/api/my-plan/agree/", {"version": data["lock_version"]}, format="json").json()
    assert agreed["agreement"]["status"] == "agreed" and agreed["agreement"]["version"] == 1
    # another person has no plan here
    api_client.force_authenticate(UserFactory(role="participant", participant=MappingFactory().participant))
    assert api_client.get("/api/my-plan/").status_code == 404
    # the caseworker reads the status in the staff API, and the week is over (100 %: 40 h, planned 50 h)
    api_client.force_authenticate(caseworker)
    detail = api_client.get(f"/api/plans/{plan.pk}/").json()
    assert detail["agreement"]["status"] == "agreed" and detail["agreement"]["agreed_at"]
    assert detail["week_load"]["is_over"] is True and detail["week_load"]["over_hours"] == "10.0"
    refused = api_client.post(
        f"/api/plans/{plan.pk}/approve/", {"version": detail["lock_version"]}, format="json"
    )
    assert refused.status_code == 400 and "comment" in refused.json()


def test_only_readers_of_the_plan_print_it(accepted_referral, coach, caseworker, en_client):
    plan = proposed_plan(accepted_referral, coach)
    urls = [reverse(name, args=[accepted_referral.pk]) for name in ("plans:plan_print", "plans:plan_pdf")]
    for user, expected in [
        (coach, 200),
        (caseworker, 200),
        (UserFactory(coach=True), 404),  # another unit: the referral is not in scope
        (UserFactory(caseworker=True), 404),
        (UserFactory(role="participant", participant=plan.participant), 404),  # theirs is the portal
        (UserFactory(analyst=True), 404),
    ]:
        en_client.force_login(user)
        assert [en_client.get(url).status_code for url in urls] == [expected, expected], user.role


def test_inbox_shows_whether_the_participant_agreed(
    accepted_referral, coach, caseworker, person_user, en_client
):
    plan = proposed_plan(accepted_referral, coach)
    en_client.force_login(caseworker)
    assert "Has not agreed" in en_client.get(reverse("plans:inbox")).content.decode()
    services.plan_agree(plan=plan, by=person_user, version=plan.lock_version)
    assert "Has agreed" in en_client.get(reverse("plans:inbox")).content.decode()
    assert api_for(caseworker).get("/api/inbox/").json()["plans_to_decide"][0]["participant_agreed"] is True


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_pdf_draws_names_beyond_latin_1(accepted_referral, coach, caseworker, person_user, en_client):
    person = accepted_referral.participant
    person.first_name, person.last_name = "Ayşe", "Yılmaz"
    person.save(update_fields=["first_name", "last_name"])
    proposed_plan(accepted_referral, coach)
    en_client.force_login(caseworker)
    response = en_client.get(reverse("plans:plan_pdf", args=[accepted_referral.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ayşe Yılmaz" in text
