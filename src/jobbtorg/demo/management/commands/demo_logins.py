"""`manage.py demo_logins` — the table of demo logins that `make run` prints before serving."""

from django.core.management.base import BaseCommand

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import User
from jobbtorg.demo import seed as demo


class Command(BaseCommand):
    help = "Print the demo logins (username, role, unit or district, password) and the local URL."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="List every demo staff member, not one per role."
        )

    def handle(self, *args, all=False, **options):
        if not demo.demo_exists():
            self.stdout.write(
                "No demo data in this database. Load it with `make seed` (or `manage.py seed_demo`) "
                "on an empty database."
            )
            return
        rows = [("Username", "Role", "Unit / district", "Password")]
        if all:
            users = (
                User.objects.filter(municipality__code=demo.MUNICIPALITY_CODE, is_integration=False)
                .select_related("unit", "district")
                .order_by("role", "unit__name", "district__name", "username")
            )
            rows += [(u.username, _role(u.role), _where(u), demo.PASSWORD) for u in users]
        else:
            for login, user in demo.demo_logins():
                if user is not None:
                    rows.append((login.username, _role(login.role), _where(user), demo.PASSWORD))
        widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
        self.stdout.write(f"Jobbtorg demo — open {demo.URL} and log in as:")
        for index, row in enumerate(rows):
            self.stdout.write(
                "  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        if not all:
            others = (
                User.objects.filter(municipality__code=demo.MUNICIPALITY_CODE, is_integration=False)
                .exclude(role="participant")
                .count()
            ) - sum(1 for login in demo.DEMO_LOGINS if login.attachment != "participant")
            self.stdout.write(
                f"  …and {others} more staff (caseworkers per district, coaches per unit, provider staff), "
                "same password: `manage.py demo_logins --all`."
            )


def _role(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


def _where(user: User) -> str:
    if user.district_id:
        return f"{user.district.name} ({user.district.unit.name})"
    if user.unit_id:
        return user.unit.name
    if getattr(user, "provider_id", None):
        return str(user.provider)
    if getattr(user, "partner_organisation_id", None):
        return str(user.partner_organisation)
    if getattr(user, "participant_id", None):
        return f"own record only ({user.participant.district.name})"
    return {"analyst": "whole municipality (aggregates)", "administrator": "whole municipality (admin)"}.get(
        user.role, "—"
    )
