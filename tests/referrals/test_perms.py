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
    return Referral(
        participant=own.participant,
        district=own.district,
        unit=own.unit,
        caseworker=places.user(Role.CASEWORKER),
        status=status,
    )


@by_role({CW} | UNIT_ROLES)
def test_can_view_referrals(places, role, side, expected):
    assert perms.can_view_referrals(places.user(role, side)) is expected


@by_role({CW})
def test_can_create_referral(places, role, side, expected):
    assert perms.can_create_referral(places.user(role, side)) is expected


@by_role({COACH, HEAD})
def test_can_register_intake(places, role, side, expected):
    """Unit staff who accept referrals take people in at their own unit (ADR 0020)."""
    assert perms.can_register_intake(places.user(role, side)) is expected


def _intake(places, status="accepted") -> Referral:
    referral = _referral(places, status)
    referral.caseworker = None
    referral.source = "self"
    return referral


@table({(COACH, "own"), (HEAD, "own")})
def test_can_close_an_intake(places, role, side, expected):
    """Not the district's caseworker: the district never had the case."""
    assert perms.can_close_referral(places.user(role, side), _intake(places)) is expected


@table(set())
def test_can_send_back_an_intake(places, role, side, expected):
    """An intake has no district to send it back to."""
    assert perms.can_send_back_referral(places.user(role, side), _intake(places)) is expected


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


@by_role({COACH})
def test_has_own_cases(places, role, side, expected):
    assert perms.has_own_cases(places.user(role, side)) is expected


@table({(COACH, "own"), (HEAD, "own")})
def test_can_change_coach(places, role, side, expected):
    """The unit head of the referral's unit; a coach only for a case they are responsible for."""
    user = places.user(role, side)
    referral = _referral(places, "accepted")
    referral.coach = user
    assert perms.can_change_coach(user, referral) is expected


def test_a_coach_cannot_change_the_coach_of_someone_elses_case(places):
    referral = _referral(places, "accepted")
    referral.coach = places.user(COACH)
    assert perms.can_change_coach(places.user(COACH), referral) is False


@by_role({HEAD})
def test_can_reassign_cases(places, role, side, expected):
    assert perms.can_reassign_cases(places.user(role, side)) is expected


@table({(HEAD, "own")})
def test_can_arrange_substitution(places, role, side, expected):
    """For a coach of the own unit: its unit head (the coach themselves: below)."""
    assert perms.can_arrange_substitution(places.user(role, side), places.user(COACH)) is expected


def test_a_coach_arranges_a_substitute_for_their_own_absence(places):
    coach = places.user(COACH)
    assert perms.can_arrange_substitution(coach, coach) is True
    assert perms.can_arrange_substitution(places.user(HEAD), places.user(SYV)) is False  # not a coach


@by_role(UNIT_ROLES)
def test_can_view_substitutions(places, role, side, expected):
    assert perms.can_view_substitutions(places.user(role, side)) is expected


@by_role({COACH, HEAD})
def test_can_arrange_substitutions(places, role, side, expected):
    assert perms.can_arrange_substitutions(places.user(role, side)) is expected
