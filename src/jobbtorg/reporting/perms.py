"""Who may see which key indicators and assignments — one function per rule, the rule in its docstring. The
services raise PermissionDenied when a function here says no; the pages, the templates (`{% can %}`) and the
API ask the same functions."""


def can_view_indicators(user) -> bool:
    """Unit heads (their own unit, and the unit comparison) and analysts (the municipality, aggregates
    only), with `reporting.view_indicators`."""
    return (
        user.is_authenticated
        and (user.is_unit_head or user.is_analyst)
        and user.has_perm("reporting.view_indicators")
    )


def can_view_overview(user) -> bool:
    """The analyst's overview (referrals per unit and status, plans in time): analysts, aggregates only."""
    return user.is_authenticated and user.is_analyst and user.has_perm("accounts.view_aggregates")


def can_download_research_extract(user) -> bool:
    """Only the analyst role (`reporting.view_research_extract`): the pseudonymised extract with its
    codebook."""
    return user.is_authenticated and user.is_analyst and user.has_perm("reporting.view_research_extract")


def must_suppress(user, *, unit_id) -> bool:
    """Aggregates shown outside the unit are suppressed: always for analysts; for a unit head whenever the
    figures are not about their own unit alone."""
    return not (user.is_unit_head and unit_id is not None and unit_id == user.unit_id)


def can_manage_assignments(user, assignment=None) -> bool:
    """Unit heads record and change their own unit's assignments; administrators any assignment of their
    municipality (including those shared by every unit)."""
    if not (user.is_authenticated and (user.is_unit_head or user.is_administrator)):
        return False
    if not user.has_perm("reporting.add_assignment" if assignment is None else "reporting.change_assignment"):
        return False
    if assignment is None:
        return True
    if assignment.municipality_id != user.municipality_id:
        return False
    return user.is_administrator or assignment.unit_id == user.unit_id


def can_view_assignment(user, assignment) -> bool:
    """Who may follow an assignment: unit heads (their unit's and shared ones), analysts and administrators
    of the municipality."""
    if not user.is_authenticated or assignment.municipality_id != user.municipality_id:
        return False
    if user.is_unit_head:
        return assignment.unit_id in (None, user.unit_id) and user.has_perm("reporting.view_assignment")
    return (user.is_analyst or user.is_administrator) and user.has_perm("reporting.view_assignment")


def can_record_reported_figures(user) -> bool:
    """The figures the municipality reported to Kolada (the comparison page): analysts with
    `reporting.view_indicators` enter or import them for their own municipality."""
    return user.is_authenticated and user.is_analyst and user.has_perm("reporting.view_indicators")
