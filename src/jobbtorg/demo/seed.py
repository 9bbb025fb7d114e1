"""The demo municipality: a Stockholm-like city with its five Jobbtorg, staff of every role and a few hundred
people in every stage of the flow.

Everything a person goes through is created THROUGH THE SERVICES, acting as the staff member who would do it
(the district caseworker refers and decides on plans, a coach of the receiving unit accepts, maps and plans),
so every rule, every lock_version and every audit row is the real thing.

One liberty, taken only here and never in the product: the services stamp decisions with `timezone.now()`,
so afterwards the seed moves a few timestamps back into the last ~60 days with queryset `.update()`
(Referral.accepted_at and closed_at with the first CoachChange.at, PlanVersion.proposed_at and decided_at,
ActionPlan.first_approved_at).
That gives the worklists and the "plan within five working days" share something to show: some plans were
approved in time, some late. The audit tables are left as they are — they truthfully say the seed ran today.

Issue 3 (providers, authorisations, contracts, offerings, bookings, attendance, notices, provider choices
and meetings) is seeded on top of the people by `market.py`, the same way; its liberties are listed there.

Deterministic for a given seed: one `random.Random(seed)` and one seeded Faker drive every choice.
"""

import datetime
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from faker import Faker

from jobbtorg.accounts.constants import Role, UnitKind, required_attachment
from jobbtorg.accounts.models import District, Municipality, Unit, User
from jobbtorg.accounts.services import role_groups_sync
from jobbtorg.participants.constants import TargetGroup
from jobbtorg.participants.models import Participant
from jobbtorg.plans import services as plan_services
from jobbtorg.plans.assessment import assess
from jobbtorg.plans.constants import (
    DrivingLicence,
    EducationLevel,
    Obstacle,
    OtherPlanKind,
    PlanStatus,
    SwedishLevel,
    Tier,
)
from jobbtorg.plans.models import ActionPlan, Mapping, PlanVersion
from jobbtorg.referrals import deadline
from jobbtorg.referrals import services as referral_services
from jobbtorg.referrals.constants import AssistanceStatus, CloseReason, ReferralSource, ReferralStatus
from jobbtorg.referrals.models import CoachChange, Referral
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.workdays import add_working_days, is_working_day

MUNICIPALITY_NAME = "Stockholms stad (demo)"
MUNICIPALITY_CODE = "0180"
PASSWORD = "demo-jobbtorg"
URL = "http://127.0.0.1:8000"
DEFAULT_PARTICIPANTS = 300
DEFAULT_SEED = 1


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    weight: int  # share of the referrals, roughly as the 2007 decision describes the population
    postal_prefix: str
    town: str
    caseworkers: int


@dataclass(frozen=True)
class UnitSpec:
    name: str
    address: str
    coaches: int
    districts: tuple[DistrictSpec, ...]


# The five Jobbtorg of Stockholm's 2007 decision (Utlåtande 2007:117) and the districts (stadsdelar) each
# serves; Järva alone holds about 30 % of the target group.
UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(
        "Jobbtorg Järva",
        "Kistagången 2 (demo), 164 40 Kista",
        3,
        (
            DistrictSpec("Rinkeby-Kista", 18, "163 7", "Spånga", 3),
            DistrictSpec("Spånga-Tensta", 13, "163 6", "Spånga", 2),
        ),
    ),
    UnitSpec(
        "Jobbtorg Västerort",
        "Vinsta torg 1 (demo), 162 21 Vällingby",
        2,
        (
            DistrictSpec("Hässelby-Vällingby", 8, "162 5", "Vällingby", 2),
            DistrictSpec("Bromma", 4, "168 6", "Bromma", 1),
        ),
    ),
    UnitSpec(
        "Jobbtorg Innerstaden",
        "Fleminggatan 4 (demo), 112 26 Stockholm",
        2,
        (
            DistrictSpec("Kungsholmen", 3, "112 2", "Stockholm", 1),
            DistrictSpec("Norrmalm", 2, "113 4", "Stockholm", 1),
            DistrictSpec("Östermalm", 2, "115 2", "Stockholm", 1),
            DistrictSpec("Södermalm", 7, "118 5", "Stockholm", 1),
        ),
    ),
    UnitSpec(
        "Jobbtorg Sydost",
        "Arenavägen 8 (demo), 121 77 Johanneshov",
        3,
        (
            DistrictSpec("Enskede-Årsta-Vantör", 9, "124 3", "Bandhagen", 2),
            DistrictSpec("Farsta", 6, "123 4", "Farsta", 1),
            DistrictSpec("Skarpnäck", 4, "128 3", "Skarpnäck", 1),
        ),
    ),
    UnitSpec(
        "Jobbtorg Sydväst",
        "Skärholmsvägen 10 (demo), 127 48 Skärholmen",
        3,
        (
            DistrictSpec("Skärholmen", 10, "127 4", "Skärholmen", 2),
            DistrictSpec("Hägersten-Liljeholmen", 8, "129 3", "Hägersten", 1),
            DistrictSpec("Älvsjö", 3, "125 3", "Älvsjö", 1),
        ),
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit: str = ""
    district: str = ""
    title: str = ""
    provider: str = ""
    partner: str = ""  # the partner organisation (partner staff; made in jobbtorg.partners.demo)
    superuser: bool = False  # the administrator's login also reaches Django's admin site

    @property
    def attachment(self) -> str | None:
        """What the login is attached to (accounts' one rule): a district, a unit, a provider, a person."""
        return required_attachment(self.role)


# One memorable login per role; all share PASSWORD. The same table is in README.md.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("handlaggare", Role.CASEWORKER, district="Rinkeby-Kista", title="Socialsekreterare"),
    DemoLogin("coach", Role.JOB_COACH, unit="Jobbtorg Järva", title="Arbetskonsulent"),
    DemoLogin("syv", Role.CAREER_COUNSELLOR, unit="Jobbtorg Järva", title="Studie- och yrkesvägledare"),
    DemoLogin("matchare", Role.MATCHER, unit="Jobbtorg Järva", title="Arbetsgivarkontakt"),
    DemoLogin("enhetschef", Role.UNIT_HEAD, unit="Jobbtorg Järva", title="Enhetschef"),
    DemoLogin(
        "stadsdelschef", Role.DISTRICT_HEAD, district="Rinkeby-Kista", title="Enhetschef, försörjningsstöd"
    ),
    DemoLogin("analytiker", Role.ANALYST, title="Analytiker, stadsledningskontoret"),
    DemoLogin("admin", Role.ADMINISTRATOR, title="Systemförvaltare", superuser=True),
    DemoLogin(
        "anordnare",
        Role.PROVIDER_STAFF,
        title="Handledare hos anordnare",
        provider="Steg Framåt Arbetsintegrering AB (demo)",
    ),
    DemoLogin(
        "anordnare2",
        Role.PROVIDER_STAFF,
        title="Coach hos anordnare",
        provider="Nya Vägar Coachning AB (demo)",
    ),
)
# Försäkringskassan's staff (ADR 19): the shared plans of the people who consented.
if "partner_staff" in Role.values:
    DEMO_LOGINS += (
        DemoLogin(
            "forsakringskassan",
            "partner_staff",
            title="Handläggare, Försäkringskassan",
            partner="Försäkringskassan Stockholm (demo)",
        ),
    )
# The participant's own login: a person of Rinkeby-Kista, preferably with an approved plan.
if "participant" in Role.values:
    DEMO_LOGINS += (DemoLogin("deltagare", "participant", district="Rinkeby-Kista"),)

# --- stages of the flow -------------------------------------------------------------------------------------
# name: (weight in %, working days between the referral date and today: min, max)
STAGES: dict[str, tuple[int, int, int]] = {
    "received": (9, 0, 3),
    "resubmitted": (2, 3, 10),
    "returned": (4, 2, 25),
    "accepted": (7, 0, 4),
    "mapped": (9, 1, 8),
    "plan_draft": (9, 1, 10),
    "plan_proposed": (10, 2, 9),
    "plan_returned": (5, 3, 14),
    "approved_in_time": (20, 6, 42),
    "approved_late": (8, 12, 42),
    "plan_revising": (3, 20, 42),
    "closed_after_plan": (8, 25, 42),
    "closed_early": (2, 5, 30),
    "closed_returned": (1, 10, 40),
    "closed_interrupted": (3, 10, 40),
}
NEEDS_MAPPING = {
    "mapped",
    "plan_draft",
    "plan_proposed",
    "plan_returned",
    "approved_in_time",
    "approved_late",
    "plan_revising",
    "closed_after_plan",
    "closed_interrupted",
}

TARGET_GROUPS = [
    (TargetGroup.UNEMPLOYED_ON_ASSISTANCE, 35),
    (TargetGroup.NEW_APPLICANT, 12),
    (TargetGroup.SFI_STUDENT, 15),
    (TargetGroup.NEWLY_ARRIVED, 12),
    (TargetGroup.YOUTH, 12),
    (TargetGroup.YOUTH_FOLLOW_UP, 3),
    (TargetGroup.ASSISTANCE_OTHER_REASONS, 8),
    (TargetGroup.DISABILITY, 3),
]

# Names and ISO 639-1 languages of the larger groups born abroad in the Järva and southern districts.
FOREIGN_BACKGROUNDS = [
    (
        "so",
        ["Abdi", "Ahmed", "Mohamed", "Hassan", "Yusuf", "Abdirahman"],
        ["Hodan", "Fadumo", "Amina", "Sahra", "Hibo", "Ifrah"],
        ["Abdullahi", "Hussein", "Omar", "Farah", "Warsame"],
    ),
    (
        "ar",
        ["Ali", "Omar", "Karim", "Yasin", "Mahmoud", "Samir"],
        ["Fatima", "Layla", "Rania", "Nour", "Hiba", "Yasmin"],
        ["Haddad", "Khalil", "Saleh", "Nasser", "Aziz"],
    ),
    (
        "ti",
        ["Tesfaye", "Yonas", "Dawit", "Filmon", "Samuel"],
        ["Selam", "Helen", "Senait", "Ruth", "Saba"],
        ["Haile", "Tesfay", "Gebremariam", "Kidane", "Berhane"],
    ),
    (
        "fa",
        ["Reza", "Ahmad", "Hamid", "Mehdi", "Farid"],
        ["Maryam", "Zahra", "Shirin", "Parisa", "Leila"],
        ["Ahmadi", "Hosseini", "Karimi", "Rahimi", "Sadeghi"],
    ),
    (
        "tr",
        ["Mehmet", "Emre", "Murat", "Hakan"],
        ["Ayşe", "Elif", "Zeynep", "Derya"],
        ["Yılmaz", "Demir", "Kaya", "Aydın"],
    ),
    (
        "pl",
        ["Piotr", "Tomasz", "Marek"],
        ["Anna", "Katarzyna", "Magdalena"],
        ["Nowak", "Kowalski", "Wiśniewski"],
    ),
    ("bs", ["Amir", "Edin", "Haris"], ["Amra", "Lejla", "Selma"], ["Hodžić", "Begić", "Mehmedović"]),
    ("es", ["Carlos", "Diego", "Luis"], ["María", "Carolina", "Paula"], ["González", "Rojas", "Muñoz"]),
]

# (SSYK 2012 code, the occupation in the words of a goal)
OCCUPATIONS = [
    ("5321", "undersköterska"),
    ("5330", "vårdbiträde"),
    ("5343", "personlig assistent"),
    ("5311", "barnskötare"),
    ("9111", "lokalvårdare"),
    ("9412", "restaurangbiträde"),
    ("5120", "kock"),
    ("4322", "lagerarbetare"),
    ("8332", "lastbilschaufför"),
    ("8331", "bussförare"),
    ("5222", "butikssäljare"),
    ("7111", "snickare"),
    ("2512", "systemutvecklare"),
]
OCCUPATION_NAMES = dict(OCCUPATIONS)

REFERRAL_REASONS = {
    TargetGroup.UNEMPLOYED_ON_ASSISTANCE: "Arbetslös och har försörjningsstöd. Vill arbeta som {occupation}.",
    TargetGroup.NEW_APPLICANT: "Nyansökan om ekonomiskt bistånd; arbetsförmågan behöver bedömas.",
    TargetGroup.SFI_STUDENT: "Studerar SFI och har försörjningsstöd. Behöver kombinera SFI med praktik.",
    TargetGroup.NEWLY_ARRIVED: "Nyanländ, familjeåterförenad. Inga kända hinder för arbete.",
    TargetGroup.YOUTH: "Ung vuxen utan gymnasieexamen; behöver stöd till arbete eller studier.",
    TargetGroup.YOUTH_FOLLOW_UP: "Omfattas av det kommunala aktivitetsansvaret; varken studier eller arbete.",
    TargetGroup.ASSISTANCE_OTHER_REASONS: "Försörjningsstöd av andra skäl; deltidsarbete kan vara möjligt.",
    TargetGroup.DISABILITY: "Funktionsnedsättning, inget försörjningsstöd. Vill ha stöd att hitta arbete.",
}
RETURN_REASONS = [
    "Personen är sjukskriven på heltid enligt läkarintyg; kontakta Försäkringskassan innan ny remiss.",
    "Underlaget saknar uppgift om arbetsförmåga. Komplettera och skicka igen.",
    "Personen deltar redan i Arbetsförmedlingens program på heltid.",
]
PLAN_RETURN_COMMENTS = [
    "Lägg in SFI-tiderna från studieplanen så att veckan blir heltid.",
    "Praktiken behöver en tydlig startdag och handledare innan jag kan godkänna.",
    "Samordna med etableringsplanen – tiderna krockar på tisdagar.",
]


@dataclass
class SeedResult:
    municipality: Municipality
    staff: Counter = field(default_factory=Counter)
    participants_per_unit: Counter = field(default_factory=Counter)
    intakes: Counter = field(default_factory=Counter)  # taken in by the unit itself, by source (ADR 0020)
    referrals: Counter = field(default_factory=Counter)
    plans: Counter = field(default_factory=Counter)
    tiers: Counter = field(default_factory=Counter)
    approved_in_time: int = 0
    approved_late: int = 0
    coordination_numbers: int = 0
    protected_identities: int = 0
    market: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        def fmt(counter: Counter, labels=None) -> str:
            return ", ".join(f"{labels(k) if labels else k} {v}" for k, v in counter.items())

        participants = sum(self.participants_per_unit.values())
        return [
            f"Demo municipality: {self.municipality.name} ({self.municipality.code})",
            f"  units {self.municipality.units.count()}, districts {self.municipality.districts.count()}, "
            f"users {sum(self.staff.values())} ({fmt(self.staff)})",
            f"  participants {participants} ({fmt(self.participants_per_unit)}); "
            f"coordination numbers {self.coordination_numbers}, "
            f"protected identity {self.protected_identities}",
            f"  referrals by status: {fmt(self.referrals)}",
            f"  taken in by the units themselves (intake): {fmt(self.intakes) or 0}",
            f"  action plans by status: {fmt(self.plans)}",
            f"  first approved within 5 working days: {self.approved_in_time}, late: {self.approved_late}",
            f"  mappings by tier: {fmt(self.tiers)}",
            *self.market,
        ]


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


class _Seeder:
    def __init__(self, *, seed: int, participants: int, today: datetime.date | None = None):
        self.rng = random.Random(seed)
        # Who takes a person in another way than a district referral (intake, ADR 0020): drawn from its own
        # generator so that the rest of the demo stays as it was for the same seed.
        self.intake_rng = random.Random(seed + 20)
        self.fake = Faker("sv_SE")
        self.fake.seed_instance(seed)
        self.participants = participants
        self.now = timezone.now()
        self.today = today or timezone.localdate()
        self.base_day = self.today
        while not is_working_day(self.base_day):
            self.base_day -= datetime.timedelta(days=1)
        self.password_hash = make_password(PASSWORD)  # hashed once and shared: the demo creates ~50 users
        self.usernames: set[str] = set()
        self.pnrs: set[str] = set()

    # --- organisation -------------------------------------------------------------------------------------
    def organisation(self) -> None:
        self.municipality = Municipality.objects.create(name=MUNICIPALITY_NAME, code=MUNICIPALITY_CODE)
        self.units: dict[str, Unit] = {}
        self.districts: dict[str, District] = {}
        self.district_specs: dict[str, DistrictSpec] = {}
        for spec in UNITS:
            unit = Unit(
                municipality=self.municipality, name=spec.name, kind=UnitKind.JOBBTORG, address=spec.address
            )
            unit.full_clean()
            unit.save()
            self.units[spec.name] = unit
            for dspec in spec.districts:
                district = District(municipality=self.municipality, name=dspec.name, unit=unit)
                district.full_clean()
                district.save()
                self.districts[dspec.name] = district
                self.district_specs[dspec.name] = dspec

    def _user(
        self, *, role: str, username: str = "", unit=None, district=None, title: str = "", **extra
    ) -> User:
        female = self.rng.random() < 0.6
        first = self.fake.first_name_female() if female else self.fake.first_name_male()
        last = self.fake.last_name()
        if not username:
            base = f"{ascii_slug(first)}.{ascii_slug(last)}"
            username, n = base, 1
            while username in self.usernames:
                n += 1
                username = f"{base}{n}"
        self.usernames.add(username)
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.example.org",
            role=role,
            municipality=self.municipality,
            unit=unit,
            district=district,
            title=title,
            password=self.password_hash,
            **extra,
        )
        user.full_clean()
        user.save()
        return user

    def provider(self):
        """The provider of the `anordnare` login, registered by the administrator through the service (the
        other providers follow in market.py). The organisation number is made up (valid check digit)."""
        from jobbtorg.providers.services import provider_create

        from .market import PROVIDERS

        spec = PROVIDERS[0]
        return provider_create(
            municipality=self.municipality,
            name=spec.name,
            organisation_number="559999-9900",
            by=self.logins["admin"],
            kind=spec.kind,
            address=spec.address,
            postal_area=spec.postal_area,
            languages=list(spec.languages),
            description=spec.description,
            contact_phone="08-123 45 10",
        )

    def staff(self) -> None:
        fixed = {login.username: login for login in DEMO_LOGINS}
        self.usernames.update(fixed)
        self.logins: dict[str, User] = {}
        for login in DEMO_LOGINS:
            if login.attachment == "participant":
                continue  # created after the cases, linked to a person (participant_login)
            if login.attachment == "provider" and login.username != "anordnare":
                continue  # registered with its provider (market.py)
            if login.attachment == "partner_organisation":
                continue  # attached to its organisation in jobbtorg.partners.demo
            extra = {"is_staff": True, "is_superuser": True} if login.superuser else {}
            if login.attachment == "provider":
                extra["provider"] = self.provider()
            self.logins[login.username] = self._user(
                role=login.role,
                username=login.username,
                unit=self.units.get(login.unit),
                district=self.districts.get(login.district),
                title=login.title,
                **extra,
            )
        self.caseworkers: dict[str, list[User]] = {}
        for name, district in self.districts.items():
            people = [u for u in self.logins.values() if u.district_id == district.pk and u.is_caseworker]
            while len(people) < self.district_specs[name].caseworkers:
                people.append(self._user(role=Role.CASEWORKER, district=district, title="Socialsekreterare"))
            self.caseworkers[name] = people
        self.coaches: dict[str, list[User]] = {}
        self.counsellors: dict[str, User] = {}
        self.unit_heads: dict[str, User] = {}
        for spec in UNITS:
            unit = self.units[spec.name]
            mine = [u for u in self.logins.values() if u.unit_id == unit.pk]
            by_role = {u.role: u for u in mine}
            coaches = [u for u in mine if u.is_job_coach]
            while len(coaches) < spec.coaches:
                coaches.append(self._user(role=Role.JOB_COACH, unit=unit, title="Arbetskonsulent"))
            self.coaches[spec.name] = coaches
            for role, title in (
                (Role.CAREER_COUNSELLOR, "Studie- och yrkesvägledare"),
                (Role.MATCHER, "Arbetsgivarkontakt"),
                (Role.UNIT_HEAD, "Enhetschef"),
            ):
                if role not in by_role:
                    by_role[role] = self._user(role=role, unit=unit, title=title)
            self.counsellors[spec.name] = by_role[Role.CAREER_COUNSELLOR]
            self.unit_heads[spec.name] = by_role[Role.UNIT_HEAD]

    def participant_login(self) -> None:
        """The `deltagare` login belongs to a person of its district, preferably one whose referral from the
        district (with a caseworker, not an intake: ADR 0020) is open (accepted) with an approved plan: the
        participant view shows a plan, a week and a choice to make, and the three-party paths work."""
        login = next((d for d in DEMO_LOGINS if d.attachment == "participant"), None)
        if login is None:
            return
        people = Participant.objects.filter(municipality=self.municipality).order_by("personal_number")
        in_district = people.filter(district=self.districts[login.district])
        person = (
            in_district.filter(
                referrals__status=ReferralStatus.ACCEPTED,
                referrals__caseworker__isnull=False,
                referrals__plan__first_approved_at__isnull=False,
            ).first()
            or in_district.filter(
                referrals__status=ReferralStatus.ACCEPTED, referrals__caseworker__isnull=False
            ).first()
            or in_district.filter(referrals__status=ReferralStatus.ACCEPTED).first()
            or in_district.filter(plans__first_approved_at__isnull=False).first()
            or in_district.first()
            or people.first()
        )
        if person is None:
            return
        self.usernames.add(login.username)
        user = User(
            username=login.username,
            first_name=person.first_name,
            last_name=person.last_name,
            role=login.role,
            municipality=self.municipality,
            participant=person,
            password=self.password_hash,
        )
        user.full_clean()
        user.save()
        self.logins[login.username] = user

    # --- people -------------------------------------------------------------------------------------------
    def _district_quota(self) -> list[str]:
        """District of each participant, in proportion to the weights (largest remainder), shuffled."""
        specs = list(self.district_specs.values())
        total = sum(s.weight for s in specs)
        exact = [self.participants * s.weight / total for s in specs]
        counts = [int(x) for x in exact]
        for index in sorted(range(len(specs)), key=lambda i: exact[i] - counts[i], reverse=True):
            if sum(counts) >= self.participants:
                break
            counts[index] += 1
        names = [s.name for s, c in zip(specs, counts, strict=True) for _ in range(c)]
        self.rng.shuffle(names)
        return names

    def _stage_quota(self) -> list[str]:
        """Stage of each participant: every stage at least once (when there are enough people), shuffled."""
        n = self.participants
        names = list(STAGES)
        minimum = 1 if n >= len(names) else 0
        exact = {s: n * STAGES[s][0] / 100 for s in names}
        counts = {s: max(minimum, int(exact[s])) for s in names}
        for s in sorted(names, key=lambda s: exact[s] - int(exact[s]), reverse=True):
            if sum(counts.values()) >= n:
                break
            counts[s] += 1
        while sum(counts.values()) > n:
            counts[max(counts, key=counts.get)] -= 1
        stages = [s for s in names for _ in range(counts[s])]
        self.rng.shuffle(stages)
        return stages

    def _personal_number(self, born: datetime.date, *, coordination: bool) -> str:
        while True:
            pnr = personal_numbers.make(born, self.rng.randint(1, 999), coordination=coordination)
            if pnr not in self.pnrs:
                self.pnrs.add(pnr)
                return pnr

    def person(self, *, district_name: str, coordination: bool, protected: bool) -> dict:
        rng = self.rng
        target_group = rng.choices([t for t, _ in TARGET_GROUPS], [w for _, w in TARGET_GROUPS])[0]
        if target_group == TargetGroup.YOUTH_FOLLOW_UP:
            age = rng.randint(16, 19)
        elif target_group == TargetGroup.YOUTH:
            age = rng.randint(18, 24)
        else:
            age = rng.randint(25, 63)
        born = self.today - datetime.timedelta(days=age * 365 + rng.randint(0, 360))
        share_abroad = 0.75 if self.district_specs[district_name].weight >= 10 else 0.4
        newcomer = target_group in (TargetGroup.SFI_STUDENT, TargetGroup.NEWLY_ARRIVED)
        born_abroad = coordination or newcomer or rng.random() < share_abroad
        pnr = self._personal_number(born, coordination=coordination)
        female = personal_numbers.gender(pnr) == "female"
        if born_abroad:
            language, male_names, female_names, last_names = rng.choice(FOREIGN_BACKGROUNDS)
            first = rng.choice(female_names if female else male_names)
            last = rng.choice(last_names)
            languages = [language] + (["en"] if rng.random() < 0.3 else [])
            if not newcomer:
                languages.append("sv")
        else:
            first = self.fake.first_name_female() if female else self.fake.first_name_male()
            last = self.fake.last_name()
            languages = ["sv"] + (["en"] if rng.random() < 0.5 else [])
        spec = self.district_specs[district_name]
        capacity = 100
        if target_group in (TargetGroup.ASSISTANCE_OTHER_REASONS, TargetGroup.DISABILITY):
            capacity = rng.choice([25, 50, 50, 75])
        elif rng.random() < 0.1:
            capacity = rng.choice([50, 75])
        assistance = {
            TargetGroup.NEW_APPLICANT: AssistanceStatus.APPLIED,
            TargetGroup.DISABILITY: AssistanceStatus.NONE,
            TargetGroup.NEWLY_ARRIVED: AssistanceStatus.INTRODUCTION,
        }.get(target_group, AssistanceStatus.RECEIVING)
        if target_group == TargetGroup.SFI_STUDENT and rng.random() < 0.4:
            assistance = AssistanceStatus.INTRODUCTION
        occupations = rng.sample(
            OCCUPATIONS[:12] if rng.random() < 0.9 else OCCUPATIONS, k=rng.choice([1, 1, 2])
        )
        email_name = f"{ascii_slug(first)}.{ascii_slug(last)}{rng.randint(1, 99)}"
        return {
            "personal_number": pnr,
            "first_name": first,
            "last_name": last,
            "target_group": target_group,
            "assistance_status": assistance,
            "born_abroad": born_abroad,
            "newcomer": newcomer,
            "occupations": occupations,
            "fields": {
                "email": f"{email_name}@example.org" if rng.random() < 0.7 else "",
                # PTS reserves 070-174 06 05 … 99 for fiction: never a real person's number.
                "phone": f"070-174 06 {rng.randint(5, 99):02d}",
                "address": f"{self.fake.street_name()} {rng.randint(1, 60)}",
                "postal_code": f"{spec.postal_prefix}{rng.randint(0, 9)}",
                "city": spec.town,
                "languages": languages,
                "protected_identity": protected,
                "target_groups": [target_group],
                "work_capacity": capacity,
            },
        }

    def reason_text(self, person: dict) -> str:
        occupation = OCCUPATION_NAMES[person["occupations"][0][0]]
        return REFERRAL_REASONS[person["target_group"]].format(occupation=occupation)

    # --- mapping ------------------------------------------------------------------------------------------
    def mapping_values(self, person: dict, target: str) -> dict:
        """Draw mapping answers until the assessment gives the target tier (bounded, deterministic)."""
        rng = self.rng
        capacity = person["fields"]["work_capacity"]
        for _attempt in range(60):
            if person["born_abroad"]:
                swedish = rng.choice(
                    [
                        SwedishLevel.NONE,
                        SwedishLevel.SFI_A,
                        SwedishLevel.SFI_B,
                        SwedishLevel.SFI_C,
                        SwedishLevel.SFI_D,
                    ]
                    if person["newcomer"]
                    else [SwedishLevel.SFI_C, SwedishLevel.SFI_D, SwedishLevel.OTHER, SwedishLevel.OTHER]
                )
            else:
                swedish = SwedishLevel.NATIVE
            if target == Tier.A:
                education = rng.choice(
                    [EducationLevel.UPPER_SECONDARY, EducationLevel.POST_SECONDARY, EducationLevel.UNIVERSITY]
                )
                months = rng.choice([None, 2, 5, 8, 11]) if rng.random() < 0.2 else rng.randint(1, 11)
                obstacles = [] if rng.random() < 0.8 else [rng.choice([Obstacle.CHILDCARE, Obstacle.HOUSING])]
            elif target == Tier.B:
                education = rng.choice(
                    [EducationLevel.COMPULSORY, EducationLevel.UPPER_SECONDARY, EducationLevel.UNKNOWN]
                )
                months = rng.choice([None, 6, 14, 18, 30])
                obstacles = rng.sample(list(Obstacle.values), k=rng.choice([0, 1, 1]))
            else:
                education = rng.choice([EducationLevel.NONE, EducationLevel.COMPULSORY])
                months = rng.choice([None, 30, 48, 72])
                obstacles = rng.sample(list(Obstacle.values), k=rng.choice([1, 2, 2, 3]))
            months_on_assistance = rng.choice([3, 8, 14, 26, 40, 60])
            tier, _reasons = assess(
                education_level=education,
                swedish_level=swedish,
                months_without_work=months,
                work_capacity=capacity,
                obstacles=obstacles,
                months_on_assistance=months_on_assistance,
            )
            if tier == target:
                break
        occupation = OCCUPATION_NAMES[person["occupations"][0][0]]
        worked = months is not None
        return {
            "education_level": education,
            "education_note": "Utbildning från hemlandet, ej validerad." if person["born_abroad"] else "",
            "work_history": (
                f"Har arbetat som {occupation} i {rng.randint(1, 8)} år."
                if worked
                else "Ingen arbetslivserfarenhet."
            ),
            "months_without_work": months,
            "months_on_assistance": months_on_assistance,
            "wanted_occupations": [code for code, _name in person["occupations"]],
            "swedish_level": swedish,
            "other_languages": [lang for lang in person["fields"]["languages"] if lang != "sv"],
            "driving_licence": rng.choice(
                [DrivingLicence.NONE, DrivingLicence.NONE, DrivingLicence.B, DrivingLicence.HEAVY]
            ),
            "obstacles": obstacles,
            "obstacles_note": "Bedömt tillsammans med deltagaren vid första mötet." if obstacles else "",
            "work_capacity": capacity,
            "needs": f"Vill komma närmare arbete som {occupation}.",
        }

    # --- action plan --------------------------------------------------------------------------------------
    def plan_content(
        self, person: dict, mapping: Mapping, start: datetime.date, *, underfilled: bool
    ) -> dict:
        """Goals, activities adding up to a full week for the work capacity, and links to other plans."""
        rng = self.rng
        required = Decimal(40 * mapping.work_capacity) / 100
        occupation = OCCUPATION_NAMES[person["occupations"][0][0]]
        end = start + datetime.timedelta(weeks=rng.choice([8, 12, 16, 26]))
        low_swedish = mapping.swedish_level in (
            SwedishLevel.NONE,
            SwedishLevel.SFI_A,
            SwedishLevel.SFI_B,
            SwedishLevel.SFI_C,
        )
        if low_swedish and rng.random() < 0.8:
            sfi = min(Decimal(15), required / 2)
            parts = [
                ("sfi_studies", "SFI på förmiddagarna", sfi, None),
                (
                    "language_internship",
                    f"Språkpraktik på eftermiddagarna inom {occupation}",
                    required - sfi,
                    end,
                ),
            ]
            goals = f"Klara SFI kurs D och få arbete som {occupation} inom ett år."
        elif mapping.tier == Tier.A:
            first = rng.choice(
                [("job_matching", "Matchning mot lediga jobb"), ("recruitment_event", "Rekryteringsträffar")]
            )
            parts = [
                (*first, min(Decimal(8), required / 4), None),
                (
                    "job_internship",
                    f"Praktik som {occupation} med sikte på anställning",
                    required - min(Decimal(8), required / 4),
                    end,
                ),
            ]
            goals = f"Arbete som {occupation} inom tre månader."
        elif mapping.tier == Tier.B:
            first = rng.choice(
                [("preparatory", "CV och intervjuträning i grupp"), ("career_guidance", "Vägledning hos SYV")]
            )
            second = rng.choice(
                [
                    ("training_internship", f"Praktik som arbetsträning inom {occupation}"),
                    ("vocational_course", f"Förberedande yrkesutbildning mot {occupation}"),
                ]
            )
            head = min(Decimal(8), required / 4)
            parts = [(*first, head, end), (*second, required - head, end)]
            goals = f"Studier eller arbete som {occupation} inom sex månader."
        else:
            coaching = min(Decimal(4), required / 4)
            second = rng.choice(
                [
                    ("work_training", "Arbetsträning i stadens verksamhet"),
                    (
                        "supported_employment",
                        f"Supported Employment: placering inom {occupation} med stöd på plats",
                    ),
                ]
            )
            parts = [
                ("individual_coaching", "Individuell coachning varje vecka", coaching, None),
                (*second, required - coaching, end),
            ]
            goals = "Stärkt arbetsförmåga och en stabil vardag; nästa steg mot arbete om sex månader."
        if underfilled:
            parts = parts[:1]
        activities = [
            {
                "intervention_type": code,
                "description": text,
                "start_date": start,
                "end_date": until,
                "hours_per_week": hours.quantize(Decimal("0.5")),
            }
            for code, text, hours, until in parts
        ]
        other_plans = []
        if person["target_group"] == TargetGroup.NEWLY_ARRIVED:
            other_plans.append(
                {
                    "kind": OtherPlanKind.INTRODUCTION,
                    "reference": "Arbetsförmedlingen, etableringsplan",
                    "start_date": start - datetime.timedelta(days=90),
                    "end_date": end,
                }
            )
        if any(a["intervention_type"] == "sfi_studies" for a in activities):
            other_plans.append(
                {
                    "kind": OtherPlanKind.SFI_STUDY,
                    "reference": "SFI-studieplan, vuxenutbildningen",
                    "start_date": start,
                    "end_date": end,
                }
            )
        if person["target_group"] == TargetGroup.UNEMPLOYED_ON_ASSISTANCE and rng.random() < 0.4:
            other_plans.append(
                {"kind": OtherPlanKind.EMPLOYMENT_SERVICE, "reference": "Arbetsförmedlingens handlingsplan"}
            )
        return {"goals": goals, "activities": activities, "other_plans": other_plans}

    # --- time ---------------------------------------------------------------------------------------------
    def day(self, referral_date: datetime.date, working_days: int) -> datetime.date:
        return min(add_working_days(referral_date, working_days), self.base_day)

    def at(self, day: datetime.date, earliest: datetime.datetime | None = None) -> datetime.datetime:
        """A moment during office hours of `day`, never in the future, never before `earliest`."""
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(self.rng.randint(8, 15), self.rng.randint(0, 59)))
        )
        if earliest is not None and moment <= earliest:
            moment = earliest + datetime.timedelta(minutes=self.rng.randint(5, 90))
        return min(moment, self.now - datetime.timedelta(seconds=1))

    # --- one person through the flow ----------------------------------------------------------------------
    def run_case(self, *, person: dict, district_name: str, stage: str, tier: str | None) -> None:
        rng = self.rng
        _weight, low, high = STAGES[stage]
        ago = rng.randint(low, high)
        referral_date = self.base_day
        for _ in range(ago):
            referral_date -= datetime.timedelta(days=1)
            while not is_working_day(referral_date):
                referral_date -= datetime.timedelta(days=1)
        district = self.districts[district_name]
        caseworkers = self.caseworkers[district_name]
        caseworker = caseworkers[0] if rng.random() < 0.5 else rng.choice(caseworkers)
        chosen_unit = None
        if rng.random() < 0.03:
            chosen_unit = rng.choice([u for u in self.units.values() if u.pk != district.unit_id])
        # The participant login's district keeps district referrals only: its person shows the three-party
        # paths (a caseworker who decides, notices of absence), which an intake has not (ADR 0020).
        participant_districts = {d.district for d in DEMO_LOGINS if d.attachment == "participant"}
        intake_source = self.intake_source(stage)  # drawn for every case: the rest stays as it was
        if district.name in participant_districts:
            intake_source = None
        if intake_source is not None:
            self.run_intake(
                person=person,
                district=district,
                stage=stage,
                tier=tier,
                source=intake_source,
                referral_date=referral_date,
                ago=ago,
            )
            return
        referral = referral_services.referral_create(
            by=caseworker,
            personal_number=person["personal_number"],
            first_name=person["first_name"],
            last_name=person["last_name"],
            target_group=person["target_group"],
            reason=self.reason_text(person),
            assistance_status=person["assistance_status"],
            consent_given=True,
            referral_date=referral_date,
            chosen_unit=chosen_unit,
            **person["fields"],
        )
        unit_name = referral.unit.name
        self.result.participants_per_unit[unit_name] += 1
        coaches = self.coaches[unit_name]
        coach = coaches[0] if rng.random() < 0.5 else rng.choice(coaches)
        stamps: dict = {}

        if stage in ("received",):
            return
        if stage in ("returned", "resubmitted", "closed_returned"):
            referral_services.referral_return(referral=referral, by=coach, reason=rng.choice(RETURN_REASONS))
            if stage == "resubmitted":
                referral_services.referral_resubmit(
                    referral=referral, by=caseworker, comment="Kompletterat med läkarintyg och arbetsförmåga."
                )
            elif stage == "closed_returned":
                referral_services.referral_close(
                    referral=referral,
                    by=caseworker,
                    reason=CloseReason.REFERRED_ELSEWHERE,
                    comment="Hänvisad till Försäkringskassan och vården.",
                )
                stamps["closed_at"] = self.at(self.day(referral_date, rng.randint(3, 8)))
                Referral.objects.filter(pk=referral.pk).update(**stamps)
            return
        if stage == "closed_early":
            referral_services.referral_close(
                referral=referral,
                by=caseworker,
                reason=rng.choice([CloseReason.MOVED, CloseReason.NO_LONGER_ON_ASSISTANCE]),
            )
            Referral.objects.filter(pk=referral.pk).update(closed_at=self.at(self.day(referral_date, 1)))
            return

        # Accepted by a coach, now and then by the unit head who assigns a coach.
        if rng.random() < 0.15:
            referral_services.referral_accept(referral=referral, by=self.unit_heads[unit_name], coach=coach)
        else:
            referral_services.referral_accept(referral=referral, by=coach)
        self.after_acceptance(
            referral=referral,
            person=person,
            stage=stage,
            tier=tier,
            coach=coach,
            decider=caseworker,
            referral_date=referral_date,
            ago=ago,
            stamps=stamps,
        )

    # Sources of the people the units take in themselves, with weights: about one person in eight who gets
    # as far as acceptance comes from Arbetsförmedlingen, Försäkringskassan, on their own or another actor.
    INTAKE_SHARE = 0.12
    INTAKE_SOURCES = (
        (ReferralSource.EMPLOYMENT_SERVICE, 6),
        (ReferralSource.SOCIAL_INSURANCE, 2),
        (ReferralSource.SELF, 2),
        (ReferralSource.OTHER, 2),
    )
    INTAKE_OTHER_ACTORS = ("Kriminalvården", "Vårdcentralen", "Ungdomsmottagningen", "Frivården")
    INTAKE_STAGES_EXCLUDED = ("received", "returned", "resubmitted", "closed_returned", "closed_early")

    def intake_source(self, stage: str) -> str | None:
        """The source of an intake at the unit for this case, or None for a district referral."""
        rng = self.intake_rng
        if stage in self.INTAKE_STAGES_EXCLUDED or rng.random() >= self.INTAKE_SHARE:
            return None
        sources, weights = zip(*self.INTAKE_SOURCES, strict=True)
        return rng.choices(sources, weights)[0]

    def run_intake(self, *, person, district, stage, tier, source, referral_date, ago) -> None:
        """A person the unit takes in itself: registered by a coach (now and then by the unit head, who names
        the coach), accepted at once, no caseworker; the unit head decides the plan (ADR 0020)."""
        rng = self.rng
        unit_name = district.unit.name
        reason = self.reason_text(person)
        coaches = self.coaches[unit_name]
        coach = coaches[0] if rng.random() < 0.5 else rng.choice(coaches)
        head = self.unit_heads[unit_name]
        by = head if rng.random() < 0.15 else coach
        referral = referral_services.referral_intake(
            by=by,
            coach=coach if by == head else None,
            personal_number=person["personal_number"],
            first_name=person["first_name"],
            last_name=person["last_name"],
            district=district,
            source=source,
            source_other=self.intake_rng.choice(self.INTAKE_OTHER_ACTORS)
            if source == ReferralSource.OTHER
            else "",
            target_group=person["target_group"],
            reason=reason,
            assistance_status=AssistanceStatus.NONE,
            consent_given=True,
            referral_date=referral_date,
            **person["fields"],
        )
        self.result.participants_per_unit[unit_name] += 1
        self.result.intakes[source] += 1
        self.after_acceptance(
            referral=referral,
            person=person,
            stage=stage,
            tier=tier,
            coach=coach,
            decider=head,
            referral_date=referral_date,
            ago=ago,
            stamps={},
        )

    def after_acceptance(
        self, *, referral, person, stage, tier, coach, decider, referral_date, ago, stamps
    ) -> None:
        """The case from acceptance on: mapping, plan, decision (by `decider`: the caseworker, or the unit
        head for an intake), revision or exit."""
        rng = self.rng
        unit_name = referral.unit.name
        caseworker = decider
        accepted_at = self.at(self.day(referral_date, rng.choice([0, 0, 1])))
        stamps["accepted_at"] = accepted_at
        CoachChange.objects.filter(referral=referral).update(at=accepted_at)  # the coach came with acceptance
        if stage == "accepted":
            Referral.objects.filter(pk=referral.pk).update(**stamps)
            return

        mapper = self.counsellors[unit_name] if rng.random() < 0.2 else coach
        mapping = plan_services.mapping_save(
            referral=referral, by=mapper, **self.mapping_values(person, tier)
        )
        self.result.tiers[mapping.tier] += 1
        if stage in ("mapped", "closed_interrupted"):
            if stage == "closed_interrupted":
                self.market_seeder.before_close(referral, coach)
                closer = rng.choice([coach, caseworker])
                referral_services.referral_close(
                    referral=referral,
                    by=coach if referral.is_intake else closer,
                    reason=rng.choice(
                        [CloseReason.INTERRUPTED, CloseReason.OTHER_SUPPORT, CloseReason.MOVED]
                    ),
                )
                stamps["closed_at"] = self.at(self.day(referral_date, rng.randint(4, ago)), accepted_at)
            Referral.objects.filter(pk=referral.pk).update(**stamps)
            return

        plan = plan_services.plan_for_referral(referral=referral, by=coach)
        start = add_working_days(referral_date, rng.randint(4, 7))
        content = self.plan_content(
            person, mapping, start, underfilled=stage == "plan_draft" and rng.random() < 0.4
        )
        plan_services.plan_save_draft(plan=plan, by=coach, version=None, **content)
        if stage == "plan_draft":
            Referral.objects.filter(pk=referral.pk).update(**stamps)
            return

        # Decision day: in time = within the 5th working day after the referral, late = after it.
        if stage == "approved_late":
            decide_k = rng.randint(6, min(ago, 15))
        elif stage == "approved_in_time":
            decide_k = rng.randint(1, min(ago, 5))
        elif stage in ("plan_revising", "closed_after_plan"):
            decide_k = rng.randint(1, 5) if rng.random() < 0.75 else rng.randint(6, 10)
        else:
            decide_k = rng.randint(1, max(1, ago))
        decide_day = self.day(referral_date, decide_k)
        versions: list[tuple[PlanVersion, str]] = []

        returned_first = stage == "plan_returned" or (stage == "approved_late" and rng.random() < 0.5)
        if returned_first:
            first = plan_services.plan_propose(plan=plan, by=coach, version=None)
            plan_services.plan_return(
                plan=plan, by=caseworker, version=None, comment=rng.choice(PLAN_RETURN_COMMENTS)
            )
            versions.append((first, "returned"))
            if stage == "plan_returned":
                self._stamp(referral, plan, stamps, versions, decide_day)
                return
            plan_services.plan_save_draft(plan=plan, by=coach, version=None, **content)
        proposed = plan_services.plan_propose(plan=plan, by=coach, version=None)
        if stage == "plan_proposed":
            versions.append((proposed, "proposed"))
            self._stamp(referral, plan, stamps, versions, decide_day)
            return
        plan_services.plan_approve(
            plan=plan, by=caseworker, version=None, comment="Godkänd vid trepartssamtal."
        )
        versions.append((proposed, "approved"))
        if stage == "plan_revising":
            revised = dict(content, goals=content["goals"] + " Reviderad efter uppföljning.")
            plan_services.plan_save_draft(plan=plan, by=coach, version=None, **revised)
        if stage == "closed_after_plan":
            self.market_seeder.before_close(referral, coach)
            close_k = rng.randint(decide_k + 3, max(decide_k + 3, ago))
            referral_services.referral_close(
                referral=referral,
                by=coach,
                reason=rng.choices(
                    [CloseReason.WORK, CloseReason.STUDIES, CloseReason.NO_LONGER_ON_ASSISTANCE], [6, 3, 1]
                )[0],
            )
            stamps["closed_at"] = self.at(self.day(referral_date, close_k))
        self._stamp(referral, plan, stamps, versions, decide_day)

    def _stamp(self, referral, plan, stamps: dict, versions: list, decide_day: datetime.date) -> None:
        """Move the service's `now` stamps back to the case's own days (the one demo-only liberty)."""
        earliest = stamps.get("accepted_at")
        previous_day = max(referral.referral_date, decide_day - datetime.timedelta(days=2))
        for index, (version, outcome) in enumerate(versions):
            last = index == len(versions) - 1
            day = decide_day if last else previous_day
            proposed_at = self.at(day, earliest)
            decided_at = self.at(day, proposed_at) if outcome != "proposed" else None
            PlanVersion.objects.filter(pk=version.pk).update(proposed_at=proposed_at, decided_at=decided_at)
            earliest = decided_at or proposed_at
            if outcome == "approved":
                ActionPlan.objects.filter(pk=plan.pk).update(first_approved_at=decided_at)
        if "closed_at" in stamps and earliest is not None and stamps["closed_at"] < earliest:
            stamps["closed_at"] = earliest + datetime.timedelta(hours=1)
        if stamps:
            Referral.objects.filter(pk=referral.pk).update(**stamps)

    # --- the whole run ------------------------------------------------------------------------------------
    def run(self) -> SeedResult:
        role_groups_sync()  # the groups exist after migrate; this keeps a flushed test database working
        self.organisation()
        self.result = SeedResult(municipality=self.municipality)
        self.staff()
        from .market import MarketSeeder

        self.market_seeder = MarketSeeder(self)
        self.market_seeder.setup()
        n = self.participants
        districts = self._district_quota()
        stages = self._stage_quota()
        coordination = set(self.rng.sample(range(n), k=max(1, round(n * 0.04)))) if n else set()
        protected = set(self.rng.sample(range(n), k=max(1, round(n * 0.02)))) if n else set()
        tiers_needed = [Tier.A, Tier.B, Tier.C]  # the first mapped people cover every tier
        for index in range(n):
            person = self.person(
                district_name=districts[index],
                coordination=index in coordination,
                protected=index in protected,
            )
            tier = None
            if stages[index] in NEEDS_MAPPING:
                tier = (
                    tiers_needed.pop(0)
                    if tiers_needed
                    else self.rng.choices([Tier.A, Tier.B, Tier.C], [35, 40, 25])[0]
                )
            self.run_case(person=person, district_name=districts[index], stage=stages[index], tier=tier)
        self.participant_login()
        self.market()
        # Employers, vacancies and matches; exits, assistance months and last month's payment run; an
        # assignment (uppdrag) with its targets for the indicators.
        from jobbtorg.documents.demo import seed_documents
        from jobbtorg.identity.demo import seed_identity
        from jobbtorg.matching.demo import seed_matching
        from jobbtorg.payments.demo import seed_payments
        from jobbtorg.reporting.demo import seed_reporting

        seed_matching(municipality=self.municipality, rng=self.rng, today=self.today)
        seed_payments(municipality=self.municipality, rng=self.rng, today=self.today)
        seed_reporting(municipality=self.municipality, rng=self.rng, today=self.today)
        seed_identity(municipality=self.municipality, provider=self.logins["anordnare"].provider)
        seed_documents(municipality=self.municipality, today=self.today)
        self.partners()
        self.result.coordination_numbers = len(coordination)
        self.result.protected_identities = len(protected)
        self._count()
        return self.result

    def partners(self) -> None:
        """Issue 18: a partner organisation of each kind, the `forsakringskassan` login and people who
        consented to sharing with a partner (jobbtorg.partners.demo)."""
        from jobbtorg.partners.demo import seed_partners

        spec = next((d for d in DEMO_LOGINS if d.attachment == "partner_organisation"), None)
        login = None
        if spec is not None:
            self.usernames.add(spec.username)
            first, last = "Karin", "Lindqvist"
            login = User(
                username=spec.username,
                first_name=first,
                last_name=last,
                email=f"{spec.username}@demo.example.org",
                role=spec.role,
                municipality=self.municipality,
                title=spec.title,
                password=self.password_hash,
            )
        seed_partners(municipality=self.municipality, login=login, today=self.today)
        if login is not None:
            self.logins[spec.username] = login

    def market(self) -> None:
        """Issue 3: providers, authorisations, contracts, offerings, bookings, attendance, notices, choices
        and meetings (market.py), on top of the people."""
        from .market import market_summary

        self.market_seeder.run()
        self.result.market = market_summary(self.municipality)

    def _count(self) -> None:
        result = self.result
        result.participants_per_unit = Counter(
            {spec.name: result.participants_per_unit[spec.name] for spec in UNITS}
        )
        result.staff = Counter(
            User.objects.filter(municipality=self.municipality).values_list("role", flat=True)
        )
        referrals = Referral.objects.filter(unit__municipality=self.municipality)
        result.referrals = Counter({s: referrals.filter(status=s).count() for s in ReferralStatus.values})
        plans = ActionPlan.objects.filter(referral__in=referrals)
        result.plans = Counter({s: plans.filter(status=s).count() for s in PlanStatus.values})
        result.tiers = Counter(
            {t: Mapping.objects.filter(referral__in=referrals, tier=t).count() for t in Tier.values}
        )
        for plan in plans.filter(first_approved_at__isnull=False).select_related("referral"):
            if deadline.is_approved_in_time(
                due=plan.referral.plan_due_date, approved_at=plan.first_approved_at
            ):
                result.approved_in_time += 1
            else:
                result.approved_late += 1


def demo_exists() -> bool:
    return Municipality.objects.filter(code=MUNICIPALITY_CODE, name=MUNICIPALITY_NAME).exists()


def seed_demo(
    *, seed: int = DEFAULT_SEED, participants: int = DEFAULT_PARTICIPANTS, today: datetime.date | None = None
) -> SeedResult:
    """Create the demo municipality in one transaction. Raises if municipality code 0180 already exists.

    The notices the seeded attendance raises are history, not news: their e-mails to the caseworkers go to the
    dummy e-mail backend (nothing is sent or printed)."""
    if participants < 0:
        raise ValueError("participants must be zero or more")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            return _Seeder(seed=seed, participants=participants, today=today).run()


def demo_logins() -> list[tuple[DemoLogin, User | None]]:
    users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_LOGINS])}
    return [(login, users.get(login.username)) for login in DEMO_LOGINS]
