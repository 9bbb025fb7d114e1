"""documents/perms.py, rule by rule: every role on every side of the case → may or may not."""

from django.core.files.base import ContentFile
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.documents import perms
from jobbtorg.documents.models import Document
from tests.journal.conftest import case_on
from tests.perms_table import UNIT_ROLES, by_role, cells, table

CW, COACH, SYV, MATCH, HEAD = (
    Role.CASEWORKER,
    Role.JOB_COACH,
    Role.CAREER_COUNSELLOR,
    Role.MATCHER,
    Role.UNIT_HEAD,
)
PROV = Role.PROVIDER_STAFF
READERS = UNIT_ROLES | {CW, PROV}


@by_role(READERS)
def test_can_view_documents(places, role, side, expected):
    assert perms.can_view_documents(places.user(role, side)) is expected


@by_role(READERS)
def test_can_upload_documents(places, role, side, expected):
    assert perms.can_upload_documents(places.user(role, side)) is expected


@table(cells(READERS, ["own"]))
def test_can_upload_document(places, role, side, expected):
    """The receiving unit's staff, the district's caseworker and the provider the person is assigned to; no
    one of another unit, district, provider or municipality, and no participant, analyst or administrator."""
    case = case_on(places)
    assert perms.can_upload_document(places.user(role, side), case) is expected


@table(cells({COACH, SYV, HEAD}, ["own"]))
def test_can_share_document(places, role, side, expected):
    """Coaches, counsellors and unit heads of the unit that sees the document; not the matcher, the
    caseworker or the provider."""
    case = case_on(places)
    document = Document(
        participant=case.participant,
        referral=case,
        kind="cv",
        document_date=timezone.localdate(),
        title="cv.pdf",
        content_type="application/pdf",
        size=5,
        sha256="0" * 64,
        scan_result="clean",
        uploaded_by=case.caseworker,
    )
    document.file.save("x", ContentFile(b"%PDF-"), save=False)
    document.save()
    assert perms.can_share_document(places.user(role, side), document) is expected
