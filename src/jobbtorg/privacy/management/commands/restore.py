"""Restore a backup written by `manage.py backup` into an empty, migrated database."""

from django.core.management.base import BaseCommand, CommandError

from jobbtorg.privacy.backup import RestoreError, restore_from_file


class Command(BaseCommand):
    help = "Restore a backup (gzip JSON) into an EMPTY database migrated to the same migrations."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            counts = restore_from_file(file)
        except (RestoreError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Restored {sum(counts.values())} rows of {len(counts)} tables from {file}.")
        )
