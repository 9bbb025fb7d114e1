"""Who may do what in matching — one function per rule, the rule in its docstring. The services raise
PermissionDenied when a function here says no; the pages, the templates (`{% can %}`) and the API ask the same
functions. Which people, vacancies and matches a user sees is `visible_to` (querysets.py)."""


def can_view_matching(user) -> bool:
    """Jobbtorg staff with `matching.view_vacancy` (matchers, coaches, counsellors, unit heads) see the
    employer register, the vacancies and the recruitment events."""
    return user.is_unit_staff and user.has_perm("matching.view_vacancy")


def can_manage_employers(user) -> bool:
    """The matcher (`matching.manage_employers`) keeps the employer register, the vacancies and the
    recruitment events."""
    return user.is_unit_staff and user.has_perm("matching.manage_employers")


def can_manage_employer(user, employer) -> bool:
    """The matcher changes the employers (and their vacancies) of their own municipality."""
    return can_manage_employers(user) and employer.municipality_id == user.municipality_id


def can_manage_event(user, event) -> bool:
    """The matcher changes the recruitment events of their own unit."""
    return can_manage_employers(user) and event.unit_id == user.unit_id


def can_view_matches(user) -> bool:
    """Jobbtorg staff with `matching.view_match` follow the matches of their unit's people."""
    return user.is_unit_staff and user.has_perm("matching.view_match")


def can_propose_match(user) -> bool:
    """The matcher (`matching.propose_match`) proposes their unit's people for vacancies, records the steps of
    a match and invites people to recruitment events (which people: `Participant.objects.visible_to`)."""
    return user.is_unit_staff and user.has_perm("matching.propose_match")


def can_invite_to_event(user, event) -> bool:
    """The matcher invites people to, and records attendance at, their own unit's recruitment events."""
    return can_propose_match(user) and event.unit_id == user.unit_id
