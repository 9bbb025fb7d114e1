"""Back up the whole database: gzip JSON encrypted with age, written atomically (docs/operations.md)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from jobbtorg.privacy.backup import (
    BackupError,
    backup_to_file,
    backup_write,
    backup_write_encrypted,
    recipients_from_settings,
)


class Command(BaseCommand):
    help = (
        "Write a backup of all data (audit logs included) as gzip JSON, encrypted to the age public keys in "
        "JOBBTORG_BACKUP_RECIPIENTS. The file is replaced only when the new backup is complete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="File to write (mode 0600), or - for stdout.")
        parser.add_argument(
            "--recipient",
            action="append",
            dest="recipients",
            help="An age public key (age1…) to encrypt to; repeat for several. Default: the settings'.",
        )
        parser.add_argument(
            "--unencrypted",
            action="store_true",
            help="Write personal data in plain text (gzip JSON): only for a copy encrypted elsewhere.",
        )

    def handle(self, *args, output: str, recipients, unencrypted: bool, **options):
        recipients = recipients or recipients_from_settings()
        try:
            if output == "-":
                if not unencrypted and not recipients:
                    raise BackupError(
                        "No age public key to encrypt to: set JOBBTORG_BACKUP_RECIPIENTS, pass --recipient, "
                        "or --unencrypted."
                    )
                stream = sys.stdout.buffer
                counts = backup_write(stream) if unencrypted else backup_write_encrypted(stream, recipients)
                stream.flush()
            else:
                counts = backup_to_file(output, recipients=recipients, unencrypted=unencrypted)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        report = self.stderr if output == "-" else self.stdout
        report.write(f"Backed up {sum(counts.values())} rows of {len(counts)} tables.")
        if unencrypted:
            report.write(
                self.style.WARNING(
                    "The backup is NOT encrypted and holds every person's data, protected identities "
                    "included. Encrypt it before it leaves this machine and never e-mail it."
                )
            )
        else:
            report.write(f"Encrypted to {len(recipients)} age key(s); restore needs a matching private key.")
