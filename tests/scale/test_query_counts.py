"""Queries that do not grow: the main pages and endpoints run the same number of queries whether the unit has
a handful of people or many more, and whether one person has one booking or several (no N+1, lists paginated).

Each check measures a page after a first growth step and again after a second, larger one, and asserts the
counts are equal. `bench/query_counts.py` runs this file and prints the table of counts."""

import datetime as dt
import json
import os
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jobbtorg.attendance import services as attendance_services
from jobbtorg.attendance.constants import AppointmentKind, AttendanceStatus
from jobbtorg.attendance.models import Appointment
from jobbtorg.interventions import services as booking_services
from jobbtorg.interventions.models import InterventionType
from jobbtorg.journal import services as journal_services
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.plans.constants import PlanStatus, VersionStatus
from jobbtorg.plans.models import ActionPlan, PlanActivity, PlanVersion
from jobbtorg.utils.workdays import is_working_day

from ..factories import MappingFactory, OfferingFactory, ReferralFactory, provider_user
from ..matching.factories import EmployerFactory, VacancyFactory

pytestmark = pytest.mark.django_db
RESULTS_FILE = os.environ.get("JOBBTORG_QUERY_COUNTS_FILE")


class World:
    """One unit, one district, a provider offering, staff of each role, and people added in steps."""

    def __init__(self, *, caseworker, coach, unit_head):
        self.caseworker, self.coach, self.unit_head = caseworker, coach, unit_head
        self.unit = coach.unit
        self.offering = OfferingFactory(
            municipality=self.unit.municipality,
            capacity=500,
            start_date=timezone.localdate() - dt.timedelta(60),
        )
        self.provider_staff = provider_user(self.offering.provider)
        self.vacancy = VacancyFactory(employer=EmployerFactory(municipality=self.unit.municipality))
        self.people = []
        self.person = self.add_people(1)[0]
        begins = timezone.now() + dt.timedelta(
            days=2
        )  # the provider's own meeting: their start page lists it
        Appointment.objects.create(
            participant=self.person.participant,
            referral=self.person,
            organiser=self.provider_staff,
            provider=self.offering.provider,
            kind=AppointmentKind.INDIVIDUAL,
            starts_at=begins,
            ends_at=begins + dt.timedelta(hours=1),
            place="Anordnarens lokal",
        )

    def add_people(self, n: int) -> list:
        added = []
        for _ in range(n):
            referral = ReferralFactory(
                accepted=True,
                district=self.caseworker.district,
                participant__district=self.caseworker.district,
                caseworker=self.caseworker,
                coach=self.coach,
            )
            MappingFactory(referral=referral, participant=referral.participant)
            plan = ActionPlan.objects.create(
                referral=referral,
                participant=referral.participant,
                status=PlanStatus.APPROVED,
                goals="Arbete.",
                first_approved_at=timezone.now(),
            )
            activity = PlanActivity.objects.create(
                plan=plan,
                intervention_type=self.offering.intervention_type,
                start_date=timezone.localdate(),
                hours_per_week=Decimal(20),
            )
            version = PlanVersion.objects.create(
                plan=plan,
                number=1,
                status=VersionStatus.APPROVED,
                content={"goals": plan.goals, "activities": []},
                proposed_by=self.coach,
                decided_by=self.caseworker,
                decided_at=timezone.now(),
            )
            ActionPlan.objects.filter(pk=plan.pk).update(current_version=version)
            consent_record(
                participant=referral.participant,
                status="given",
                scope=ConsentScope.JOBBTORG_PROVIDER,
                by=self.caseworker,
            )
            self.add_history(referral, plan_activity=activity)
            added.append(referral)
        self.people += added
        return added

    def new_unit_offering(self):
        return OfferingFactory(
            municipality=self.unit.municipality,
            delivered_by="jobbtorg",
            provider=None,
            unit=self.unit,
            capacity=500,
            intervention_type=InterventionType.objects.get(code="individual_coaching"),
            start_date=timezone.localdate() - dt.timedelta(60),
        )

    def add_history(self, referral, *, plan_activity=None) -> None:
        """A booking with a week of attendance (one day absent: a notice), and a meeting with the coach."""
        start = timezone.localdate() - dt.timedelta(days=20)
        offering = self.offering if plan_activity else self.new_unit_offering()
        booking = booking_services.booking_create(
            offering=offering, referral=referral, by=self.coach, start_date=start, plan_activity=plan_activity
        )
        reporter = self.provider_staff if offering.provider_id else self.coach
        days = [
            start + dt.timedelta(days=i) for i in range(10) if is_working_day(start + dt.timedelta(days=i))
        ]
        for n, day in enumerate(days[:5]):
            status = AttendanceStatus.ABSENT_UNEXCUSED if n == 2 else AttendanceStatus.PRESENT
            attendance_services.attendance_report(booking=booking, day=day, status=status, by=reporter)
        journal_services.entry_write(
            referral=referral,
            kind="meeting",
            occurred_on=timezone.localdate(),
            body="Uppföljande möte.",
            by=self.coach,
            sign=True,
        )
        begins = timezone.now() + dt.timedelta(days=3)
        Appointment.objects.create(
            participant=referral.participant,
            referral=referral,
            organiser=self.coach,
            kind=AppointmentKind.INDIVIDUAL,
            starts_at=begins,
            ends_at=begins + dt.timedelta(hours=1),
            place="Jobbtorget",
        )


@pytest.fixture
def world(caseworker, coach, unit_head):
    return World(caseworker=caseworker, coach=coach, unit_head=unit_head)


def page_client(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


SQL_DETAILS: dict[str, list[str]] = {}


def count(client, url: str, name: str = "") -> int:
    client.get(url)  # warm: sessions, content types, translations
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    SQL_DETAILS.setdefault(name, []).append(
        [re.sub(r"'[^']*'|\b\d+\b|_sync_\d+", "?", q["sql"]) for q in ctx.captured_queries]
    )
    return len(ctx.captured_queries)


def repeated(name: str) -> list[str]:
    """The statements run more often after the growth: where the N+1 is."""
    before, after = (Counter(q) for q in SQL_DETAILS[name][-2:])
    return [f"{after[q] - before[q]}× {q[:300]}" for q in after if after[q] > before[q]]


def checks(world: World) -> list[tuple[str, object, str]]:
    person = world.person
    return [
        ("coach: worklist", world.coach, reverse("plans:worklist")),
        ("coach: person page", world.coach, reverse("participants:detail", args=[person.participant_id])),
        ("coach: referral page", world.coach, reverse("referrals:detail", args=[person.pk])),
        ("coach: mapping", world.coach, reverse("plans:mapping", args=[person.pk])),
        ("coach: action plan", world.coach, reverse("plans:plan", args=[person.pk])),
        ("coach: bookings of a person", world.coach, reverse("interventions:bookings", args=[person.pk])),
        ("coach: offerings", world.coach, reverse("interventions:offerings")),
        ("coach: journal of a person", world.coach, reverse("journal:person", args=[person.participant_id])),
        ("coach: a vacancy's candidates", world.coach, reverse("matching:vacancy", args=[world.vacancy.pk])),
        (
            "coach: offering (waiting list)",
            world.coach,
            reverse("interventions:offering", args=[world.offering.pk]),
        ),
        ("coach: appointments", world.coach, reverse("attendance:appointments")),
        ("caseworker: referrals", world.caseworker, reverse("referrals:list")),
        ("caseworker: plan inbox", world.caseworker, reverse("plans:inbox")),
        ("caseworker: notices", world.caseworker, reverse("attendance:notices")),
        (
            "caseworker: person page",
            world.caseworker,
            reverse("participants:detail", args=[person.participant_id]),
        ),
        ("provider: home", world.provider_staff, reverse("attendance:provider_home")),
        (
            "provider: attendance week",
            world.provider_staff,
            reverse("attendance:week", args=[world.offering.pk]),
        ),
        ("provider: not reported", world.provider_staff, reverse("attendance:unreported")),
        ("unit head: read log", world.unit_head, reverse("audit:reads")),
    ]


def api_checks(world: World) -> list[tuple[str, object, str]]:
    person = world.person
    return [
        ("API coach: participants", world.coach, "/api/participants/"),
        ("API coach: participant", world.coach, f"/api/participants/{person.participant_id}/"),
        ("API coach: referrals", world.coach, "/api/referrals/"),
        ("API coach: referral", world.coach, f"/api/referrals/{person.pk}/"),
        ("API coach: worklist", world.coach, "/api/worklist/"),
        ("API coach: plans", world.coach, "/api/plans/"),
        ("API coach: plan", world.coach, f"/api/plans/{person.plan.pk}/"),
        ("API coach: mapping", world.coach, f"/api/referrals/{person.pk}/mapping/"),
        ("API coach: bookings", world.coach, "/api/bookings/"),
        ("API coach: offerings", world.coach, "/api/offerings/"),
        ("API coach: appointments", world.coach, "/api/appointments/"),
        ("API caseworker: inbox", world.caseworker, "/api/inbox/"),
        ("API caseworker: notices", world.caseworker, "/api/notices/"),
        ("API provider: attendance", world.provider_staff, f"/api/attendance/?offering={world.offering.pk}"),
        ("API provider: not reported", world.provider_staff, "/api/attendance/unreported/"),
        ("API unit head: read log", world.unit_head, "/api/audit/reads/"),
    ]


def measure(world: World) -> dict[str, int]:
    result = {}
    for name, user, url in checks(world):
        result[name] = count(page_client(user), url, name)
    for name, user, url in api_checks(world):
        result[name] = count(api_client(user), url, name)
    return result


def test_query_counts_do_not_grow_with_the_data(world):
    world.add_people(4)
    small = measure(world)
    world.add_people(12)  # the unit's lists, the provider's week, the caseworker's inbox all grow
    for _ in range(3):  # and the one person gets more bookings, attendance and meetings
        world.add_history(world.person)
    large = measure(world)
    if RESULTS_FILE:
        with open(RESULTS_FILE, "w") as out:
            json.dump(
                {"people": [len(world.people) - 12, len(world.people)], "small": small, "large": large}, out
            )
    grown = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    details = {name: repeated(name) for name in grown}
    assert not grown, f"query counts grew with the data (before, after): {grown}; more often now: {details}"
