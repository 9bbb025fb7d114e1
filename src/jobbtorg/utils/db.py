"""Which database reporting reads use: a read replica when `REPORTING_DATABASE_URL` is set (see
docs/scaling.md), else the primary. Anything that feeds a decision reads the primary, always."""

from django.conf import settings

REPORTING = "reporting"


def reporting_alias() -> str:
    return REPORTING if REPORTING in settings.DATABASES else "default"
