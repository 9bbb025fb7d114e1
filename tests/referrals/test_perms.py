"""referrals/perms.py, rule by rule: every role on every side of the referral (own, other unit/district of the
municipality, another municipality) → may or may not."""

from jobbtorg.accounts.constants import Role
from jobbtorg.referrals import perms
from jobbtorg.referrals.models import Referral, SendBack
from tests.perms_table import UNIT_ROLES, by_role, table

CW, COACH, SYV, MATCH, HEAD, DHEAD = (
    Role.CASEWORKER,
    Role.JOB_COACH,
    Role.CAREER_COUNSELLOR,
    Role.MATCHER,
    Role.UNIT_HEAD,
    Role.DISTRICT_HEAD,
)


def _referral(places, status="received") -> Referral:
    own = places.own
    return Referral(participant=own.participant, district=own.district, unit=own.unit, status=status)


@by_role({CW} | UNIT_ROLES)
def test_can_view_referrals(places, role, side, expected):
    assert perms.can_view_referrals(places.user(role, side)) is expected


@by_role({CW})
def test_can_create_referral(places, role, side, expected):
    assert perms.can_create_referral(places.user(role, side)) is expected


@by_role(UNIT_ROLES)
def test_can_answer_referrals(places, role, side, expected):
    assert perms.can_answer_referrals(places.user(role, side)) is expected


@table({(COACH, "own"), (HEAD, "own")})
def test_can_accept_referral(places, role, side, expected):
    """Staff of the receiving unit with the accept permission: not the counsellor or the matcher, not another
    unit."""
    assert perms.can_accept_referral(places.user(role, side), _referral(places)) is expected


@table({(CW, "own"), (COACH, "own"), (HEAD, "own")})
def test_can_close_referral(places, role, side, expected):
    assert perms.can_close_referral(places.user(role, side), _referral(places, "accepted")) is expected


@table({(CW, "own")})
def test_can_resubmit_referral(places, role, side, expected):
    assert perms.can_resubmit_referral(places.user(role, side), _referral(places, "returned")) is expected


@table({(COACH, "own")})
def test_may_coach(places, role, side, expected):
    assert perms.may_coach(places.user(role, side), _referral(places)) is expected


def _send_back(places) -> SendBack:
    return SendBack(referral=_referral(places, "accepted"), reason="other", status="escalated")


@by_role({CW, DHEAD} | UNIT_ROLES)
def test_can_view_send_backs(places, role, side, expected):
    assert perms.can_view_send_backs(places.user(role, side)) is expected


@table({(COACH, "own"), (HEAD, "own")})
def test_can_send_back_referral(places, role, side, expected):
    """The staff who may accept a referral send it back: not the counsellor, the matcher or another unit."""
    assert perms.can_send_back_referral(places.user(role, side), _referral(places, "accepted")) is expected


@table({(CW, "own")})
def test_can_answer_send_back(places, role, side, expected):
    assert perms.can_answer_send_back(places.user(role, side), _send_back(places)) is expected


@table({(HEAD, "own"), (DHEAD, "own")})
def test_can_decide_send_back(places, role, side, expected):
    """The unit heads of both sides: the Jobbtorg unit's and the referring district's, nobody else."""
    assert perms.can_decide_send_back(places.user(role, side), _send_back(places)) is expected
