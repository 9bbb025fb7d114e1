"""Who may see which key indicators (rules beside the functions)."""

from jobbtorg.accounts.constants import Role


def can_view_indicators(user) -> bool:
    """Unit heads (their own unit, and the unit comparison) and analysts (the municipality, aggregates
    only)."""
    return (
        user.is_authenticated
        and user.role in (Role.UNIT_HEAD, Role.ANALYST)
        and user.has_perm("reporting.view_indicators")
    )


def can_download_research_extract(user) -> bool:
    """Only the analyst role: the pseudonymised extract with its codebook."""
    return (
        user.is_authenticated
        and user.role == Role.ANALYST
        and user.has_perm("reporting.view_research_extract")
    )


def must_suppress(user, *, unit_id) -> bool:
    """Aggregates shown outside the unit are suppressed: always for analysts; for a unit head whenever the
    figures are not about their own unit alone."""
    return not (user.role == Role.UNIT_HEAD and unit_id is not None and unit_id == user.unit_id)


def can_manage_assignments(user, assignment=None) -> bool:
    """Unit heads record and change their own unit's assignments; administrators any assignment of their
    municipality (including those shared by every unit)."""
    if not (user.is_authenticated and user.role in (Role.UNIT_HEAD, Role.ADMINISTRATOR)):
        return False
    if not user.has_perm("reporting.add_assignment" if assignment is None else "reporting.change_assignment"):
        return False
    if assignment is None:
        return True
    if assignment.municipality_id != user.municipality_id:
        return False
    return user.role == Role.ADMINISTRATOR or assignment.unit_id == user.unit_id


def can_view_assignment(user, assignment) -> bool:
    """Who may follow an assignment: unit heads (their unit's and shared ones), analysts and administrators
    of the
    municipality."""
    if not user.is_authenticated or assignment.municipality_id != user.municipality_id:
        return False
    if user.role == Role.UNIT_HEAD:
        return assignment.unit_id in (None, user.unit_id) and user.has_perm("reporting.view_assignment")
    return user.role in (Role.ANALYST, Role.ADMINISTRATOR) and user.has_perm("reporting.view_assignment")
