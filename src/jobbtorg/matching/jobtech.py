"""Vacancies from Platsbanken through Arbetsförmedlingen's open JobTech JobStream API (docs/integrations.md).

    GET {base}/v2/snapshot                 every ad published now (the first run)
    GET {base}/v2/stream?date=<cursor>     every ad changed since the cursor (later runs), removed ones with
                                           "removed": true

An ad (JobSearch's format): `id`, `headline`, `description.text`, `webpage_url`, `number_of_vacancies`,
`application_deadline`, `publication_date`, `employer` {organization_number, name}, `occupation_group`
{concept_id, label, legacy_ams_taxonomy_id = the 4-digit SSYK 2012 code}, `workplace_address`
{municipality_code, postcode, city, …}, `employment_type` / `working_hours_type` {concept_id, label},
`scope_of_work` {min, max} (per cent), `driving_license_required`, `must_have` / `nice_to_have` {skills,
languages: [{concept_id, label, …}]}, `removed`, `removed_date`.

A municipality takes the ads whose workplace is in it (`municipality_code` = `Municipality.code`). Each ad
is one vacancy, found again by its id (source Platsbanken): a second run updates, never duplicates; an ad
removed upstream closes the vacancy. The employer is found by organisation number in the register (created
there if new). The cursor is stored per municipality (`VacancyFeed`) and moved only when a run succeeds.
Writes go through the ORM one vacancy at a time (`save()`), so whatever listens to vacancy changes hears
them."""

import datetime
import logging
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from jobbtorg.audit.services import change_record
from jobbtorg.plans.constants import PlacementKind, SwedishLevel
from jobbtorg.providers.validators import organisation_number_normalize
from jobbtorg.taxonomy.models import OccupationGroup, Skill

from .constants import Sector, VacancySource, VacancyStatus
from .models import Employer, Vacancy, VacancyFeed, VacancySkill

logger = logging.getLogger(__name__)

FULL_TIME = 40
OVERLAP = datetime.timedelta(minutes=5)  # ask again for the last minutes: an ad is found by its id anyway
SWEDISH = "svenska"


class FeedUnavailable(ConnectionError):
    """JobStream did not answer usefully; the run changes nothing and the cursor stays."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    elsewhere: int = 0  # ads of other municipalities
    skipped: dict = field(default_factory=dict)  # reason -> count

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "closed": self.closed,
            "unchanged": self.unchanged,
            "elsewhere": self.elsewhere,
            "skipped": self.skipped,
        }


def config() -> dict:
    return settings.JOBBTORG_JOBSTREAM


def _get(path: str, params: dict | None = None) -> list:
    conf = config()
    headers = {"Accept": "application/json"}
    if conf.get("API_KEY"):
        headers["api-key"] = conf["API_KEY"]
    try:
        response = requests.get(
            conf["BASE_URL"].rstrip("/") + path, params=params, headers=headers, timeout=conf["TIMEOUT"]
        )
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise FeedUnavailable(type(exc).__name__) from exc
    if response.status_code != 200:
        raise FeedUnavailable(f"HTTP {response.status_code}")
    try:
        ads = response.json()
    except ValueError as exc:
        raise FeedUnavailable("the answer is not JSON") from exc
    if isinstance(ads, dict):  # tolerate a wrapped list
        ads = ads.get("ads") or ads.get("hits") or []
    if not isinstance(ads, list):
        raise FeedUnavailable("the answer is not a list of ads")
    return ads


def _label(value) -> str:
    return (value or {}).get("label") or "" if isinstance(value, dict) else ""


def _hours(ad: dict) -> int:
    scope = ad.get("scope_of_work") or {}
    percent = scope.get("max") or scope.get("min")
    if percent:
        return max(1, min(FULL_TIME, round(FULL_TIME * int(percent) / 100)))
    return FULL_TIME if _label(ad.get("working_hours_type")).lower() != "deltid" else FULL_TIME // 2


def _occupation(ad: dict) -> OccupationGroup | None:
    group = ad.get("occupation_group") or {}
    code = str(group.get("legacy_ams_taxonomy_id") or "").strip()
    found = OccupationGroup.objects.filter(pk=code, level=4).first() if code else None
    if found is None and group.get("concept_id"):
        found = OccupationGroup.objects.filter(concept_id=group["concept_id"], level=4).first()
    return found


def _employer(ad: dict, municipality, result: ImportResult) -> Employer | None:
    data = ad.get("employer") or {}
    try:
        number = organisation_number_normalize(str(data.get("organization_number") or ""))
    except ValidationError:
        result.skip("no valid organisation number")
        return None
    employer = Employer.objects.filter(municipality=municipality, organisation_number=number).first()
    if employer is None:
        address = ad.get("workplace_address") or {}
        employer = Employer.objects.create(
            municipality=municipality,
            organisation_number=number,
            name=(data.get("name") or data.get("workplace") or number)[:200],
            sector=Sector.PUBLIC if number.startswith("2") else Sector.PRIVATE,
            city=(address.get("city") or address.get("municipality") or "")[:100],
            notes="Platsbanken",
        )
        change_record(action="employer_imported", obj=employer, by=None, changes={"source": "platsbanken"})
    return employer


def _skills(ad: dict) -> list[tuple[int, bool]]:
    wanted: dict[str, bool] = {}
    for key, required in (("nice_to_have", False), ("must_have", True)):
        for skill in (ad.get(key) or {}).get("skills") or []:
            if skill.get("concept_id"):
                wanted[skill["concept_id"]] = wanted.get(skill["concept_id"], False) or required
    ids = dict(Skill.objects.filter(concept_id__in=wanted).values_list("concept_id", "id"))
    return sorted((ids[c], r) for c, r in wanted.items() if c in ids)


def _swedish(ad: dict) -> str:
    languages = (ad.get("must_have") or {}).get("languages") or []
    return (
        SwedishLevel.SFI_D
        if any(_label(lang).lower() == SWEDISH for lang in languages)
        else SwedishLevel.NONE
    )


def _date(value) -> datetime.date | None:
    if not value:
        return None
    moment = parse_datetime(str(value))
    return moment.date() if moment is not None else parse_date(str(value)[:10])


def _values(ad: dict, occupation: OccupationGroup) -> dict:
    address = ad.get("workplace_address") or {}
    postcode = "".join(ch for ch in str(address.get("postcode") or "") if ch.isdigit())
    description = (ad.get("description") or {}).get("text") or ""
    return {
        "kind": PlacementKind.JOB,
        "title": (ad.get("headline") or occupation.label)[:200],
        "description": description,
        "occupation": occupation,
        "swedish_level": _swedish(ad),
        "driving_licence_required": bool(ad.get("driving_license_required")),
        "hours_per_week": _hours(ad),
        "postal_code": postcode if len(postcode) == 5 else "",
        "city": (address.get("city") or address.get("municipality") or "")[:100],
        "places": max(1, int(ad.get("number_of_vacancies") or 1)),
        "deadline": _date(ad.get("application_deadline")),
        "external_url": (ad.get("webpage_url") or "")[:500],
        "employment_type": _label(ad.get("employment_type"))[:100],
        "working_hours": _label(ad.get("working_hours_type"))[:100],
    }


def _close(vacancy: Vacancy, result: ImportResult) -> None:
    if vacancy.status == VacancyStatus.OPEN:
        vacancy.status = VacancyStatus.CLOSED
        vacancy.save()
        change_record(action="vacancy_closed_at_source", obj=vacancy, by=None)
        result.closed += 1
    else:
        result.unchanged += 1


@transaction.atomic
def ad_apply(ad: dict, *, municipality, source: str, result: ImportResult) -> None:
    """Create, update or close the vacancy of one ad (idempotent by the ad's id)."""
    ad_id = str(ad.get("id") or "").strip()
    if not ad_id:
        result.skip("no id")
        return
    existing = (
        Vacancy.objects.select_for_update()
        .filter(source=source, external_id=ad_id, employer__municipality=municipality)
        .first()
    )
    if ad.get("removed"):
        if existing is not None:
            _close(existing, result)
        return
    if str((ad.get("workplace_address") or {}).get("municipality_code") or "") != municipality.code:
        if existing is not None:  # the ad moved out of the municipality
            _close(existing, result)
        else:
            result.elsewhere += 1
        return
    occupation = _occupation(ad)
    if occupation is None:
        result.skip("unknown occupation group")
        return
    employer = _employer(ad, municipality, result)
    if employer is None:
        return
    values = _values(ad, occupation)
    vacancy = existing or Vacancy(source=source, external_id=ad_id, employer=employer)
    before = {name: getattr(vacancy, name) for name in values} if existing else None
    before_status = existing.status if existing else None
    for name, value in values.items():
        setattr(vacancy, name, value)
    vacancy.employer = employer
    if existing is None or existing.status == VacancyStatus.CLOSED:
        vacancy.status = VacancyStatus.OPEN  # a new ad, or one published again
    skills = _skills(ad)
    old_skills = sorted(vacancy.skill_links.values_list("skill_id", "required")) if existing else None
    if existing is not None and before == values and old_skills == skills and before_status == vacancy.status:
        result.unchanged += 1
        return
    try:
        vacancy.full_clean(exclude=["employer", "created_by", "postal_code"])
    except ValidationError as exc:
        result.skip("invalid ad")
        logger.warning("Platsbanken ad %s skipped: %s", ad_id, "; ".join(exc.messages)[:200])
        return
    vacancy.save()
    vacancy.skill_links.all().delete()
    VacancySkill.objects.bulk_create(
        [VacancySkill(vacancy=vacancy, skill_id=s, required=r) for s, r in skills]
    )
    change_record(
        action="vacancy_imported" if existing is None else "vacancy_updated_at_source",
        obj=vacancy,
        by=None,
        changes={"source": source, "id": ad_id},
    )
    if existing is None:
        result.created += 1
    else:
        result.updated += 1


def jobstream_import(*, municipality, now=None) -> ImportResult:
    """One run for a municipality: the snapshot the first time, then the changes since the stored cursor."""
    now = now or timezone.now()
    feed, _ = VacancyFeed.objects.get_or_create(municipality=municipality, source=VacancySource.PLATSBANKEN)
    if feed.cursor:
        ads = _get("/v2/stream", {"date": feed.cursor})
    else:
        ads = _get("/v2/snapshot")
    result = ImportResult()
    for ad in ads:
        if isinstance(ad, dict):
            ad_apply(ad, municipality=municipality, source=VacancySource.PLATSBANKEN, result=result)
        else:
            result.skip("not an ad")
    local = timezone.localtime(now - OVERLAP).replace(tzinfo=None, microsecond=0)
    feed.cursor = local.isoformat()
    feed.last_run_at = now
    feed.last_result = result.as_dict()
    feed.save()
    logger.info("Platsbanken import for %s: %s", municipality.code, feed.last_result)
    return result
