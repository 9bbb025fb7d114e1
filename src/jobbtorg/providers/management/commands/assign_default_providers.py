"""Assign the default provider (ickevalsalternativ) to everyone whose provider choice is past its deadline.

Run daily by the scheduler:

    manage.py assign_default_providers [--date YYYY-MM-DD] [--dry-run]

Each open choice whose deadline has passed gets the next provider of the fair rotation among the authorised
providers with a free place (providers.services.choice_assign_default). The command acts as the service user
"system": a user with no role and no usable password, who can never log in. The assignment and the audit
entry then say that the system — not the coach who opened the choice — made the default assignment.

Output names choices by their id, never by person. --dry-run runs the same steps in a transaction that is
rolled back, so it shows exactly what would happen (including the order of the rotation) and writes nothing.
"""

import argparse
import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jobbtorg.providers.constants import ChoiceStatus
from jobbtorg.providers.models import ChoiceRequest
from jobbtorg.providers.services import choice_assign_default
from jobbtorg.referrals.constants import ReferralStatus

SYSTEM_USERNAME = "system"


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll back everything it did."""


def system_user():
    """The service user that scheduled chores act as: no role, no usable password, not active."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "System", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif user.role or user.has_usable_password():
        raise CommandError(
            f'The user "{SYSTEM_USERNAME}" exists but is not a service user (it has a role or a password).'
        )
    return user


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"give the date as YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = "Assign the default provider by rotation to every open provider choice past its deadline."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=parse_date, help="Run as of this day (YYYY-MM-DD). Default: today."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; write nothing.")

    def handle(self, *args, date: datetime.date | None = None, dry_run: bool = False, **options):
        today = date or timezone.localdate()
        prefix = "[dry run] " if dry_run else ""
        counts = {"assigned": 0, "no_provider": 0, "skipped": 0}
        if dry_run:
            try:
                with transaction.atomic():
                    self._run(today=today, prefix=prefix, counts=counts)
                    raise DryRunRollback
            except DryRunRollback:
                pass
        else:
            self._run(today=today, prefix=prefix, counts=counts)  # each choice is its own transaction
        self.stdout.write(
            f"{prefix}{today.isoformat()}: {counts['assigned']} default provider(s) assigned, "
            f"{counts['no_provider']} left open (no authorised provider with a free place), "
            f"{counts['skipped']} skipped."
        )

    def _run(self, *, today: datetime.date, prefix: str, counts: dict) -> None:
        by = system_user()
        due = (
            ChoiceRequest.objects.filter(status=ChoiceStatus.OPEN, deadline__lt=today)
            .select_related("referral", "intervention_type")
            .order_by("deadline", "opened_at", "pk")
        )
        for choice in due:
            label = (
                f"{prefix}choice {choice.pk} ({choice.intervention_type.code}, deadline {choice.deadline})"
            )
            if choice.referral.status == ReferralStatus.CLOSED:
                counts["skipped"] += 1
                self.stdout.write(f"{label}: skipped, the referral is closed")
                continue
            try:
                assignment = choice_assign_default(choice=choice, by=by, today=today)
            except ValidationError as error:
                counts["skipped"] += 1
                self.stdout.write(f"{label}: skipped, {' '.join(error.messages)}")
                continue
            if assignment is None:
                counts["no_provider"] += 1
                self.stdout.write(f"{label}: no authorised provider with a free place, left open")
                continue
            counts["assigned"] += 1
            self.stdout.write(f"{label}: {assignment.provider.name}")
