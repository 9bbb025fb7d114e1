"""Who may record exits and import assistance data — one function per rule, the rule in its docstring. The
services raise PermissionDenied when a function here says no; the pages, the templates (`{% can %}`) and the
API ask the same functions."""


def can_record_exits(user) -> bool:
    """Jobbtorg staff record why and when people leave (which referral: `can_record_exit`)."""
    return user.is_unit_staff


def can_record_exit(user, referral) -> bool:
    """Staff of the receiving unit with `followup.record_exit` (coach, counsellor, unit head) record the
    exit of the referral's person, and add late evidence to it."""
    return user.is_unit_staff and user.unit_id == referral.unit_id and user.has_perm("followup.record_exit")


def can_import_assistance(user) -> bool:
    """Administrators and unit heads (`followup.import_assistance`) import a month's assistance data (of their
    own municipality: the import refuses a user without one)."""
    return user.has_perm("followup.import_assistance")
