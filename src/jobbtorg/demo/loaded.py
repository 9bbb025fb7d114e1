"""What follows a bulk load of records (generate_dataset; an import that writes around the services): the
key-indicator rollups are built at once, so the dashboard never shows "not built yet" or zeros for a
municipality that has data, and the matching engine's vacancy tables are marked changed, so no worker ranks
on a table from before the load (ADR 0013)."""

import time

from jobbtorg.matching.vacancy_table import all_vacancies_changed
from jobbtorg.reporting.services import indicators_refresh


def after_bulk_load(*, stdout=None) -> dict:
    started = time.perf_counter()
    all_vacancies_changed()
    counts = indicators_refresh()
    seconds = time.perf_counter() - started
    if stdout is not None:
        stdout.write(
            f"Key-indicator rollups built in {seconds:.1f} s ({counts['cases']:,} cases, "
            f"{counts['attendance_months']:,} attendance months); vacancy tables marked changed."
        )
    return {**counts, "seconds": seconds}
