"""The demo municipality: organisation, every role, every stage of the flow, determinism, --if-empty."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import District, Municipality, Unit, User
from jobbtorg.attendance import selectors as attendance_selectors
from jobbtorg.attendance.constants import AppointmentOutcome, AttendanceStatus
from jobbtorg.attendance.models import Appointment, AttendanceEvent, AttendanceReport, Notice
from jobbtorg.audit.models import ChangeLog
from jobbtorg.demo import seed as demo
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.models import Participant
from jobbtorg.plans.constants import PlanStatus, Tier
from jobbtorg.plans.models import ActionPlan, Mapping, PlanVersion
from jobbtorg.providers.constants import ApplicationStatus, ChoiceStatus, ProviderKind
from jobbtorg.providers.models import (
    Application,
    Assignment,
    Authorisation,
    ChoiceRequest,
    Contract,
    Provider,
)
from jobbtorg.providers.selectors import authorisation_state, choice_comparison
from jobbtorg.providers.validators import organisation_number_normalize
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral, ReferralEvent
from jobbtorg.utils import personal_numbers

pytestmark = pytest.mark.django_db

SMALL = 40
TINY = 15  # one person per stage of the flow


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


class _Rollback(Exception):
    pass


def personal_numbers_after_seed(seed_value: int) -> dict[str, list[tuple]]:
    """The people, their bookings, attendance and providers. Seed in a transaction that is rolled back
    afterwards: each call starts from the same empty database."""
    collected: dict = {}
    try:
        with transaction.atomic():
            seed(seed=seed_value, participants=TINY)
            people = list(
                Participant.objects.order_by("personal_number").values_list(
                    "personal_number", "first_name", "district__name"
                )
            )
            market = list(
                Booking.objects.order_by("participant__personal_number", "offering__name").values_list(
                    "participant__personal_number", "offering__name", "status", "start_date"
                )
            )
            market += list(
                AttendanceReport.objects.order_by("participant__personal_number", "date").values_list(
                    "participant__personal_number", "date", "status"
                )
            )
            market += list(
                Assignment.objects.order_by(
                    "participant__personal_number", "intervention_type__code"
                ).values_list("participant__personal_number", "provider__name", "source")
            )
            collected = {"people": people, "market": market}
            raise _Rollback
    except _Rollback:
        pass
    assert not Municipality.objects.exists()
    return collected


@pytest.fixture
def seeded(db) -> str:
    return seed(participants=SMALL)


def test_demo_municipality(seeded):
    """One seed, checked from every side (seeding is the slow part)."""
    check_organisation_and_staff_of_every_role(seeded)
    check_demo_logins_are_fixed_and_share_the_password()
    check_every_stage_of_the_flow_through_the_services()
    check_plans_approved_in_time_and_late()
    check_identity_numbers()
    check_providers_and_authorisations(seeded)
    check_offerings_bookings_and_attendance()
    check_notices_choices_and_meetings()


def check_organisation_and_staff_of_every_role(output: str):
    municipality = Municipality.objects.get()
    assert (municipality.name, municipality.code) == ("Stockholms stad (demo)", "0180")
    assert set(Unit.objects.values_list("name", flat=True)) == {
        "Jobbtorg Järva",
        "Jobbtorg Sydost",
        "Jobbtorg Sydväst",
        "Jobbtorg Innerstaden",
        "Jobbtorg Västerort",
    }
    assert District.objects.count() == 14
    assert set(District.objects.filter(unit__name="Jobbtorg Järva").values_list("name", flat=True)) == {
        "Rinkeby-Kista",
        "Spånga-Tensta",
    }
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for district in District.objects.all():
        assert district.staff.filter(role=Role.CASEWORKER).exists(), district
    for unit in Unit.objects.all():
        roles = list(unit.staff.values_list("role", flat=True))
        assert 2 <= roles.count(Role.JOB_COACH) <= 3, unit
        for role in (Role.CAREER_COUNSELLOR, Role.MATCHER, Role.UNIT_HEAD):
            assert role in roles, (unit, role)
    assert "referrals by status" in output


def check_demo_logins_are_fixed_and_share_the_password():
    expected = {
        "handlaggare": (Role.CASEWORKER, None, "Rinkeby-Kista"),
        "coach": (Role.JOB_COACH, "Jobbtorg Järva", None),
        "syv": (Role.CAREER_COUNSELLOR, "Jobbtorg Järva", None),
        "matchare": (Role.MATCHER, "Jobbtorg Järva", None),
        "enhetschef": (Role.UNIT_HEAD, "Jobbtorg Järva", None),
        "analytiker": (Role.ANALYST, None, None),
        "admin": (Role.ADMINISTRATOR, None, None),
        "anordnare": (Role.PROVIDER_STAFF, None, None),
        "anordnare2": (Role.PROVIDER_STAFF, None, None),
    }
    for username, (role, unit, district) in expected.items():
        user = User.objects.select_related("unit", "district").get(username=username)
        assert user.role == role
        assert (user.unit.name if user.unit else None) == unit
        assert (user.district.name if user.district else None) == district
        assert user.check_password("demo-jobbtorg")
        assert user.groups.filter(name=role).exists()
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="anordnare").provider.name == "Steg Framåt Arbetsintegrering AB (demo)"
    assert User.objects.get(username="anordnare2").provider.name == "Nya Vägar Coachning AB (demo)"
    assert all(u.check_password(demo.PASSWORD) for u in User.objects.filter(is_integration=False))
    assert not any(u.has_usable_password() for u in User.objects.filter(is_integration=True))


def check_every_stage_of_the_flow_through_the_services():
    assert Participant.objects.count() == SMALL
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(ActionPlan.objects.values_list("status", flat=True)) == set(PlanStatus.values)
    assert set(Mapping.objects.values_list("tier", flat=True)) == set(Tier.values)
    assert Referral.objects.filter(status=ReferralStatus.ACCEPTED, mapping__isnull=True).exists()
    assert Referral.objects.filter(mapping__isnull=False, plan__isnull=True).exists()
    assert not Referral.objects.filter(status=ReferralStatus.CLOSED, close_reason="").exists()
    # The services left their trail: a history row and an audit entry for every referral.
    assert ReferralEvent.objects.filter(from_status="").count() == Referral.objects.count()
    assert ChangeLog.objects.filter(action="referral_created").count() == Referral.objects.count()
    assert (
        ChangeLog.objects.filter(action="plan_approved").count()
        == PlanVersion.objects.filter(status="approved").count()
    )
    # Referral dates spread over the last weeks; decisions never in the future.
    dates = list(Referral.objects.values_list("referral_date", flat=True))
    today = timezone.localdate()
    assert max(dates) <= today and (today - min(dates)).days >= 14
    assert not PlanVersion.objects.filter(decided_at__gt=timezone.now()).exists()


def check_plans_approved_in_time_and_late():
    in_time = late = 0
    for plan in ActionPlan.objects.filter(first_approved_at__isnull=False).select_related("referral"):
        approved_on = timezone.localtime(plan.first_approved_at).date()
        assert approved_on >= plan.referral.referral_date
        if approved_on <= plan.referral.plan_due_date:
            in_time += 1
        else:
            late += 1
        assert plan.current_version.decided_at == plan.first_approved_at or plan.status == PlanStatus.DRAFT
    assert in_time and late


def check_identity_numbers():
    """Valid numbers, some coordination numbers and protected identities; Järva about 30 %."""
    numbers = list(Participant.objects.values_list("personal_number", flat=True))
    assert all(personal_numbers.normalize(n) == n for n in numbers)
    assert any(personal_numbers.is_coordination_number(n) for n in numbers)
    assert Participant.objects.filter(protected_identity=True).exists()
    # Järva is the largest region, about 30 % of the people.
    jarva = Participant.objects.filter(district__unit__name="Jobbtorg Järva").count()
    assert 0.25 * SMALL <= jarva <= 0.4 * SMALL


def test_the_same_seed_gives_the_same_people():
    first = personal_numbers_after_seed(7)
    second = personal_numbers_after_seed(7)
    other = personal_numbers_after_seed(8)

    assert len(first["people"]) == TINY and first["market"]
    assert first == second
    assert first != other


def test_if_empty_does_nothing_the_second_time():
    seed(participants=TINY, if_empty=True)
    counts = (Participant.objects.count(), Referral.objects.count(), User.objects.count())

    output = seed(participants=TINY, if_empty=True)

    assert "not loaded again" in output
    assert (Participant.objects.count(), Referral.objects.count(), User.objects.count()) == counts


def test_demo_logins_command():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "No demo data" in out.getvalue()

    seed(participants=TINY)
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    for login in demo.DEMO_LOGINS:
        assert login.username in text
    assert "demo-jobbtorg" in text


def check_providers_and_authorisations(output: str):
    """Providers of every kind with valid numbers; authorisations in force, suspended and revoked; a rejected
    application with its reason; procurement contracts with a price list."""
    providers = list(Provider.objects.all())
    assert 6 <= len(providers) <= 8
    assert {p.kind for p in providers} == set(ProviderKind.values)
    for provider in providers:
        assert "(demo)" in provider.name
        assert organisation_number_normalize(provider.organisation_number) == provider.organisation_number
        assert provider.languages and provider.postal_area
        assert User.objects.filter(role=Role.PROVIDER_STAFF, provider=provider).exists(), provider
    today = timezone.localdate()
    states = {}
    for authorisation in Authorisation.objects.select_related("intervention_type"):
        states.setdefault(authorisation.intervention_type.code, []).append(
            authorisation_state(authorisation, today).code
        )
    assert states["individual_coaching"].count("in_force") >= 3
    assert states["job_matching"].count("in_force") >= 2
    every_state = [state for codes in states.values() for state in codes]
    assert {"in_force", "suspended", "revoked"} <= set(every_state)
    rejected = Application.objects.get(status=ApplicationStatus.REJECTED)
    assert rejected.decision_reason and rejected.answers.filter(fulfilled=False).exists()
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).exists()  # waiting for a decision
    contracted = {
        code
        for contract in Contract.objects.prefetch_related("prices__intervention_type")
        for code in contract.prices.values_list("intervention_type__code", flat=True)
    }
    assert {"language_internship", "work_training"} <= contracted
    assert "providers 7" in output and "authorisations:" in output


def check_offerings_bookings_and_attendance():
    """Offerings by units and providers, one full with a waiting list; the `anordnare` group with its last
    week partly reported and no unexcused absence; other providers' weeks with absences, one interruption."""
    offerings = Offering.objects.all()
    assert offerings.filter(provider__isnull=True, unit__isnull=False).exists()
    assert offerings.filter(provider__isnull=False).count() >= 5
    for offering in offerings:
        assert offering.booked_count == offering.bookings.filter(status=BookingStatus.BOOKED).count()
        assert offering.booked_count <= offering.capacity
    full = [o for o in offerings if o.bookings.filter(status=BookingStatus.WAITLISTED).exists()]
    assert full and all(o.booked_count == o.capacity for o in full)

    anordnare = User.objects.get(username="anordnare")
    visible = Participant.objects.visible_to(anordnare)
    assert visible.count() >= 6
    assert visible.filter(district__name="Rinkeby-Kista").exists()
    group = Offering.objects.get(name="Språkpraktik Kista", provider=anordnare.provider)
    in_group = visible.filter(bookings__offering=group, bookings__status=BookingStatus.BOOKED).distinct()
    assert in_group.count() >= 6 and in_group.filter(district__name="Rinkeby-Kista").exists()
    # Someone in the group gave no consent to share with providers: booked, but hidden from the provider.
    booked = Participant.objects.filter(bookings__offering=group, bookings__status=BookingStatus.BOOKED)
    assert booked.count() > in_group.count()
    assert not booked.exclude(pk__in=in_group).with_consent(ConsentScope.JOBBTORG_PROVIDER).exists()
    group_reports = AttendanceReport.objects.filter(booking__offering=group)
    assert group_reports.exists()
    assert not group_reports.filter(status=AttendanceStatus.ABSENT_UNEXCUSED).exists()
    today = timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    assert not group_reports.filter(date__gte=this_monday).exists()  # this week: for the demo user to report
    assert group_reports.filter(
        date__gte=this_monday - datetime.timedelta(days=7)
    ).exists()  # last week: partly
    assert attendance_selectors.unreported_days(user=anordnare)

    others = AttendanceReport.objects.exclude(booking__offering=group)
    assert others.filter(status=AttendanceStatus.ABSENT_UNEXCUSED).count() >= 3
    assert (
        others.filter(status=AttendanceStatus.PRESENT).count()
        > others.exclude(status=AttendanceStatus.PRESENT).count()
    )
    assert AttendanceEvent.objects.filter(kind="interruption").count() == 1
    assert not AttendanceReport.objects.filter(date__gt=today).exists()


def check_notices_choices_and_meetings():
    """Notices for caseworkers (some acknowledged, some open, one open for `handlaggare`); an open choice for
    the `deltagare` person; choices made, defaults by rotation, ended assignments; meetings."""
    notices = Notice.objects.all()
    assert notices.filter(kind="unexcused_absence").exists() and notices.filter(kind="interruption").exists()
    assert notices.filter(acknowledged_at__isnull=True).exists()
    assert notices.filter(acknowledged_at__isnull=False).exists()
    assert not notices.filter(created_at__gt=timezone.now()).exists()
    handlaggare = User.objects.get(username="handlaggare")
    assert attendance_selectors.notices_for(handlaggare, open_only=True).exists()

    deltagare = User.objects.get(username="deltagare")
    choice = ChoiceRequest.objects.get(participant=deltagare.participant, status=ChoiceStatus.OPEN)
    assert choice.intervention_type.code == "individual_coaching"
    assert choice.deadline > timezone.localdate()
    rows = choice_comparison(
        municipality=choice.referral.unit.municipality,
        intervention_type=choice.intervention_type,
        on=timezone.localdate(),
    )
    assert len(rows) >= 3 and any(row.can_choose for row in rows)
    assert ChoiceRequest.objects.filter(status=ChoiceStatus.CHOSEN).exists()
    assert ChoiceRequest.objects.filter(status=ChoiceStatus.DEFAULT_ASSIGNED).exists()
    assert Assignment.objects.filter(source="default_rotation").exists()
    ended = Assignment.objects.filter(end_date__isnull=False, referral__status=ReferralStatus.CLOSED)
    assert ended.exists()
    assert not Assignment.objects.filter(
        end_date__isnull=True, referral__status=ReferralStatus.CLOSED
    ).exists()

    appointments = Appointment.objects.all()
    now = timezone.now()
    assert appointments.filter(starts_at__gt=now, outcome=AppointmentOutcome.SCHEDULED).exists()
    assert appointments.filter(kind="three_party").exists()
    assert appointments.filter(outcome=AppointmentOutcome.NO_SHOW).exists()
    assert appointments.filter(participant=deltagare.participant, starts_at__gt=now).exists()
    assert not appointments.filter(starts_at__gt=now).exclude(outcome=AppointmentOutcome.SCHEDULED).exists()
    # an upcoming meeting with a person who needs an interpreter and has none booked (issue 17): the
    # worklist's "Möten utan tolk" has something to show in the demo
    lacking = Appointment.objects.lacking_interpreter(now)
    assert lacking.exists() and lacking.filter(referral__mapping__interpreter_needed=True).exists()
    assert not lacking.filter(participant=deltagare.participant).exists()
