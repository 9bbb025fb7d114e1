"""Who may do what with a person's mapping and action plan — one function per rule, the rule in its
docstring.

The services raise PermissionDenied when a function here says no; the pages, the templates (`{% can %}`)
and the API ask the same functions. Whether the referral or the plan is in a state that allows the step is
the workflow's question (a 400, not a 403)."""

from django.db.models import Q


def can_view_mapping(user) -> bool:
    """Roles with `plans.view_mapping` (caseworkers, Jobbtorg staff) read the mappings of the referrals they
    see (`Referral.objects.visible_to`)."""
    return user.has_perm("plans.view_mapping")


def can_edit_mapping(user, referral) -> bool:
    """Staff of the unit the person is referred to, with `plans.change_mapping` (coach, counsellor, unit
    head), write the mapping."""
    return user.is_unit_staff and user.unit_id == referral.unit_id and user.has_perm("plans.change_mapping")


def can_view_plan(user) -> bool:
    """Roles with `plans.view_actionplan` (caseworkers, Jobbtorg staff) read the action plans of the
    referrals they see."""
    return user.has_perm("plans.view_actionplan")


def can_edit_plan(user, referral) -> bool:
    """Staff of the unit the person is referred to, with `plans.change_actionplan` (coach, counsellor, unit
    head), draft the action plan and propose it to the caseworker."""
    return (
        user.is_unit_staff and user.unit_id == referral.unit_id and user.has_perm("plans.change_actionplan")
    )


def can_decide_plans(user) -> bool:
    """Roles with `plans.decide_actionplan` decide on proposed plans: district caseworkers, and unit heads
    for the people their unit took in without a caseworker (which plans: `can_approve_plan`)."""
    return (user.is_caseworker or user.is_unit_head) and user.has_perm("plans.decide_actionplan")


def approvable_plans(user) -> Q:
    """`can_approve_plan` as a filter on action plans, for the lists of plans to decide: the district's
    referred plans for a caseworker, the intakes of the unit for its head; nothing for anyone else."""
    if not can_decide_plans(user):
        return Q(pk__in=[])
    if user.is_unit_head:
        return Q(referral__unit_id=user.unit_id, referral__caseworker__isnull=True)
    return Q(referral__district_id=user.district_id, referral__caseworker__isnull=False)


def can_approve_plan(user, plan) -> bool:
    """The third party of the agreement approves the proposed plan or returns it to the coach: a caseworker
    of the person's district (the referring district) — or, for an intake the unit registered itself (no
    district caseworker, ADR 0020), the head of the receiving unit. Never both: a district referral is
    decided by social services only."""
    referral = plan.referral
    if not can_decide_plans(user):
        return False
    if referral.is_intake:
        return user.is_unit_head and user.unit_id == referral.unit_id
    return user.is_caseworker and user.district_id == referral.district_id


def can_add_plan_activity(user, referral) -> bool:
    """Staff of the unit the person is referred to who may change plans or record matches add one activity
    (e.g. a job that started through matching) to the plan."""
    return (
        user.is_unit_staff
        and user.unit_id == referral.unit_id
        and (user.has_perm("plans.change_actionplan") or user.has_perm("matching.propose_match"))
    )


def can_view_worklist(user) -> bool:
    """Jobbtorg staff (coach, counsellor, matcher, unit head) have the worklist of their unit."""
    return user.is_unit_staff


def can_view_inbox(user) -> bool:
    """District caseworkers have their district's inbox (plans to decide, open and returned referrals); a unit
    head who decides plans has one too, with the plans of the people the unit took in itself (ADR 0020)."""
    return user.is_caseworker or (user.is_unit_head and can_decide_plans(user))


def shows_district_referrals(user) -> bool:
    """The inbox's sections of referrals sent and returned are the district's: a caseworker's only."""
    return user.is_caseworker


def can_agree_to_plan(user, plan) -> bool:
    """The person the plan is for, signed in as themselves, reads the proposed plan, comments on it,
    proposes an activity and agrees to it (the participant's part of the three-party agreement)."""
    return user.is_participant and user.participant_id == plan.participant_id


def can_read_own_plan(user) -> bool:
    """A person signed in as themselves reads their own plan through the API (which plan: the service and
    `can_agree_to_plan` decide); staff read plans with `can_view_plan`."""
    return user.is_participant


def can_confirm_plan_link(user, link) -> bool:
    """Staff of the partner organisation that holds the other plan (Arbetsförmedlingen for its plan, adult
    education for the SFI study plan, …), with `partners.confirm_plan_link`, confirm the link: its dates and
    status (ADR 19)."""
    return (
        user.is_partner_staff
        and link.partner_id is not None
        and user.partner_organisation_id == link.partner_id
        and user.has_perm("partners.confirm_plan_link")
    )
