"""Thin out (gallra) what the retention rules say is due. Dry run unless --apply; prints per record type what
is (or would be) removed and what is kept for the archive. Schedule it, e.g. nightly:
`manage.py apply_retention --apply --archive-dir /var/lib/jobbtorg/arkiv`."""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand

from jobbtorg.privacy.retention import archive_export, retention_apply, retention_plan


class Command(BaseCommand):
    help = "Apply the retention rules (gallring). Dry run by default; --apply removes."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Remove for real (default: report only).")
        parser.add_argument(
            "--archive-dir", type=Path, help="Export the cases that must be archived here (JSON per person)."
        )

    def handle(self, *args, apply: bool, archive_dir: Path | None, **options):
        plan = retention_plan()
        mode = "APPLY" if apply else "DRY RUN (nothing is removed; use --apply)"
        self.stdout.write(f"Retention — {mode}")
        self.stdout.write(f"  cases ended before {plan.case_cutoff:%Y-%m-%d}: {len(plan.people)} people")
        self.stdout.write(f"  read log before {plan.read_log_cutoff:%Y-%m-%d}")
        self.stdout.write("Removed:" if apply else "Would remove:")
        for label, count in plan.counts().items():
            self.stdout.write(f"  {label}: {count}")
        detached = plan.detached_counts()
        if detached:
            self.stdout.write("References cleared (the rows stay):" if apply else "Would clear references:")
            for label, count in detached.items():
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"Kept for the archive (born on an archive day): {len(plan.archived)} people")
        self.stdout.write(f"Kept for payment records (accounting): {len(plan.kept_for_accounts)} people")
        if archive_dir is not None and plan.archived:
            exported = archive_export(plan=plan, directory=archive_dir)
            self.stdout.write(f"Exported {exported} archived case files to {archive_dir}")
        if apply:
            run_id = retention_apply(plan=plan, ran_by=_operator())
            self.stdout.write(self.style.SUCCESS(f"Done; deletion log run {run_id}"))


def _operator() -> str:
    try:
        return f"manage.py apply_retention ({getpass.getuser()})"
    except (KeyError, OSError):
        return "manage.py apply_retention"
