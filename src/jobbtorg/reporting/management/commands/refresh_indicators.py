"""`manage.py refresh_indicators` — rebuild the indicator rollups from the records. Scheduled nightly for all
municipalities, and every few minutes with `--dirty` (rebuilds only the municipalities whose records changed
since their last rebuild — an assistance import marks its municipality dirty). docs/indicators.md,
"Freshness"."""

import time

from django.core.management.base import BaseCommand, CommandError

from jobbtorg.accounts.models import Municipality
from jobbtorg.reporting.models import Freshness
from jobbtorg.reporting.services import indicators_refresh


class Command(BaseCommand):
    help = "Rebuild the key-indicator rollups (reporting_case, reporting_attendancemonth) from the records."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--municipality", help="Only this municipality (its four-digit code).")
        which.add_argument(
            "--dirty",
            action="store_true",
            help="Only the municipalities whose records changed since their last rebuild (or never built).",
        )

    def handle(self, *args, **options):
        if options["municipality"]:
            municipality = Municipality.objects.filter(code=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with code {options['municipality']}.")
            ids = [municipality.pk]
        elif options["dirty"]:
            built = Freshness.objects.filter(refreshed_at__isnull=False, dirty_since__isnull=True)
            ids = list(
                Municipality.objects.exclude(pk__in=built.values("pk"))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        else:
            ids = [None]
        for municipality_id in ids:
            started = time.perf_counter()
            counts = indicators_refresh(municipality_id=municipality_id)
            where = "all municipalities" if municipality_id is None else f"municipality {municipality_id}"
            self.stdout.write(
                f"Rebuilt {counts['cases']:,} cases and {counts['attendance_months']:,} attendance months "
                f"({where}) in {time.perf_counter() - started:.1f} s."
            )
        if not ids:
            self.stdout.write("Nothing to rebuild: every municipality's figures are fresh.")
