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


def can_register_intake(user) -> bool:
    """Staff of a Jobbtorg unit who may accept referrals (`referrals.accept_referral`: job coach, unit head)
    register a person who comes another way than through social services — from Arbetsförmedlingen,
    Försäkringskassan, on their own or from another actor (inskrivning, ADR 0020). The person is taken in
    at the staff member's own unit."""
    return bool(user.is_unit_staff and user.unit_id and user.has_perm("referrals.accept_referral"))


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
    district = user.is_caseworker and not referral.is_intake and user.district_id == referral.district_id
    involved = district or (user.is_unit_staff and user.unit_id == referral.unit_id)
    return involved and user.has_perm("referrals.close_referral")


def can_resubmit_referral(user, referral) -> bool:
    """A caseworker of the referring district sends a returned referral to the unit again."""
    return user.is_caseworker and not referral.is_intake and user.district_id == referral.district_id


def may_coach(user, referral) -> bool:
    """The coach named on a referral is a job coach of the receiving unit."""
    return user.is_job_coach and user.unit_id == referral.unit_id


# Send-backs (återremittering) of accepted referrals: docs/referrals.md.


def can_view_send_backs(user) -> bool:
    """Caseworkers, Jobbtorg staff and district unit heads see send-backs (which:
    `SendBack.objects.visible_to`)."""
    return (user.is_caseworker or user.is_unit_staff or user.is_district_head) and user.has_perm(
        "referrals.view_sendback"
    )


def can_send_back_referral(user, referral) -> bool:
    """Staff of the receiving unit who may accept or return referrals (`referrals.accept_referral`) send an
    accepted one back to the district. An intake the unit registered itself has no district to send it back
    to (ADR 0020): the unit closes it instead."""
    return not referral.is_intake and can_accept_referral(user, referral)


def can_answer_send_back(user, send_back) -> bool:
    """A caseworker of the referring district agrees to a send-back or disputes it."""
    return user.is_caseworker and user.district_id == send_back.referral.district_id


def can_decide_send_back(user, send_back) -> bool:
    """The unit heads of both sides decide a disputed send-back: the Jobbtorg unit's head or the referring
    district's head, with `referrals.decide_sendback`. Either records the decision they reached."""
    referral = send_back.referral
    head = (user.is_unit_head and user.unit_id == referral.unit_id) or (
        user.is_district_head and user.district_id == referral.district_id
    )
    return head and user.has_perm("referrals.decide_sendback")


def has_own_cases(user) -> bool:
    """A job coach attached to a unit is responsible for people of their own ("my cases" is their default
    worklist); other Jobbtorg staff have no cases of their own and see the unit."""
    return user.is_job_coach


def can_change_coach(user, referral) -> bool:
    """The unit head of the referral's unit changes its responsible coach; the responsible coach may hand
    their own case over to a colleague (with a reason, kept in the history)."""
    if not user.is_unit_staff or user.unit_id != referral.unit_id:
        return False
    return user.is_unit_head or (user.is_job_coach and referral.coach_id == user.pk)


def can_reassign_cases(user) -> bool:
    """The unit head sees the caseloads of their unit and reassigns people in bulk (staff data of the unit;
    which people: `Referral.objects.visible_to`)."""
    return user.is_unit_head


def can_arrange_substitutions(user) -> bool:
    """Unit heads (for the coaches of their unit) and job coaches (for their own absence) arrange
    substitutes; for which coach: `can_arrange_substitution`."""
    return user.is_unit_head or user.is_job_coach


def can_arrange_substitution(user, coach) -> bool:
    """The unit head arranges a substitute for a coach of their unit; a coach arranges one for their own
    absence."""
    if not user.is_unit_staff or not coach.is_job_coach or user.unit_id != coach.unit_id:
        return False
    return user.is_unit_head or user.pk == coach.pk


def can_view_substitutions(user) -> bool:
    """Jobbtorg staff see who stands in for whom at their unit (`Substitution.objects.visible_to`)."""
    return user.is_unit_staff
