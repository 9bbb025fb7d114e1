"""Documents on a person's case: upload (type from the content, size limit, virus-scan hook), who sees and
downloads what (read-logged), sharing with a provider, exit evidence pointing to a document, and retention
removing the row and the file."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.documents import filetypes, scanning, services
from jobbtorg.documents.constants import FileType, ScanResult
from jobbtorg.documents.models import Document, DocumentShare
from jobbtorg.followup import services as followup_services
from jobbtorg.participants.models import Participant
from jobbtorg.privacy import retention
from jobbtorg.referrals.models import Referral
from tests.factories import UserFactory

from .conftest import DOCX, EICAR_PDF, ODT, PDF, PNG, pdf, zipped

TODAY = timezone.localdate


def _upload(case, by, file=None, kind="sick_certificate", **kwargs):
    return services.document_upload(
        referral=case, kind=kind, document_date=TODAY(), uploaded_file=file or pdf(), by=by, **kwargs
    )


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


# --- file types, size, scanning -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, expected",
    [
        (PDF, FileType.PDF),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, FileType.JPEG),
        (PNG, FileType.PNG),
        (DOCX, FileType.DOCX),
        (ODT, FileType.ODT),
        (b"MZ\x90\x00 an executable", None),
        (b"<script>alert(1)</script>", None),
        (zipped({"payload.exe": b"MZ"}), None),  # a ZIP that is neither DOCX nor ODT
        (zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_the_type_is_read_from_the_content(content, expected):
    file = SimpleUploadedFile("dokument.pdf", content)
    assert filetypes.sniff(file) == expected
    assert file.tell() == 0


def test_an_executable_named_pdf_is_refused_on_the_page_with_a_field_error(client, coach, case):
    client.force_login(coach)
    url = reverse("documents:person", kwargs={"participant_pk": case.participant_id})
    renamed = SimpleUploadedFile("intyg.pdf", b"MZ\x90\x00" * 10, content_type="application/pdf")
    response = client.post(
        url, {"kind": "sick_certificate", "document_date": TODAY().isoformat(), "file": renamed}
    )
    assert response.status_code == 400
    with translation.override("sv"):
        message = gettext("Only PDF, JPEG, PNG, DOCX and ODT files can be uploaded (told by their content).")
    assert message.startswith("Bara PDF") and message in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_a_400_on_the_file(api_client, coach, case, settings):
    settings.JOBBTORG_DOCUMENT_MAX_BYTES = 50
    api_client.force_login(coach)
    response = api_client.post(
        "/api/documents/",
        {"participant": str(case.participant_id), "kind": "cv", "document_date": TODAY(), "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 400
    assert "för stor" in response.json()["file"][0]
    assert not Document.objects.exists()


def test_the_scan_hook_rejects_eicar_and_nothing_is_stored(api_client, coach, case):
    api_client.force_login(coach)
    before = set(default_storage.listdir("documents")[1]) if default_storage.exists("documents") else set()
    response = api_client.post(
        "/api/documents/",
        {
            "participant": str(case.participant_id),
            "kind": "cv",
            "document_date": TODAY(),
            "file": pdf(content=EICAR_PDF),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "hittade ett hot" in response.json()["file"][0]
    assert not Document.objects.exists()
    after = set(default_storage.listdir("documents")[1]) if default_storage.exists("documents") else set()
    assert after == before


def test_the_default_scanner_scans_nothing_and_says_so(coach, case, settings, caplog):
    settings.JOBBTORG_DOCUMENT_SCANNER = "jobbtorg.documents.scanning.no_scan"
    scanning._warned["no_scan"] = False
    with caplog.at_level("WARNING", logger="jobbtorg.documents.scanning"):
        document = _upload(case, coach, file=pdf(content=EICAR_PDF))
    assert document.scan_result == ScanResult.NOT_SCANNED
    assert "no virus scanner is configured" in caplog.text


def test_an_empty_file_and_a_future_date_are_field_errors(coach, case):
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            referral=case,
            kind="cv",
            document_date=TODAY() + dt.timedelta(days=1),
            uploaded_file=SimpleUploadedFile("tom.pdf", b""),
            by=coach,
        )
    assert set(error.value.message_dict) == {"file", "document_date"}


# --- upload, download, read logging -------------------------------------------------------------------------


def test_the_coach_uploads_on_the_page_and_downloads_through_the_checked_view(client, coach, case):
    client.force_login(coach)
    url = reverse("documents:person", kwargs={"participant_pk": case.participant_id})
    response = client.post(
        url,
        {
            "kind": "employment_confirmation",
            "document_date": TODAY().isoformat(),
            "file": pdf("../../anst.pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.uploaded_by, document.referral) == (
        "employment_confirmation",
        coach,
        case,
    )
    assert document.title == "anst.pdf" and document.content_type == FileType.PDF
    assert document.file.name.startswith("documents/") and "anst" not in document.file.name
    assert document.scan_result == ScanResult.CLEAN
    assert ChangeLog.objects.filter(action="document_uploaded", participant_id=case.participant_id).exists()
    assert "anst.pdf" not in str(ChangeLog.objects.values_list("changes", flat=True))

    page = client.get(url)
    assert page.status_code == 200 and "anst.pdf" in page.content.decode()
    reads = ReadLog.objects.filter(participant_id=case.participant_id, view="document_download")
    assert not reads.exists()
    download = client.get(reverse("documents:download", kwargs={"pk": document.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert _content(download) == PDF
    assert reads.count() == 1


def test_the_api_uploads_lists_and_downloads(api_client, coach, case):
    api_client.force_login(coach)
    created = api_client.post(
        "/api/documents/",
        {
            "participant": str(case.participant_id),
            "kind": "cv",
            "document_date": TODAY(),
            "file": pdf("cv.odt", ODT),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["content_type"] == FileType.ODT and body["title"] == "cv.odt" and body["size"] == len(ODT)
    listed = api_client.get("/api/documents/", {"participant": str(case.participant_id)})
    assert [d["id"] for d in listed.json()["results"]] == [body["id"]]
    download = api_client.get(f"/api/documents/{body['id']}/download/")
    assert download.status_code == 200 and _content(download) == ODT
    assert ReadLog.objects.filter(participant_id=case.participant_id, view="document_download").count() == 1


def test_a_bad_api_upload_is_a_400_with_field_messages(api_client, coach, case):
    api_client.force_login(coach)
    response = api_client.post(
        "/api/documents/", {"participant": "nej", "kind": "x", "document_date": "igår"}, format="multipart"
    )
    assert response.status_code == 400
    assert {"participant", "kind", "document_date", "file"} <= set(response.json())


# --- who sees what ------------------------------------------------------------------------------------------


def test_the_right_roles_see_a_document_and_no_one_else(
    client,
    coach,
    caseworker,
    other_unit_coach,
    other_caseworker,
    analyst,
    case,
    provider_staff,
    other_provider_staff,
):
    document = _upload(case, coach)
    url = reverse("documents:download", kwargs={"pk": document.pk})
    expected = {
        coach: 200,
        caseworker: 200,  # the district's caseworker, the consent district ↔ Jobbtorg standing
        provider_staff: 404,  # not uploaded by it, not shared with it
        other_provider_staff: 404,
        other_unit_coach: 404,
        other_caseworker: 404,
        analyst: 403,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    assert set(Document.objects.visible_to(provider_staff)) == set()


def test_a_provider_sees_what_it_uploaded_and_what_was_shared_with_it(
    client, api_client, coach, case, provider, provider_staff, other_provider_staff
):
    own = _upload(case, provider_staff, kind="other")
    jobbtorg = _upload(case, coach, kind="cv")
    assert own.uploaded_by_provider == provider
    assert list(Document.objects.visible_to(provider_staff)) == [own]
    assert list(Document.objects.visible_to(coach).order_by("kind")) == [jobbtorg, own]

    with pytest.raises(PermissionDenied):
        services.document_share(document=jobbtorg, provider=provider, by=provider_staff)
    api_client.force_login(coach)
    refused = api_client.post(
        f"/api/documents/{jobbtorg.pk}/share/", {"provider": other_provider_staff.provider_id}
    )
    assert refused.status_code == 400 and "provider" in refused.json()  # the person is not assigned to Q
    shared = api_client.post(f"/api/documents/{jobbtorg.pk}/share/", {"provider": provider.pk})
    assert shared.status_code == 200 and shared.json()["shared_with"] == [provider.pk]
    assert DocumentShare.objects.filter(document=jobbtorg, provider=provider, shared_by=coach).exists()
    assert set(Document.objects.visible_to(provider_staff)) == {own, jobbtorg}
    assert not Document.objects.visible_to(other_provider_staff).exists()
    client.force_login(provider_staff)
    assert client.get(reverse("documents:download", kwargs={"pk": jobbtorg.pk})).status_code == 200


def test_the_provider_loses_sight_when_the_assignment_ends(coach, case, provider_staff):
    own = _upload(case, provider_staff)
    assert list(Document.objects.visible_to(provider_staff)) == [own]
    case.provider_assignments.update(end_date=TODAY())
    assert not Document.objects.visible_to(provider_staff).exists()
    with pytest.raises(PermissionDenied):
        _upload(case, provider_staff)


def test_a_withdrawn_consent_hides_the_documents_from_the_jobbtorg_and_the_caseworker(
    coach, caseworker, case
):
    _upload(case, coach)
    assert Document.objects.visible_to(caseworker).count() == 1
    Referral.objects.filter(pk=case.pk).update(consent_withdrawn_at=timezone.now())
    assert not Document.objects.visible_to(caseworker).exists()
    assert not Document.objects.visible_to(coach).exists()


def test_the_caseworker_uploads_a_decision_letter_and_others_may_not_upload(
    caseworker, other_caseworker, case
):
    document = _upload(case, caseworker, kind="decision_letter")
    assert document.uploaded_by_provider is None
    with pytest.raises(PermissionDenied):
        _upload(case, other_caseworker)
    with pytest.raises(PermissionDenied):
        _upload(case, UserFactory(analyst=True, username="analytiker-2"))


def test_the_person_page_links_to_the_documents(client, coach, case):
    client.force_login(coach)
    page = client.get(reverse("participants:detail", kwargs={"pk": case.participant_id}))
    assert (
        reverse("documents:person", kwargs={"participant_pk": case.participant_id}) in page.content.decode()
    )


# --- exit evidence and retention ----------------------------------------------------------------------------


def test_an_exit_to_work_points_to_the_employers_confirmation(api_client, coach, case):
    document = _upload(case, coach, kind="employment_confirmation")
    api_client.force_login(coach)
    response = api_client.post(
        "/api/exits/",
        {
            "referral": str(case.pk),
            "reason": "work",
            "exit_date": TODAY().isoformat(),
            "work_hours_per_week": 40,
            "employment_form": "permanent",
            "work_start_date": TODAY().isoformat(),
            "municipal_labour_market_job": False,
            "evidence_document": str(document.pk),
            "version": case.lock_version,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["evidence_document"] == str(document.pk)
    assert response.json()["has_evidence"] is True
    assert case.exit.evidence_document == document


def test_exit_evidence_from_another_persons_case_is_refused(coach, case, accepted_referral):
    from tests.factories import ReferralFactory

    other = ReferralFactory(
        accepted=True, district=case.district, participant__district=case.district, unit=case.unit
    )
    document = _upload(other, coach)
    with pytest.raises(ValidationError) as error:
        followup_services.exit_record(
            referral=case,
            by=coach,
            reason="work",
            work_hours_per_week=40,
            employment_form="permanent",
            work_start_date=TODAY(),
            municipal_labour_market_job=False,
            evidence_document=document,
        )
    assert "evidence_document" in error.value.message_dict


def test_retention_removes_the_document_row_and_its_file(coach, case, django_capture_on_commit_callbacks):
    document = _upload(case, coach)
    name = document.file.name
    assert default_storage.exists(name)
    long_ago = timezone.now() - dt.timedelta(days=6 * 366)
    Referral.objects.filter(pk=case.pk).update(
        status="closed", close_reason="work", closed_at=long_ago, updated_at=long_ago
    )
    person = Participant.objects.get(pk=case.participant_id)
    Participant.objects.filter(pk=person.pk).update(
        created_at=long_ago, birth_date=person.birth_date.replace(day=3)
    )
    ChangeLog.objects.filter(participant_id=person.pk).update(at=long_ago)
    plan = retention.retention_plan()
    assert person.pk in plan.people
    assert plan.records["documents.document"] == {document.pk}
    with django_capture_on_commit_callbacks(execute=True):
        retention.retention_apply(plan=plan, ran_by="test")
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(name)


def test_retention_thins_documents_and_shares_with_the_case_file():
    found = {
        (relation.related_model._meta.label_lower, action)
        for relation, action in retention.relations_to(Participant)
    }
    assert ("documents.document", retention.THIN) in found
    document_relations = {
        (relation.related_model._meta.label_lower, action)
        for relation, action in retention.relations_to(Document)
    }
    assert ("documents.documentshare", retention.THIN) in document_relations
