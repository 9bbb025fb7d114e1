"""The research extract: one row per referral, pseudonymised (HMAC-SHA256 of the identity number keyed with
JOBBTORG_RESEARCH_KEY), ages in bands, months instead of dates, no names, addresses or free text."""

from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import Municipality
from jobbtorg.followup.constants import ExitReason
from jobbtorg.followup.models import AssistanceMonth
from jobbtorg.interventions.models import InterventionType
from jobbtorg.participants.models import Participant
from jobbtorg.utils.db import reporting_alias

from .constants import KoladaResult
from .models import Case
from .sql import Dialect, literal, table

CODEBOOK: list[tuple[str, str]] = [
    (
        "person",
        _(
            "Pseudonym: HMAC-SHA256 of the personal identity number with the municipality's secret research "
            "key (hex). Same person, same key: same pseudonym."
        ),
    ),
    ("municipality", _("Municipality code (four digits).")),
    ("unit", _("Jobbtorg unit id.")),
    ("district", _("District id.")),
    ("provider", _("Provider id at exit, else of the first intervention; empty: none.")),
    ("intervention_type", _("Code of the first intervention type; empty: none.")),
    ("target_group", _("Target group code (see participants.constants.TargetGroup).")),
    ("tier", _("Distance to the labour market: A near, B some distance, C far; empty: not mapped.")),
    ("age_band", _("Age at referral: 16-24, 25-34, 35-44, 45-54, 55+.")),
    ("gender", _("female or male, as the identity number encodes it.")),
    ("education_level", _("none, compulsory, upper_secondary, post_secondary, university, unknown.")),
    ("swedish_level", _("none, sfi_a … sfi_d, other, native.")),
    ("months_without_work", _("Months without work at mapping; empty: never worked or unknown.")),
    ("months_on_assistance", _("Months on social assistance at mapping.")),
    ("referral_month", _("Month of the referral (YYYY-MM).")),
    ("accepted", _("1 if the unit accepted the referral.")),
    ("days_to_plan", _("Calendar days from referral to the first approved action plan.")),
    ("plan_in_time", _("1 if the plan was approved by the fifth working day, 0 if not, empty: not due yet.")),
    ("days_to_first_intervention", _("Calendar days from referral to the first intervention.")),
    ("exit_month", _("Month of the exit (YYYY-MM); empty: still in the programme.")),
    ("exit_reason", _("work, studies, other_support, moved, interrupted, completed, other.")),
    (
        "work_kolada",
        _("1 if work counting for Kolada U40455 (lasted a month, not a municipal labour-market job)."),
    ),
    ("studies_kolada", _("1 if studies eligible for student finance (CSN), as Kolada U40455 counts them.")),
    ("employment_form", _("permanent, fixed_term, hourly, self_employed (work exits).")),
    ("subsidised", _("1 if subsidised employment (work exits).")),
    ("days_in_programme", _("Calendar days from acceptance to exit.")),
    ("assistance_months_before", _("Months with assistance paid in the six months before the exit month.")),
    (
        "assistance_3",
        _("1 if assistance was paid 3 months after the exit month, 0 if not, empty: not observed."),
    ),
    ("assistance_6", _("As assistance_3, 6 months after.")),
    ("assistance_12", _("As assistance_3, 12 months after.")),
]


@functools.cache
def extract_sql(d: Dialect) -> str:
    i = d.int
    work = literal(ExitReason.WORK)

    def observed(n: int) -> str:
        return f"rc.exit_date IS NOT NULL AND {d.add_months(d.month_trunc('rc.exit_date'), n)} <= last.m"

    return f"""
SELECT p.personal_number, mu.code, rc.unit_id, rc.district_id, rc.provider_id, t.code, rc.target_group,
    rc.tier,
       rc.age_band, rc.gender, rc.education_level, rc.swedish_level, rc.months_without_work,
       rc.months_on_assistance, {d.month_label("rc.referral_date")}, (rc.accepted_on IS NOT NULL){i},
       {d.days("rc.approved_on", "rc.referral_date")},
       CASE WHEN rc.plan_in_time IS NOT NULL THEN rc.plan_in_time{i}
            WHEN rc.plan_due_date < %(today)s THEN 0 END,
       {d.days("rc.first_intervention_on", "rc.referral_date")}, {d.month_label("rc.exit_date")},
       rc.exit_reason,
       (rc.kolada_result = {literal(KoladaResult.WORK)}){i},
       (rc.kolada_result = {literal(KoladaResult.STUDIES)}){i},
       NULLIF(rc.employment_form, ''), CASE WHEN rc.exit_reason = {work} THEN rc.subsidised{i} END,
       {d.days("rc.exit_date", "rc.accepted_on")}, rc.assistance_before_months,
       CASE WHEN {observed(3)} THEN rc.paid_3{i} END,
       CASE WHEN {observed(6)} THEN rc.paid_6{i} END,
       CASE WHEN {observed(12)} THEN rc.paid_12{i} END
FROM {table(Case)} rc
JOIN {table(Participant)} p ON p.id = rc.participant_id
JOIN {table(Municipality)} mu ON mu.id = rc.municipality_id
LEFT JOIN {table(InterventionType)} t ON t.id = rc.intervention_type_id
CROSS JOIN (SELECT max(month) AS m FROM {table(AssistanceMonth)} WHERE is_current) AS last
WHERE rc.municipality_id = %(municipality)s AND rc.referral_date BETWEEN %(start)s AND %(end)s
ORDER BY rc.referral_date, rc.referral_id
"""


def research_key() -> bytes:
    key = settings.JOBBTORG_RESEARCH_KEY or ("development-only-research-key" if settings.DEBUG else "")
    if not key:
        raise ImproperlyConfigured("Set JOBBTORG_RESEARCH_KEY to produce the research extract.")
    return key.encode()


def pseudonym(personal_number: str, *, key: bytes) -> str:
    return hmac.new(key, personal_number.encode(), hashlib.sha256).hexdigest()


def extract_rows(*, municipality_id: int, start, end, today=None):
    """Header, then one tuple per referral of the period (streamed from a server-side cursor). "Not due yet"
    is judged as of `today` (the local date by default)."""
    key = research_key()
    yield [name for name, _description in CODEBOOK]
    connection = connections[reporting_alias()]
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            extract_sql(Dialect.of(connection.vendor)),
            {
                "municipality": municipality_id,
                "start": start,
                "end": end,
                "today": today or timezone.localdate(),
            },
        )
        for row in cursor:
            yield [pseudonym(row[0], key=key), *row[1:]]
