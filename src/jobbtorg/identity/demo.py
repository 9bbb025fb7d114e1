"""Demo data of sign-in: integration accounts (so that the admin pages show something and the README's
`integration_token` example works). Consumes no randomness: the rest of the demo stays as it was."""

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import District, Unit, User

from .models import StaffRoleMapping

# username: (role, acts for the demo provider, what it is for)
INTEGRATION_ACCOUNTS = {
    "narvarosystem": (Role.PROVIDER_STAFF, True, "Närvarosystem hos anordnaren (attendance_report)"),
    "ekonomisystem": (Role.ADMINISTRATOR, False, "Ekonomiskt bistånd, verksamhetssystem (assistance_import)"),
}


# Example role mappings for single sign-on (admin → staff role mappings): IdP group → role and attachment.
ROLE_MAPPINGS = [
    ("sg-jobbtorg-jarva-arbetskonsulenter", Role.JOB_COACH, "unit", "Jobbtorg Järva"),
    ("sg-jobbtorg-jarva-chefer", Role.UNIT_HEAD, "unit", "Jobbtorg Järva"),
    ("sg-socialtjanst-rinkeby-kista", Role.CASEWORKER, "district", "Rinkeby-Kista"),
    ("sg-jobbtorg-analys", Role.ANALYST, "", ""),
]


def seed_identity(*, municipality, provider) -> list[User]:
    accounts = []
    for username, (role, for_provider, title) in INTEGRATION_ACCOUNTS.items():
        user = User(
            username=username,
            first_name=title.split(" (")[0],
            role=role,
            municipality=municipality,
            provider=provider if for_provider else None,
            title=title,
            is_integration=True,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        accounts.append(user)
    for group, role, attachment, name in ROLE_MAPPINGS:
        where = {}
        if attachment == "unit":
            where["unit"] = Unit.objects.filter(municipality=municipality, name=name).first()
        elif attachment == "district":
            where["district"] = District.objects.filter(municipality=municipality, name=name).first()
        if attachment and where[attachment] is None:
            continue
        mapping = StaffRoleMapping(group=group, role=role, municipality=municipality, **where)
        mapping.full_clean()
        mapping.save()
    return accounts
