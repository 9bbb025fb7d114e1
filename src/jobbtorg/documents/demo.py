"""Demo data of documents: a CV on the first open cases of the demo (uploaded by the responsible coach) and,
where the person is assigned to a provider, shared with it — so that the Documents tab shows something for
the coach, the caseworker and the provider. Consumes no randomness: the rest of the demo stays as it was."""

from django.core.files.uploadedfile import SimpleUploadedFile

from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral

from .services import document_share, document_upload

DEMO_DOCUMENTS = 6


def _pdf(title: str) -> bytes:
    text = title.encode("latin-1", errors="replace")
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n"
        b"4 0 obj << /Length "
        + str(len(text) + 30).encode()
        + b" >> stream\nBT /F1 12 Tf 72 770 Td ("
        + text
        + b") Tj ET\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def seed_documents(*, municipality, today) -> int:
    referrals = (
        Referral.objects.filter(
            unit__municipality=municipality, status=ReferralStatus.ACCEPTED, coach__isnull=False
        )
        .with_basis()
        .select_related("participant", "coach")
        .order_by("referral_date", "participant__personal_number")[:DEMO_DOCUMENTS]
    )
    count = 0
    for referral in referrals:
        title = f"CV {referral.participant.first_name} {referral.participant.last_name}"
        document = document_upload(
            referral=referral,
            kind="cv",
            document_date=today,
            uploaded_file=SimpleUploadedFile("cv.pdf", _pdf(title)),
            by=referral.coach,
        )
        count += 1
        assignment = referral.provider_assignments.current().select_related("provider").first()
        if assignment is not None:
            document_share(document=document, provider=assignment.provider, by=referral.coach)
    return count
