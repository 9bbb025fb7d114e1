"""Demo data for matching: employers, vacancies across the demo people's occupations, and a few matches in
different states (one hire), made through the matching services by the `matchare` login.

Called once from `jobbtorg.demo.seed._Seeder.run()` after the people exist. Deterministic for a given rng:
people and groups are always taken in a stable order (never by UUID).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import User
from jobbtorg.plans.constants import PlacementKind
from jobbtorg.plans.models import Mapping
from jobbtorg.taxonomy.legacy import LEGACY_CODES
from jobbtorg.taxonomy.models import OccupationGroup, Skill

from . import selectors, services
from .constants import AgreementKind, EmploymentForm, InternshipLevel, MatchStatus, RejectionReason, Sector

EMPLOYERS = [
    # name, sector, is_city, address, postal code, city
    ("Stockholms stad, äldreförvaltningen", Sector.PUBLIC, True, "Fleminggatan 4", "11226", "Stockholm"),
    (
        "Stockholms stad, förskoleförvaltningen",
        Sector.PUBLIC,
        True,
        "Hantverkargatan 3",
        "11221",
        "Stockholm",
    ),
    ("Stockholms stad, idrottsförvaltningen", Sector.PUBLIC, True, "Hantverkargatan 2", "11221", "Stockholm"),
    ("Region Stockholm, Karolinska sjukhuset", Sector.PUBLIC, False, "Eugeniavägen 3", "17176", "Solna"),
    ("Järva Omsorg AB", Sector.PRIVATE, False, "Rinkebytorget 1", "16373", "Spånga"),
    ("Tensta Hemtjänst AB", Sector.PRIVATE, False, "Tensta allé 9", "16364", "Spånga"),
    ("Kista Städservice AB", Sector.PRIVATE, False, "Kistagången 12", "16440", "Kista"),
    ("Husby Assistans AB", Sector.PRIVATE, False, "Husby allé 5", "16452", "Kista"),
    ("Akalla Förskolor AB", Sector.PRIVATE, False, "Sveagatan 8", "16455", "Kista"),
    ("Restaurang Järvaköket AB", Sector.PRIVATE, False, "Rinkebystråket 20", "16373", "Spånga"),
    ("Kista Galleria Livs AB", Sector.PRIVATE, False, "Kista Galleria", "16440", "Kista"),
    ("Nordlager Logistik AB", Sector.PRIVATE, False, "Lagervägen 14", "17563", "Järfälla"),
    ("Barkarby Terminal AB", Sector.PRIVATE, False, "Enköpingsvägen 70", "17761", "Järfälla"),
    ("Stockholms Buss AB", Sector.PRIVATE, False, "Bussdepån 1", "16250", "Vällingby"),
    ("Åkeri Norrort AB", Sector.PRIVATE, False, "Industrivägen 3", "19147", "Sollentuna"),
    ("Vällingby Bygg & Snickeri AB", Sector.PRIVATE, False, "Kirunagatan 10", "16268", "Vällingby"),
    ("Skärholmens Städ AB", Sector.PRIVATE, False, "Skärholmstorget 4", "12748", "Skärholmen"),
    ("Farsta Omsorg AB", Sector.PRIVATE, False, "Farstaplan 2", "12347", "Farsta"),
    ("Kungsholmens Café & Kök AB", Sector.PRIVATE, False, "S:t Eriksgatan 40", "11234", "Stockholm"),
    ("Techstart Kista AB", Sector.PRIVATE, False, "Isafjordsgatan 30", "16440", "Kista"),
    ("Stiftelsen Jobbverkstan", Sector.NON_PROFIT, False, "Spångavägen 50", "16355", "Spånga"),
    ("Järva Second Hand (ideell förening)", Sector.NON_PROFIT, False, "Hjulstagränd 3", "16368", "Spånga"),
    ("Solna Hotell & Konferens AB", Sector.PRIVATE, False, "Solnavägen 1", "17165", "Solna"),
    ("Hallunda Handel AB", Sector.PRIVATE, False, "Hallundavägen 2", "14568", "Norsborg"),
    ("Sundbyberg Fastighetsservice AB", Sector.PRIVATE, False, "Landsvägen 50", "17263", "Sundbyberg"),
]

TITLES = {
    "5321": "Undersköterska hemtjänst",
    "5330": "Vårdbiträde äldreboende",
    "5343": "Personlig assistent",
    "5311": "Barnskötare",
    "9111": "Lokalvårdare",
    "9412": "Restaurangbiträde",
    "5120": "Kock",
    "4321": "Arbetsledare lager",
    "4322": "Lagermedarbetare",
    "8332": "Lastbilschaufför",
    "8331": "Bussförare",
    "5221": "Butikschef",
    "5222": "Butikssäljare dagligvaror",
    "7111": "Snickare",
    "2512": "Systemutvecklare",
}


def _luhn_digit(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def organisation_number(rng: random.Random, *, city: bool = False) -> str:
    """A made-up organisation number with a valid check digit (third digit ≥ 2, as for legal persons)."""
    first = "2120" if city else rng.choice(["5560", "5565", "5590", "8020", "7696"])
    body = first + "".join(str(rng.randint(0, 9)) for _ in range(5))
    return f"{body[:6]}-{body[6:]}{_luhn_digit(body)}"


def _fix_mappings(
    *, municipality, rng: random.Random, skills_of: dict[str, list[int]], valid: set[str]
) -> None:
    """Valid SSYK codes on the demo mappings, a few skills of the wished groups, and wished kinds."""
    mappings = list(
        Mapping.objects.filter(participant__municipality=municipality).order_by(
            "participant__personal_number", "created_at"
        )
    )
    for mapping in mappings:
        codes = []
        for code in mapping.wanted_occupations or []:
            code = LEGACY_CODES.get(str(code), str(code))
            if code in valid and code not in codes:
                codes.append(code)
        mapping.wanted_occupations = sorted(codes)
        pool = sorted({s for c in codes for s in skills_of.get(c, [])})
        mapping.skills = sorted(rng.sample(pool, k=min(len(pool), rng.randint(0, 3)))) if pool else []
        roll = rng.random()
        mapping.wanted_kinds = (
            ["job"]
            if roll < 0.4
            else ["job", "internship"]
            if roll < 0.6
            else ["work_training"]
            if roll < 0.7
            else []
        )
    Mapping.objects.bulk_update(mappings, ["wanted_occupations", "skills", "wanted_kinds"], batch_size=500)


def seed_matching(*, municipality, rng: random.Random, today: datetime.date) -> dict:
    """Employers (~25), vacancies (~80) and matches in every state, one of them a hire. Returns counts."""
    matchers = User.objects.filter(municipality=municipality, role=Role.MATCHER)
    # The demo login `matchare` (Jobbtorg Järva) makes the matches, so the walk-through shows them.
    matcher = matchers.filter(username="matchare").first() or matchers.order_by("username").first()
    if matcher is None:
        return {}
    valid = set(OccupationGroup.objects.filter(level=4).values_list("code", flat=True))
    skills_of: dict[str, list[int]] = {}
    for skill_id, code in Skill.groups.through.objects.values_list("skill_id", "occupationgroup_id").order_by(
        "occupationgroup_id", "skill_id"
    ):
        skills_of.setdefault(code, []).append(skill_id)
    _fix_mappings(municipality=municipality, rng=rng, skills_of=skills_of, valid=valid)

    employers = []
    for name, sector, is_city, address, postal, city in EMPLOYERS:
        employers.append(
            services.employer_save(
                by=matcher,
                organisation_number=organisation_number(rng, city=is_city),
                name=name,
                sector=sector,
                is_city=is_city,
                address=address,
                postal_code=postal,
                city=city,
                notes="",
                contacts=[
                    {
                        "name": rng.choice(
                            ["Anna Lind", "Omar Hassan", "Sara Berg", "Ali Yusuf", "Maria Nilsson"]
                        ),
                        "role": "Rekryterande chef",
                        "email": f"rekrytering{len(employers) + 1}@demo.example.org",
                        "phone": f"08-555 {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    }
                ],
            )
        )
    for employer in employers[:8]:
        services.employer_agreement_add(
            employer=employer,
            by=matcher,
            kind=rng.choice(
                [AgreementKind.INTERNSHIP, AgreementKind.WORK_TRAINING, AgreementKind.RECRUITMENT]
            ),
            start_date=today - datetime.timedelta(days=rng.randint(30, 400)),
            places=rng.randint(2, 10),
        )

    # Occupations the demo people want, most wanted first; then a few others for breadth.
    wanted = Counter(
        code
        for codes in Mapping.objects.filter(participant__municipality=municipality).values_list(
            "wanted_occupations", flat=True
        )
        for code in codes
    )
    codes = [c for c, _n in sorted(wanted.items(), key=lambda kv: (-kv[1], kv[0]))] or sorted(TITLES)
    extra = sorted(c for c in TITLES if c in valid and c not in codes)
    codes = codes + extra
    vacancies = []
    for i in range(80):
        code = codes[i % len(codes)] if i < 60 else rng.choice(codes)
        employer = employers[rng.randrange(len(employers))]
        kind = rng.choices(list(PlacementKind), weights=[50, 20, 10, 5, 15])[0]
        pool = skills_of.get(code, [])
        chosen = rng.sample(pool, k=min(len(pool), rng.randint(1, 4))) if pool else []
        title = TITLES.get(code) or OccupationGroup.objects.get(pk=code).label.split(",")[0]
        vacancies.append(
            services.vacancy_save(
                by=matcher,
                employer=employer,
                kind=kind,
                internship_level=rng.choice(list(InternshipLevel))
                if kind == PlacementKind.INTERNSHIP
                else "",
                title=title
                if kind == PlacementKind.JOB
                else f"{title} ({PlacementKind(kind).label.lower()})",
                occupation=code,
                swedish_level=rng.choice(["none", "sfi_b", "sfi_c", "sfi_d", "sfi_d", "other"]),
                driving_licence_required=code in ("8332", "8331") or rng.random() < 0.08,
                hours_per_week=rng.choice([20, 30, 40, 40, 40]),
                postal_code=employer.postal_code,
                city=employer.city,
                start_date=today + datetime.timedelta(days=rng.randint(7, 60)),
                places=rng.randint(1, 3),
                deadline=today + datetime.timedelta(days=rng.randint(5, 45)),
                supported_employment=rng.random() < 0.15,
                skills=[{"skill": s, "required": j == 0} for j, s in enumerate(chosen)],
            )
        )

    # Matches of the matcher's unit in different states. The first vacancies (the most wanted occupation)
    # are left unproposed beyond one person, so the demo walk-through has candidates to propose.
    flow = [
        MatchStatus.HIRED,
        MatchStatus.INTERNSHIP_STARTED,
        MatchStatus.PROPOSED,
        MatchStatus.PARTICIPANT_AGREED,
        MatchStatus.EMPLOYER_CONTACTED,
        MatchStatus.INTERVIEW,
        MatchStatus.REJECTED,
        MatchStatus.PARTICIPANT_DECLINED,
        MatchStatus.PROPOSED,
    ]
    made = Counter()
    used_people = set()
    placements = (PlacementKind.INTERNSHIP, PlacementKind.WORK_TRAINING)
    for vacancy in vacancies[5:]:
        fits = [
            t
            for t in flow
            if (t != MatchStatus.HIRED or vacancy.kind == PlacementKind.JOB)
            and (t != MatchStatus.INTERNSHIP_STARTED or vacancy.kind in placements)
        ]
        if not fits:
            continue
        ranked, _filtered = selectors.rank_participants_for_vacancy(vacancy=vacancy, user=matcher, k=5)
        candidates = [r for r in ranked if r["participant"].pk not in used_people]
        if not candidates:
            continue
        target = fits[0]
        participant = candidates[0]["participant"]
        used_people.add(participant.pk)
        match = services.match_propose(participant=participant, vacancy=vacancy, by=matcher)
        _advance(match, target, matcher=matcher, today=today, rng=rng)
        made[target] += 1
        flow.remove(target)
        if not flow:
            break
    return {"employers": len(employers), "vacancies": len(vacancies), "matches": dict(made)}


def _advance(match, target: str, *, matcher, today: datetime.date, rng: random.Random) -> None:
    if target == MatchStatus.PROPOSED:
        return
    if target == MatchStatus.PARTICIPANT_DECLINED:
        services.match_participant_answer(
            match=match, by=matcher, agreed=False, note="Vill hellre arbeta dagtid."
        )
        return
    services.match_participant_answer(match=match, by=matcher, agreed=True)
    if target == MatchStatus.PARTICIPANT_AGREED:
        return
    services.match_employer_contacted(match=match, by=matcher, note="Presenterat per telefon.")
    if target == MatchStatus.EMPLOYER_CONTACTED:
        return
    if target == MatchStatus.INTERVIEW:
        services.match_outcome(
            match=match,
            by=matcher,
            outcome=MatchStatus.INTERVIEW,
            interview_at=datetime.datetime.combine(
                today + datetime.timedelta(days=3), datetime.time(10, 0)
            ).astimezone(),
        )
        return
    if target == MatchStatus.REJECTED:
        services.match_outcome(
            match=match,
            by=matcher,
            outcome=MatchStatus.REJECTED,
            rejection_reason=RejectionReason.EMPLOYER_CHOSE_OTHER,
        )
        return
    services.match_outcome(
        match=match,
        by=matcher,
        outcome=target,
        start_date=today + datetime.timedelta(days=rng.randint(3, 14)),
        hours_per_week=match.vacancy.hours_per_week,
        employment_form=EmploymentForm.FIXED_TERM if target == MatchStatus.HIRED else "",
        supported_employment=target == MatchStatus.HIRED,
        support_hours_per_week=4 if target == MatchStatus.HIRED else None,
    )
