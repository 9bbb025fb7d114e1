"""The synthetic data set generator behind `manage.py generate_dataset --scale {demo,city,national}`.

Every person goes through the flow the product enforces, in the right order and with the right dates:
referred by a caseworker of their district to the district's unit (plan due on the fifth working day) —
or, about one in ten, sent by Arbetsförmedlingen, Försäkringskassan, themselves or another actor and taken
in by the unit itself (an intake without a caseworker, ADR 0020) —, accepted by a coach, mapped (tier from
the real assessment rules), given an action plan proposed and approved by the caseworker (for an intake:
the unit head), booked on offerings (capacity never exceeded), attending on working days,
met by their coach, assigned to providers with consent, and — for most — leaving with an exit reason while
their monthly assistance record shows before and after. Employers and vacancies on the SSYK taxonomy are
added when the matching app is installed; exits and assistance months when the follow-up app is.

Outcomes are not random noise: the chance of leaving for work depends on tier, age, Swedish, education and
a small planted effect per unit, so fair comparisons and models have something true to find.

Deterministic for a seed and a `today`: one `random.Random(seed)` builds the organisation and the people;
each person's attendance and meetings come from a generator seeded by (seed, person number), so the order in
which tables are written does not matter. Rows go in through `writer.Loader` (COPY on PostgreSQL).
"""

from __future__ import annotations

import datetime
import itertools
import json
import math
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max

from jobbtorg.accounts.constants import Role, UnitKind
from jobbtorg.accounts.models import District, Municipality, Unit, User
from jobbtorg.attendance.constants import AppointmentKind, AppointmentOutcome, AttendanceStatus, ValidReason
from jobbtorg.attendance.models import Appointment, AttendanceReport
from jobbtorg.interventions.constants import BookingStatus, DeliveredBy
from jobbtorg.interventions.models import Booking, InterventionType, Offering
from jobbtorg.participants.constants import ConsentScope, ConsentStatus, TargetGroup
from jobbtorg.participants.models import Consent, Participant
from jobbtorg.plans.assessment import assess
from jobbtorg.plans.constants import (
    DrivingLicence,
    EducationLevel,
    Obstacle,
    PlanStatus,
    SwedishLevel,
    Tier,
    VersionStatus,
)
from jobbtorg.plans.models import ActionPlan, Mapping, PlanActivity, PlanVersion
from jobbtorg.providers.constants import (
    ApplicationStatus,
    AssignmentSource,
    AuthorisationEventKind,
    ProviderKind,
)
from jobbtorg.providers.models import (
    Application,
    Assignment,
    Authorisation,
    AuthorisationEvent,
    Contract,
    Provider,
)
from jobbtorg.referrals import deadline
from jobbtorg.referrals.constants import AssistanceStatus, CloseReason, ReferralSource, ReferralStatus
from jobbtorg.referrals.models import Referral, ReferralEvent
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.workdays import add_working_days, is_working_day

from ..seed import FOREIGN_BACKGROUNDS, OCCUPATIONS, TARGET_GROUPS, UNITS
from .sizes import Scale
from .writer import Loader, RawJSON

STAFF_PASSWORD = "jobbtorg-synthetic"
SWEDISH_FIRST = {
    "female": ["Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Lena", "Johanna", "Elin", "Linnea", "Ida"],
    "male": ["Erik", "Lars", "Anders", "Johan", "Karl", "Per", "Mikael", "Oskar", "Emil", "Jonas", "Viktor"],
}
SWEDISH_LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
]
STREETS = [
    "Storgatan",
    "Kyrkogatan",
    "Skolgatan",
    "Parkvägen",
    "Björkvägen",
    "Järvagatan",
    "Torggatan",
    "Stationsvägen",
    "Ängsvägen",
    "Hamngatan",
    "Industrigatan",
    "Bergsgatan",
]
COMPASS = ["Centrum", "Nord", "Syd", "Öst", "Väst", "Nordost", "Sydväst", "Nordväst", "Sydost"]
PROVIDER_WORDS = [
    "Arbetslinjen",
    "Vägen Vidare",
    "Nästa Steg",
    "Kompetensbron",
    "Startpunkten",
    "Jobbvägen",
    "Framtidsporten",
    "Brobyggarna",
    "Yrkesakademin",
    "Språkbron",
    "Steg för Steg",
    "Ny Start",
]
# Offerings every unit runs itself, and what providers deliver (type code, hours a week, capacity).
UNIT_OFFERINGS = [
    ("assessment", 10, 40),
    ("individual_coaching", 8, 60),
    ("job_matching", 10, 60),
    ("preparatory", 20, 30),
    ("work_training", 30, 25),
    ("sfi_studies", 15, 50),
]
PROVIDER_OFFERINGS = [
    ("language_internship", 20, 25),
    ("training_internship", 30, 20),
    ("vocational_course", 30, 24),
    ("supported_employment", 30, 15),
    ("individual_coaching", 8, 40),
]
LOV_TYPES = ("individual_coaching", "supported_employment")
TARGET_GROUP_CODES = [t for t, _w in TARGET_GROUPS]
TARGET_GROUP_WEIGHTS = list(itertools.accumulate(w for _t, w in TARGET_GROUPS))
EDUCATION_LEVELS = list(EducationLevel.values)
EDUCATION_ABROAD = list(itertools.accumulate([8, 25, 35, 10, 12, 10]))
EDUCATION_HERE = list(itertools.accumulate([3, 30, 45, 10, 8, 4]))
OBSTACLES = list(Obstacle.values)
DRIVING_LICENCES = list(DrivingLicence.values)
MONTHLY_EXIT_HAZARD = {Tier.A: 0.11, Tier.B: 0.07, Tier.C: 0.04}
WORK_LOGIT = {Tier.A: 0.4, Tier.B: -0.5, Tier.C: -1.6}


def stable_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    y, m = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + y, m + 1, 1)


def organisation_number(serial: int) -> str:
    """A valid organisation number in the limited-company range (55…), Luhn digit included."""
    body = f"55{serial:07d}"
    return f"{body[:6]}-{body[6:]}{personal_numbers.luhn_digit(body)}"


@lru_cache(maxsize=4096)
def plan_due(day: datetime.date) -> datetime.date:
    return deadline.plan_due_date(day)


@lru_cache(maxsize=8192)
def working(day: datetime.date) -> bool:
    return is_working_day(day)


@lru_cache(maxsize=8192)
def after_working_days(day: datetime.date, n: int) -> datetime.date:
    return add_working_days(day, n)


@lru_cache(maxsize=4096)
def assessed(education, swedish, months_without_work, capacity, obstacles, months_on_assistance):
    tier, reasons = assess(
        education_level=education,
        swedish_level=swedish,
        months_without_work=months_without_work,
        work_capacity=capacity,
        obstacles=list(obstacles),
        months_on_assistance=months_on_assistance,
    )
    return str(tier), RawJSON(json.dumps([r.as_dict() for r in reasons], ensure_ascii=False))


# --- the organisation ------------------------------------------------------------------------------------
@dataclass
class UnitRow:
    id: int
    name: str
    municipality_id: int
    effect: float  # planted difference in results, beyond the participant mix
    address: str = ""
    coaches: list[int] = field(default_factory=list)
    matchers: list[int] = field(default_factory=list)
    head: int = 0  # the unit head: decides the plans of the people the unit took in itself (ADR 0020)
    offerings: set[str] = field(default_factory=set)  # the types the unit runs itself


@dataclass
class DistrictRow:
    id: int
    name: str
    unit: UnitRow
    weight: int
    postal_prefix: str
    town: str
    caseworkers: list[int] = field(default_factory=list)


@dataclass
class MunicipalityRow:
    id: int
    name: str
    code: str
    weight: int
    districts: list[DistrictRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    providers: list[int] = field(default_factory=list)
    provider_offerings: dict[str, list[int]] = field(default_factory=dict)  # type → providers running it
    lov_providers: dict[str, list[int]] = field(default_factory=dict)
    admin: int = 0


@dataclass(slots=True)
class Life:
    """One person's way through the service, decided up front; the tables are written from it."""

    i: int
    id: uuid.UUID
    referral_id: uuid.UUID
    municipality: MunicipalityRow
    district: DistrictRow
    unit: UnitRow
    caseworker: int
    pnr: str
    born: datetime.date
    female: bool
    first_name: str
    last_name: str
    postal_code: str
    city: str
    languages: list
    target_group: str
    capacity: int
    protected: bool
    referral_date: datetime.date
    status: str = ReferralStatus.RECEIVED
    coach: int | None = None
    accepted_at: datetime.datetime | None = None
    returned_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    close_reason: str = ""
    mapping: dict | None = None
    tier: str = ""
    plan_id: uuid.UUID | None = None
    mapping_id: uuid.UUID | None = None
    plan_status: str = ""
    versions: list = field(default_factory=list)  # (id, number, status, proposed_at, decided_at)
    activities: list = field(default_factory=list)  # (id, type_id, type_code, start, end, hours)
    bookings: list = field(
        default_factory=list
    )  # (id, offering_id, activity_id, status, start, end, provider)
    exit_date: datetime.date | None = None
    exit_reason: str = ""
    work_hours: int | None = None
    employment_form: str = ""
    subsidised: bool = False
    assistance_amount: int = 0
    assistance_from: datetime.date | None = None
    assistance_relapse: datetime.date | None = None


class Generator:
    def __init__(self, *, scale: Scale, seed: int, today: datetime.date, loader: Loader):
        self.scale = scale
        self.seed = seed
        self.today = today
        self.loader = loader
        self.rng = random.Random(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.window_start = add_months(month_start(today), -scale.months)
        self.municipalities: list[MunicipalityRow] = []
        self.types = {t.code: t for t in InterventionType.objects.all()}
        self.next_id: dict[type, int] = {}
        self.lives: list[Life] = []
        self.users: list[tuple] = []
        self.unit_rows: list[UnitRow] = []
        self.district_rows: list[DistrictRow] = []
        self.offering_rows: list[tuple] = []
        self.offering_booked: dict[int, int] = defaultdict(int)
        self.groups_by_key: dict[tuple, int] = {}
        self.provider_rows: list[tuple] = []
        self.applications: list[tuple] = []
        self.authorisations: list[tuple] = []
        self.contracts: list[tuple] = []
        self.contract_types: list[tuple] = []
        self.timings: dict[str, float] = {}

    # -- ids and times --------------------------------------------------------------------------------------
    def new_id(self, model) -> int:
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        value = self.next_id[model]
        self.next_id[model] += 1
        return value

    def at(self, day: datetime.date, rng: random.Random | None = None) -> datetime.datetime:
        r = rng or self.rng
        return datetime.datetime.combine(day, datetime.time(8 + r.randint(0, 8), r.randint(0, 59)), self.tz)

    def working_day_on_or_after(self, day: datetime.date) -> datetime.date:
        while not working(day):
            day += datetime.timedelta(days=1)
        return day

    # -- organisation -------------------------------------------------------------------------------------
    def organisation(self) -> None:
        rng = self.rng
        password = make_password(STAFF_PASSWORD, salt=f"synthetic{self.seed}")  # one hash, deterministic
        self.password = password
        for spec in self.scale.municipalities:
            muni = MunicipalityRow(self.new_id(Municipality), spec.name, spec.code, spec.weight)
            self.municipalities.append(muni)
            if spec.code == "0180":
                layout = [
                    (u.name, u.address, [(d.name, d.weight, d.postal_prefix, d.town) for d in u.districts])
                    for u in UNITS
                ]
            else:
                n_units = 3 if spec.weight >= 300 else 2 if spec.weight >= 140 else 1
                n_districts = 1 if spec.weight < 60 else 2 if spec.weight < 120 else 3
                base = 100 + (int(spec.code) * 7) % 880
                layout = []
                for u in range(n_units):
                    name = f"Arbetsmarknadsenheten {spec.name}" + (f" {COMPASS[u]}" if n_units > 1 else "")
                    districts = [
                        (
                            f"{spec.name} {COMPASS[(u * n_districts + d) % len(COMPASS)]}",
                            rng.randint(5, 15),
                            f"{base + u * n_districts + d:03d} {rng.randint(1, 9)}",
                            spec.name,
                        )
                        for d in range(n_districts)
                    ]
                    layout.append(
                        (name, f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {spec.name}", districts)
                    )
            for unit_name, address, districts in layout:
                unit = UnitRow(
                    self.new_id(Unit), unit_name, muni.id, effect=rng.gauss(0, 0.3), address=address
                )
                muni.units.append(unit)
                self.unit_rows.append(unit)
                for d_name, weight, prefix, town in districts:
                    district = DistrictRow(self.new_id(District), d_name, unit, weight, prefix, town)
                    muni.districts.append(district)
                    self.district_rows.append(district)

    def staff(self) -> None:
        """Staff sized to the expected case load: a coach per ~45 active people, caseworkers per district."""
        rng = self.rng
        total_weight = sum(m.weight for m in self.municipalities)
        for muni in self.municipalities:
            share = muni.weight / total_weight
            active = self.scale.new_per_month * 10 * share  # ~10 months in the programme on average
            dweight = sum(d.weight for d in muni.districts)
            muni.admin = self.user(muni, Role.ADMINISTRATOR, "admin")
            self.user(muni, Role.ANALYST, "analytiker")
            for unit in muni.units:
                uweight = sum(d.weight for d in muni.districts if d.unit is unit)
                coaches = max(1, round(active * uweight / dweight / 45))
                unit.coaches = [self.user(muni, Role.JOB_COACH, "coach", unit=unit) for _ in range(coaches)]
                unit.matchers = [
                    self.user(muni, Role.MATCHER, "matchare", unit=unit) for _ in range(max(1, coaches // 8))
                ]
                unit.head = self.user(muni, Role.UNIT_HEAD, "chef", unit=unit)
                for _ in range(max(1, coaches // 10)):
                    self.user(muni, Role.CAREER_COUNSELLOR, "syv", unit=unit)
            for district in muni.districts:
                n = max(1, round(active * district.weight / dweight / 120))
                district.caseworkers = [
                    self.user(muni, Role.CASEWORKER, "handlaggare", district=district) for _ in range(n)
                ]
        del rng

    def user(self, muni: MunicipalityRow, role: str, prefix: str, *, unit=None, district=None, provider=None):
        uid = self.new_id(User)
        female = self.rng.random() < 0.6
        first = self.rng.choice(SWEDISH_FIRST["female" if female else "male"])
        last = self.rng.choice(SWEDISH_LAST)
        username = f"{muni.code}-{prefix}-{uid}"
        self.users.append(
            (
                uid,
                self.password,
                username,
                first,
                last,
                f"{username}@example.org",
                role,
                muni.id,
                unit.id if unit else None,
                district.id if district else None,
                provider,
                "",
            )
        )
        return uid

    def providers(self) -> None:
        rng = self.rng
        serial = 100_000 + self.seed * 1_000 % 900_000
        for muni in self.municipalities:
            n = max(2, min(14, muni.weight // 60))
            for k in range(n):
                serial += 1
                pid = self.new_id(Provider)
                muni.providers.append(pid)
                kind = rng.choice([ProviderKind.COMPANY, ProviderKind.COMPANY, ProviderKind.NON_PROFIT])
                name = f"{PROVIDER_WORDS[(k + muni.id) % len(PROVIDER_WORDS)]} {muni.name}" + (
                    " AB" if kind == ProviderKind.COMPANY else " ideell förening"
                )
                town = muni.districts[k % len(muni.districts)].town
                langs = ["sv"] + rng.sample(["ar", "so", "ti", "fa", "en", "pl", "es"], k=rng.randint(1, 3))
                self.provider_rows.append(
                    (
                        pid,
                        muni.id,
                        name,
                        organisation_number(serial),
                        kind,
                        f"{rng.choice(STREETS)} {k + 1}",
                        town,
                        langs,
                        "Kontaktperson",
                        f"info{pid}@example.org",
                        "08-123 45 67",
                    )
                )
                staff = self.user(muni, Role.PROVIDER_STAFF, "anordnare", provider=pid)
                # Half the providers are procured (LOU contract), half authorised under customer choice (LOV).
                if k % 2 == 0:
                    cid = self.new_id(Contract)
                    self.contracts.append(
                        (
                            cid,
                            pid,
                            f"LOU-{muni.code}-{cid}",
                            self.window_start - datetime.timedelta(days=90),
                            add_months(self.today, 24),
                            rng.choice([40, 80, 120]),
                        )
                    )
                    codes = rng.sample([c for c, _h, _cap in PROVIDER_OFFERINGS if c not in LOV_TYPES], k=2)
                    for code in codes:
                        self.contract_types.append((cid, self.types[code].id))
                        self.offering(muni, code, provider=pid)
                else:
                    for code in LOV_TYPES:
                        aid = self.new_id(Application)
                        decided = self.at(self.window_start - datetime.timedelta(days=rng.randint(20, 200)))
                        self.applications.append(
                            (
                                aid,
                                pid,
                                self.types[code].id,
                                ApplicationStatus.APPROVED,
                                decided - datetime.timedelta(days=20),
                                staff,
                                decided,
                                muni.admin,
                            )
                        )
                        self.authorisations.append(
                            (
                                self.new_id(Authorisation),
                                pid,
                                self.types[code].id,
                                aid,
                                decided.date(),
                                rng.choice([None, 20, 40]),
                                muni.admin,
                                decided,
                            )
                        )
                        self.offering(muni, code, provider=pid)
                        muni.lov_providers.setdefault(code, []).append(pid)

    def offering(
        self, muni: MunicipalityRow, code: str, *, provider=None, unit: UnitRow | None = None
    ) -> None:
        """Register that a provider or a unit runs this type; its groups are made as people come."""
        if provider:
            muni.provider_offerings.setdefault(code, []).append(provider)
        else:
            unit.offerings.add(code)

    def group(
        self, muni: MunicipalityRow, code: str, start: datetime.date, *, provider=None, unit=None
    ) -> int:
        """The offering a booking starting on `start` joins: one group per runner, type and quarter (a course
        round of 15–30 people, as providers and units run them)."""
        quarter = start.replace(month=(start.month - 1) // 3 * 3 + 1, day=1)
        key = (muni.id, code, provider, unit.id if unit else None, quarter)
        if key in self.groups_by_key:
            return self.groups_by_key[key]
        oid = self.new_id(Offering)
        self.groups_by_key[key] = oid
        hours, capacity = next(
            (h, c) for cd, h, c in (PROVIDER_OFFERINGS if provider else UNIT_OFFERINGS) if cd == code
        )
        place = muni.districts[oid % len(muni.districts)].town
        delivered = (
            DeliveredBy.PROVIDER
            if provider
            else (DeliveredBy.CITY if code == "sfi_studies" else DeliveredBy.JOBBTORG)
        )
        self.offering_rows.append(
            [
                oid,
                muni.id,
                self.types[code].id,
                f"{self.types[code].name} – {place}, start {quarter:%Y-%m}",
                delivered,
                unit.id if unit and not provider else None,
                provider,
                "Komvux" if code == "sfi_studies" else "",
                place,
                quarter,
                None,
                Decimal(hours),
                capacity,
                0,
                ["sv"],
                [],
                "",
                True,
            ]
        )
        return oid

    def unit_offerings(self) -> None:
        for muni in self.municipalities:
            for unit in muni.units:
                for code, _h, _c in UNIT_OFFERINGS:
                    self.offering(muni, code, unit=unit)

    # -- people -------------------------------------------------------------------------------------------
    def people(self) -> None:
        rng = self.rng
        total_weight = sum(m.weight for m in self.municipalities)
        used: dict[int, set[str]] = defaultdict(set)
        window_days = (self.today - self.window_start).days
        mweights = list(itertools.accumulate(m.weight / total_weight for m in self.municipalities))
        dweights = {
            m.id: list(itertools.accumulate(d.weight for d in m.districts)) for m in self.municipalities
        }
        for i in range(self.scale.participants):
            muni = rng.choices(self.municipalities, cum_weights=mweights)[0]
            district = rng.choices(muni.districts, cum_weights=dweights[muni.id])[0]
            life = self.person(i, muni, district, used[muni.id])
            life.referral_date = self.working_day_on_or_after(
                self.window_start + datetime.timedelta(days=int(window_days * i / self.scale.participants))
            )
            if life.referral_date > self.today:
                life.referral_date = self.today
            self.case(life)
            self.lives.append(life)

    def person(self, i: int, muni: MunicipalityRow, district: DistrictRow, used: set) -> Life:
        rng = self.rng
        target_group = rng.choices(TARGET_GROUP_CODES, cum_weights=TARGET_GROUP_WEIGHTS)[0]
        if target_group == TargetGroup.YOUTH_FOLLOW_UP:
            age = rng.randint(16, 19)
        elif target_group == TargetGroup.YOUTH:
            age = rng.randint(18, 24)
        else:
            age = rng.randint(25, 63)
        born = self.today - datetime.timedelta(days=age * 365 + rng.randint(0, 360))
        coordination = rng.random() < 0.02
        while True:
            pnr = personal_numbers.make(born, rng.randint(1, 999), coordination=coordination)
            if pnr not in used:
                used.add(pnr)
                break
        female = personal_numbers.gender(pnr) == "female"
        newcomer = target_group in (TargetGroup.SFI_STUDENT, TargetGroup.NEWLY_ARRIVED)
        born_abroad = coordination or newcomer or rng.random() < (0.7 if district.weight >= 10 else 0.4)
        if born_abroad:
            language, male_names, female_names, last_names = rng.choice(FOREIGN_BACKGROUNDS)
            first = rng.choice(female_names if female else male_names)
            last = rng.choice(last_names)
            languages = [language] + ([] if newcomer else ["sv"])
        else:
            first = rng.choice(SWEDISH_FIRST["female" if female else "male"])
            last = rng.choice(SWEDISH_LAST)
            languages = ["sv"]
        capacity = 100
        if target_group in (TargetGroup.ASSISTANCE_OTHER_REASONS, TargetGroup.DISABILITY):
            capacity = rng.choice([25, 50, 50, 75])
        elif rng.random() < 0.1:
            capacity = rng.choice([50, 75])
        life = Life(
            i=i,
            id=stable_uuid(rng),
            referral_id=stable_uuid(rng),
            municipality=muni,
            district=district,
            unit=district.unit,
            caseworker=rng.choice(district.caseworkers),
            pnr=pnr,
            born=born,
            female=female,
            first_name=first,
            last_name=last,
            postal_code=f"{district.postal_prefix}{rng.randint(0, 9)}",
            city=district.town,
            languages=languages,
            target_group=target_group,
            capacity=capacity,
            protected=rng.random() < 0.004,
            referral_date=self.today,
        )
        life.mapping = self.mapping_values(life, born_abroad, newcomer, age)
        return life

    def mapping_values(self, life: Life, born_abroad: bool, newcomer: bool, age: int) -> dict:
        rng = self.rng
        if born_abroad:
            swedish = rng.choice(
                [
                    SwedishLevel.NONE,
                    SwedishLevel.SFI_A,
                    SwedishLevel.SFI_B,
                    SwedishLevel.SFI_C,
                    SwedishLevel.SFI_D,
                ]
                if newcomer
                else [SwedishLevel.SFI_C, SwedishLevel.SFI_D, SwedishLevel.OTHER, SwedishLevel.OTHER]
            )
        else:
            swedish = SwedishLevel.NATIVE
        education = rng.choices(
            EDUCATION_LEVELS, cum_weights=EDUCATION_ABROAD if born_abroad else EDUCATION_HERE
        )[0]
        months_without_work = rng.choice([None, 3, 8, 14, 20, 30, 48, 72]) if age > 19 else None
        months_on_assistance = rng.choice([2, 5, 9, 14, 20, 30, 48, 60])
        obstacles = tuple(
            sorted(rng.sample(OBSTACLES, k=rng.choices((0, 1, 2, 3), cum_weights=(45, 75, 93, 100))[0]))
        )
        tier, reasons = assessed(
            education, swedish, months_without_work, life.capacity, obstacles, months_on_assistance
        )
        life.tier = tier
        codes = rng.sample(self.occupation_codes, k=rng.choice([1, 1, 2]))
        related = self.skills_by_group.get(codes[0], [])
        skills = rng.sample(related, k=min(3, len(related)))
        return {
            "education_level": education,
            "months_without_work": months_without_work,
            "months_on_assistance": months_on_assistance,
            "wanted_occupations": codes,
            "skills": skills,
            "swedish_level": swedish,
            "other_languages": [lang for lang in life.languages if lang != "sv"],
            "driving_licence": rng.choices(DRIVING_LICENCES, cum_weights=(55, 95, 100))[0],
            "obstacles": list(obstacles),
            "work_capacity": life.capacity,
            "tier_reasons": reasons,
            "age": age,
        }

    def case(self, life: Life) -> None:
        """Decide the referral's course: acceptance, plan, activities, bookings, exit."""
        rng = self.rng
        today = self.today
        ref = life.referral_date
        if rng.random() < 0.03:
            returned = after_working_days(ref, rng.randint(1, 3))
            if returned <= today:
                life.status = ReferralStatus.RETURNED
                life.returned_at = self.at(returned)
                life.mapping = None
                return
        accept_day = after_working_days(ref, rng.choice([0, 0, 1, 1, 2, 3]))
        if accept_day > today:
            life.mapping = None
            return
        unit = life.unit
        life.status = ReferralStatus.ACCEPTED
        life.mapping_id = stable_uuid(rng)
        life.coach = unit.coaches[life.i % len(unit.coaches)]
        life.accepted_at = self.at(accept_day)
        life.plan_id = stable_uuid(rng)
        propose_day = after_working_days(
            ref, rng.choices([2, 3, 4, 5, 6, 8, 12], [15, 25, 25, 17, 8, 6, 4])[0]
        )
        if propose_day > today:
            life.plan_status = PlanStatus.DRAFT
            return
        decide_day = after_working_days(propose_day, rng.choice([0, 0, 1, 1, 2]))
        returned_first = rng.random() < 0.08
        v1 = self.new_id(PlanVersion)
        if decide_day > today:
            life.versions.append((v1, 1, VersionStatus.PROPOSED, self.at(propose_day), None))
            life.plan_status = PlanStatus.PROPOSED
            self.plan_activities(life, propose_day)
            return
        if returned_first:
            life.versions.append((v1, 1, VersionStatus.RETURNED, self.at(propose_day), self.at(decide_day)))
            propose_day = after_working_days(decide_day, rng.randint(1, 3))
            decide_day = after_working_days(propose_day, rng.choice([0, 1]))
            if decide_day > today:
                life.plan_status = PlanStatus.RETURNED
                self.plan_activities(life, propose_day)
                return
            v1 = self.new_id(PlanVersion)
            life.versions.append((v1, 2, VersionStatus.APPROVED, self.at(propose_day), self.at(decide_day)))
        else:
            life.versions.append((v1, 1, VersionStatus.APPROVED, self.at(propose_day), self.at(decide_day)))
        life.plan_status = PlanStatus.APPROVED
        start = after_working_days(decide_day, rng.randint(1, 8))
        self.plan_activities(life, start)
        self.exit(life, accept_day)
        self.book(life)

    def plan_activities(self, life: Life, start: datetime.date) -> None:
        rng = self.rng
        m = life.mapping
        required = Decimal(40 * life.capacity) / 100
        low_swedish = m["swedish_level"] in (
            SwedishLevel.NONE,
            SwedishLevel.SFI_A,
            SwedishLevel.SFI_B,
            SwedishLevel.SFI_C,
        )
        if low_swedish:
            first = rng.choice(["sfi_studies", "language_internship"])
        elif life.tier == Tier.A:
            first = rng.choice(
                ["job_matching", "training_internship", "vocational_course", "individual_coaching"]
            )
        elif life.tier == Tier.B:
            first = rng.choice(
                ["work_training", "training_internship", "individual_coaching", "vocational_course"]
            )
        else:
            first = rng.choice(
                ["preparatory", "work_training", "supported_employment", "individual_coaching"]
            )
        codes = [first] + (
            [rng.choice(["individual_coaching", "job_matching"])] if rng.random() < 0.6 else []
        )
        codes = list(dict.fromkeys(codes))
        end = start + datetime.timedelta(weeks=rng.choice([8, 12, 16, 26]))
        hours_left = required
        for n, code in enumerate(codes):
            hours = (
                hours_left if n == len(codes) - 1 else min(hours_left - 2, Decimal(rng.choice([10, 15, 20])))
            )
            hours = max(Decimal(2), hours)
            hours_left -= hours
            life.activities.append((self.new_id(PlanActivity), self.types[code].id, code, start, end, hours))

    def exit(self, life: Life, accept_day: datetime.date) -> None:
        rng = self.rng
        m = life.mapping
        hazard = MONTHLY_EXIT_HAZARD[life.tier]
        months = rng.expovariate(hazard)
        exit_day = self.working_day_on_or_after(accept_day + datetime.timedelta(days=int(20 + months * 30.4)))
        if exit_day >= self.today:
            return
        age = m["age"]
        logit = WORK_LOGIT[life.tier] + life.unit.effect
        logit += {SwedishLevel.NATIVE: 0.3, SwedishLevel.OTHER: 0.2, SwedishLevel.NONE: -0.4}.get(
            m["swedish_level"], 0
        )
        logit += {EducationLevel.UNIVERSITY: 0.3, EducationLevel.NONE: -0.3}.get(m["education_level"], 0)
        logit += -0.4 if age >= 55 else 0.0
        p_work = 1 / (1 + math.exp(-logit))
        p_studies = 0.22 if age < 25 else 0.08
        draw = rng.random()
        if draw < p_work * 0.75:
            reason = CloseReason.WORK
            life.work_hours = rng.choice([20, 30, 40, 40, 40])
            life.employment_form = rng.choices(["permanent", "fixed_term", "hourly"], [35, 45, 20])[0]
            life.subsidised = rng.random() < 0.3
        elif draw < p_work * 0.75 + p_studies:
            reason = CloseReason.STUDIES
        else:
            reason = rng.choices(
                [
                    CloseReason.OTHER_SUPPORT,
                    CloseReason.MOVED,
                    CloseReason.INTERRUPTED,
                    CloseReason.NO_LONGER_ON_ASSISTANCE,
                    CloseReason.REFERRED_ELSEWHERE,
                ],
                [25, 12, 35, 18, 10],
            )[0]
        life.exit_date = exit_day
        life.exit_reason = reason
        life.status = ReferralStatus.CLOSED
        life.close_reason = reason
        life.closed_at = self.at(exit_day)
        if reason in (CloseReason.WORK, CloseReason.STUDIES) and rng.random() < 0.22:
            life.assistance_relapse = add_months(exit_day, rng.randint(2, 14))

    def book(self, life: Life) -> None:
        """Book the plan's first activity where it runs: at a provider (with a provider assignment and the
        person's consent) or at the unit."""
        rng = self.rng
        muni = life.municipality
        for activity_id, _type_id, code, start, end, _hours in life.activities[:1]:
            provider = None
            if code in muni.provider_offerings and (code not in life.unit.offerings or rng.random() < 0.7):
                provider = rng.choice(muni.provider_offerings[code])
                offering_id = self.group(muni, code, start, provider=provider)
            elif code in life.unit.offerings:
                offering_id = self.group(muni, code, start, unit=life.unit)
            else:
                continue
            if start > self.today:
                status, booking_end = BookingStatus.BOOKED, None
            elif rng.random() < 0.04:
                status, booking_end = BookingStatus.CANCELLED, None
            else:
                stop = min(d for d in (end, life.exit_date) if d is not None)
                if stop < self.today:
                    status, booking_end = BookingStatus.ENDED, stop
                else:
                    status, booking_end = BookingStatus.BOOKED, None
            if status == BookingStatus.BOOKED:
                self.offering_booked[offering_id] += 1
            life.bookings.append(
                (stable_uuid(rng), offering_id, activity_id, status, start, booking_end, provider)
            )

    # -- taxonomy (from the matching app's tables when installed) ---------------------------------------
    def taxonomy(self) -> None:
        self.occupation_codes = [code for code, _name in OCCUPATIONS]
        self.skills_by_group: dict[str, list[int]] = {}
        if apps.is_installed("jobbtorg.taxonomy"):
            OccupationGroup = apps.get_model("taxonomy", "OccupationGroup")
            Skill = apps.get_model("taxonomy", "Skill")
            codes = sorted(OccupationGroup.objects.filter(level=4).values_list("code", flat=True))
            if not codes:
                raise RuntimeError("The SSYK taxonomy is not loaded: run `manage.py migrate` first.")
            # Most people want the common entry occupations; the rest spread over the whole taxonomy.
            self.occupation_codes = [c for c, _n in OCCUPATIONS if c in set(codes)] * 20 + codes
            through = Skill.groups.through
            for skill_id, code in through.objects.values_list("skill_id", "occupationgroup_id"):
                self.skills_by_group.setdefault(code, []).append(skill_id)
            for lst in self.skills_by_group.values():
                lst.sort()

    # -- writing ------------------------------------------------------------------------------------------
    def run(self) -> dict:
        """Plan everyone's course in memory, then write all tables in one transaction (all or nothing)."""
        started = time.perf_counter()
        self.taxonomy()
        self.organisation()
        self.staff()
        self.providers()
        self.unit_offerings()
        self.people()
        self.timings["planning"] = time.perf_counter() - started
        with transaction.atomic(using=self.loader.using):
            self.loader.defer_key_checks()
            self.write()
            checking = time.perf_counter()
            self.keys_checked = self.loader.check_keys(self.loader.models_loaded)
            self.timings["key check"] = time.perf_counter() - checking
            committing = time.perf_counter()
            self.timings["writing"] = committing - started - self.timings["planning"]
        self.timings["commit"] = time.perf_counter() - committing
        analysing = time.perf_counter()
        self.loader.analyse(self.loader.models_loaded)
        self.timings["analyse"] = time.perf_counter() - analysing
        return self.summary()

    def write(self) -> None:
        L = self.loader
        L.load(Municipality, ["id", "name", "code"], ((m.id, m.name, m.code) for m in self.municipalities))
        L.load(
            Unit,
            ["id", "municipality_id", "name", "kind", "address"],
            ((u.id, u.municipality_id, u.name, UnitKind.JOBBTORG, u.address) for u in self.unit_rows),
        )
        L.load(
            District,
            ["id", "municipality_id", "name", "unit_id"],
            ((d.id, d.unit.municipality_id, d.name, d.unit.id) for d in self.district_rows),
        )
        L.load(
            Provider,
            [
                "id",
                "municipality_id",
                "name",
                "organisation_number",
                "kind",
                "address",
                "postal_area",
                "languages",
                "contact_name",
                "contact_email",
                "contact_phone",
            ],
            self.provider_rows,
        )
        L.load(
            User,
            [
                "id",
                "password",
                "username",
                "first_name",
                "last_name",
                "email",
                "role",
                "municipality_id",
                "unit_id",
                "district_id",
                "provider_id",
                "title",
            ],
            self.users,
            total=len(self.users),
        )
        self.groups()
        L.load(
            Contract, ["id", "provider_id", "reference", "start_date", "end_date", "volume"], self.contracts
        )
        L.load(
            Contract.intervention_types.through, ["contract_id", "interventiontype_id"], self.contract_types
        )
        L.load(
            Application,
            [
                "id",
                "provider_id",
                "intervention_type_id",
                "status",
                "submitted_at",
                "submitted_by_id",
                "decided_at",
                "decided_by_id",
            ],
            self.applications,
        )
        L.load(
            Authorisation,
            ["id", "provider_id", "intervention_type_id", "application_id", "valid_from", "capacity"],
            (a[:6] for a in self.authorisations),
        )
        L.load(
            AuthorisationEvent,
            ["authorisation_id", "kind", "effective_date", "by_id", "at"],
            ((a[0], AuthorisationEventKind.GRANTED, a[4], a[6], a[7]) for a in self.authorisations),
        )
        for row in self.offering_rows:
            row[13] = self.offering_booked.get(row[0], 0)
            row[12] = max(row[12], row[13] + self.rng.randint(0, 10))
        L.load(
            Offering,
            [
                "id",
                "municipality_id",
                "intervention_type_id",
                "name",
                "delivered_by",
                "unit_id",
                "provider_id",
                "city_unit_name",
                "place",
                "start_date",
                "end_date",
                "hours_per_week",
                "capacity",
                "booked_count",
                "languages",
                "target_groups",
                "contact",
                "active",
            ],
            self.offering_rows,
        )
        n = len(self.lives)
        L.load(
            Participant,
            [
                "id",
                "municipality_id",
                "district_id",
                "personal_number",
                "birth_date",
                "first_name",
                "last_name",
                "email",
                "phone",
                "address",
                "postal_code",
                "city",
                "languages",
                "protected_identity",
                "target_groups",
                "work_capacity",
                "created_at",
            ],
            self.participant_rows(),
            total=n,
        )
        L.load(
            Consent,
            ["participant_id", "scope", "status", "effective_date", "recorded_by_id", "recorded_at", "note"],
            self.consent_rows(),
            total=n,
        )
        L.load(
            Referral,
            [
                "id",
                "participant_id",
                "district_id",
                "unit_id",
                "caseworker_id",
                "coach_id",
                "target_group",
                "reason",
                "assistance_status",
                "notes",
                "source",
                "referral_date",
                "plan_due_date",
                "status",
                "return_reason",
                "close_reason",
                "accepted_at",
                "closed_at",
                "created_at",
            ],
            self.referral_rows(),
            total=n,
        )
        L.load(
            ReferralEvent,
            ["referral_id", "from_status", "to_status", "by_id", "at", "comment"],
            self.referral_event_rows(),
            total=2 * n,
        )
        L.load(
            Mapping,
            [
                "id",
                "referral_id",
                "participant_id",
                "education_level",
                "months_without_work",
                "months_on_assistance",
                "wanted_occupations",
                "swedish_level",
                "other_languages",
                "driving_licence",
                "obstacles",
                "work_capacity",
                "tier",
                "tier_reasons",
                "updated_by_id",
                "lock_version",
                *self.mapping_extra,
            ],
            self.mapping_rows(),
            total=n,
        )
        L.load(
            ActionPlan,
            [
                "id",
                "referral_id",
                "participant_id",
                "status",
                "goals",
                "first_approved_at",
                "updated_by_id",
                "created_at",
            ],
            self.plan_rows(),
            total=n,
        )
        L.load(
            PlanActivity,
            [
                "id",
                "plan_id",
                "intervention_type_id",
                "description",
                "start_date",
                "end_date",
                "hours_per_week",
                "order",
            ],
            self.activity_rows(),
            total=n,
        )
        L.load(
            PlanVersion,
            [
                "id",
                "plan_id",
                "number",
                "status",
                "content",
                "proposed_by_id",
                "proposed_at",
                "decided_by_id",
                "decided_at",
                "decision_comment",
            ],
            self.version_rows(),
            total=n,
        )
        self.set_current_versions()
        L.load(
            Booking,
            [
                "id",
                "offering_id",
                "participant_id",
                "referral_id",
                "plan_activity_id",
                "status",
                "start_date",
                "end_date",
                "requested_at",
                "booked_at",
                "booked_by_id",
                "cancel_reason",
            ],
            self.booking_rows(),
            total=n,
        )
        L.load(
            Assignment,
            [
                "id",
                "participant_id",
                "referral_id",
                "provider_id",
                "intervention_type_id",
                "source",
                "reason",
                "start_date",
                "end_date",
                "end_reason",
                "created_by_id",
            ],
            self.assignment_rows(),
        )
        L.load(
            AttendanceReport,
            [
                "participant_id",
                "booking_id",
                "date",
                "status",
                "valid_reason",
                "hours",
                "note",
                "reported_by_id",
                "reported_at",
            ],
            self.attendance_rows(),
            total=n * 30,
        )
        L.load(
            Appointment,
            [
                "id",
                "participant_id",
                "referral_id",
                "organiser_id",
                "kind",
                "starts_at",
                "ends_at",
                "place",
                "video_link",
                "outcome",
                "outcome_reason",
                "created_at",
            ],
            self.appointment_rows(),
            total=n * 5,
        )
        for extra in self.extra_writers():
            extra()
        L.reset_sequences(
            [
                Municipality,
                Unit,
                District,
                Provider,
                User,
                Contract,
                Application,
                Authorisation,
                Offering,
                PlanActivity,
                PlanVersion,
            ]
        )

    def extra_writers(self) -> list:
        """Tables of apps that may or may not be installed (follow-up, matching)."""
        writers = []
        if apps.is_installed("jobbtorg.followup"):
            from . import followup

            writers += [lambda: followup.write(self)]
        if apps.is_installed("jobbtorg.matching"):
            from . import matching

            writers += [lambda: matching.write(self)]
        return writers

    @property
    def mapping_extra(self) -> list[str]:
        names = {f.attname for f in Mapping._meta.concrete_fields}
        return ["skills"] if "skills" in names else []

    def groups(self) -> None:
        """Each staff member in the group of their role (the groups exist: migrate synced them)."""
        from django.contrib.auth.models import Group

        by_name = dict(Group.objects.values_list("name", "id"))  # one group per role, named by the role
        rows = ((u[0], by_name[u[6]]) for u in self.users if u[6] in by_name)
        self.loader.load(User.groups.through, ["user_id", "group_id"], rows, total=len(self.users))

    # -- rows ---------------------------------------------------------------------------------------------
    def participant_rows(self):
        for life in self.lives:
            slug = f"{life.first_name}.{life.last_name}{life.i}".lower()
            yield (
                life.id,
                life.municipality.id,
                life.district.id,
                life.pnr,
                personal_numbers.birth_date(life.pnr),
                life.first_name,
                life.last_name,
                f"{slug}@example.org" if life.i % 3 else "",
                f"070-174 06 {5 + life.i % 95:02d}",
                f"{STREETS[life.i % len(STREETS)]} {1 + life.i % 60}",
                life.postal_code,
                life.city,
                life.languages,
                life.protected,
                [life.target_group],
                life.capacity,
                self.at(life.referral_date),
            )

    def consent_rows(self):
        for life in self.lives:
            if self.is_intake(life):  # consent to share with the actor who sent the person, if any
                scope = self.INTAKE_CONSENT.get(self.source_of(life))
                who = life.coach
            else:
                scope, who = ConsentScope.DISTRICT_JOBBTORG, life.caseworker
            if scope is not None:
                yield (
                    life.id,
                    scope,
                    ConsentStatus.GIVEN,
                    life.referral_date,
                    who,
                    self.at(life.referral_date),
                    "",
                )
            for booking in life.bookings:
                if booking[6] is not None:
                    day = booking[4] - datetime.timedelta(days=3)
                    yield (
                        life.id,
                        ConsentScope.JOBBTORG_PROVIDER,
                        ConsentStatus.GIVEN,
                        day,
                        life.coach,
                        self.at(day),
                        "",
                    )
                    if life.i % 97 == 0 and day + datetime.timedelta(days=30) < self.today:
                        later = day + datetime.timedelta(days=30)
                        yield (
                            life.id,
                            ConsentScope.JOBBTORG_PROVIDER,
                            ConsentStatus.WITHDRAWN,
                            later,
                            life.coach,
                            self.at(later),
                            "Återkallat vid uppföljningsmöte.",
                        )

    def referral_rows(self):
        assistance = {
            TargetGroup.NEW_APPLICANT: AssistanceStatus.APPLIED,
            TargetGroup.DISABILITY: AssistanceStatus.NONE,
            TargetGroup.NEWLY_ARRIVED: AssistanceStatus.INTRODUCTION,
        }
        for life in self.lives:
            source = self.source_of(life)
            yield (
                life.referral_id,
                life.id,
                life.district.id,
                life.unit.id,
                None if self.is_intake(life) else life.caseworker,
                life.coach,
                life.target_group,
                "Arbetslös och har försörjningsstöd; behöver stöd mot arbete eller studier.",
                assistance.get(life.target_group, AssistanceStatus.RECEIVING),
                "",
                source,
                life.referral_date,
                plan_due(life.referral_date),
                life.status,
                "Uppgifter om arbetsförmåga saknas." if life.status == ReferralStatus.RETURNED else "",
                life.close_reason,
                life.accepted_at,
                life.closed_at,
                self.at(life.referral_date),
            )

    INTAKE_SOURCES = (
        ReferralSource.EMPLOYMENT_SERVICE,
        ReferralSource.SOCIAL_INSURANCE,
        ReferralSource.SELF,
        ReferralSource.OTHER,
    )
    INTAKE_CONSENT = {
        ReferralSource.EMPLOYMENT_SERVICE: ConsentScope.EMPLOYMENT_SERVICE,
        ReferralSource.SOCIAL_INSURANCE: ConsentScope.SOCIAL_INSURANCE,
    }

    def source_of(self, life: Life) -> str:
        """Who initiated the referral. Most come from social services; about one in ten from
        Arbetsförmedlingen, Försäkringskassan, the person or another actor (a stream of its own: the rest
        stays as before)."""
        draw = self.person_rng(life, 6).random()
        return self.INTAKE_SOURCES[int(draw * 40)] if draw < 0.1 else ReferralSource.SOCIAL_SERVICES

    def is_intake(self, life: Life) -> bool:
        """Not sent by social services and taken in by the unit itself (ADR 0020): no caseworker, registered
        and accepted by the coach, the plan decided by the unit head. One not yet accepted (or returned)
        stays a district referral that names its source."""
        return life.accepted_at is not None and self.source_of(life) != ReferralSource.SOCIAL_SERVICES

    def referral_event_rows(self):
        for life in self.lives:
            at = self.at(life.referral_date)
            by = life.coach if self.is_intake(life) else life.caseworker
            yield (life.referral_id, "", ReferralStatus.RECEIVED, by, at, "")
            if life.returned_at:
                yield (
                    life.referral_id,
                    ReferralStatus.RECEIVED,
                    ReferralStatus.RETURNED,
                    life.unit.coaches[0],
                    life.returned_at,
                    "Uppgifter om arbetsförmåga saknas.",
                )
            if life.accepted_at:
                yield (
                    life.referral_id,
                    ReferralStatus.RECEIVED,
                    ReferralStatus.ACCEPTED,
                    life.coach,
                    life.accepted_at,
                    "",
                )
            if life.closed_at:
                yield (
                    life.referral_id,
                    ReferralStatus.ACCEPTED,
                    ReferralStatus.CLOSED,
                    life.coach,
                    life.closed_at,
                    "",
                )

    def mapping_rows(self):
        with_skills = bool(self.mapping_extra)
        for life in self.lives:
            m = life.mapping
            if m is None or life.coach is None:
                continue
            row = (
                life.mapping_id,
                life.referral_id,
                life.id,
                m["education_level"],
                m["months_without_work"],
                m["months_on_assistance"],
                m["wanted_occupations"],
                m["swedish_level"],
                m["other_languages"],
                m["driving_licence"],
                m["obstacles"],
                m["work_capacity"],
                life.tier,
                m["tier_reasons"],
                life.coach,
                1,
            )
            yield (*row, m["skills"]) if with_skills else row

    def plan_rows(self):
        for life in self.lives:
            if life.plan_id is None:
                continue
            approved = next((v[4] for v in life.versions if v[2] == VersionStatus.APPROVED), None)
            yield (
                life.plan_id,
                life.referral_id,
                life.id,
                life.plan_status,
                "Komma närmare egen försörjning genom arbete eller studier.",
                approved,
                life.coach,
                life.accepted_at,
            )

    def activity_rows(self):
        for life in self.lives:
            for order, (aid, type_id, code, start, end, hours) in enumerate(life.activities):
                yield (aid, life.plan_id, type_id, self.types[code].name, start, end, hours, order)

    def version_rows(self):
        for life in self.lives:
            if not life.versions:
                continue
            content = {
                "goals": "Komma närmare egen försörjning genom arbete eller studier.",
                "activities": [
                    {
                        "intervention_type": code,
                        "intervention_name": self.types[code].name,
                        "description": self.types[code].name,
                        "start_date": start.isoformat(),
                        "end_date": end.isoformat() if end else None,
                        "hours_per_week": str(hours),
                    }
                    for _aid, _t, code, start, end, hours in life.activities
                ],
                "other_plans": [],
            }
            decider = life.unit.head if self.is_intake(life) else life.caseworker
            for vid, number, status, proposed_at, decided_at in life.versions:
                yield (
                    vid,
                    life.plan_id,
                    number,
                    status,
                    content,
                    life.coach,
                    proposed_at,
                    decider if decided_at else None,
                    decided_at,
                    "Beskriv insatserna tydligare." if status == VersionStatus.RETURNED else "",
                )

    def set_current_versions(self) -> None:
        pairs = [
            (life.plan_id, max(v[0] for v in life.versions if v[2] == VersionStatus.APPROVED))
            for life in self.lives
            if any(v[2] == VersionStatus.APPROVED for v in life.versions)
        ]
        self.loader.update_column(ActionPlan, "current_version_id", pairs)

    def booking_rows(self):
        for life in self.lives:
            for bid, offering_id, activity_id, status, start, end, _provider in life.bookings:
                at = self.at(start - datetime.timedelta(days=5))
                yield (
                    bid,
                    offering_id,
                    life.id,
                    life.referral_id,
                    activity_id,
                    status,
                    start,
                    end,
                    at,
                    at if status != BookingStatus.WAITLISTED else None,
                    life.coach,
                    "Personen avböjde." if status == BookingStatus.CANCELLED else "",
                )

    def assignment_rows(self):
        for life in self.lives:
            rng = self.person_rng(life, 3)
            for _bid, _oid, _aid, status, start, end, provider in life.bookings:
                if provider is None or status == BookingStatus.CANCELLED:
                    continue
                code = life.activities[0][2]
                source = (
                    AssignmentSource.PROCUREMENT
                    if code not in LOV_TYPES
                    else [
                        AssignmentSource.PARTICIPANT_CHOICE,
                        AssignmentSource.COACH_WITH_PARTICIPANT,
                        AssignmentSource.DEFAULT_ROTATION,
                    ][life.i % 3]
                )
                yield (
                    stable_uuid(rng),
                    life.id,
                    life.referral_id,
                    provider,
                    self.types[code].id,
                    source,
                    "",
                    start,
                    end,
                    "Insatsen avslutad." if end else "",
                    life.coach,
                )

    def person_rng(self, life: Life, salt: int) -> random.Random:
        return random.Random((self.seed << 40) ^ (life.i << 4) ^ salt)

    def attendance_rows(self):
        """Each booked working day until yesterday: present, absent with a reason, or absent without."""
        one = datetime.timedelta(days=1)
        yesterday = self.today - one
        for life in self.lives:
            rng = self.person_rng(life, 1)
            days_a_week = {100: 5, 75: 4, 50: 3, 25: 2}.get(life.capacity, 5)
            weekdays = set(range(days_a_week))
            absent_bias = {Tier.A: 0.05, Tier.B: 0.09, Tier.C: 0.15}[life.tier]
            for bid, _oid, _aid, status, start, end, provider in life.bookings:
                if status == BookingStatus.CANCELLED:
                    continue
                hours = (life.activities[0][5] / days_a_week).quantize(Decimal("0.1"))
                reporter = life.coach if provider is None else None
                stop = min(end or yesterday, yesterday)
                day = start
                while day <= stop:
                    if day.weekday() in weekdays and working(day):
                        r = rng.random()
                        if r < absent_bias * 0.6:
                            status_, reason, h = (
                                AttendanceStatus.ABSENT_VALID,
                                rng.choice(
                                    [
                                        ValidReason.SICK,
                                        ValidReason.SICK,
                                        ValidReason.CARE_OF_CHILD,
                                        ValidReason.APPOINTMENT,
                                        ValidReason.INTERVIEW,
                                    ]
                                ),
                                None,
                            )
                        elif r < absent_bias:
                            status_, reason, h = AttendanceStatus.ABSENT_UNEXCUSED, "", None
                        else:
                            status_, reason, h = AttendanceStatus.PRESENT, "", hours
                        yield (
                            life.id,
                            bid,
                            day,
                            status_,
                            reason,
                            h,
                            "",
                            reporter or self.provider_staff(provider),
                            datetime.datetime.combine(day, datetime.time(16, 30), self.tz),
                        )
                    day += one

    def provider_staff(self, provider_id: int) -> int:
        if not hasattr(self, "_provider_staff"):
            self._provider_staff = {u[10]: u[0] for u in self.users if u[10] is not None}
        return self._provider_staff[provider_id]

    def appointment_rows(self):
        """Coach meetings every two to four weeks while the person takes part; the next one is booked.
        Keys are sequential (seed prefix + counter): appended to the primary-key index, not scattered."""
        prefix = (self.seed & 0xFFFF) << 112  # then a 32-bit serial, then (below the version bits) the person
        serial = 0
        week = datetime.timedelta(days=7)
        length = datetime.timedelta(minutes=45)
        steps = [datetime.timedelta(days=d) for d in (14, 14, 21, 28)]
        hours = [datetime.time(9 + h, 0) for h in range(7)]
        for life in self.lives:
            if life.accepted_at is None:
                continue
            rng = self.person_rng(life, 2)
            random_ = rng.random
            no_show = 0.07 if life.tier != Tier.C else 0.13
            day = life.accepted_at.date() + datetime.timedelta(days=rng.randint(1, 5))
            stop = life.exit_date or (self.today + datetime.timedelta(days=21))
            while day <= stop:
                day = self.working_day_on_or_after(day)
                starts = datetime.datetime.combine(day, hours[int(random_() * 7)], self.tz)
                if day >= self.today:
                    outcome = AppointmentOutcome.SCHEDULED
                else:
                    r = random_()
                    outcome = (
                        AppointmentOutcome.NO_SHOW
                        if r < no_show
                        else AppointmentOutcome.EXCUSED
                        if r < no_show + 0.06
                        else AppointmentOutcome.CANCELLED
                        if r < no_show + 0.09
                        else AppointmentOutcome.ATTENDED
                    )
                serial += 1
                key = uuid.UUID(int=prefix | serial << 80 | life.i, version=4)
                yield (
                    key,
                    life.id,
                    life.referral_id,
                    life.coach,
                    AppointmentKind.INDIVIDUAL,
                    starts,
                    starts + length,
                    life.unit.name,
                    "",
                    outcome,
                    "Sjuk" if outcome == AppointmentOutcome.EXCUSED else "",
                    starts - week,
                )
                day += steps[int(random_() * 4)]

    # -- summary ------------------------------------------------------------------------------------------
    def summary(self) -> dict:
        statuses = defaultdict(int)
        for life in self.lives:
            statuses[str(life.status)] += 1
        units = defaultdict(int)
        for life in self.lives:
            units[life.unit.name] += 1
        return {
            "participants": len(self.lives),
            "staff": len(self.users),
            "statuses": dict(statuses),
            "units": dict(units),
            "timings": self.timings,
        }
