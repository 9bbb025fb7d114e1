"""Who may do what with a referral — one function per rule, the rule in its docstring.

The services raise PermissionDenied when a function here says no; the pages, the templates (`{% can %}`)
and the API ask the same functions. Whether the referral's status allows the step is the workflow's
question (`workflow.can_transition`), asked beside these: a step the status forbids is a 400, not a 403."""


def can_view_referrals(user) -> bool:
    """District caseworkers and Jobbtorg staff work with referrals (which: `Referral.objects.visible_to`)."""
    return user.is_caseworker or user.is_unit_staff


def can_create_referral(user) -> bool:
    """A district caseworker with `referrals.add_referral` refers people of their own district."""
    return user.is_caseworker and user.has_perm("referrals.add_referral")


def can_answer_referrals(user) -> bool:
    """Jobbtorg staff answer the referrals sent to their unit (accept or return them); which referral and with
    which permission: `can_accept_referral`."""
    return user.is_unit_staff


def can_accept_referral(user, referral) -> bool:
    """Staff of the receiving unit with `referrals.accept_referral` accept the referral, or return it to the
    caseworker."""
    return (
        user.is_unit_staff and user.unit_id == referral.unit_id and user.has_perm("referrals.accept_referral")
    )


def can_close_referral(user, referral) -> bool:
    """A caseworker of the referring district or staff of the receiving unit, with
    `referrals.close_referral`."""
    involved = (user.is_caseworker and user.district_id == referral.district_id) or (
        user.is_unit_staff and user.unit_id == referral.unit_id
    )
    return involved and user.has_perm("referrals.close_referral")


def can_resubmit_referral(user, referral) -> bool:
    """A caseworker of the referring district sends a returned referral to the unit again."""
    return user.is_caseworker and user.district_id == referral.district_id


def may_coach(user, referral) -> bool:
    """The coach named on a referral is a job coach of the receiving unit."""
    return user.is_job_coach and user.unit_id == referral.unit_id
