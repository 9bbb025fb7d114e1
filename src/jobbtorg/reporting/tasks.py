"""Scheduled: the key-indicator rollups, `--dirty` every few minutes and all of them nightly
(docs/indicators.md, "Freshness"). A rebuild replaces the rollups: running it twice gives the same
figures."""

import io

from django.core.management import call_command

from jobbtorg.background.decorators import task


@task(name="reporting.refresh_indicators_dirty")
def refresh_indicators_dirty() -> str:
    out = io.StringIO()
    call_command("refresh_indicators", dirty=True, stdout=out)
    return out.getvalue()


@task(name="reporting.refresh_indicators_all")
def refresh_indicators_all() -> str:
    out = io.StringIO()
    call_command("refresh_indicators", stdout=out)
    return out.getvalue()
