"""journal/perms.py, rule by rule: every role on every side of the case → may or may not."""

from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.journal import perms
from jobbtorg.journal.models import JournalEntry
from tests.perms_table import UNIT_ROLES, by_role, cells, table

CW, COACH, SYV, MATCH, HEAD = (
    Role.CASEWORKER,
    Role.JOB_COACH,
    Role.CAREER_COUNSELLOR,
    Role.MATCHER,
    Role.UNIT_HEAD,
)
PROV, PART = Role.PROVIDER_STAFF, Role.PARTICIPANT
WRITERS = {COACH, SYV, MATCH, PROV}


@by_role(UNIT_ROLES | {CW, PROV})
def test_can_view_journals(places, role, side, expected):
    assert perms.can_view_journals(places.user(role, side)) is expected


@by_role(WRITERS)
def test_can_write_journals(places, role, side, expected):
    assert perms.can_write_journals(places.user(role, side)) is expected


@table(cells(WRITERS, ["own"]))
def test_can_write_entry(places, case, role, side, expected):
    """Coaches, counsellors and matchers of the receiving unit; staff of the provider the person is assigned
    to. Not the unit head (reads only), not the caseworker, not another unit or provider."""
    assert perms.can_write_entry(places.user(role, side), case) is expected


def _entry(case, author, signed=True):
    return JournalEntry.objects.create(
        participant=case.participant,
        referral=case,
        kind="meeting",
        occurred_on=timezone.localdate(),
        body="Möte om praktik.",
        author=author,
        signed_at=timezone.now() if signed else None,
    )


@table({(COACH, "own")})
def test_can_sign_entry(places, case, role, side, expected):
    """Only the author signs, and only an unsigned entry."""
    author = places.user(COACH)
    user = author if (role, side) == (COACH, "own") else places.user(role, side)
    assert perms.can_sign_entry(user, _entry(case, author, signed=False)) is expected
    assert perms.can_sign_entry(author, _entry(case, author, signed=True)) is False


@table(cells({COACH, SYV, MATCH}, ["own"]))
def test_can_correct_entry(places, case, role, side, expected):
    """A signed entry of the Jobbtorg is corrected by a writer who sees it (provider staff see only their
    organisation's entries)."""
    entry = _entry(case, places.user(COACH))
    assert perms.can_correct_entry(places.user(role, side), entry) is expected


@table(cells({COACH, SYV, MATCH}, ["own"]))
def test_correctable_entries(places, case, role, side, expected):
    """The page-at-once form of `can_correct_entry` gives the same answer, and never an unsigned entry."""
    signed = _entry(case, places.user(COACH))
    unsigned = _entry(case, places.user(COACH), signed=False)
    user = places.user(role, side)
    ids = perms.correctable_entries(user, [signed, unsigned])
    assert ids == ({signed.pk} if expected else set())
    assert (signed.pk in ids) is perms.can_correct_entry(user, signed)


@by_role({COACH, SYV, HEAD, PROV, PART})
def test_can_view_messages(places, role, side, expected):
    assert perms.can_view_messages(places.user(role, side)) is expected


@table(cells({COACH, SYV, HEAD, PART}, ["own"]))
def test_can_send_message(places, case, role, side, expected):
    """The thread with the person: the person themself and the coach side of the receiving unit."""
    assert perms.can_send_message(places.user(role, side), case, None) is expected


@table(cells({COACH, SYV, HEAD, PROV}, ["own"]))
def test_can_send_message_to_provider_thread(places, case, role, side, expected):
    """The thread with the provider the person is assigned to: the unit's coach side and that provider."""
    provider = places.own.provider
    assert perms.can_send_message(places.user(role, side), case, provider) is expected
