"""Scheduled: vacancies from Platsbanken (JobTech JobStream) for each municipality named in
JOBBTORG_JOBSTREAM["MUNICIPALITIES"]. Idempotent (an ad is found again by its id); the cursor moves only
after a run that succeeded; JobStream away is retried with back-off (ConnectionError)."""

from jobbtorg.accounts.models import Municipality
from jobbtorg.background.decorators import task

from .jobtech import config, jobstream_import


@task(name="matching.import_platsbanken")
def import_platsbanken() -> str:
    codes = config()["MUNICIPALITIES"]
    if not codes:
        return "Platsbanken import not configured"
    lines = []
    for municipality in Municipality.objects.filter(code__in=codes).order_by("code"):
        result = jobstream_import(municipality=municipality)
        lines.append(f"{municipality.code}: {result.as_dict()}")
    return "; ".join(lines) or "no configured municipality found"
