"""Who may do what with the intervention catalogue, offerings and bookings — one function per rule, the rule
in its docstring. The services raise PermissionDenied when a function here says no; the pages, the
templates (`{% can %}`) and the API ask the same functions."""

from .constants import DeliveredBy


def can_view_catalogue(user) -> bool:
    """Everyone who works with offerings or describes the types (`interventions.view_offering` or
    `interventions.view_interventiontype`) reads the catalogue."""
    return user.has_perm("interventions.view_offering") or user.has_perm(
        "interventions.view_interventiontype"
    )


def can_add_intervention_type(user) -> bool:
    """Administrators (`interventions.add_interventiontype`) add types to the catalogue."""
    return user.has_perm("interventions.add_interventiontype")


def can_edit_catalogue(user) -> bool:
    """Administrators (`interventions.change_interventiontype`) describe, retire and reinstate types."""
    return user.has_perm("interventions.change_interventiontype")


def can_view_offerings(user) -> bool:
    """Roles with `interventions.view_offering` (Jobbtorg staff who book, provider staff, administrators) see
    the offerings of their municipality."""
    return user.has_perm("interventions.view_offering")


def can_manage_all_offerings(user) -> bool:
    """Administrators (`interventions.add_offering` and `change_offering`) add and manage every offering of
    their municipality, whoever delivers it."""
    return user.has_perm("interventions.add_offering") and user.has_perm("interventions.change_offering")


def can_create_offerings(user) -> bool:
    """Administrators, and unit heads for their own unit's and the city's offerings (which ones:
    `can_manage_offering`)."""
    return can_manage_all_offerings(user) or user.is_unit_head


def can_manage_offering(user, offering) -> bool:
    """Administrators manage every offering of their municipality; a unit head manages the offerings of their
    own unit and those of city units, not providers' offerings. `offering` may be an unsaved one: the rule
    reads `delivered_by` and `unit_id`."""
    if can_manage_all_offerings(user):
        return True
    if user.is_unit_head:
        own_unit = offering.delivered_by == DeliveredBy.JOBBTORG and offering.unit_id == user.unit_id
        return offering.delivered_by == DeliveredBy.CITY or own_unit
    return False


def can_book(user, referral) -> bool:
    """Staff of the unit the person is referred to, with `interventions.add_booking` (coach, counsellor, unit
    head), book the person into offerings and cancel their bookings."""
    return (
        user.is_unit_staff and user.unit_id == referral.unit_id and user.has_perm("interventions.add_booking")
    )


def can_follow_bookings(user, referral) -> bool:
    """Staff of the unit the person is referred to follow the person's bookings from an offering's list of
    people (the bookings page itself is open to whoever sees the referral)."""
    return user.is_unit_staff and user.unit_id == referral.unit_id
