"""Issue 3 in the demo municipality: the provider market (requirements, providers, authorisations under
customer choice, procurement contracts), offerings and bookings, attendance with the quick feedback to social
services, provider choices and meetings — run after the people of `seed.py` exist, by `_Seeder.market()`.

As in `seed.py`, everything goes THROUGH THE SERVICES as the user who would do it: the administrator
registers providers and decides on applications, each provider's staff applies and reports attendance, a
coach of the person's unit books places, opens choices and records consent, the district caseworker
acknowledges notices. Created directly (there is no service for them): the requirement checklist and the
procurement contracts with their price lists, as an administrator enters them in the admin.

The liberties, all with queryset `.update()` and only here:
- applications were sent and decided in the past: Application.submitted_at and decided_at are moved back to
  a month before and the day the authorisation became valid (valid_from itself is a service argument);
- a choice opened "weeks ago": ChoiceRequest.opened_at and deadline are moved back before the choice is made
  or the default provider is assigned (the services then act on the moved deadline), and for choices made in
  the past ChoiceRequest.closed_at and Assignment.start_date are moved back to the day of the choice;
- the people whose referral `seed.py` closes after a mapping (stages closed_after_plan, closed_interrupted)
  choose a provider for individual coaching with their coach just before the close (choice_open/choice_make,
  `before_close`); closing ends the assignment today, and afterwards its dates are moved to the case's own
  days (ChoiceRequest.opened_at/closed_at/deadline, Assignment.start_date/end_date), so the comparison has
  results for some providers;
- Notice.created_at and acknowledged_at are moved to the afternoon of the reported day (and the next working
  day), so the caseworkers' inboxes read like a few weeks of work.
The notice e-mails are not sent: `seed_demo` runs with the dummy e-mail backend (the facts are old news).
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.attendance import perms as attendance_perms
from jobbtorg.attendance import services as attendance_services
from jobbtorg.attendance.constants import (
    AppointmentKind,
    AppointmentOutcome,
    AttendanceStatus,
    EventKind,
    ValidReason,
)
from jobbtorg.attendance.models import Appointment, AttendanceReport, Notice
from jobbtorg.interventions import services as intervention_services
from jobbtorg.interventions.constants import BookingStatus, DeliveredBy
from jobbtorg.interventions.models import Booking, InterventionType, Offering
from jobbtorg.participants import services as participant_services
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.plans import services as plan_services
from jobbtorg.plans.models import ActionPlan, Mapping
from jobbtorg.providers import services as provider_services
from jobbtorg.providers.constants import PriceUnit, ProviderKind
from jobbtorg.providers.models import (
    Application,
    Assignment,
    Authorisation,
    ChoiceRequest,
    Contract,
    ContractPrice,
    Provider,
    Requirement,
)
from jobbtorg.providers.selectors import authorisation_state
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.personal_numbers import luhn_digit
from jobbtorg.utils.workdays import add_working_days, is_working_day

ANORDNARE_PROVIDER = "Steg Framåt Arbetsintegrering AB (demo)"
GROUP_OFFERING = "Språkpraktik Kista"

# (text, intervention type code or None for every type)
REQUIREMENTS: tuple[tuple[str, str | None], ...] = (
    ("Godkänd för F-skatt (F-skattsedel)", None),
    ("Inga skulder hos Skatteverket eller Kronofogden", None),
    ("Kollektivavtal eller motsvarande villkor för de anställda", None),
    ("Handledare med relevant utbildning och erfarenhet av målgruppen", None),
    ("Rutiner för närvarorapportering samma dag, även ej rapporterade dagar", None),
    ("Hantering av personuppgifter enligt GDPR (personuppgiftsbiträdesavtal)", None),
    ("Coacher med minst två års erfarenhet av individuell coachning", "individual_coaching"),
    ("Nätverk av arbetsgivare i Stockholms län", "job_matching"),
)


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    number9: str  # the organisation number without its check digit (computed: valid Luhn)
    kind: str
    address: str
    postal_area: str
    languages: tuple[str, ...]
    description: str
    staff_username: str = ""  # a fixed demo login (see seed.DEMO_LOGINS); "" gives a generated name


PROVIDERS: tuple[ProviderSpec, ...] = (
    # Steg Framåt comes first: seed.staff() registers it for the `anordnare` login (559999-9900).
    ProviderSpec(
        ANORDNARE_PROVIDER,
        "559999990",
        ProviderKind.COMPANY,
        "Hagagatan 3 (demo)",
        "Kista",
        ("sv", "en", "so", "ar"),
        "Språkpraktik, arbetsträning och coachning i Järva.",
        "anordnare",
    ),
    ProviderSpec(
        "Nya Vägar Coachning AB (demo)",
        "559999991",
        ProviderKind.COMPANY,
        "Storholmsgatan 12 (demo)",
        "Skärholmen",
        ("sv", "ar", "fa", "tr"),
        "Individuell coachning och matchning på fyra språk.",
        "anordnare2",
    ),
    ProviderSpec(
        "Framtidsverkstaden ekonomisk förening (demo)",
        "769999990",
        ProviderKind.NON_PROFIT,
        "Tensta allé 8 (demo)",
        "Spånga",
        ("sv", "so", "ti", "ar"),
        "Social ekonomi: arbetsträning i snickeri och café, coachning.",
    ),
    ProviderSpec(
        "Stiftelsen Arbetsbron (demo)",
        "802999990",
        ProviderKind.NON_PROFIT,
        "Götgatan 40 (demo)",
        "Stockholm",
        ("sv", "en", "es", "pl"),
        "Coachning och matchning för personer långt från arbetsmarknaden.",
    ),
    ProviderSpec(
        "Språkbron Utbildning AB (demo)",
        "559999992",
        ProviderKind.COMPANY,
        "Farsta torg 5 (demo)",
        "Farsta",
        ("sv", "ar", "fa", "bs"),
        "Språkpraktik med yrkessvenska.",
    ),
    ProviderSpec(
        "Jobbmatch Stockholm AB (demo)",
        "559999993",
        ProviderKind.COMPANY,
        "Vasagatan 11 (demo)",
        "Stockholm",
        ("sv", "en"),
        "Matchning mot arbetsgivare i handel, lager och vård.",
    ),
    ProviderSpec(
        "Arbetsträningsenheten, Stockholms stad (demo)",
        "212999990",
        ProviderKind.CITY_UNIT,
        "Liljeholmsvägen 18 (demo)",
        "Hägersten",
        ("sv", "en"),
        "Stadens egen arbetsträning i parker, lokalvård och kök.",
    ),
)

# Customer choice (LOV): (provider index, type, capacity, outcome) — outcome: in_force, suspended, revoked,
# rejected, pending.
APPLICATIONS: tuple[tuple[int, str, int | None, str], ...] = (
    (0, "individual_coaching", 40, "in_force"),
    (1, "individual_coaching", 30, "in_force"),
    (2, "individual_coaching", 25, "in_force"),
    (3, "individual_coaching", None, "in_force"),
    (4, "individual_coaching", 20, "revoked"),
    (5, "individual_coaching", None, "rejected"),
    (5, "job_matching", 40, "in_force"),
    (0, "job_matching", 25, "in_force"),
    (3, "job_matching", 20, "in_force"),
    (1, "job_matching", 20, "suspended"),
    (2, "job_matching", 15, "pending"),
)
REJECTED_REQUIREMENT = "Kollektivavtal eller motsvarande villkor för de anställda"

# Procurement contracts (LOU): provider index, reference, volume, [(type, unit, price)]
CONTRACTS = (
    (
        0,
        "LOU 2025/114 (demo)",
        60,
        [
            ("language_internship", PriceUnit.PER_MONTH, "6500"),
            ("work_training", PriceUnit.PER_MONTH, "7200"),
        ],
    ),
    (
        2,
        "LOU 2025/115 (demo)",
        30,
        [
            ("work_training", PriceUnit.PER_MONTH, "6900"),
            ("language_internship", PriceUnit.PER_MONTH, "6300"),
        ],
    ),
    (4, "LOU 2025/116 (demo)", 40, [("language_internship", PriceUnit.PER_PARTICIPANT, "24000")]),
    (6, "IÖK 2025/7 (demo)", 50, [("work_training", PriceUnit.PER_HOUR, "95")]),
)


@dataclass(frozen=True)
class OfferingSpec:
    key: str
    name: str
    type_code: str
    provider: int | None  # index in PROVIDERS; None: delivered by the Jobbtorg unit `unit`
    capacity: int
    hours: str
    place: str
    languages: tuple[str, ...]
    unit: str = ""
    people: int = 0  # how many to book (more than the capacity: a waiting list)


OFFERINGS: tuple[OfferingSpec, ...] = (
    OfferingSpec(
        "group",
        GROUP_OFFERING,
        "language_internship",
        0,
        10,
        "25",
        "Hagagatan 3, Kista (demo)",
        ("sv", "so", "ar"),
        people=8,
    ),
    OfferingSpec(
        "tensta",
        "Arbetsträning Snickeriet Tensta",
        "work_training",
        2,
        6,
        "30",
        "Tensta allé 8 (demo)",
        ("sv", "so", "ti"),
        people=4,
    ),
    OfferingSpec(
        "full",
        "Språkpraktik Farsta",
        "language_internship",
        4,
        3,
        "20",
        "Farsta torg 5 (demo)",
        ("sv", "ar", "fa"),
        people=5,
    ),
    OfferingSpec(
        "city",
        "Arbetsträning Parker och kök",
        "work_training",
        6,
        8,
        "30",
        "Liljeholmsvägen 18 (demo)",
        ("sv",),
        people=4,
    ),
    OfferingSpec(
        "coaching_nv",
        "Coachning Skärholmen",
        "individual_coaching",
        1,
        15,
        "4",
        "Storholmsgatan 12 (demo)",
        ("sv", "ar", "fa", "tr"),
        people=4,
    ),
    OfferingSpec(
        "matching",
        "Matchning handel och lager",
        "job_matching",
        5,
        20,
        "8",
        "Vasagatan 11 (demo)",
        ("sv", "en"),
        people=3,
    ),
    OfferingSpec(
        "training_sf",
        "Arbetsträning Kista",
        "work_training",
        0,
        6,
        "30",
        "Hagagatan 3, Kista (demo)",
        ("sv", "en"),
        people=2,
    ),
    OfferingSpec(
        "unit_coaching",
        "Individuell coachning Järva",
        "individual_coaching",
        None,
        30,
        "4",
        "Kistagången 2 (demo)",
        ("sv", "en", "so"),
        unit="Jobbtorg Järva",
        people=3,
    ),
    OfferingSpec(
        "unit_sfi",
        "SFI-test Järva",
        "sfi_test",
        None,
        12,
        "3",
        "Kistagången 2 (demo)",
        ("sv",),
        unit="Jobbtorg Järva",
        people=2,
    ),
    OfferingSpec(
        "unit_coaching_sv",
        "Individuell coachning Sydväst",
        "individual_coaching",
        None,
        25,
        "4",
        "Skärholmsvägen 10 (demo)",
        ("sv", "ar"),
        unit="Jobbtorg Sydväst",
        people=2,
    ),
)

ABSENCE_NOTES = ["Kom inte och hörde inte av sig.", "Ingen kontakt under dagen.", ""]
INTERRUPTION_REASON = "Har slutat komma sedan tre dagar och svarar inte i telefon; avbrott enligt rutin."


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


class MarketSeeder:
    """Runs on a `seed._Seeder` after its people exist (uses its rng, clock, users and result)."""

    def __init__(self, seeder):
        self.s = seeder
        self.rng = seeder.rng
        self.today = seeder.today
        self.admin = seeder.logins["admin"]
        self.this_monday = monday_of(self.today)
        self.types = {t.code: t for t in InterventionType.objects.all()}
        self.used: set = set()  # participants with a provider place (one each keeps the demo readable)

    # --- helpers ------------------------------------------------------------------------------------------
    def moment(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def coach_of(self, referral: Referral):
        if referral.coach_id and referral.coach.is_job_coach:
            return referral.coach
        return self.s.coaches[referral.unit.name][0]

    def days_ago(self, n: int) -> datetime.date:
        return self.today - datetime.timedelta(days=n)

    # --- the market ---------------------------------------------------------------------------------------
    def requirements(self) -> None:
        for order, (text, code) in enumerate(REQUIREMENTS):
            Requirement.objects.create(
                municipality=self.s.municipality,
                intervention_type=self.types[code] if code else None,
                text=text,
                order=order,
            )

    def providers(self, first: Provider) -> None:
        self.providers_list: list[Provider] = [first]
        self.provider_staff: dict[int, object] = {first.pk: self.s.logins["anordnare"]}
        for spec in PROVIDERS[1:]:
            provider = provider_services.provider_create(
                municipality=self.s.municipality,
                name=spec.name,
                organisation_number=f"{spec.number9}{luhn_digit(spec.number9)}",
                by=self.admin,
                kind=spec.kind,
                address=spec.address,
                postal_area=spec.postal_area,
                languages=list(spec.languages),
                description=spec.description,
                contact_phone=f"08-123 45 {len(self.providers_list) + 10:02d}",
            )
            self.providers_list.append(provider)
            staff = self.s._user(
                role=Role.PROVIDER_STAFF,
                username=spec.staff_username,
                title="Handledare hos anordnare",
                provider=provider,
            )
            if spec.staff_username:
                self.s.logins[spec.staff_username] = staff
            self.provider_staff[provider.pk] = staff
        # A second supervisor at Steg Framåt (a generated name).
        self.s._user(role=Role.PROVIDER_STAFF, title="Språkhandledare", provider=first)

    def authorisations(self) -> None:
        valid_from = self.days_ago(self.rng.randint(300, 400))
        for index, code, capacity, outcome in APPLICATIONS:
            provider = self.providers_list[index]
            staff = self.provider_staff[provider.pk]
            intervention_type = self.types[code]
            checklist = provider_services.requirements_for(
                municipality=self.s.municipality, intervention_type=intervention_type
            )
            answers = {
                r.pk: (
                    outcome != "rejected" or r.text != REJECTED_REQUIREMENT,
                    "Intyg bifogat." if r.order == 0 else "",
                )
                for r in checklist
            }
            application = provider_services.application_submit(
                provider=provider, intervention_type=intervention_type, answers=answers, by=staff
            )
            if outcome == "pending":
                submitted = self.days_ago(self.rng.randint(2, 9))
                Application.objects.filter(pk=application.pk).update(submitted_at=self.s.at(submitted))
                continue
            day = valid_from + datetime.timedelta(days=self.rng.randint(0, 60))
            if outcome == "rejected":
                provider_services.application_decide(
                    application=application,
                    approve=False,
                    reason="Kollektivavtal eller motsvarande villkor saknas; ansök igen när det finns.",
                    by=self.admin,
                )
                self._backdate(application, self.days_ago(self.rng.randint(20, 60)))
                continue
            authorisation = provider_services.application_decide(
                application=application,
                approve=True,
                reason="Alla krav uppfyllda enligt bifogade intyg.",
                by=self.admin,
                valid_from=day,
                capacity=capacity,
            )
            self._backdate(application, day)
            if outcome == "suspended":
                provider_services.authorisation_suspend(
                    authorisation=authorisation,
                    start_date=self.days_ago(7),
                    end_date=self.today + datetime.timedelta(days=60),
                    reason="Brister i närvarorapporteringen; avstängd till dess rutinen är åtgärdad.",
                    by=self.admin,
                )
            elif outcome == "revoked":
                provider_services.authorisation_revoke(
                    authorisation=authorisation,
                    on=self.days_ago(30),
                    reason="Upprepade allvarliga brister i uppföljningen; återkallad efter utredning.",
                    by=self.admin,
                )

    def _backdate(self, application, decided: datetime.date) -> None:
        """The application was sent about a month before the decision (see the liberties above)."""
        submitted = decided - datetime.timedelta(days=self.rng.randint(14, 40))
        Application.objects.filter(pk=application.pk).update(
            submitted_at=self.s.at(submitted), decided_at=self.s.at(decided)
        )

    def contracts(self) -> None:
        start = self.days_ago(200)
        for index, reference, volume, prices in CONTRACTS:
            contract = Contract(
                provider=self.providers_list[index],
                reference=reference,
                start_date=start,
                end_date=start + datetime.timedelta(days=730),
                volume=volume,
            )
            contract.full_clean()
            contract.save()
            contract.intervention_types.set([self.types[code] for code, _unit, _amount in prices])
            for code, unit, amount in prices:
                ContractPrice.objects.create(
                    contract=contract, intervention_type=self.types[code], unit=unit, amount=Decimal(amount)
                )

    def offerings(self) -> None:
        self.offering_by_key: dict[str, Offering] = {}
        for spec in OFFERINGS:
            provider = self.providers_list[spec.provider] if spec.provider is not None else None
            staff = self.provider_staff[provider.pk] if provider else None
            self.offering_by_key[spec.key] = intervention_services.offering_create(
                by=self.admin,
                intervention_type=self.types[spec.type_code],
                name=spec.name,
                delivered_by=DeliveredBy.PROVIDER if provider else DeliveredBy.JOBBTORG,
                provider=provider,
                unit=self.s.units[spec.unit] if spec.unit else None,
                start_date=self.this_monday - datetime.timedelta(weeks=8),
                end_date=self.this_monday + datetime.timedelta(weeks=26, days=4),
                hours_per_week=Decimal(spec.hours),
                capacity=spec.capacity,
                place=spec.place,
                languages=list(spec.languages),
                contact=f"{staff.get_full_name()}, {staff.email}" if staff else spec.unit,
            )

    # --- people -------------------------------------------------------------------------------------------
    def candidates(self) -> list[Referral]:
        """Accepted referrals, those with an approved plan first (shuffled within each group, seeded)."""
        referrals = list(
            Referral.objects.filter(unit__municipality=self.s.municipality, status=ReferralStatus.ACCEPTED)
            .select_related("participant", "district", "unit", "coach")
            .order_by("participant__personal_number")
        )
        approved = set(
            ActionPlan.objects.filter(referral__in=referrals, first_approved_at__isnull=False).values_list(
                "referral_id", flat=True
            )
        )
        first = [r for r in referrals if r.pk in approved]
        rest = [r for r in referrals if r.pk not in approved]
        self.rng.shuffle(first)
        self.rng.shuffle(rest)
        return first + rest

    def take(self, pool: list[Referral], n: int, *, district: str = "", unit: str = "") -> list[Referral]:
        taken = []
        for referral in pool:
            if len(taken) == n:
                break
            if referral.participant_id in self.used:
                continue
            if district and referral.district.name != district:
                continue
            if unit and referral.unit.name != unit:
                continue
            taken.append(referral)
            self.used.add(referral.participant_id)
        return taken

    def consent(self, referral: Referral, day: datetime.date) -> None:
        participant_services.consent_record(
            participant=referral.participant,
            status=ConsentStatus.GIVEN,
            by=self.coach_of(referral),
            scope=ConsentScope.JOBBTORG_PROVIDER,
            effective_date=day,
            note="Samtycke inhämtat muntligt och skriftligt vid bokningen.",
        )

    def book(self, offering: Offering, referral: Referral, start: datetime.date) -> Booking:
        plan = ActionPlan.objects.filter(referral=referral).first()
        activity = (
            plan.activities.filter(intervention_type=offering.intervention_type).first() if plan else None
        )
        return intervention_services.booking_create(
            offering=offering,
            referral=referral,
            by=self.coach_of(referral),
            start_date=max(start, referral.referral_date),
            plan_activity=activity,
        )

    def bookings(self) -> None:
        pool = self.candidates()
        deltagare = self.s.logins.get("deltagare")
        if deltagare is not None:
            self.used.add(deltagare.participant_id)
        self.booked: dict[str, list[Booking]] = {}
        # A person of Rinkeby-Kista in the group (an absence the demo user reports reaches `handlaggare`) and
        # one in another provider's offering (an open notice is waiting for `handlaggare`).
        group_rk = self.take(pool, 1, district="Rinkeby-Kista")
        tensta_rk = self.take(pool, 1, district="Rinkeby-Kista")
        group_start = self.this_monday - datetime.timedelta(weeks=2)
        earlier_start = self.this_monday - datetime.timedelta(weeks=4)
        for spec in OFFERINGS:
            offering = self.offering_by_key[spec.key]
            if spec.key == "group":
                chosen = group_rk + self.take(pool, spec.people - len(group_rk), unit="Jobbtorg Järva")
                chosen += self.take(pool, spec.people - len(chosen))
                start = group_start
            elif spec.key == "tensta":
                chosen = tensta_rk + self.take(pool, spec.people - len(tensta_rk))
                start = earlier_start
            elif spec.unit:
                chosen = [
                    r
                    for r in pool
                    if r.unit.name == spec.unit
                    and (deltagare is None or r.participant_id != deltagare.participant_id)
                ][: spec.people]
                start = self.this_monday - datetime.timedelta(weeks=1)
            else:
                chosen = self.take(pool, spec.people)
                start = earlier_start
            bookings = []
            for index, referral in enumerate(chosen):
                # The provider sees a person only with consent to share between the Jobbtorg and providers:
                # most give it; the last one booked into the group does not (and stays hidden from it).
                no_consent = (spec.key == "group" and index == spec.people - 1) or (
                    spec.provider is not None and spec.key != "group" and self.rng.random() < 0.15
                )
                if spec.provider is not None and not no_consent:
                    self.consent(referral, max(start, referral.referral_date))
                bookings.append(self.book(offering, referral, start))
            self.booked[spec.key] = bookings
            if spec.key == "full":
                # People kept for the provider choices (choices()), before the other offerings take theirs.
                self.choice_people = self.take(pool, 10)
        if deltagare is not None:
            referral = (
                Referral.objects.filter(participant_id=deltagare.participant_id)
                .select_related("unit", "coach", "participant")
                .order_by("-referral_date")
                .first()
            )
            if referral is not None and referral.status == ReferralStatus.ACCEPTED:
                self.book(self.offering_by_key["unit_sfi"], referral, self.this_monday)

    # --- attendance ---------------------------------------------------------------------------------------
    def reporter(self, booking: Booking):
        offering = booking.offering
        if offering.provider_id:
            staff = self.provider_staff[offering.provider_id]
            if attendance_perms.can_report_for(staff, booking):
                return staff
        return self.coach_of(booking.referral)

    def report(self, booking: Booking, day: datetime.date, status: str, **extra) -> None:
        attendance_services.attendance_report(
            booking=booking,
            day=day,
            status=status,
            by=self.reporter(booking),
            hours=(booking.offering.hours_per_week / 5).quantize(Decimal("0.1"))
            if status == AttendanceStatus.PRESENT
            else None,
            **extra,
        )

    def ordinary_day(self, booking: Booking, day: datetime.date) -> None:
        """Present most days; now and then sick or at an interview (a valid absence)."""
        roll = self.rng.random()
        if roll < 0.06:
            self.report(
                booking,
                day,
                AttendanceStatus.ABSENT_VALID,
                valid_reason=ValidReason.SICK,
                note="Sjukanmälan på morgonen.",
            )
        elif roll < 0.09:
            self.report(
                booking,
                day,
                AttendanceStatus.ABSENT_VALID,
                valid_reason=ValidReason.INTERVIEW,
                note="Anställningsintervju.",
            )
        else:
            self.report(booking, day, AttendanceStatus.PRESENT)

    def attendance(self) -> None:
        yesterday = self.today - datetime.timedelta(days=1)
        previous_monday = self.this_monday - datetime.timedelta(weeks=1)
        # The `anordnare` group: the week before last reported in full, last week Monday to Wednesday (and not
        # everyone on Wednesday), this week not at all — the week grid and "not reported" have work to do. No
        # unexcused absence here: the walk-through lets the demo user report one.
        for booking in self.booked.get("group", []):
            if not attendance_perms.can_report_for(
                self.provider_staff[booking.offering.provider_id], booking
            ):
                continue  # no consent: the provider does not see the person; the coach has not reported yet
            last = min(previous_monday + datetime.timedelta(days=2), yesterday)
            if self.rng.random() < 0.3:
                last -= datetime.timedelta(days=1)
            for day in working_days(
                max(booking.start_date, self.this_monday - datetime.timedelta(weeks=2)), last
            ):
                self.ordinary_day(booking, day)

        # Other providers: every working day up to yesterday, with a handful of unexcused absences, one
        # person with three (a three-party meeting is proposed) and one interruption.
        others = [
            b
            for key in ("tensta", "full", "city", "coaching_nv", "matching", "training_sf")
            for b in self.booked.get(key, [])
            if b.status == BookingStatus.BOOKED
        ]
        absences: dict = {}
        if others:
            rinkeby = next(
                (b for b in self.booked.get("tensta", []) if b.referral.district.name == "Rinkeby-Kista"),
                None,
            )
            repeated = max(
                (b for b in others if b is not rinkeby),
                key=lambda b: (len(working_days(b.start_date, yesterday)), -others.index(b)),
                default=None,
            )
            for booking in others:
                days = working_days(booking.start_date, yesterday)
                if not days:
                    continue
                if booking is repeated:
                    picks = [days[i] for i in (-9, -6, -2) if len(days) >= 9]
                elif booking is rinkeby:
                    # An open notice for `handlaggare`: last week, not yet acknowledged.
                    last_week = [d for d in days if d >= previous_monday] or days
                    picks = [last_week[min(1, len(last_week) - 1)]]
                else:
                    picks = [self.rng.choice(days)] if self.rng.random() < 0.35 else []
                absences[booking.pk] = set(picks)
            interrupted = next(
                (
                    b
                    for b in reversed(others)
                    if b is not rinkeby and b is not repeated and not absences.get(b.pk)
                ),
                None,
            )
            for booking in others:
                days = working_days(booking.start_date, yesterday)
                stop = days[-4] if booking is interrupted and len(days) >= 8 else None
                for day in days:
                    if stop is not None and day >= stop:
                        attendance_services.attendance_event_record(
                            booking=booking,
                            kind=EventKind.INTERRUPTION,
                            day=stop,
                            reason=INTERRUPTION_REASON,
                            by=self.reporter(booking),
                        )
                        break
                    if day in absences.get(booking.pk, ()):
                        self.report(
                            booking,
                            day,
                            AttendanceStatus.ABSENT_UNEXCUSED,
                            note=self.rng.choice(ABSENCE_NOTES),
                        )
                    else:
                        self.ordinary_day(booking, day)
        self.repeated_referral = repeated.referral if others and repeated is not None else None

    def notices(self) -> None:
        """Older notices are acknowledged by the caseworker the next working day; last week's stay open."""
        previous_monday = self.this_monday - datetime.timedelta(weeks=1)
        notices = (
            Notice.objects.filter(district__municipality=self.s.municipality)
            .select_related("referral__caseworker")
            .order_by("date", "source_key")
        )
        for notice in notices:
            created = min(self.moment(notice.date, 16, self.rng.randint(0, 59)), self.s.now)
            Notice.objects.filter(pk=notice.pk).update(created_at=created)
            if notice.date >= previous_monday:
                continue
            attendance_services.notice_acknowledge(notice=notice, by=notice.referral.caseworker)
            acknowledged = min(
                self.moment(
                    add_working_days(notice.date, 1), self.rng.randint(8, 11), self.rng.randint(0, 59)
                ),
                self.s.now,
            )
            Notice.objects.filter(pk=notice.pk).update(acknowledged_at=acknowledged)

    # --- customer choice ----------------------------------------------------------------------------------
    def choices(self) -> None:
        coaching = self.types["individual_coaching"]
        matching = self.types["job_matching"]
        deltagare = self.s.logins.get("deltagare")
        if deltagare is not None:
            referral = (
                Referral.objects.filter(
                    participant_id=deltagare.participant_id, status=ReferralStatus.ACCEPTED
                )
                .select_related("unit", "coach")
                .first()
            )
            if referral is not None:
                provider_services.choice_open(
                    referral=referral, intervention_type=coaching, by=self.coach_of(referral), days=14
                )
        assigned = set(Assignment.objects.current().values_list("participant_id", "intervention_type_id"))

        def free(referral, intervention_type) -> bool:
            return (referral.participant_id, intervention_type.pk) not in assigned

        def opened(referral, intervention_type, *, days: int, ago: int) -> ChoiceRequest:
            choice = provider_services.choice_open(
                referral=referral, intervention_type=intervention_type, by=self.coach_of(referral), days=days
            )
            ChoiceRequest.objects.filter(pk=choice.pk).update(
                opened_at=self.s.at(self.days_ago(ago)),
                deadline=self.days_ago(ago) + datetime.timedelta(days=days),
            )
            choice.refresh_from_db()
            return choice

        people = self.choice_people
        for referral, intervention_type in zip(people[:3], (coaching, matching, coaching), strict=False):
            if free(referral, intervention_type):
                opened(referral, intervention_type, days=14, ago=self.rng.randint(1, 10))
        # Chosen with the coach in the past weeks.
        for referral in people[3:8]:
            intervention_type = coaching if self.rng.random() < 0.7 else matching
            if not free(referral, intervention_type):
                continue
            ago = self.rng.randint(8, 30)
            choice = opened(referral, intervention_type, days=14, ago=ago)
            allowed = [
                p
                for p in provider_services.authorised_providers(
                    municipality=self.s.municipality, intervention_type=intervention_type, on=self.today
                )
                if p.free_places is None or p.free_places > 0
            ]
            assignment = provider_services.choice_make(
                choice=choice, provider=self.rng.choice(allowed), by=self.coach_of(referral), with_coach=True
            )
            made = self.days_ago(ago - self.rng.randint(1, 6))
            ChoiceRequest.objects.filter(pk=choice.pk).update(closed_at=self.s.at(made))
            Assignment.objects.filter(pk=assignment.pk).update(start_date=made)
            if self.rng.random() < 0.8:
                self.consent(referral, made)
        # No choice by the deadline: the default provider by rotation (as the nightly job does today).
        for referral in people[8:10]:
            if not free(referral, coaching):
                continue
            choice = opened(referral, coaching, days=14, ago=15)
            provider_services.choice_assign_default(choice=choice, by=self.admin, today=self.today)
            self.consent(referral, self.today)

    def before_close(self, referral: Referral, coach) -> None:
        """Called by `seed.run_case` before it closes a referral that got as far as a mapping: the person
        had a provider for individual coaching (chosen with the coach), so the comparison has results — two
        providers above the minimum count (about 3 in 8 each of the finished people), the others "not enough
        data"."""
        if not self.coaching_in_force:
            return
        pattern = (0, 1, 0, 1, 2, 0, 1, 3)
        index = pattern[self.closed_count % len(pattern)]
        provider = self.coaching_in_force[min(index, len(self.coaching_in_force) - 1)]
        self.closed_count += 1
        coaching = self.types["individual_coaching"]
        choice = provider_services.choice_open(referral=referral, intervention_type=coaching, by=coach)
        provider_services.choice_make(choice=choice, provider=provider, by=coach, with_coach=True)

    def closed_results(self) -> None:
        """Closing the referral ended the assignment today; move it to the case's own days (see above)."""
        assignments = Assignment.objects.filter(
            provider__municipality=self.s.municipality, referral__status=ReferralStatus.CLOSED
        ).select_related("referral")
        for assignment in assignments:
            referral = assignment.referral
            accepted = timezone.localtime(referral.accepted_at)
            closed = timezone.localtime(referral.closed_at).date()
            started = min(accepted.date() + datetime.timedelta(days=3), closed)
            ChoiceRequest.objects.filter(pk=assignment.choice_id).update(
                opened_at=accepted, closed_at=accepted, deadline=accepted.date() + datetime.timedelta(days=14)
            )
            Assignment.objects.filter(pk=assignment.pk).update(start_date=started, end_date=closed)

    # --- meetings -----------------------------------------------------------------------------------------
    def appointments(self) -> None:
        pool = [r for r in self.candidates()]
        soon = [add_working_days(self.today, k) for k in (1, 2, 3, 5, 7)]
        past = []
        day = self.today
        while len(past) < 6:
            day -= datetime.timedelta(days=1)
            if is_working_day(day):
                past.append(day)
        deltagare = self.s.logins.get("deltagare")
        if deltagare is not None:
            referral = (
                Referral.objects.filter(
                    participant_id=deltagare.participant_id, status=ReferralStatus.ACCEPTED
                )
                .select_related("unit", "coach")
                .first()
            )
            if referral is not None:
                coach = self.coach_of(referral)
                done = self._meeting(referral, coach, AppointmentKind.INDIVIDUAL, past[3], 10)
                attendance_services.appointment_outcome_record(
                    appointment=done, outcome=AppointmentOutcome.ATTENDED, by=coach
                )
                self._meeting(referral, coach, AppointmentKind.INDIVIDUAL, soon[1], 10)
        # The three-party meeting proposed after repeated absence, booked by the coach.
        if self.repeated_referral is not None:
            referral = self.repeated_referral
            self._meeting(referral, self.coach_of(referral), AppointmentKind.THREE_PARTY, soon[2], 13)
        # The `anordnare` supervisor meets one of the group by video.
        staff = self.s.logins["anordnare"]
        for booking in self.booked.get("group", []):
            if attendance_perms.can_report_for(staff, booking):
                self._meeting(booking.referral, staff, AppointmentKind.INDIVIDUAL, soon[0], 9, video=True)
                break
        outcomes = [
            (AppointmentOutcome.ATTENDED, ""),
            (AppointmentOutcome.ATTENDED, ""),
            (AppointmentOutcome.EXCUSED, "Sjuk, ringde och meddelade på morgonen."),
            (AppointmentOutcome.CANCELLED, "Handläggaren fick förhinder; nytt möte bokas."),
            (AppointmentOutcome.NO_SHOW, ""),
        ]
        in_group = {b.participant_id for b in self.booked.get("group", [])}
        others = [
            r
            for r in pool
            if r.participant_id not in in_group
            and r.participant_id != getattr(deltagare, "participant_id", None)
        ]
        if not Notice.objects.filter(
            district__name="Rinkeby-Kista", district__municipality=self.s.municipality
        ).exists():
            # No absence of a Rinkeby-Kista person elsewhere: the no-show (5th) is one, for `handlaggare`.
            rk = next((r for r in others if r.district.name == "Rinkeby-Kista"), None)
            if rk is not None:
                others.remove(rk)
                others.insert(4, rk)
        interpreted = self._interpreter_case(others[len(outcomes) : 9])
        for index, referral in enumerate(others[:9]):
            coach = self.coach_of(referral)
            if referral is interpreted:
                self._needs_interpreter(referral, coach)
            if index < len(outcomes):
                outcome, reason = outcomes[index]
                kind = AppointmentKind.THREE_PARTY if index == 1 else AppointmentKind.INDIVIDUAL
                appointment = self._meeting(referral, coach, kind, past[index], 9 + index)
                attendance_services.appointment_outcome_record(
                    appointment=appointment, outcome=outcome, by=coach, reason=reason
                )
            else:
                kind = AppointmentKind.THREE_PARTY if index == len(outcomes) else AppointmentKind.INDIVIDUAL
                self._meeting(referral, coach, kind, soon[index - len(outcomes)], 14)

    def _interpreter_case(self, upcoming: list) -> Referral | None:
        """One person with an upcoming meeting who needs an interpreter (issue 17), so the worklist's
        "Möten utan tolk" shows it: preferably one of the demo coach's, with a mapping to record it on."""
        mapped = [r for r in upcoming if Mapping.objects.filter(referral=r).exists()]
        coach = self.s.logins.get("coach")
        mine = [r for r in mapped if coach is not None and self.coach_of(r) == coach]
        return (mine or mapped or [None])[0]

    def _needs_interpreter(self, referral, coach) -> None:
        mapping = Mapping.objects.get(referral=referral)
        spoken = [code for code in referral.participant.languages or [] if code not in ("sv", "en")]
        plan_services.mapping_save(
            referral=referral,
            by=coach,
            version=mapping.lock_version,
            interpreter_needed=True,
            interpreter_language=spoken[0] if spoken else "ar",
        )

    def _meeting(self, referral, by, kind, day, hour, *, video: bool = False) -> Appointment:
        starts = self.moment(day, hour, self.rng.choice([0, 30]))
        place = ""
        if not video:
            place = (
                by.provider.address if by.provider_id else f"{referral.unit.name}, {referral.unit.address}"
            )
        return attendance_services.appointment_create(
            referral=referral,
            by=by,
            kind=kind,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=60 if kind == AppointmentKind.THREE_PARTY else 45),
            place=place,
            video_link="https://video.example.org/demo-jobbtorg" if video else "",
        )

    # --- the whole run ------------------------------------------------------------------------------------
    def setup(self) -> None:
        """Before the people: the checklist, the providers, their authorisations and contracts."""
        first = Provider.objects.get(municipality=self.s.municipality, name=ANORDNARE_PROVIDER)
        self.requirements()
        self.providers(first)
        self.authorisations()
        self.contracts()
        self.coaching_in_force = sorted(
            provider_services.authorised_providers(
                municipality=self.s.municipality,
                intervention_type=self.types["individual_coaching"],
                on=self.today,
            ),
            key=lambda p: p.pk,
        )
        self.closed_count = 0

    def run(self) -> None:
        """After the people: offerings, bookings, attendance, notices, choices and meetings."""
        self.closed_results()
        self.offerings()
        self.bookings()
        self.attendance()
        self.choices()
        self.appointments()
        self.notices()


def market_summary(municipality) -> list[str]:

    def fmt(counter: Counter) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(counter.items()))

    providers = Provider.objects.filter(municipality=municipality)
    today = timezone.localdate()
    states = Counter(
        authorisation_state(a, today).code
        for a in Authorisation.objects.filter(provider__in=providers).prefetch_related("suspensions")
    )
    applications = Counter(
        Application.objects.filter(provider__in=providers).values_list("status", flat=True)
    )
    offerings = Offering.objects.filter(municipality=municipality)
    bookings = Booking.objects.filter(offering__in=offerings)
    full = offerings.filter(bookings__status=BookingStatus.WAITLISTED).distinct().count()
    reports = AttendanceReport.objects.filter(booking__in=bookings)
    notices = Notice.objects.filter(district__municipality=municipality)
    choices = ChoiceRequest.objects.filter(referral__unit__municipality=municipality)
    assignments = Assignment.objects.filter(provider__in=providers)
    appointments = Appointment.objects.filter(referral__unit__municipality=municipality)
    return [
        f"  providers {providers.count()} ({fmt(Counter(providers.values_list('kind', flat=True)))}); "
        f"contracts {Contract.objects.filter(provider__in=providers).count()}",
        f"  applications: {fmt(applications)}; authorisations: {fmt(states)}",
        f"  offerings {offerings.count()} ({full} full with a waiting list); bookings: "
        f"{fmt(Counter(bookings.values_list('status', flat=True)))}",
        f"  attendance reports: {fmt(Counter(reports.values_list('status', flat=True)))}; interruptions "
        f"{bookings.aggregate(n=Count('attendance_events'))['n']}",
        f"  notices: open {notices.filter(acknowledged_at__isnull=True).count()}, acknowledged "
        f"{notices.filter(acknowledged_at__isnull=False).count()} "
        f"({fmt(Counter(notices.values_list('kind', flat=True)))})",
        f"  provider choices: {fmt(Counter(choices.values_list('status', flat=True)))}; assignments: current "
        f"{assignments.filter(end_date__isnull=True).count()}, "
        f"ended {assignments.filter(end_date__isnull=False).count()}",
        f"  appointments: {fmt(Counter(appointments.values_list('outcome', flat=True)))}",
    ]
