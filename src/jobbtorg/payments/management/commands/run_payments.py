"""Compute the monthly payment basis for every municipality (run by the scheduler after the assistance
data of the month has been imported). `--dry-run` computes and reports but writes nothing."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jobbtorg.followup.assistance_import import parse_month
from jobbtorg.payments.services import payment_run


class Command(BaseCommand):
    help = "Compute the payment basis of a month: run_payments --month YYYY-MM [--dry-run]"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, month, dry_run, **options):
        try:
            first = parse_month(month)
            started = time.perf_counter()
            results = payment_run(month=first, by=None, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        elapsed = time.perf_counter() - started
        for r in results:
            self.stdout.write(
                f"{r.municipality}: {first:%Y-%m} {r.lines} lines, {r.adjustments} adjustments, "
                f"{r.total} SEK{' (dry run, nothing written)' if dry_run else ''}"
            )
        self.stdout.write(f"{elapsed:.2f} s")
