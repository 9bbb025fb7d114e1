"""Intake at the Jobbtorg unit (inskrivning, ADR 0020): a person who comes from Arbetsförmedlingen,
Försäkringskassan, on their own or from another actor, registered by the unit's staff without a caseworker;
who sees them, and who decides their action plan."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import ChangeLog
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.participants.models import Consent, Participant
from jobbtorg.plans import perms as plan_perms
from jobbtorg.plans import selectors as plan_selectors
from jobbtorg.plans import services as plan_services
from jobbtorg.plans.constants import PlanStatus
from jobbtorg.referrals import perms, services
from jobbtorg.referrals.constants import CoachChangeKind, ReferralSource, ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.errors import ConflictError

from ..factories import DistrictFactory, ParticipantFactory, UserFactory
from ..plans.test_plan_flow import _proposed_plan

INTAKE = {
    "personal_number": "19850709-9805",
    "first_name": "Amina",
    "last_name": "Hassan",
    "target_group": "unemployed_on_assistance",
    "reason": "Inskriven via Arbetsförmedlingen, vill arbeta inom vården",
    "source": ReferralSource.EMPLOYMENT_SERVICE,
    "consent_given": True,
}


def _intake(by, district, **overrides):
    return services.referral_intake(by=by, district=district, **{**INTAKE, **overrides})


def test_a_coach_takes_a_person_in_accepted_with_the_coach_responsible(coach, district):
    referral = _intake(coach, district, referral_date=dt.date(2026, 12, 7))
    assert referral.is_intake and referral.caseworker is None
    assert referral.unit == coach.unit and referral.district == district
    assert referral.status == ReferralStatus.ACCEPTED and referral.accepted_at is not None
    assert referral.source == ReferralSource.EMPLOYMENT_SERVICE and referral.source_other == ""
    assert referral.coach == coach
    assert referral.plan_due_date == dt.date(2026, 12, 14)
    assert list(referral.events.values_list("from_status", "to_status")) == [
        ("", "received"),
        ("received", "accepted"),
    ]
    change = referral.coach_changes.get()
    assert change.kind == CoachChangeKind.ACCEPTED and change.to_coach == coach
    person = referral.participant
    assert person.personal_number == "198507099805" and person.district == district
    consent = Consent.objects.get(participant=person)
    assert consent.scope == ConsentScope.EMPLOYMENT_SERVICE and consent.status == ConsentStatus.GIVEN
    log = ChangeLog.objects.get(action="referral_created", participant_id=person.pk)
    assert log.changes["intake"] is True and log.changes["source"] == "employment_service"


def test_coordination_numbers_are_taken_in(coach, district):
    referral = _intake(coach, district, personal_number="19850769-9802")
    assert referral.participant.is_coordination_number


def test_a_bad_identity_number_is_refused_on_its_field_and_nothing_is_written(coach, district):
    with pytest.raises(ValidationError) as exc:
        _intake(coach, district, personal_number="19850709-9806")
    assert "personal_number" in exc.value.message_dict
    assert not Referral.objects.exists() and not Participant.objects.exists()


def test_an_existing_person_is_reused_whichever_district_they_live_in(coach, district):
    elsewhere = DistrictFactory(unit__municipality=district.municipality, name="Skärholmen")
    person = ParticipantFactory(district=elsewhere, personal_number="198507099805")
    referral = _intake(coach, district)
    assert referral.participant == person and Participant.objects.count() == 1
    assert referral.district == elsewhere  # where the person is registered, not what the form said


def test_the_person_referred_twice_is_one_person(coach, district, caseworker):
    first = _intake(coach, district)
    services.referral_close(referral=first, by=coach, reason="interrupted")
    second = services.referral_create(by=caseworker, assistance_status="receiving", **INTAKE)
    assert second.participant == first.participant and Participant.objects.count() == 1
    assert second.source == ReferralSource.EMPLOYMENT_SERVICE and not second.is_intake


def test_an_open_referral_blocks_an_intake(coach, district, accepted_referral):
    with pytest.raises(ValidationError) as exc:
        _intake(coach, district, personal_number=accepted_referral.participant.personal_number)
    assert "open referral" in exc.value.message_dict["personal_number"][0]
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source": ReferralSource.SOCIAL_SERVICES}, "source"),
        ({"source": "nonsense"}, "source"),
        ({"source": ReferralSource.OTHER, "source_other": "  "}, "source_other"),
        ({"referral_date": dt.date.today() + dt.timedelta(days=3)}, "referral_date"),
    ],
)
def test_bad_intake_input_is_refused_on_its_field(coach, district, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _intake(coach, district, **overrides)
    assert field in exc.value.message_dict
    assert not Referral.objects.exists() and not Participant.objects.exists()


def test_a_district_of_another_municipality_is_refused(coach):
    foreign = DistrictFactory(unit__municipality__code="0182", unit__municipality__name="Nacka")
    with pytest.raises(ValidationError) as exc:
        _intake(coach, foreign)
    assert "district" in exc.value.message_dict


def test_another_actor_is_named_and_no_consent_is_recorded_without_a_partner(coach, district):
    referral = _intake(coach, district, source=ReferralSource.OTHER, source_other="Kriminalvården")
    assert referral.source_other == "Kriminalvården"
    assert not Consent.objects.filter(participant=referral.participant).exists()


def test_who_may_register_an_intake(coach, unit_head, caseworker, district, unit):
    counsellor = UserFactory(counsellor=True, unit=unit)
    matcher = UserFactory(matcher=True, unit=unit)
    assert perms.can_register_intake(coach) and perms.can_register_intake(unit_head)
    for user in (caseworker, counsellor, matcher):
        assert not perms.can_register_intake(user)
        with pytest.raises(PermissionDenied):
            _intake(user, district)
    referral = _intake(unit_head, district)
    assert referral.status == ReferralStatus.ACCEPTED and referral.coach is None  # the head names no coach
    assert not referral.coach_changes.exists()


def test_the_unit_head_names_the_responsible_coach(unit_head, coach, district, other_unit_coach):
    assert _intake(unit_head, district, coach=coach).coach == coach
    with pytest.raises(ValidationError) as exc:
        _intake(unit_head, district, coach=other_unit_coach, personal_number="19900101-0017")
    assert "coach" in exc.value.message_dict


def test_the_district_does_not_see_a_person_it_never_referred(coach, district, caseworker):
    referral = _intake(coach, district)
    person = referral.participant
    assert not Referral.objects.visible_to(caseworker).exists()
    assert not Participant.objects.visible_to(caseworker).filter(pk=person.pk).exists()
    assert Referral.objects.visible_to(coach).filter(pk=referral.pk).exists()
    assert Participant.objects.visible_to(coach).filter(pk=person.pk).exists()
    assert not perms.can_close_referral(caseworker, referral)
    assert not perms.can_send_back_referral(coach, referral)
    # Once the district refers the person, the district sees them — and only its own referral.
    services.referral_close(referral=referral, by=coach, reason="interrupted")
    own = services.referral_create(by=caseworker, assistance_status="receiving", **INTAKE)
    assert Participant.objects.visible_to(caseworker).filter(pk=person.pk).exists()
    assert list(Referral.objects.visible_to(caseworker)) == [own]


def test_people_of_the_district_without_any_referral_stay_visible_to_the_district(caseworker, district):
    person = ParticipantFactory(district=district)
    assert Participant.objects.visible_to(caseworker).filter(pk=person.pk).exists()


def test_withdrawing_the_district_consent_leaves_an_intake_open(coach, district):
    referral = _intake(coach, district)
    closed = services.referrals_consent_withdrawn(
        participant_id=referral.participant_id, on=timezone.localdate(), by=coach
    )
    referral.refresh_from_db()
    assert closed == [] and referral.status == ReferralStatus.ACCEPTED
    assert referral.consent_withdrawn_at is None


# -- the action plan of an intake: decided by the unit head (ADR 0020) ----------------------------------


def test_the_unit_head_approves_the_plan_of_an_intake(coach, unit_head, district):
    plan = _proposed_plan(_intake(coach, district), coach)
    assert plan_perms.can_approve_plan(unit_head, plan)
    version = plan_services.plan_approve(plan=plan, version=plan.lock_version, by=unit_head)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.current_version == version
    assert version.decided_by == unit_head
    assert ChangeLog.objects.filter(action="plan_approved", actor=unit_head).exists()


def test_the_unit_head_decides_through_the_same_optimistic_lock(coach, unit_head, district):
    plan = _proposed_plan(_intake(coach, district), coach)
    stale = plan.lock_version - 1
    with pytest.raises(ConflictError):
        plan_services.plan_approve(plan=plan, version=stale, by=unit_head)
    plan_services.plan_return(plan=plan, version=plan.lock_version, by=unit_head, comment="Mer praktik")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED


def test_who_may_not_decide_the_plan_of_an_intake(coach, unit_head, district, caseworker, unit):
    plan = _proposed_plan(_intake(coach, district), coach)
    other_head = UserFactory(unit_head=True)
    counsellor = UserFactory(counsellor=True, unit=unit)
    for user in (coach, counsellor, caseworker, other_head):
        assert not plan_perms.can_approve_plan(user, plan)
        with pytest.raises(PermissionDenied):
            plan_services.plan_approve(plan=plan, version=plan.lock_version, by=user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROPOSED


def test_the_unit_head_does_not_decide_a_district_referral(accepted_referral, coach, unit_head, caseworker):
    plan = _proposed_plan(accepted_referral, coach)
    assert not plan_perms.can_approve_plan(unit_head, plan)
    with pytest.raises(PermissionDenied):
        plan_services.plan_approve(plan=plan, version=plan.lock_version, by=unit_head)
    assert plan_perms.can_approve_plan(caseworker, plan)


def test_the_unit_heads_inbox_lists_the_intakes_to_decide_and_the_caseworkers_does_not(
    client, accepted_referral, coach, unit_head, caseworker, district
):
    """The lists of plans to decide follow `can_approve_plan`: the unit head's inbox (and the menu's count)
    has the proposed plan of an intake and not the district's referred plan; the caseworker's the other way
    round; and the unit head's inbox has no sections of district referrals."""
    intake_plan = _proposed_plan(_intake(coach, district), coach)
    district_plan = _proposed_plan(accepted_referral, coach)
    assert list(plan_selectors.plans_to_decide(user=unit_head)) == [intake_plan]
    assert list(plan_selectors.plans_to_decide(user=caseworker)) == [district_plan]
    assert plan_selectors.plans_to_decide_count(user=unit_head) == 1
    for plan in (intake_plan, district_plan):
        for user in (unit_head, caseworker):
            listed = plan in plan_selectors.plans_to_decide(user=user)
            assert listed == plan_perms.can_approve_plan(user, plan)
    client.force_login(unit_head)
    page = client.get(reverse("plans:inbox")).text
    assert intake_plan.participant.full_name in page
    assert district_plan.participant.full_name not in page
    assert 'id="open-heading"' not in page
    assert reverse("plans:inbox") in client.get(reverse("plans:worklist")).text  # in the unit head's menu
