"""background/perms.py: only the starter follows a job, and only while their role allows that kind of work."""

from jobbtorg.accounts.constants import Role
from jobbtorg.background import perms
from jobbtorg.background.constants import JobKind
from jobbtorg.background.models import BackgroundJob
from tests.perms_table import by_role

HEAD, ADMIN, ANALYST, PROV = Role.UNIT_HEAD, Role.ADMINISTRATOR, Role.ANALYST, Role.PROVIDER_STAFF


@by_role({HEAD, ADMIN})
def test_can_view_job_of_an_import_the_user_started(places, role, side, expected):
    user = places.user(role, side)
    job = BackgroundJob(kind=JobKind.ASSISTANCE_IMPORT, started_by=user)
    assert perms.can_view_job(user, job) is expected


@by_role({ADMIN})
def test_can_view_job_of_a_payment_recalculation(places, role, side, expected):
    user = places.user(role, side)
    assert (
        perms.can_view_job(user, BackgroundJob(kind=JobKind.PAYMENT_RECALCULATION, started_by=user))
        is expected
    )


@by_role({ANALYST})
def test_can_view_job_of_a_research_extract(places, role, side, expected):
    user = places.user(role, side)
    assert perms.can_view_job(user, BackgroundJob(kind=JobKind.RESEARCH_EXTRACT, started_by=user)) is expected


@by_role({ADMIN, HEAD, PROV})
def test_can_view_job_of_a_payment_basis_pdf_of_the_own_provider(places, role, side, expected):
    user = places.user(role, side)
    job = BackgroundJob(
        kind=JobKind.PAYMENT_BASIS_PDF, started_by=user, params={"provider_id": places.own.provider.pk}
    )
    assert perms.can_view_job(user, job) is expected


@by_role(set())
def test_nobody_views_a_job_someone_else_started(places, role, side, expected):
    starter = places.user(ADMIN, "own")
    job = BackgroundJob(kind=JobKind.ASSISTANCE_IMPORT, started_by=starter)
    assert perms.can_view_job(places.user(role, side), job) is expected
