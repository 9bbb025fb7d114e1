"""Who may see a unit's caseloads — one function per rule, the rule in its docstring. Reassigning people is
`referrals.perms.can_reassign_cases`; substitutes are `referrals.perms.can_arrange_substitution`."""


def can_view_caseloads(user) -> bool:
    """The unit head sees the caseloads of their own unit: people per coach (and per counsellor/matcher),
    overdue plans per coach, people not met for weeks, and the caseload per coach over time. Figures about
    staff; the people listed are the unit's own (`Referral.objects.visible_to`)."""
    return user.is_unit_head
