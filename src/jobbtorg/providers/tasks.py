"""Scheduled: the default provider for every provider choice past its deadline (daily). Idempotent: only
open choices are assigned, each in its own transaction."""

import io

from django.core.management import call_command

from jobbtorg.background.decorators import task


@task(name="providers.assign_default_providers")
def assign_default_providers() -> str:
    out = io.StringIO()
    call_command("assign_default_providers", stdout=out)
    return out.getvalue().splitlines()[-1] if out.getvalue() else ""
