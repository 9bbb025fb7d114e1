"""`manage.py generate_dataset --scale {demo,city,national} --seed N` — a synthetic data set for scale work.

Fills an empty database (use a separate DATABASE_URL) with people in every stage of the flow, in bulk
(COPY on PostgreSQL), and prints the rows written, the seconds and the rate per table and overall.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from jobbtorg.demo.dataset.generate import STAFF_PASSWORD, Generator
from jobbtorg.demo.dataset.sizes import SCALES
from jobbtorg.demo.dataset.writer import Loader
from jobbtorg.demo.loaded import after_bulk_load
from jobbtorg.participants.models import Participant


class Command(BaseCommand):
    help = "Fill an empty database with a realistic synthetic data set (demo, city or national scale)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The last day of the history (YYYY-MM-DD; default today). Same seed + same day = same data.",
        )
        parser.add_argument("--participants", type=int, default=None, help="Override the number of people.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars (for logs).")
        parser.add_argument(
            "--allow-existing",
            action="store_true",
            help="Add to a database that already has people in it (default: refuse).",
        )

    def handle(self, *args, scale, seed, today, participants, no_progress, allow_existing, **options):
        if scale not in SCALES:
            raise CommandError(f"Unknown scale '{scale}'; choose one of: {', '.join(sorted(SCALES))}.")
        spec = SCALES[scale]
        if participants is not None:
            if participants < 1:
                raise CommandError("--participants must be at least 1.")
            spec = spec.__class__(**{**spec.__dict__, "new_per_month": max(1, participants // spec.months)})
        if not allow_existing and Participant.objects.exists():
            raise CommandError(
                "The database already holds people. Generate into an empty database (e.g. "
                "DATABASE_URL=postgres://…/jobbtorg_city manage.py migrate first), or pass --allow-existing."
            )
        today = today or timezone.localdate()
        method = "COPY" if connection.vendor == "postgresql" else "batched INSERT"
        self.stdout.write(
            f"Generating the '{spec.name}' data set ({spec.description}); seed {seed}, "
            f"history until {today}, "
            f"database: {connection.vendor} ({method})."
        )
        loader = Loader(progress=not no_progress)
        started = time.perf_counter()
        summary = Generator(scale=spec, seed=seed, today=today, loader=loader).run()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"\n{'table':<40}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
        for stat in loader.stats:
            rate = stat.rows / stat.seconds if stat.seconds else 0
            self.stdout.write(f"{stat.table:<40}{stat.rows:>12,}{stat.seconds:>10.2f}{rate:>12,.0f}")
        total_rate = loader.rows / loader.seconds
        self.stdout.write(
            f"{'total written':<40}{loader.rows:>12,}{loader.seconds:>10.2f}{total_rate:>12,.0f}"
        )
        t = summary["timings"]
        load_rate = loader.rows / (t["writing"] + t["commit"])
        self.stdout.write(
            f"Planning {t['planning']:.1f} s, writing {t['writing']:.1f} s (of which checking every foreign "
            f"key {t['key check']:.1f} s), commit {t['commit']:.1f} s. Load rate (writing + commit): "
            f"{load_rate:,.0f} rows/s. Whole run {elapsed:.1f} s, "
            f"{loader.rows / elapsed:,.0f} rows/s overall."
        )
        self.stdout.write(f"People: {summary['participants']:,} (by status {summary['statuses']}).")
        units = sorted(summary["units"].items(), key=lambda item: -item[1])[:6]
        shares = ", ".join(f"{name} {count / summary['participants']:.0%}" for name, count in units)
        self.stdout.write(f"Largest units: {shares}.")
        self.stdout.write(f"Staff: {summary['staff']:,}; they log in with password '{STAFF_PASSWORD}'.")
        after_bulk_load(stdout=self.stdout)  # rollups built, vacancy tables stamped (not in the load rate)
        self.stdout.write(self.style.SUCCESS("Done."))
