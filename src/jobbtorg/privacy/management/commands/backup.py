"""Back up the whole database to a gzip-compressed JSON file (docs/security.md)."""

import sys

from django.core.management.base import BaseCommand

from jobbtorg.privacy.backup import backup_to_file, backup_write


class Command(BaseCommand):
    help = (
        "Write a backup of all data (audit logs included) as gzip JSON. Contains personal data: encrypt it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="File to write (mode 0600), or - for stdout.")

    def handle(self, *args, output: str, **options):
        if output == "-":
            counts = backup_write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            counts = backup_to_file(output)
        report = self.stderr if output == "-" else self.stdout
        report.write(f"Backed up {sum(counts.values())} rows of {len(counts)} tables.")
        report.write(
            self.style.WARNING(
                "The backup holds every person's data, protected identities included. "
                "Store it encrypted (e.g. --output - | gpg --encrypt) and never e-mail it."
            )
        )
