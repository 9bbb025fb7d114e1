"""Who may do what with partner organisations, four-party meetings and requests to a partner (ADR 19) — one
function per rule, the rule in its docstring. Which people and records a user sees at all is `visible_to`
(participants.querysets, partners.querysets); a record outside it is a 404 before these are asked."""


def can_use_partner_start(user) -> bool:
    """Partner staff (attached to a partner organisation, with `partners.view_shared_plan`) have the partner
    start page and the shared plan of the people visible to them."""
    return user.is_partner_staff and user.has_perm("partners.view_shared_plan")


def can_view_partner_work(user) -> bool:
    """Jobbtorg staff and caseworkers with `partners.view_partnermeeting` see the four-party meetings and the
    requests to partners on the cases they see (which ones: `visible_to`)."""
    return (user.is_unit_staff or user.is_caseworker) and user.has_perm("partners.view_partnermeeting")


def can_book_partner_meetings(user) -> bool:
    """Jobbtorg staff with `partners.add_partnermeeting` book four-party meetings (on which cases:
    `can_book_partner_meeting`)."""
    return user.is_unit_staff and user.has_perm("partners.add_partnermeeting")


def can_send_partner_requests(user) -> bool:
    """Jobbtorg staff with `partners.add_partnerrequest` send requests to partners (on which cases:
    `can_send_partner_request`)."""
    return user.is_unit_staff and user.has_perm("partners.add_partnerrequest")


def can_record_meeting_outcomes(user) -> bool:
    """Jobbtorg staff with `partners.change_partnermeeting` record outcomes of four-party meetings (of which:
    `can_record_meeting_outcome`)."""
    return user.is_unit_staff and user.has_perm("partners.change_partnermeeting")


def can_answer_partner_requests(user) -> bool:
    """Partner staff with `partners.answer_request` answer requests to their organisation (which:
    `can_answer_partner_request`)."""
    return user.is_partner_staff and user.has_perm("partners.answer_request")


def can_book_partner_meeting(user, referral) -> bool:
    """Staff of the unit the person is referred to, with `partners.add_partnermeeting` (coach, counsellor,
    unit head), book a four-party meeting with a partner."""
    return can_book_partner_meetings(user) and user.unit_id == referral.unit_id


def can_record_meeting_outcome(user, meeting) -> bool:
    """Staff of the unit the person is referred to, with `partners.change_partnermeeting`, record the
    outcome of a four-party meeting and its follow-up actions (they land in the action plan)."""
    return can_record_meeting_outcomes(user) and user.unit_id == meeting.referral.unit_id


def can_send_partner_request(user, referral) -> bool:
    """Staff of the unit the person is referred to, with `partners.add_partnerrequest`, send a request to a
    partner (a rehabilitation assessment, an SFI test booking, …)."""
    return can_send_partner_requests(user) and user.unit_id == referral.unit_id


def can_answer_partner_request(user, partner_request) -> bool:
    """Staff of the partner organisation the request was sent to, with `partners.answer_request`, accept,
    answer or decline it."""
    return (
        can_answer_partner_requests(user) and user.partner_organisation_id == partner_request.organisation_id
    )
