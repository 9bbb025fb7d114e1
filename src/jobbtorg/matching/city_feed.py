"""The city's own vacancies (its 1,500–2,000 hires a year): an employer flagged as the city itself feeds its
vacancies by file (CSV or XLSX as Excel in Sweden saves it, read by `utils.tabular`) or by the API (the same
columns as JSON). Each row is one vacancy, found again by the city's own id (source "the city's own
recruitment"): a second delivery updates, never duplicates; `status` stängd/closed closes it. Every row is
checked first; one bad row rejects the whole delivery, with a message per line, and nothing is written.

Columns (header required): id;titel;ssyk;timmar;postnummer;ort;antal;sista_ansokningsdag;status;beskrivning
- id: the city's reference (e.g. the recruitment system's ad number), unique per vacancy
- ssyk: the 4-digit SSYK 2012 code; timmar: hours per week (1–40, default 40); antal: places (default 1)
- sista_ansokningsdag: YYYY-MM-DD (optional); status: öppen/open (default) or stängd/closed
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record
from jobbtorg.plans.constants import PlacementKind
from jobbtorg.taxonomy.models import OccupationGroup
from jobbtorg.utils.tabular import read_table

from . import perms
from .constants import VacancySource, VacancyStatus
from .models import Employer, Vacancy

MAX_ROWS = 5000
ALIASES = {
    "annonsid": "id",
    "referens": "id",
    "title": "titel",
    "rubrik": "titel",
    "ssyk-kod": "ssyk",
    "timmar_per_vecka": "timmar",
    "hours": "timmar",
    "postal_code": "postnummer",
    "city": "ort",
    "places": "antal",
    "deadline": "sista_ansokningsdag",
    "sista ansökningsdag": "sista_ansokningsdag",
    "sista_ansökningsdag": "sista_ansokningsdag",
    "description": "beskrivning",
}
CLOSED = {"stängd", "stangd", "closed"}
OPEN = {"", "öppen", "oppen", "open"}


@dataclass
class CityFeedResult:
    ok: bool
    created: int = 0
    updated: int = 0
    closed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def _int(value: str, *, default: int, low: int, high: int, name: str) -> int:
    text = (value or "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValidationError(
            _("%(name)s must be a whole number from %(low)d to %(high)d.")
            % {"name": name, "low": low, "high": high}
        )
    return int(text)


def _check_row(row: dict, seen: set) -> dict:
    ref = (row.get("id") or "").strip()
    if not ref or len(ref) > 64:
        raise ValidationError(_("Every row needs the city's id of the vacancy (at most 64 characters)."))
    if ref in seen:
        raise ValidationError(_("The id %(id)s appears twice in the file.") % {"id": ref})
    seen.add(ref)
    status = (row.get("status") or "").strip().lower()
    if status not in OPEN | CLOSED:
        raise ValidationError(_("The status must be öppen or stängd."))
    if status in CLOSED:
        return {"id": ref, "closed": True}
    title = (row.get("titel") or "").strip()
    if not title or len(title) > 200:
        raise ValidationError(_("Every open vacancy needs a title (at most 200 characters)."))
    code = (row.get("ssyk") or "").strip()
    occupation = OccupationGroup.objects.filter(pk=code, level=4).first() if code else None
    if occupation is None:
        raise ValidationError(_("Unknown SSYK 2012 occupation group: %(code)s") % {"code": code or "–"})
    postal = "".join(ch for ch in (row.get("postnummer") or "") if ch.isdigit())
    if postal and len(postal) != 5:
        raise ValidationError(_("Enter a postal code of five digits, e.g. 16355."))
    deadline_text = (row.get("sista_ansokningsdag") or "").strip()
    try:
        deadline = datetime.date.fromisoformat(deadline_text) if deadline_text else None
    except ValueError as exc:
        raise ValidationError(_("Write the deadline as YYYY-MM-DD.")) from exc
    return {
        "id": ref,
        "closed": False,
        "values": {
            "kind": PlacementKind.JOB,
            "title": title,
            "description": (row.get("beskrivning") or "").strip(),
            "occupation": occupation,
            "hours_per_week": _int(row.get("timmar"), default=40, low=1, high=40, name=_("Hours per week")),
            "places": _int(row.get("antal"), default=1, low=1, high=500, name=_("Places")),
            "postal_code": postal,
            "city": (row.get("ort") or "").strip()[:100],
            "deadline": deadline,
        },
    }


def city_vacancies_import(*, by, employer: Employer, rows: list[tuple[int, dict]]) -> CityFeedResult:
    """Check every row, then create, update or close the city's vacancies in one transaction."""
    if not perms.can_manage_employer(by, employer):
        raise PermissionDenied
    if not employer.is_city:
        return CityFeedResult(
            False, errors=[(0, _("Only an employer flagged as the city itself feeds vacancies."))]
        )
    if not rows:
        return CityFeedResult(False, errors=[(0, _("The file has no rows."))])
    planned, errors, seen = [], [], set()
    for line, row in rows:
        try:
            planned.append(_check_row(row, seen))
        except ValidationError as exc:
            errors.append((line, "; ".join(exc.messages)))
    if errors:
        return CityFeedResult(False, errors=errors)
    result = CityFeedResult(True)
    with transaction.atomic():
        existing = {
            v.external_id: v
            for v in Vacancy.objects.select_for_update().filter(
                employer=employer, source=VacancySource.CITY, external_id__in=[p["id"] for p in planned]
            )
        }
        for item in planned:
            vacancy = existing.get(item["id"])
            if item["closed"]:
                if vacancy is not None and vacancy.status == VacancyStatus.OPEN:
                    vacancy.status = VacancyStatus.CLOSED
                    vacancy.save()
                    change_record(action="vacancy_closed_at_source", obj=vacancy, by=by)
                    result.closed += 1
                continue
            created = vacancy is None
            if created:
                vacancy = Vacancy(
                    employer=employer, source=VacancySource.CITY, external_id=item["id"], created_by=by
                )
            for name, value in item["values"].items():
                setattr(vacancy, name, value)
            if vacancy.status == VacancyStatus.CLOSED:
                vacancy.status = VacancyStatus.OPEN
            vacancy.save()
            change_record(
                action="vacancy_imported" if created else "vacancy_updated_at_source",
                obj=vacancy,
                by=by,
                changes={"source": VacancySource.CITY, "id": item["id"]},
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result


def city_vacancies_file(*, by, employer: Employer, content: bytes, file_name: str = "") -> CityFeedResult:
    """The same from a CSV or XLSX file."""
    try:
        table = read_table(content, file_name=file_name, aliases=ALIASES, max_rows=MAX_ROWS)
    except ValidationError as exc:
        return CityFeedResult(False, errors=[(0, "; ".join(exc.messages))])
    if "id" not in table.names:
        return CityFeedResult(False, errors=[(1, _("The header must name the columns id, titel and ssyk."))])
    return city_vacancies_import(by=by, employer=employer, rows=table.rows)
