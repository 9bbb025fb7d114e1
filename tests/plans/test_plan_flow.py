import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from jobbtorg.audit.models import ChangeLog
from jobbtorg.plans import services
from jobbtorg.plans.constants import PlanStatus, VersionStatus
from jobbtorg.plans.models import PlanVersion
from jobbtorg.utils.errors import ConflictError

from ..factories import UserFactory

ACTIVITY = {
    "intervention_type": "sfi_studies",
    "start_date": datetime.date(2026, 12, 7),
    "hours_per_week": 20,
}
INTERNSHIP = {
    "intervention_type": "language_internship",
    "start_date": datetime.date(2026, 12, 7),
    "hours_per_week": 20,
}


def _proposed_plan(referral, coach):
    plan = services.plan_for_referral(referral=referral, by=coach)
    services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals="Arbete inom vården",
        activities=[ACTIVITY, INTERNSHIP],
    )
    services.plan_propose(plan=plan, by=coach, version=plan.lock_version)
    plan.refresh_from_db()
    return plan


def test_three_party_flow_keeps_every_approved_version(accepted_referral, coach, caseworker):
    plan = _proposed_plan(accepted_referral, coach)
    assert plan.status == PlanStatus.PROPOSED

    services.plan_return(plan=plan, version=plan.lock_version, by=caseworker, comment="Lägg till SFI-plan")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.current_version is None

    services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals="Arbete inom vården",
        activities=[ACTIVITY],
        other_plans=[{"kind": "sfi_study", "reference": "SFI-123"}],
    )
    services.plan_propose(plan=plan, by=coach, version=plan.lock_version)
    plan.refresh_from_db()
    first = services.plan_approve(plan=plan, version=plan.lock_version, by=caseworker)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.current_version == first and first.number == 2
    assert first.content["other_plans"][0]["reference"] == "SFI-123"

    # A revision: the approved version stays in force until the next one is approved.
    services.plan_save_draft(
        plan=plan, by=coach, version=plan.lock_version, goals="Ny inriktning", activities=[INTERNSHIP]
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.current_version == first
    services.plan_propose(plan=plan, by=coach, version=plan.lock_version)
    plan.refresh_from_db()
    second = services.plan_approve(plan=plan, version=plan.lock_version, by=caseworker)
    first.refresh_from_db()
    assert first.status == VersionStatus.APPROVED and first.content["goals"] == "Arbete inom vården"
    assert second.content["goals"] == "Ny inriktning"
    assert list(plan.versions.values_list("number", "status")) == [
        (3, "approved"),
        (2, "approved"),
        (1, "returned"),
    ]
    actions = set(
        ChangeLog.objects.filter(participant_id=plan.participant_id).values_list("action", flat=True)
    )
    assert {"plan_created", "plan_draft_saved", "plan_proposed", "plan_returned", "plan_approved"} <= actions


def test_decided_versions_are_immutable(accepted_referral, coach, caseworker):
    plan = _proposed_plan(accepted_referral, coach)
    version = services.plan_approve(plan=plan, version=plan.lock_version, by=caseworker)
    version.content = {"goals": "changed"}
    with pytest.raises(PermissionDenied):
        version.save()
    with pytest.raises(PermissionDenied):
        version.delete()


def test_stale_version_gets_a_conflict_and_nothing_is_written(accepted_referral, coach, caseworker):
    plan = _proposed_plan(accepted_referral, coach)
    seen = plan.lock_version
    stale_copy = type(plan).objects.get(pk=plan.pk)
    services.plan_approve(plan=plan, version=seen, by=caseworker)
    other = UserFactory(caseworker=True, district=caseworker.district)
    with pytest.raises(ConflictError):
        services.plan_return(plan=stale_copy, version=seen, by=other, comment="Nej")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert PlanVersion.objects.get(plan=plan).status == VersionStatus.APPROVED


@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_approving_at_once_exactly_one_wins(caseworker, coach):
    from ..factories import ReferralFactory

    referral = ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )
    plan = _proposed_plan(referral, coach)
    second = UserFactory(caseworker=True, district=caseworker.district)
    seen = plan.lock_version
    barrier = threading.Barrier(2)
    results = []

    def approve(user):
        from jobbtorg.plans.models import ActionPlan

        try:
            own = ActionPlan.objects.select_related("referral").get(pk=plan.pk)
            barrier.wait()
            services.plan_approve(plan=own, version=seen, by=user)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        except Exception as exc:  # SQLite may refuse the second writer while the first holds the lock
            results.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (caseworker, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert PlanVersion.objects.filter(plan=plan, status=VersionStatus.APPROVED).count() == 1


def test_proposal_needs_goals_and_activities(accepted_referral, coach):
    plan = services.plan_for_referral(referral=accepted_referral, by=coach)
    with pytest.raises(ValidationError) as exc:
        services.plan_propose(plan=plan, by=coach, version=plan.lock_version)
    assert set(exc.value.message_dict) == {"goals", "activities"}


def test_bad_activity_is_reported_per_field(accepted_referral, coach):
    plan = services.plan_for_referral(referral=accepted_referral, by=coach)
    with pytest.raises(ValidationError) as exc:
        services.plan_save_draft(
            plan=plan,
            by=coach,
            version=plan.lock_version,
            goals="x",
            activities=[
                {"intervention_type": "nope", "start_date": "2026-12-01", "hours_per_week": 5},
                {
                    "intervention_type": "sfi_studies",
                    "start_date": datetime.date(2026, 12, 7),
                    "end_date": datetime.date(2026, 12, 1),
                    "hours_per_week": 50,
                },
            ],
        )
    errors = exc.value.message_dict
    assert "activities[0].intervention_type" in errors
    assert "activities[1].hours_per_week" in errors and "activities[1]" in errors
    plan.refresh_from_db()
    assert plan.lock_version == 0 and not plan.activities.exists()


def test_only_the_district_caseworker_decides(accepted_referral, coach, other_caseworker, unit_head):
    plan = _proposed_plan(accepted_referral, coach)
    for user in (other_caseworker, coach, unit_head):
        with pytest.raises(PermissionDenied):
            services.plan_approve(plan=plan, version=plan.lock_version, by=user)


def test_coach_of_another_unit_cannot_draft(accepted_referral, other_unit_coach):
    with pytest.raises(PermissionDenied):
        services.plan_for_referral(referral=accepted_referral, by=other_unit_coach)
