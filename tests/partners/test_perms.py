"""partners/perms.py, rule by rule: every role on every side of the
referral, meeting, request or link → may or may not."""

from jobbtorg.accounts.constants import Role
from jobbtorg.partners import perms
from jobbtorg.partners.models import PartnerMeeting, PartnerRequest
from jobbtorg.referrals.models import Referral
from tests.perms_table import by_role, cells, table

CW, COACH, SYV, HEAD = Role.CASEWORKER, Role.JOB_COACH, Role.CAREER_COUNSELLOR, Role.UNIT_HEAD
PARTNER = Role.PARTNER_STAFF
BOOKERS = {COACH, SYV, HEAD}  # partners.add_partnermeeting / add_partnerrequest / change_partnermeeting


def _referral(places) -> Referral:
    own = places.own
    return Referral(participant=own.participant, district=own.district, unit=own.unit, status="accepted")


@by_role({PARTNER})
def test_can_use_partner_start(places, role, side, expected):
    assert perms.can_use_partner_start(places.user(role, side)) is expected


@by_role(BOOKERS | {CW})
def test_can_view_partner_work(places, role, side, expected):
    assert perms.can_view_partner_work(places.user(role, side)) is expected


@by_role(BOOKERS)
def test_can_book_partner_meetings(places, role, side, expected):
    assert perms.can_book_partner_meetings(places.user(role, side)) is expected


@table(cells(BOOKERS, ["own"]))
def test_can_book_partner_meeting(places, role, side, expected):
    assert perms.can_book_partner_meeting(places.user(role, side), _referral(places)) is expected


@table(cells(BOOKERS, ["own"]))
def test_can_send_partner_request(places, role, side, expected):
    assert perms.can_send_partner_request(places.user(role, side), _referral(places)) is expected


@table(cells(BOOKERS, ["own"]))
def test_can_record_meeting_outcome(places, role, side, expected):
    meeting = PartnerMeeting(referral=_referral(places), organisation=places.own.partner)
    assert perms.can_record_meeting_outcome(places.user(role, side), meeting) is expected


@table(cells({PARTNER}, ["own"]))
def test_can_answer_partner_request(places, role, side, expected):
    request = PartnerRequest(referral=_referral(places), organisation=places.own.partner)
    assert perms.can_answer_partner_request(places.user(role, side), request) is expected


@by_role(BOOKERS)
def test_can_send_partner_requests(places, role, side, expected):
    assert perms.can_send_partner_requests(places.user(role, side)) is expected


@by_role(BOOKERS)
def test_can_record_meeting_outcomes(places, role, side, expected):
    assert perms.can_record_meeting_outcomes(places.user(role, side)) is expected


@by_role({PARTNER})
def test_can_answer_partner_requests(places, role, side, expected):
    assert perms.can_answer_partner_requests(places.user(role, side)) is expected
