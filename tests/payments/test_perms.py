"""payments/perms.py, rule by rule: every role on every side of the provider, run, dispute or compensation
model → may or may not."""

from jobbtorg.accounts.constants import Role
from jobbtorg.payments import perms
from jobbtorg.payments.models import CompensationModel, CreamingReview, Dispute, PaymentLine, PaymentRun
from tests.perms_table import by_role, cells, table

HEAD, PROV, ANALYST, ADMIN = Role.UNIT_HEAD, Role.PROVIDER_STAFF, Role.ANALYST, Role.ADMINISTRATOR
MUNICIPALITY = ["own", "other"]  # the object's municipality: its own side and another unit of it


@table(cells({HEAD, ADMIN}, MUNICIPALITY) | {(PROV, "own")})
def test_can_see_provider_lines(places, role, side, expected):
    """Finance sees every provider of its municipality; provider staff only their own provider."""
    assert perms.can_see_provider_lines(places.user(role, side), places.own.provider) is expected


@table(cells({HEAD, ADMIN}))
def test_can_view_payment_basis(places, role, side, expected):
    assert perms.can_view_payment_basis(places.user(role, side)) is expected


@by_role({ADMIN})
def test_can_run_payments(places, role, side, expected):
    assert perms.can_run_payments(places.user(role, side)) is expected


@by_role({ADMIN})
def test_can_approve_payments(places, role, side, expected):
    assert perms.can_approve_payments(places.user(role, side)) is expected


@table(cells({ADMIN}, MUNICIPALITY))
def test_can_approve_run(places, role, side, expected):
    run = PaymentRun(municipality=places.own.municipality)
    assert perms.can_approve_run(places.user(role, side), run) is expected


@table({(PROV, "own")})
def test_can_dispute_lines(places, role, side, expected):
    assert perms.can_dispute_lines(places.user(role, side), places.own.provider) is expected


@table(cells({ADMIN}, MUNICIPALITY))
def test_can_answer_dispute(places, role, side, expected):
    own = places.own
    line = PaymentLine(run=PaymentRun(municipality=own.municipality), provider=own.provider)
    assert perms.can_answer_dispute(places.user(role, side), Dispute(line=line)) is expected


@table(cells({ADMIN}, MUNICIPALITY))
def test_can_manage_compensation(places, role, side, expected):
    model = CompensationModel(municipality=places.own.municipality)
    assert perms.can_manage_compensation(places.user(role, side), model) is expected


@table(cells({HEAD, ANALYST, ADMIN}))
def test_can_view_creaming_check(places, role, side, expected):
    assert perms.can_view_creaming_check(places.user(role, side)) is expected


@table(cells({HEAD, ADMIN}))
def test_can_view_creaming_reviews(places, role, side, expected):
    assert perms.can_view_creaming_reviews(places.user(role, side)) is expected


@by_role({ADMIN})
def test_can_open_creaming_reviews(places, role, side, expected):
    assert perms.can_open_creaming_reviews(places.user(role, side)) is expected


@table(cells({ADMIN}, MUNICIPALITY))
def test_can_decide_creaming_review(places, role, side, expected):
    review = CreamingReview(municipality=places.own.municipality, provider=places.own.provider)
    assert perms.can_decide_creaming_review(places.user(role, side), review) is expected
