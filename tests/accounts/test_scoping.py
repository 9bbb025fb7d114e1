"""Who sees whom: the one rule per model (`visible_to`), checked for what each role may and may not see."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.selectors import municipality_for_writes, municipality_id_of, sees_every_municipality
from jobbtorg.attendance.constants import AppointmentKind, EventKind, NoticeKind
from jobbtorg.attendance.models import (
    Appointment,
    AttendanceEvent,
    AttendanceReport,
    Notice,
    ReportedAbsence,
    ThreePartyMeeting,
)
from jobbtorg.audit import services as audit_services
from jobbtorg.followup.models import AssistanceMonth
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.journal.models import JournalEntry, Message
from jobbtorg.matching.models import Match, MatchEvent, RecruitmentAttendee, RecruitmentEvent
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.participants.models import Participant
from jobbtorg.participants.services import consent_record
from jobbtorg.plans.constants import OtherPlanKind, VersionStatus
from jobbtorg.plans.models import ActionPlan, OtherPlanLink, PlanVersion
from jobbtorg.providers.constants import ApplicationStatus, AssignmentSource
from jobbtorg.providers.models import Application, Assignment, Authorisation, ChoiceRequest
from jobbtorg.referrals.models import Referral, ReferralEvent

from ..factories import (
    ActionPlanFactory,
    DistrictFactory,
    MunicipalityFactory,
    OfferingFactory,
    ReferralFactory,
    UnitFactory,
    UserFactory,
    provider_user,
)
from ..matching.factories import EmployerFactory, VacancyFactory


@pytest.fixture
def city(db):
    north, south = UnitFactory(name="Jobbtorg Norr"), UnitFactory(name="Jobbtorg Söder")
    d_north = DistrictFactory(unit=north, name="Norrby")
    d_south = DistrictFactory(unit=south, name="Söderby")
    # A person of Norrby who chose Jobbtorg Söder
    chose_south = ReferralFactory(district=d_north, participant__district=d_north, unit=south)
    plan_north = ActionPlanFactory(referral__district=d_north, referral__participant__district=d_north)
    plan_south = ActionPlanFactory(referral__district=d_south, referral__participant__district=d_south)
    return {
        "north": north,
        "south": south,
        "d_north": d_north,
        "d_south": d_south,
        "chose_south": chose_south,
        "plan_north": plan_north,
        "plan_south": plan_south,
    }


def _people(user):
    return set(Participant.objects.visible_to(user))


def test_caseworker_sees_the_people_and_referrals_of_their_district_only(city):
    user = UserFactory(caseworker=True, district=city["d_north"])
    north_people = {city["chose_south"].participant, city["plan_north"].participant}
    assert _people(user) == north_people
    assert set(Referral.objects.visible_to(user)) == {city["chose_south"], city["plan_north"].referral}
    assert set(ActionPlan.objects.visible_to(user)) == {city["plan_north"]}


@pytest.mark.parametrize("role", ["coach", "counsellor", "matcher", "unit_head"])
def test_jobbtorg_staff_see_the_people_referred_to_their_unit(city, role):
    user = UserFactory(**{role: True}, unit=city["south"])
    assert _people(user) == {city["chose_south"].participant, city["plan_south"].participant}
    assert set(Referral.objects.visible_to(user)) == {city["chose_south"], city["plan_south"].referral}
    assert set(ActionPlan.objects.visible_to(user)) == {city["plan_south"]}


@pytest.mark.parametrize("role", ["analyst", "provider_staff", "administrator"])
def test_roles_without_individual_records_see_nobody(city, role):
    user = UserFactory(**{role: True})
    assert _people(user) == set()
    assert not Referral.objects.visible_to(user).exists()
    assert not ActionPlan.objects.visible_to(user).exists()


def test_inactive_or_roleless_users_see_nobody(city):
    inactive = UserFactory(caseworker=True, district=city["d_north"], is_active=False)
    roleless = UserFactory()
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for user in (inactive, roleless, superuser):
        assert _people(user) == set()


def test_role_groups_hold_the_coarse_permissions(db):
    caseworker = UserFactory(caseworker=True)
    coach = UserFactory(coach=True)
    assert caseworker.groups.get().name == Role.CASEWORKER
    assert caseworker.has_perm("plans.decide_actionplan") and not caseworker.has_perm(
        "plans.change_actionplan"
    )
    assert coach.has_perm("plans.change_actionplan") and not coach.has_perm("plans.decide_actionplan")
    assert not coach.has_perm("participants.view_protected_contact")


# Every model with personal data: what each role sees of its own side, and never of the other side -----------
#
# Two municipalities (A and B), each with a unit, a district, a provider and one person referred there with
# every kind of record: a booking, attendance, an interruption, a notice, meetings, a provider choice and
# assignment, consent, plan parts, a match, a recruitment event, an assistance month and a read-log entry.

SIDE_ROLES = ("caseworker", "coach", "unit_head", "provider_staff", "participant", "analyst", "administrator")


def _side(code: str, tag: str) -> dict:
    today = dt.date.today()
    municipality = MunicipalityFactory(code=code, name=f"Stad {tag}")
    unit = UnitFactory(municipality=municipality, name=f"Jobbtorg {tag}")
    district = DistrictFactory(unit=unit, name=f"Stadsdel {tag}")
    caseworker = UserFactory(caseworker=True, district=district)
    coach = UserFactory(coach=True, unit=unit)
    plan = ActionPlanFactory(
        referral__district=district, referral__participant__district=district, referral__caseworker=caseworker
    )
    referral, person = plan.referral, plan.referral.participant
    link = OtherPlanLink.objects.create(plan=plan, kind=OtherPlanKind.choices[0][0], reference=f"Plan {tag}")
    version = PlanVersion.objects.create(
        plan=plan, number=1, status=VersionStatus.PROPOSED, content={}, proposed_by=coach
    )
    consent = consent_record(
        participant=person, status=ConsentStatus.GIVEN, scope=ConsentScope.JOBBTORG_PROVIDER, by=caseworker
    )
    offering = OfferingFactory(municipality=municipality, unit=None)
    provider = offering.provider
    users = {
        "caseworker": caseworker,
        "coach": coach,
        "unit_head": UserFactory(unit_head=True, unit=unit),
        "provider_staff": provider_user(provider),
        "participant": UserFactory(role=Role.PARTICIPANT, participant=person),
        "analyst": UserFactory(analyst=True, municipality=municipality),
        "administrator": UserFactory(administrator=True, municipality=municipality),
    }
    booking = Booking.objects.create(
        offering=offering,
        participant=person,
        referral=referral,
        status=BookingStatus.BOOKED,
        start_date=today - dt.timedelta(days=20),
        booked_by=coach,
    )
    assignment = Assignment.objects.create(
        participant=person,
        referral=referral,
        provider=provider,
        intervention_type=offering.intervention_type,
        source=AssignmentSource.COACH_WITH_PARTICIPANT,
        start_date=today - dt.timedelta(days=20),
        created_by=coach,
    )
    application = Application.objects.create(
        provider=provider,
        intervention_type=offering.intervention_type,
        status=ApplicationStatus.APPROVED,
        submitted_by=users["provider_staff"],
    )
    authorisation = Authorisation.objects.create(
        provider=provider,
        intervention_type=offering.intervention_type,
        application=application,
        valid_from=today - dt.timedelta(days=100),
    )
    starts = timezone.now() + dt.timedelta(days=2)
    employer = EmployerFactory(municipality=municipality)
    match = Match.objects.create(
        participant=person, vacancy=VacancyFactory(employer=employer), proposed_by=coach, score=1
    )
    event = RecruitmentEvent.objects.create(employer=employer, unit=unit, title=f"Träff {tag}", date=today)
    records = {
        "booking": booking,
        "attendance_report": AttendanceReport.objects.create(
            participant=person,
            booking=booking,
            date=today - dt.timedelta(days=3),
            status="present",
            reported_by=coach,
        ),
        "attendance_event": AttendanceEvent.objects.create(
            booking=booking,
            participant=person,
            kind=EventKind.INTERRUPTION,
            date=today,
            reason="Sjuk",
            reported_by=coach,
        ),
        "notice": Notice.objects.create(
            participant=person,
            referral=referral,
            district=district,
            kind=NoticeKind.INTERRUPTION,
            date=today,
            facts="Avbrott",
            source_key=f"scoping:{tag}",
        ),
        "three_party_meeting": ThreePartyMeeting.objects.create(
            participant=person, referral=referral, reason="Upprepad frånvaro"
        ),
        "appointment": Appointment.objects.create(
            participant=person,
            referral=referral,
            organiser=coach,
            provider=provider,
            kind=AppointmentKind.INDIVIDUAL,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            place="Kista",
        ),
        "choice": ChoiceRequest.objects.create(
            participant=person,
            referral=referral,
            intervention_type=offering.intervention_type,
            deadline=today + dt.timedelta(days=14),
            opened_by=coach,
        ),
        "assignment": assignment,
        "consent": consent,
        "plan_activity": plan.activities.get(),
        "other_plan": link,
        "plan_version": version,
        "referral_event": ReferralEvent.objects.create(
            referral=referral, to_status="received", by=caseworker
        ),
        "match": match,
        "match_event": MatchEvent.objects.create(match=match, to_status=match.status, by=coach),
        "recruitment_attendee": RecruitmentAttendee.objects.create(event=event, participant=person),
        "assistance_month": AssistanceMonth.objects.create(
            participant=person, month=today.replace(day=1), paid=True
        ),
        "read_log": audit_services.read_record(user=coach, participant=person, view="scoping"),
        "journal_entry": JournalEntry.objects.create(
            participant=person,
            referral=referral,
            kind="meeting",
            occurred_on=today,
            body=f"Möte {tag}",
            author=coach,
            signed_at=timezone.now(),
        ),
        "provider_journal_entry": JournalEntry.objects.create(
            participant=person,
            referral=referral,
            kind="phone",
            occurred_on=today,
            body=f"Samtal {tag}",
            author=users["provider_staff"],
            author_provider=provider,
            signed_at=timezone.now(),
        ),
        "message": Message.objects.create(
            participant=person, referral=referral, side="jobbtorg", sender=coach, body=f"Hej {tag}"
        ),
        "provider_message": Message.objects.create(
            participant=person,
            referral=referral,
            provider=provider,
            side="provider",
            sender=users["provider_staff"],
            body=f"Fråga {tag}",
        ),
        "reported_absence": ReportedAbsence.objects.create(
            participant=person,
            reason="sick",
            first_day=today,
            last_day=today,
            reported_by=users["participant"],
        ),
        "offering": offering,
        "provider": provider,
        "application": application,
        "authorisation": authorisation,
    }
    return {"users": users, "records": records, "municipality": municipality}


# Which roles see their own side's record; everyone else sees nothing of it (and nobody the other side's).
SEEN_BY = {
    "booking": {"caseworker", "coach", "unit_head", "provider_staff", "participant"},
    "attendance_report": {"caseworker", "coach", "unit_head", "provider_staff", "participant"},
    "attendance_event": {"caseworker", "coach", "unit_head", "provider_staff", "participant"},
    "notice": {"caseworker"},
    "three_party_meeting": {"caseworker", "coach", "unit_head", "provider_staff"},
    "appointment": {"caseworker", "coach", "unit_head", "provider_staff", "participant"},
    "choice": {"caseworker", "coach", "unit_head", "participant"},
    "assignment": {"caseworker", "coach", "unit_head", "provider_staff", "participant"},
    "consent": {"caseworker", "coach", "unit_head", "provider_staff", "participant"},
    "plan_activity": {"caseworker", "coach", "unit_head"},
    "other_plan": {"caseworker", "coach", "unit_head"},
    "plan_version": {"caseworker", "coach", "unit_head"},
    "referral_event": {"caseworker", "coach", "unit_head"},
    "match": {"caseworker", "coach", "unit_head", "provider_staff", "participant"},
    "match_event": {"caseworker", "coach", "unit_head", "provider_staff", "participant"},
    "recruitment_attendee": {"coach", "unit_head"},
    "assistance_month": {"unit_head", "administrator"},
    "read_log": {"unit_head"},
    "journal_entry": {"caseworker", "coach", "unit_head"},
    "provider_journal_entry": {"caseworker", "coach", "unit_head", "provider_staff"},
    "message": {"coach", "unit_head", "participant"},
    "provider_message": {"coach", "unit_head", "provider_staff"},
    "reported_absence": {"coach", "unit_head", "provider_staff", "participant"},
    # Registers (no personal data), scoped to the municipality:
    "offering": {"coach", "unit_head", "provider_staff", "administrator"},
    "provider": {"coach", "unit_head", "provider_staff", "administrator"},
    "application": {"unit_head", "provider_staff", "administrator"},
    "authorisation": {"coach", "unit_head", "provider_staff", "administrator"},
}


@pytest.fixture
def sides(db):
    return {"a": _side("0180", "A"), "b": _side("0114", "B")}


@pytest.mark.parametrize("role", SIDE_ROLES)
@pytest.mark.parametrize("kind", sorted(SEEN_BY))
def test_each_role_sees_its_own_sides_records_and_never_the_other_sides(sides, kind, role):
    user = sides["a"]["users"][role]
    own, other = sides["a"]["records"][kind], sides["b"]["records"][kind]
    visible = type(own).objects.visible_to(user)
    assert visible.filter(pk=other.pk).exists() is False
    assert visible.filter(pk=own.pk).exists() is (role in SEEN_BY[kind])


@pytest.mark.parametrize("kind", sorted(SEEN_BY))
def test_anonymous_and_inactive_users_see_nothing(sides, kind):
    inactive = sides["a"]["users"]["coach"]
    inactive.is_active = False
    model = type(sides["a"]["records"][kind])
    assert not model.objects.visible_to(AnonymousUser()).exists()
    assert not model.objects.visible_to(inactive).exists()


def test_provider_staff_lose_sight_of_bookings_and_meetings_when_consent_is_withdrawn(sides):
    a = sides["a"]
    staff, person = a["users"]["provider_staff"], a["records"]["booking"].participant
    consent_record(
        participant=person,
        status=ConsentStatus.WITHDRAWN,
        scope=ConsentScope.JOBBTORG_PROVIDER,
        by=a["users"]["caseworker"],
    )
    for kind in ("booking", "attendance_report", "appointment", "three_party_meeting", "assignment", "match"):
        assert not type(a["records"][kind]).objects.visible_to(staff).exists(), kind


def test_only_reporting_roles_report_attendance_for_visible_bookings(sides):
    a = sides["a"]
    booking, offering = a["records"]["booking"], a["records"]["offering"]
    for role in SIDE_ROLES:
        user = a["users"][role]
        reports = role in ("coach", "unit_head", "provider_staff")
        assert set(Booking.objects.reportable_by(user)) == ({booking} if reports else set()), role
    assert set(Offering.objects.reportable_by(a["users"]["provider_staff"])) == {offering}
    assert set(Offering.objects.reportable_by(a["users"]["coach"])) == {
        offering
    }  # a person of the unit booked
    assert not Offering.objects.reportable_by(a["users"]["caseworker"]).exists()


def test_the_municipality_of_each_kind_of_user(sides):
    a = sides["a"]
    expected = a["municipality"].pk
    for role in SIDE_ROLES:
        assert municipality_id_of(a["users"][role]) == expected, role
    system_admin = UserFactory(administrator=True)
    assert municipality_id_of(system_admin) is None and sees_every_municipality(system_admin)
    assert municipality_id_of(AnonymousUser()) is None
    assert not sees_every_municipality(a["users"]["administrator"])
    # A system-wide administrator writes into the only municipality when there is one; here there are two.
    assert municipality_for_writes(system_admin) is None
    assert municipality_for_writes(a["users"]["coach"]) == expected
