"""Who sees whom: the one rule per model (`visible_to`), checked for what each role may and may not see."""

import pytest

from jobbtorg.accounts.constants import Role
from jobbtorg.participants.models import Participant
from jobbtorg.plans.models import ActionPlan
from jobbtorg.referrals.models import Referral

from ..factories import ActionPlanFactory, DistrictFactory, ReferralFactory, UnitFactory, UserFactory


@pytest.fixture
def city(db):
    north, south = UnitFactory(name="Jobbtorg Norr"), UnitFactory(name="Jobbtorg Söder")
    d_north = DistrictFactory(unit=north, name="Norrby")
    d_south = DistrictFactory(unit=south, name="Söderby")
    # A person of Norrby who chose Jobbtorg Söder
    chose_south = ReferralFactory(district=d_north, participant__district=d_north, unit=south)
    plan_north = ActionPlanFactory(referral__district=d_north, referral__participant__district=d_north)
    plan_south = ActionPlanFactory(referral__district=d_south, referral__participant__district=d_south)
    return {
        "north": north,
        "south": south,
        "d_north": d_north,
        "d_south": d_south,
        "chose_south": chose_south,
        "plan_north": plan_north,
        "plan_south": plan_south,
    }


def _people(user):
    return set(Participant.objects.visible_to(user))


def test_caseworker_sees_the_people_and_referrals_of_their_district_only(city):
    user = UserFactory(caseworker=True, district=city["d_north"])
    north_people = {city["chose_south"].participant, city["plan_north"].participant}
    assert _people(user) == north_people
    assert set(Referral.objects.visible_to(user)) == {city["chose_south"], city["plan_north"].referral}
    assert set(ActionPlan.objects.visible_to(user)) == {city["plan_north"]}


@pytest.mark.parametrize("role", ["coach", "counsellor", "matcher", "unit_head"])
def test_jobbtorg_staff_see_the_people_referred_to_their_unit(city, role):
    user = UserFactory(**{role: True}, unit=city["south"])
    assert _people(user) == {city["chose_south"].participant, city["plan_south"].participant}
    assert set(Referral.objects.visible_to(user)) == {city["chose_south"], city["plan_south"].referral}
    assert set(ActionPlan.objects.visible_to(user)) == {city["plan_south"]}


@pytest.mark.parametrize("role", ["analyst", "provider_staff", "administrator"])
def test_roles_without_individual_records_see_nobody(city, role):
    user = UserFactory(**{role: True})
    assert _people(user) == set()
    assert not Referral.objects.visible_to(user).exists()
    assert not ActionPlan.objects.visible_to(user).exists()


def test_inactive_or_roleless_users_see_nobody(city):
    inactive = UserFactory(caseworker=True, district=city["d_north"], is_active=False)
    roleless = UserFactory()
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for user in (inactive, roleless, superuser):
        assert _people(user) == set()


def test_role_groups_hold_the_coarse_permissions(db):
    caseworker = UserFactory(caseworker=True)
    coach = UserFactory(coach=True)
    assert caseworker.groups.get().name == Role.CASEWORKER
    assert caseworker.has_perm("plans.decide_actionplan") and not caseworker.has_perm(
        "plans.change_actionplan"
    )
    assert coach.has_perm("plans.change_actionplan") and not coach.has_perm("plans.decide_actionplan")
    assert not coach.has_perm("participants.view_protected_contact")
