"""The responsible coach: assigned at acceptance, changed with history, reassigned in bulk (all or none,
optimistic), substitutes while a coach is away, and the data migration for referrals accepted before."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobbtorg.audit.models import ChangeLog
from jobbtorg.referrals import services
from jobbtorg.referrals.constants import CoachChangeKind, ReferralStatus
from jobbtorg.referrals.models import CoachChange, Referral, ReferralEvent, Substitution
from jobbtorg.utils.errors import ConflictError

from ..factories import ActionPlanFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("jobbtorg.referrals.migrations.0006_responsible_coach_data")


def _referral(caseworker, **kwargs):
    return ReferralFactory(
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        **kwargs,
    )


def test_the_accepting_coach_is_responsible_and_the_history_starts(caseworker, coach):
    referral = services.referral_accept(referral=_referral(caseworker), by=coach)
    assert referral.coach == coach
    (row,) = CoachChange.objects.filter(referral=referral)
    assert (row.kind, row.from_coach, row.to_coach, row.by) == (CoachChangeKind.ACCEPTED, None, coach, coach)


def test_the_unit_head_accepts_naming_a_coach(caseworker, coach, unit_head):
    referral = services.referral_accept(referral=_referral(caseworker), by=unit_head, coach=coach)
    assert referral.coach == coach and CoachChange.objects.get(referral=referral).by == unit_head


def test_the_coach_is_changed_with_who_when_from_to_and_why(accepted_referral, coach, unit_head, unit):
    other = UserFactory(coach=True, unit=unit)
    change = services.referral_coach_change(
        referral=accepted_referral, to_coach=other, by=unit_head, reason="Byter arbetsuppgifter", version=0
    )
    accepted_referral.refresh_from_db()
    assert accepted_referral.coach == other and accepted_referral.lock_version == 1
    assert (change.from_coach, change.to_coach, change.by, change.reason) == (
        coach,
        other,
        unit_head,
        "Byter arbetsuppgifter",
    )
    assert change.kind == CoachChangeKind.CHANGED and change.at is not None
    assert ChangeLog.objects.filter(action="referral_coach_changed").count() == 1


def test_a_coach_hands_over_their_own_case_but_not_someone_elses(accepted_referral, coach, unit):
    other = UserFactory(coach=True, unit=unit)
    services.referral_coach_change(referral=accepted_referral, to_coach=other, by=coach, reason="Semester")
    with pytest.raises(PermissionDenied):  # no longer theirs
        services.referral_coach_change(
            referral=accepted_referral, to_coach=coach, by=coach, reason="Tillbaka"
        )


def test_a_change_needs_a_reason_a_coach_of_the_unit_and_a_current_version(
    accepted_referral, unit_head, other_unit_coach, unit
):
    other = UserFactory(coach=True, unit=unit)
    with pytest.raises(ValidationError) as exc:
        services.referral_coach_change(referral=accepted_referral, to_coach=other, by=unit_head, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.referral_coach_change(
            referral=accepted_referral, to_coach=other_unit_coach, by=unit_head, reason="x"
        )
    assert "coach" in exc.value.message_dict
    with pytest.raises(ConflictError):
        services.referral_coach_change(
            referral=accepted_referral, to_coach=other, by=unit_head, reason="x", version=7
        )
    assert not CoachChange.objects.exists()


def test_bulk_reassignment_moves_all_or_none(caseworker, coach, unit_head, unit):
    new = UserFactory(coach=True, unit=unit)
    first, second = (_referral(caseworker, accepted=True, coach=coach) for _ in range(2))
    Referral.objects.filter(pk=second.pk).update(lock_version=3)  # changed since the head looked
    with pytest.raises(ConflictError):
        services.referrals_reassign(
            versions={first.pk: 0, second.pk: 0}, to_coach=new, by=unit_head, reason="Ny fördelning"
        )
    assert set(Referral.objects.values_list("coach", flat=True)) == {coach.pk}
    assert not CoachChange.objects.exists()
    changes = services.referrals_reassign(
        versions={first.pk: 0, second.pk: 3}, to_coach=new, by=unit_head, reason="Ny fördelning"
    )
    assert len(changes) == 2 and {c.kind for c in changes} == {CoachChangeKind.REASSIGNED}
    assert set(Referral.objects.values_list("coach", flat=True)) == {new.pk}


def test_bulk_reassignment_is_the_unit_heads_and_only_for_their_units_people(
    caseworker, coach, unit_head, unit, other_caseworker
):
    new = UserFactory(coach=True, unit=unit)
    mine = _referral(caseworker, accepted=True, coach=coach)
    with pytest.raises(PermissionDenied):
        services.referrals_reassign(versions={mine.pk: 0}, to_coach=new, by=coach, reason="x")
    foreign = _referral(other_caseworker, accepted=True)
    with pytest.raises(ValidationError) as exc:
        services.referrals_reassign(
            versions={mine.pk: 0, foreign.pk: 0}, to_coach=new, by=unit_head, reason="x"
        )
    assert "referrals" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.referrals_reassign(versions={}, to_coach=new, by=unit_head, reason="x")


def test_the_substitute_has_the_absent_coachs_people_during_the_period(accepted_referral, coach, unit):
    substitute = UserFactory(coach=True, unit=unit)
    today = timezone.localdate()
    assert not Referral.objects.responsible(substitute).exists()
    services.substitution_create(
        coach=coach, substitute=substitute, starts_on=today, ends_on=today + dt.timedelta(days=6), by=coach
    )
    assert list(Referral.objects.responsible(substitute)) == [accepted_referral]
    assert list(Referral.objects.responsible(coach)) == [accepted_referral]  # still theirs too
    after = today + dt.timedelta(days=7)
    assert not Referral.objects.responsible(substitute, after).exists()  # ends by itself


def test_a_substitution_is_checked(coach, unit, unit_head, other_unit_coach):
    today = timezone.localdate()
    colleague = UserFactory(coach=True, unit=unit)
    week = {"starts_on": today, "ends_on": today + dt.timedelta(days=6)}
    with pytest.raises(PermissionDenied):  # a coach arranges only their own absence
        services.substitution_create(coach=colleague, substitute=coach, by=coach, **week)
    with pytest.raises(ValidationError) as exc:
        services.substitution_create(coach=coach, substitute=other_unit_coach, by=unit_head, **week)
    assert "substitute" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.substitution_create(
            coach=coach, substitute=colleague, by=unit_head, starts_on=today, ends_on=today - dt.timedelta(1)
        )
    assert "ends_on" in exc.value.message_dict
    services.substitution_create(coach=coach, substitute=colleague, by=unit_head, **week)
    with pytest.raises(ValidationError) as exc:
        services.substitution_create(
            coach=coach,
            substitute=colleague,
            by=unit_head,
            starts_on=today + dt.timedelta(3),
            ends_on=today + dt.timedelta(9),
        )
    assert "starts_on" in exc.value.message_dict
    assert Substitution.objects.count() == 1


def test_the_data_migration_names_the_accepting_coach_or_the_plan_owner(caseworker, coach, unit):
    accepted_by_coach = _referral(caseworker, accepted=True)
    ReferralEvent.objects.create(
        referral=accepted_by_coach, from_status="received", to_status=ReferralStatus.ACCEPTED, by=coach
    )
    plan = ActionPlanFactory(
        proposed=True,
        referral__district=caseworker.district,
        referral__participant__district=caseworker.district,
        referral__caseworker=caseworker,
    )
    by_plan = plan.referral
    head = UserFactory(unit_head=True, unit=unit)
    ReferralEvent.objects.create(referral=by_plan, from_status="received", to_status="accepted", by=head)
    not_accepted = _referral(caseworker)
    already = _referral(caseworker, accepted=True, coach=coach)
    migration.forwards(apps, None)
    accepted_by_coach.refresh_from_db()
    by_plan.refresh_from_db()
    not_accepted.refresh_from_db()
    assert accepted_by_coach.coach == coach
    assert by_plan.coach == plan.versions.get(number=1).proposed_by
    assert not_accepted.coach is None
    rows = CoachChange.objects.filter(kind=CoachChangeKind.RECORDED)
    assert set(rows.values_list("referral", flat=True)) == {accepted_by_coach.pk, by_plan.pk, already.pk}
    migration.forwards(apps, None)  # twice is once
    assert rows.count() == 3


def test_the_unit_head_changes_the_coach_on_the_referral_page(
    client, accepted_referral, coach, unit_head, unit
):
    from django.urls import reverse

    other = UserFactory(coach=True, unit=unit, first_name="Nadia", last_name="Coach")
    client.force_login(unit_head)
    page = client.get(reverse("referrals:detail", args=[accepted_referral.pk]))
    assert page.context["can_change_coach"] and 'name="coach-coach"' in page.text
    url = reverse("referrals:coach_change", args=[accepted_referral.pk])
    bad = client.post(url, {"coach-version": 0, "coach-coach": other.pk, "coach-reason": ""})
    assert bad.status_code == 200 and "reason" in bad.context["coach_form"].errors
    response = client.post(
        url, {"coach-version": 0, "coach-coach": other.pk, "coach-reason": "Ny fördelning"}
    )
    assert response.status_code == 302
    accepted_referral.refresh_from_db()
    assert accepted_referral.coach == other
    page = client.get(reverse("referrals:detail", args=[accepted_referral.pk]))
    assert "Nadia Coach" in page.text and "Ny fördelning" in page.text
    stale = client.post(url, {"coach-version": 0, "coach-coach": coach.pk, "coach-reason": "x"}, follow=True)
    assert [str(m) for m in stale.context["messages"]][0].startswith(("Someone else", "Någon annan"))
    client.force_login(coach)  # no longer responsible: no form, and a POST is refused
    assert 'name="coach-coach"' not in client.get(page.request["PATH_INFO"]).text
    refused = client.post(url, {"coach-version": 1, "coach-coach": coach.pk, "coach-reason": "x"})
    accepted_referral.refresh_from_db()
    assert refused.status_code == 403 and accepted_referral.coach == other
