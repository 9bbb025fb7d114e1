"""Employers and vacancies on the SSYK taxonomy for the generated municipalities (the matching app's tables).

Employers are spread over municipalities by size, a tenth of them the city itself; vacancies follow the
occupations people want (the common entry occupations most), each with two to five skills of its
occupation group, one or two of them required.
"""

from __future__ import annotations

import datetime
import random

from jobbtorg.matching.constants import Sector, VacancyStatus
from jobbtorg.matching.models import Employer, Vacancy, VacancySkill
from jobbtorg.plans.constants import PlacementKind, SwedishLevel

from .generate import STREETS, Generator, organisation_number, stable_uuid

EMPLOYER_WORDS = [
    "Bygg",
    "Vård",
    "Omsorg",
    "Logistik",
    "Städ",
    "Restaurang",
    "Handel",
    "Fastighet",
    "Transport",
    "Service",
    "Teknik",
    "Lager",
    "Café",
    "Hotell",
    "Måleri",
    "El",
    "Förskola",
    "Trädgård",
]
EMPLOYER_ENDINGS = ["bolaget", "gruppen", "service", "partner"]
KINDS = [
    (PlacementKind.JOB, 55),
    (PlacementKind.INTERNSHIP, 20),
    (PlacementKind.WORK_TRAINING, 10),
    (PlacementKind.APPRENTICESHIP, 5),
    (PlacementKind.SUBSIDISED_JOB, 10),
]


def write(gen: Generator) -> None:
    rng = random.Random(gen.seed * 31 + 7)
    total_weight = sum(m.weight for m in gen.municipalities)
    weights = [m.weight / total_weight for m in gen.municipalities]
    employers = []
    serial = 3_000_000
    for k in range(gen.scale.employers):
        muni = rng.choices(gen.municipalities, weights)[0]
        serial += 1
        district = rng.choice(muni.districts)
        is_city = k % 10 == 0
        name = (
            f"{muni.name} stad, {rng.choice(['äldreomsorg', 'förskola', 'park', 'kök', 'fastighet'])} {k}"
            if is_city
            else f"{rng.choice(EMPLOYER_WORDS)}{rng.choice(EMPLOYER_ENDINGS)} {k} AB"
        )
        employers.append(
            (
                stable_uuid(rng),
                muni.id,
                organisation_number(serial) if not is_city else organisation_number(serial),
                name,
                Sector.PUBLIC if is_city else rng.choices([Sector.PRIVATE, Sector.NON_PROFIT], [9, 1])[0],
                is_city,
                f"{rng.choice(STREETS)} {rng.randint(1, 80)}",
                _postal(district.postal_prefix, rng),
                district.town,
                muni,
                district,
            )
        )
    gen.loader.load(
        Employer,
        [
            "id",
            "municipality_id",
            "organisation_number",
            "name",
            "sector",
            "is_city",
            "address",
            "postal_code",
            "city",
        ],
        (e[:9] for e in employers),
    )
    vacancies = []
    links = []
    matchers = {m.id: [u for unit in m.units for u in unit.matchers] for m in gen.municipalities}
    codes = gen.occupation_codes
    for _ in range(gen.scale.vacancies):
        employer = rng.choice(employers)
        muni, district = employer[9], employer[10]
        code = rng.choice(codes)
        kind = rng.choices([k for k, _w in KINDS], [w for _k, w in KINDS])[0]
        status = rng.choices([VacancyStatus.OPEN, VacancyStatus.FILLED, VacancyStatus.CLOSED], [75, 15, 10])[
            0
        ]
        created = gen.today - datetime.timedelta(days=rng.randint(1, 120))
        deadline = created + datetime.timedelta(days=rng.randint(14, 60))
        if status == VacancyStatus.OPEN and deadline < gen.today:
            deadline = gen.today + datetime.timedelta(days=rng.randint(3, 40))
        vid = stable_uuid(rng)
        vacancies.append(
            (
                vid,
                employer[0],
                kind,
                f"{code} – {employer[3]}",
                code,
                rng.choices(list(SwedishLevel.values), [10, 5, 10, 15, 20, 30, 10])[0],
                rng.random() < 0.15,
                rng.choice([20, 30, 40, 40, 40]),
                _postal(district.postal_prefix, rng),
                district.town,
                created + datetime.timedelta(days=rng.randint(20, 60)),
                rng.choice([1, 1, 1, 2, 3, 5]),
                deadline,
                status,
                kind == PlacementKind.JOB and rng.random() < 0.05,
                gen.at(created, rng),
                rng.choice(matchers[muni.id]) if matchers[muni.id] else None,
            )
        )
        related = gen.skills_by_group.get(code, [])
        for n, skill in enumerate(rng.sample(related, k=min(len(related), rng.randint(2, 5)))):
            links.append((vid, skill, n < rng.randint(1, 2)))
    gen.loader.load(
        Vacancy,
        [
            "id",
            "employer_id",
            "kind",
            "title",
            "occupation_id",
            "swedish_level",
            "driving_licence_required",
            "hours_per_week",
            "postal_code",
            "city",
            "start_date",
            "places",
            "deadline",
            "status",
            "supported_employment",
            "created_at",
            "created_by_id",
        ],
        vacancies,
    )
    gen.loader.load(VacancySkill, ["vacancy_id", "skill_id", "required"], links)


def _postal(prefix: str, rng: random.Random) -> str:
    digits = prefix.replace(" ", "")
    return (digits + "".join(str(rng.randint(0, 9)) for _ in range(5)))[:5]
