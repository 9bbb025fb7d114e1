"""Who may do what with the provider register, authorisations and the customer choice — one function per
rule, the rule in its docstring. The services raise PermissionDenied when a function here says no; the pages,
the templates (`{% can %}`) and the API ask the same functions."""


def can_view_providers(user) -> bool:
    """Roles with `providers.view_provider` (Jobbtorg staff who book, provider staff, administrators) see the
    register of their municipality."""
    return user.has_perm("providers.view_provider")


def can_add_provider(user) -> bool:
    """Administrators (`providers.add_provider`) add providers to the register."""
    return user.has_perm("providers.add_provider")


def can_manage_contracts(user) -> bool:
    """Administrators with access to the administration (`providers.change_contract`, staff status) keep the
    procurement contracts (LOU) there."""
    return user.has_perm("providers.change_contract") and user.is_staff


def can_decide_applications(user) -> bool:
    """Deciders (`providers.decide_application`: administrators, unit heads) approve and reject applications
    for authorisation, and suspend, reinstate and revoke authorisations."""
    return user.has_perm("providers.decide_application")


def can_apply(user) -> bool:
    """A provider's own staff (`providers.add_application`) apply for authorisation."""
    return user.is_provider_staff and user.has_perm("providers.add_application")


def can_view_applications(user) -> bool:
    """The applications page: those who decide them (`can_decide_applications`) and provider staff who apply
    (`can_apply`)."""
    return can_decide_applications(user) or can_apply(user)


def can_apply_for(user, provider) -> bool:
    """Staff of this provider (or an administrator with staff status acting for it), with
    `providers.add_application`, submit its application."""
    return user.has_perm("providers.add_application") and (user.provider_id == provider.pk or user.is_staff)


def can_work_with_choices(user) -> bool:
    """Jobbtorg staff start provider choices and follow people's providers (whose: `can_offer_choice`)."""
    return user.is_unit_staff


def can_offer_choice(user, referral) -> bool:
    """Staff of the unit the person is referred to start a provider choice, choose with the person, and change
    the person's provider."""
    return user.is_unit_staff and user.unit_id == referral.unit_id


def can_make_choice(user, choice) -> bool:
    """The person themself (in the participant view), or staff of their unit choosing with them."""
    return _is_the_person(user, choice.participant_id) or can_offer_choice(user, choice.referral)


def can_change_provider(user, assignment) -> bool:
    """The person themself, or staff of their unit, change the person's provider (with a reason)."""
    return _is_the_person(user, assignment.participant_id) or can_offer_choice(user, assignment.referral)


def can_view_assignments(user) -> bool:
    """A person's providers over time are read by the roles that work with providers' assignments: Jobbtorg
    staff, the district caseworker, provider staff (their own organisation's) and the person themself —
    not partner staff (the shared plan does not cover providers) nor analysts or administrators. Which
    people and assignments: `visible_to`."""
    return user.is_unit_staff or user.is_caseworker or user.is_provider_staff or user.is_participant


def _is_the_person(user, participant_id) -> bool:
    return getattr(user, "participant_id", None) == participant_id
