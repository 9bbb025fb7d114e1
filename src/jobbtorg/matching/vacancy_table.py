"""The open vacancies of a municipality as the matching engine's table, precomputed once per process and kept
fresh incrementally (ADR 0013).

Building the table from the database costs a query over every open vacancy of the municipality and its
skills, and a Python object per row (0.7 s for the largest municipality of the `national` data set);
ranking on it costs a few milliseconds. So each process keeps one table per municipality and, before every
ranking, asks the database one cheap question: the municipality's `VacancyStamp` (token and version).

- Every change to what the engine reads — a vacancy saved or deleted, its skills, its status (also through a
  queryset update, e.g. filled by a hire) — calls `vacancies_changed` **in the writer's transaction**: the
  stamp goes up by one and a `VacancyChange` row names the vacancy. The change and the new version commit
  together, so no process can see the new version without the change, or the change without the new version.
- `table_for(municipality_id)` reads the version (one primary-key lookup). Equal to the table's: the table is
  served as it is. Higher: the changed vacancies since the table's version are read (one query on the change
  log, two for those vacancies and their skills) and the table is rebuilt from the features it already holds
  with those rows replaced — no query over the other vacancies. When the log no longer reaches back that far
  (pruned), or a bulk load changed everything, the table is built from the database.
- Several worker processes each hold their own table and each checks the stamp, so none serves a table older
  than the last committed change, whichever process made it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from jobbtorg.taxonomy.models import OccupationGroup, Skill

from . import scoring
from .models import Employer, Vacancy, VacancyChange, VacancySkill, VacancyStamp

# Changes kept in the log per municipality; a process further behind than this rebuilds from the database.
KEEP_CHANGES = 2_000
# More changed vacancies than this since the table's version: rebuilding from the database is as cheap.
PATCH_LIMIT = 500

FIELDS = (
    "pk",
    "occupation_id",
    "swedish_level",
    "hours_per_week",
    "driving_licence_required",
    "postal_code",
    "kind",
)

_taxonomy: scoring.Taxonomy | None = None
_tables: dict[int, CachedTable] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class CachedTable:
    stamp: tuple  # (VacancyStamp.token, VacancyStamp.version) the table is as of
    features: dict  # vacancy pk -> VacancyFeatures, every open vacancy of the municipality
    table: scoring.VacancyTable
    row_of: dict  # vacancy pk -> row of the table


# --- the taxonomy ------------------------------------------------------------------------------------------
def engine_taxonomy() -> scoring.Taxonomy:
    """The taxonomy as the engine needs it (static reference data: built once per process)."""
    global _taxonomy
    if _taxonomy is None:
        labels = dict(OccupationGroup.objects.filter(level=4).values_list("code", "label"))
        group_skills: dict[str, set[int]] = {code: set() for code in labels}
        for skill_id, code in Skill.groups.through.objects.values_list("skill_id", "occupationgroup_id"):
            if code in group_skills:
                group_skills[code].add(skill_id)
        _taxonomy = scoring.Taxonomy(group_skills, labels)
    return _taxonomy


# --- writing: the stamp ------------------------------------------------------------------------------------
def vacancies_changed(*, municipality_id: int | None, vacancy_ids=None) -> int | None:
    """Record that these vacancies of the municipality changed (None: any number of them, e.g. after a bulk
    load). Part of the caller's transaction; returns the new version."""
    if municipality_id is None:
        return None
    with transaction.atomic():
        stamp = VacancyStamp.objects.filter(pk=municipality_id)
        if not stamp.update(version=F("version") + 1):
            VacancyStamp.objects.bulk_create(
                [VacancyStamp(municipality_id=municipality_id, version=0)], ignore_conflicts=True
            )
            stamp.update(version=F("version") + 1)
        version = stamp.values_list("version", flat=True).get()
        ids = list(dict.fromkeys(vacancy_ids)) if vacancy_ids is not None else [None]
        VacancyChange.objects.bulk_create(
            [VacancyChange(municipality_id=municipality_id, version=version, vacancy_id=pk) for pk in ids]
        )
        if version % 100 == 0:
            VacancyChange.objects.filter(
                municipality_id=municipality_id, version__lte=version - KEEP_CHANGES
            ).delete()
    return version


def all_vacancies_changed() -> None:
    """After a bulk load of vacancies (generate_dataset, an import): every municipality's table is
    rebuilt."""
    for municipality_id in Employer.objects.order_by().values_list("municipality_id", flat=True).distinct():
        vacancies_changed(municipality_id=municipality_id)


def municipality_of_vacancy(vacancy_id) -> int | None:
    return Vacancy.objects.filter(pk=vacancy_id).values_list("employer__municipality_id", flat=True).first()


# --- reading: the table ------------------------------------------------------------------------------------
def current_stamp(municipality_id: int) -> tuple:
    """(token, version) of the municipality's stamp: one primary-key lookup (the row is made the first
    time)."""
    stamp = VacancyStamp.objects.filter(pk=municipality_id).values_list("token", "version").first()
    if stamp is None:
        VacancyStamp.objects.bulk_create(
            [VacancyStamp(municipality_id=municipality_id)], ignore_conflicts=True
        )
        stamp = VacancyStamp.objects.filter(pk=municipality_id).values_list("token", "version").get()
    return stamp


def table_for(municipality_id: int | None) -> CachedTable:
    """The engine table of the municipality's open vacancies, as of the last committed change."""
    if municipality_id is None:
        return _build((None, 0), {})
    stamp = current_stamp(municipality_id)
    cached = _tables.get(municipality_id)
    if cached is not None and cached.stamp == stamp:
        return cached
    with _lock:
        cached = _tables.get(municipality_id)
        if cached is not None and cached.stamp == stamp:
            return cached
        fresh = None
        if cached is not None and cached.stamp[0] == stamp[0] and cached.stamp[1] < stamp[1]:
            fresh = _patched(municipality_id, cached, stamp)
        if fresh is None:
            vacancies = Vacancy.objects.filter(employer__municipality_id=municipality_id)
            fresh = _build(stamp, _features(vacancies))
        _tables[municipality_id] = fresh
        return fresh


def forget_tables() -> None:
    """Drop this process's tables (tests: what a new worker process starts with)."""
    _tables.clear()


def _patched(municipality_id: int, cached: CachedTable, stamp: tuple) -> CachedTable | None:
    """The cached table brought to `stamp` through the change log, or None when it cannot be."""
    since, version = cached.stamp[1], stamp[1]
    changes = list(
        VacancyChange.objects.filter(
            municipality_id=municipality_id, version__gt=since, version__lte=version
        ).values_list("version", "vacancy_id")
    )
    versions = {v for v, _pk in changes}
    ids = {pk for _v, pk in changes}
    if len(versions) != version - since or None in ids or len(ids) > PATCH_LIMIT:
        return None
    features = {pk: f for pk, f in cached.features.items() if pk not in ids}
    features.update(_features(Vacancy.objects.filter(pk__in=ids, employer__municipality_id=municipality_id)))
    return _build(stamp, features)


def _features(vacancies) -> dict:
    """VacancyFeatures of the open ones among `vacancies` (two queries: the rows, their skills)."""
    vacancies = vacancies.open().order_by()
    links: dict = defaultdict(list)
    for vacancy_id, skill_id, required in VacancySkill.objects.filter(
        vacancy__in=vacancies.values("pk")
    ).values_list("vacancy_id", "skill_id", "required"):
        links[vacancy_id].append((skill_id, required))
    out = {}
    for pk, occupation, swedish, hours, licence, postal, kind in vacancies.values_list(*FIELDS):
        lk = links.get(pk, ())
        out[pk] = scoring.VacancyFeatures(
            occupation=occupation,
            required_skills=frozenset(s for s, r in lk if r),
            merit_skills=frozenset(s for s, r in lk if not r),
            swedish=scoring.SWEDISH_RANK.get(swedish, 0),
            hours=hours,
            licence_required=licence,
            postal_code=scoring.postal_int(postal),
            kind=kind,
        )
    return out


def _build(stamp: tuple, features: dict) -> CachedTable:
    """The engine table of these features, rows in the order of their keys within each SSYK group, so the same
    vacancies give the same table (and the same ranking of ties) however they were gathered."""
    table = scoring.VacancyTable.build(engine_taxonomy(), sorted(features.items(), key=lambda it: str(it[0])))
    return CachedTable(
        stamp=stamp,
        features=features,
        table=table,
        row_of={key: row for row, key in enumerate(table.keys)},
    )
