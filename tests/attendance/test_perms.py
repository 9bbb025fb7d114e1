"""attendance/perms.py, rule by rule: every role on every side of the booking, referral or notice → may or
may not; for provider staff also with and without the person's consent to share with providers."""

import datetime

import pytest

from jobbtorg.accounts.constants import Role
from jobbtorg.attendance import perms
from jobbtorg.attendance.models import Notice
from jobbtorg.interventions.models import Booking, InterventionType, Offering
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.participants.models import Consent
from jobbtorg.providers.constants import AssignmentSource
from jobbtorg.providers.models import Assignment
from tests.factories import ReferralFactory, UserFactory
from tests.perms_table import SIDES, UNIT_ROLES, by_role, cells, table

CW, PROV = Role.CASEWORKER, Role.PROVIDER_STAFF


@pytest.fixture
def assigned(places):
    """The own side's person, referred to the own unit and assigned to the own provider."""
    own = places.own
    referral = ReferralFactory(
        participant=own.participant, district=own.district, unit=own.unit, accepted=True
    )
    Assignment.objects.create(
        participant=own.participant,
        referral=referral,
        provider=own.provider,
        intervention_type=InterventionType.objects.get(code="language_internship"),
        source=AssignmentSource.PROCUREMENT,
        start_date=datetime.date.today(),
        created_by=referral.caseworker,
    )
    return referral


def _consent(referral, scope, status):
    Consent.objects.create(
        participant=referral.participant,
        scope=scope,
        status=status,
        effective_date=datetime.date.today(),
        recorded_by=referral.caseworker,
    )


CONSENT = [ConsentStatus.GIVEN, ConsentStatus.WITHDRAWN]


@by_role(UNIT_ROLES | {PROV})
def test_can_report_attendance(places, role, side, expected):
    assert perms.can_report_attendance(places.user(role, side)) is expected


@by_role(UNIT_ROLES | {PROV})
def test_can_book_meetings(places, role, side, expected):
    assert perms.can_book_meetings(places.user(role, side)) is expected


@pytest.mark.parametrize("consent", CONSENT)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("side", SIDES)
def test_can_report_for(places, assigned, consent, role, side):
    """Jobbtorg staff for their unit's people; provider staff for people booked with them whom they see
    (assigned, with the consent to share with providers given)."""
    _consent(assigned, ConsentScope.DISTRICT_JOBBTORG, ConsentStatus.GIVEN)
    _consent(assigned, ConsentScope.JOBBTORG_PROVIDER, consent)
    own = places.own
    offering = Offering(municipality=own.municipality, provider=own.provider, delivered_by="provider")
    booking = Booking(offering=offering, participant=own.participant, referral=assigned)
    allowed = cells(UNIT_ROLES, ["own"]) | ({(PROV, "own")} if consent == ConsentStatus.GIVEN else set())
    assert perms.can_report_for(places.user(role, side), booking) is ((role, side) in allowed)


@pytest.mark.parametrize("consent", CONSENT)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("side", SIDES)
def test_can_book_meeting(places, assigned, consent, role, side):
    _consent(assigned, ConsentScope.DISTRICT_JOBBTORG, ConsentStatus.GIVEN)
    _consent(assigned, ConsentScope.JOBBTORG_PROVIDER, consent)
    allowed = cells(UNIT_ROLES, ["own"]) | ({(PROV, "own")} if consent == ConsentStatus.GIVEN else set())
    assert perms.can_book_meeting(places.user(role, side), assigned) is ((role, side) in allowed)


def test_provider_staff_do_not_report_for_another_providers_booking(places, assigned):
    _consent(assigned, ConsentScope.JOBBTORG_PROVIDER, ConsentStatus.GIVEN)
    own = places.own
    other_provider = places.side("other").provider
    offering = Offering(municipality=own.municipality, provider=other_provider, delivered_by="provider")
    booking = Booking(offering=offering, participant=own.participant, referral=assigned)
    assert perms.can_report_for(places.user(PROV, "own"), booking) is False
    assert perms.can_report_for(UserFactory(role=PROV, provider=other_provider), booking) is False


@by_role({CW})
def test_can_view_notices(places, role, side, expected):
    assert perms.can_view_notices(places.user(role, side)) is expected


@table({(CW, "own")})
def test_can_acknowledge_notice(places, role, side, expected):
    notice = Notice(district=places.own.district, participant=places.own.participant)
    assert perms.can_acknowledge_notice(places.user(role, side), notice) is expected


@table({(Role.PARTICIPANT, "own")})
def test_can_report_own_absence(places, role, side, expected):
    """The person themself, while they have an open case (a closed one: no)."""
    own = places.own
    referral = ReferralFactory(
        accepted=True, participant=own.participant, district=own.district, unit=own.unit
    )
    user = places.user(role, side)
    assert perms.can_report_own_absence(user, own.participant) is expected
    referral.status = "closed"
    referral.save()
    assert perms.can_report_own_absence(user, own.participant) is False


@by_role({Role.JOB_COACH, Role.CAREER_COUNSELLOR, Role.UNIT_HEAD, PROV, Role.PARTICIPANT})
def test_can_view_reported_absences(places, role, side, expected):
    assert perms.can_view_reported_absences(places.user(role, side)) is expected
