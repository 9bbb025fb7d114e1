"""Who may use the pages of the accounts app — one function per rule, the rule in its docstring."""


def can_view_admin_start(user) -> bool:
    """The administration and finance start page (payment runs, creaming reviews, follow-up imports, users and
    role mappings, background jobs): the municipality's administrators (the role, or a Django superuser)."""
    return user.is_authenticated and user.is_administrator


def can_manage_users(user) -> bool:
    """Users and the sign-in's role mappings are kept in the administration (Django's admin): administrators
    with access to it (`is_staff`) and the right to change users."""
    return can_view_admin_start(user) and user.is_staff and user.has_perm("accounts.change_user")
