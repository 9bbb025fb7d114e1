"""followup/perms.py, rule by rule: every role on every side of the referral → may or may not."""

from jobbtorg.accounts.constants import Role
from jobbtorg.followup import perms
from jobbtorg.referrals.models import Referral
from tests.perms_table import UNIT_ROLES, by_role, cells, table

COACH, SYV, HEAD, ADMIN = Role.JOB_COACH, Role.CAREER_COUNSELLOR, Role.UNIT_HEAD, Role.ADMINISTRATOR


@by_role(UNIT_ROLES)
def test_can_record_exits(places, role, side, expected):
    assert perms.can_record_exits(places.user(role, side)) is expected


@table(cells({COACH, SYV, HEAD}, ["own"]))
def test_can_record_exit(places, role, side, expected):
    """Staff of the receiving unit with followup.record_exit: not the matcher, not another unit."""
    own = places.own
    referral = Referral(
        participant=own.participant,
        district=own.district,
        unit=own.unit,
        caseworker=places.user(Role.CASEWORKER),
        status="accepted",
    )
    assert perms.can_record_exit(places.user(role, side), referral) is expected


@table(cells({HEAD, ADMIN}))
def test_can_import_assistance(places, role, side, expected):
    assert perms.can_import_assistance(places.user(role, side)) is expected
