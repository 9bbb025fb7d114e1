"""Restore a backup written by `manage.py backup` into an empty, migrated database (or only verify it)."""

from django.core.management.base import BaseCommand, CommandError

from jobbtorg.privacy.backup import RestoreError, restore_from_file, verify_backup


class Command(BaseCommand):
    help = (
        "Restore a backup (age-encrypted or plain gzip JSON) into an EMPTY database migrated to the same "
        "migrations; it verifies the rows against the backup's counts before committing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--identity", help="File with the age private key (AGE-SECRET-KEY-…). Default: the settings'."
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Decrypt, decompress and count the backup without touching the database.",
        )

    def handle(self, *args, file: str, identity: str | None, verify_only: bool, **options):
        try:
            if verify_only:
                counts = verify_backup(file, identity_file=identity)
                total = sum(counts.values())
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{file} is readable and complete: {total} rows of {len(counts)} tables."
                    )
                )
                return
            counts = restore_from_file(file, identity_file=identity)
        except (RestoreError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Restored {sum(counts.values())} rows of {len(counts)} tables from {file}.")
        )
