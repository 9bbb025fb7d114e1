"""plans/perms.py, rule by rule: every role on every side of the referral or plan → may or may not."""

from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.plans import perms
from jobbtorg.plans.models import ActionPlan, OtherPlanLink
from jobbtorg.referrals.constants import ReferralSource
from jobbtorg.referrals.models import Referral
from tests.perms_table import ROLES, UNIT_ROLES, by_role, cells, table

CW, COACH, SYV, MATCH, HEAD = (
    Role.CASEWORKER,
    Role.JOB_COACH,
    Role.CAREER_COUNSELLOR,
    Role.MATCHER,
    Role.UNIT_HEAD,
)
DRAFTERS = {COACH, SYV, HEAD}  # plans.change_mapping / change_actionplan


def _referral(places) -> Referral:
    own = places.own
    return Referral(
        participant=own.participant,
        district=own.district,
        unit=own.unit,
        caseworker=places.user(Role.CASEWORKER),
        status="accepted",
    )


@by_role({CW} | UNIT_ROLES)
def test_can_view_mapping(places, role, side, expected):
    assert perms.can_view_mapping(places.user(role, side)) is expected


@table(cells(DRAFTERS, ["own"]))
def test_can_edit_mapping(places, role, side, expected):
    assert perms.can_edit_mapping(places.user(role, side), _referral(places)) is expected


@by_role({CW} | UNIT_ROLES)
def test_can_view_plan(places, role, side, expected):
    assert perms.can_view_plan(places.user(role, side)) is expected


@table(cells(DRAFTERS, ["own"]))
def test_can_edit_plan(places, role, side, expected):
    assert perms.can_edit_plan(places.user(role, side), _referral(places)) is expected


@by_role({CW, HEAD})
def test_can_decide_plans(places, role, side, expected):
    """Caseworkers, and unit heads for the intakes of their unit (ADR 0020)."""
    assert perms.can_decide_plans(places.user(role, side)) is expected


@table({(CW, "own")})
def test_can_approve_plan(places, role, side, expected):
    """The caseworker of the referring district, not one of another district nor the Jobbtorg."""
    plan = ActionPlan(referral=_referral(places), participant=places.own.participant, status="proposed")
    assert perms.can_approve_plan(places.user(role, side), plan) is expected


@table({(HEAD, "own")})
def test_can_approve_plan_of_an_intake(places, role, side, expected):
    """An intake the unit registered itself (no caseworker, ADR 0020): the head of the receiving unit, not
    the district's caseworker, not the coach, not another unit's head."""
    referral = _referral(places)
    referral.caseworker = None
    referral.source = "employment_service"
    plan = ActionPlan(referral=referral, participant=places.own.participant, status="proposed")
    assert perms.can_approve_plan(places.user(role, side), plan) is expected


@table(cells(DRAFTERS | {MATCH}, ["own"]))
def test_can_add_plan_activity(places, role, side, expected):
    """Who may change plans or record matches, at the receiving unit: the matcher too."""
    assert perms.can_add_plan_activity(places.user(role, side), _referral(places)) is expected


@by_role(UNIT_ROLES)
def test_can_view_worklist(places, role, side, expected):
    assert perms.can_view_worklist(places.user(role, side)) is expected


@by_role({CW})
def test_shows_district_referrals(places, role, side, expected):
    """Only a caseworker's inbox has the district's referrals sent and returned."""
    assert perms.shows_district_referrals(places.user(role, side)) is expected


def test_approvable_plans_is_can_approve_plan_as_a_filter(places):
    """Every role: the plans the filter lets through are exactly those `can_approve_plan` allows."""
    users = {role: places.user(role, "own") for role in ROLES}
    for caseworker in (users[Role.CASEWORKER], None):  # a district referral; an intake (ADR 0020)
        referral = _referral(places)
        referral.caseworker = caseworker
        if caseworker is None:
            referral.source = ReferralSource.EMPLOYMENT_SERVICE
        referral.referral_date = referral.plan_due_date = timezone.localdate()
        referral.save()
        plan = ActionPlan.objects.create(
            referral=referral, participant=places.own.participant, status="proposed"
        )
        for role, user in users.items():
            listed = ActionPlan.objects.filter(perms.approvable_plans(user), pk=plan.pk).exists()
            assert listed is perms.can_approve_plan(user, plan), (role, caseworker)
        plan.delete()
        referral.delete()


@by_role({CW, HEAD})
def test_can_view_inbox(places, role, side, expected):
    assert perms.can_view_inbox(places.user(role, side)) is expected


@table({(Role.PARTICIPANT, "own")})
def test_can_agree_to_plan(places, role, side, expected):
    """Only the person the plan is for: not another person, not staff."""
    plan = ActionPlan(referral=_referral(places), participant=places.own.participant, status="proposed")
    assert perms.can_agree_to_plan(places.user(role, side), plan) is expected


@by_role({Role.PARTICIPANT})
def test_can_read_own_plan(places, role, side, expected):
    assert perms.can_read_own_plan(places.user(role, side)) is expected


@table(cells({Role.PARTNER_STAFF}, ["own"]))
def test_can_confirm_plan_link(places, role, side, expected):
    link = OtherPlanLink(kind="other", reference="x", partner=places.own.partner)
    assert perms.can_confirm_plan_link(places.user(role, side), link) is expected


def test_a_link_without_partner_is_confirmed_by_nobody(places):
    link = OtherPlanLink(kind="other", reference="x")
    assert perms.can_confirm_plan_link(places.user(Role.PARTNER_STAFF), link) is False
