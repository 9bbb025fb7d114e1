"""`manage.py integration_token USERNAME --scope attendance_report [--days 365] [--name NAME]` — a new API
token for an integration account, printed once (the admin page makes them too). Only a hash is kept."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobbtorg.accounts.models import User
from jobbtorg.identity.constants import TokenScope
from jobbtorg.identity.tokens import integration_token_create


class Command(BaseCommand):
    help = "Make a scoped, expiring API token for an integration account and print its key (once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", action="append", choices=TokenScope.values, required=True)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--name", default="")

    def handle(self, *args, username, scope, days, name, **options):
        user = User.objects.filter(username=username, is_integration=True, is_active=True).first()
        if user is None:
            raise CommandError(f"No active integration account {username!r} (admin → users → integration).")
        try:
            _, key = integration_token_create(
                user=user,
                name=name or f"{username} ({', '.join(scope)})",
                scopes=scope,
                expires_at=timezone.now() + datetime.timedelta(days=days),
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(key)
