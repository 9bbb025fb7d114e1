import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobbtorg.documents.scanning import EICAR
from tests.factories import ProviderFactory, provider_user
from tests.journal.conftest import assign

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def pdf(name="intyg.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped(
    {
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
    }
)
ODT = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"}
)
EICAR_PDF = PDF + EICAR


@pytest.fixture
def case(accepted_referral):
    """The accepted referral, its person assigned to a provider with the consent Jobbtorg ↔ provider."""
    provider = ProviderFactory(municipality=accepted_referral.unit.municipality, name="Anordnare P")
    assign(accepted_referral, provider, accepted_referral.caseworker)
    return accepted_referral


@pytest.fixture
def provider(case):
    return case.provider_assignments.get().provider


@pytest.fixture
def provider_staff(provider):
    return provider_user(provider, username="anordnare-p")


@pytest.fixture
def other_provider_staff(case):
    other = ProviderFactory(municipality=case.unit.municipality, name="Anordnare Q")
    return provider_user(other, username="anordnare-q")
