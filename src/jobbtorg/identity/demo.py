"""Demo data of sign-in: integration accounts (so that the admin pages show something and the README's
`integration_token` example works). Consumes no randomness: the rest of the demo stays as it was."""

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import User

# username: (role, acts for the demo provider, what it is for)
INTEGRATION_ACCOUNTS = {
    "narvarosystem": (Role.PROVIDER_STAFF, True, "Närvarosystem hos anordnaren (attendance_report)"),
    "ekonomisystem": (Role.ADMINISTRATOR, False, "Ekonomiskt bistånd, verksamhetssystem (assistance_import)"),
}


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
    return accounts
