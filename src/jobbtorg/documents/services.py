"""Writes for documents: upload (type sniffed from the content, size limited, virus-scanned, stored in the
storage backend) and sharing with a provider. Each checks its rule in perms.py (PermissionDenied) and
validates (ValidationError with field messages); the change log records who did what, never the content or
the file name."""

import datetime
import hashlib
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record

from . import filetypes, perms, scanning, selectors
from .constants import MAX_TITLE, DocumentKind, FileType
from .models import Document, DocumentShare


def max_bytes() -> int:
    return settings.JOBBTORG_DOCUMENT_MAX_BYTES


def _title(name: str) -> str:
    """The uploaded name without any path, control characters or leading dots, shortened."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?').strip().lstrip(".")
    if len(name) > MAX_TITLE:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_TITLE - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name[:MAX_TITLE]
    return name or "dokument"


def _check_file(uploaded_file) -> tuple[FileType, str, str]:
    """The file's type (from its content), its hash and the scanner's answer — or field errors on `file`."""
    if uploaded_file is None:
        raise ValidationError({"file": _("Choose a file.")})
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > max_bytes():
        raise ValidationError(
            {
                "file": _("The file is too large (%(size)s); at most %(max)s.")
                % {"size": filesizeformat(size), "max": filesizeformat(max_bytes())}
            }
        )
    file_type = filetypes.sniff(uploaded_file)
    if file_type is None:
        raise ValidationError(
            {"file": _("Only PDF, JPEG, PNG, DOCX and ODT files can be uploaded (told by their content).")}
        )
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    try:
        scan_result = scanning.scan(uploaded_file)
    except scanning.Infected as error:
        raise ValidationError(
            {"file": _("The virus scan found a threat in the file; it was not stored.")}
        ) from error
    except scanning.ScannerUnavailable as error:
        raise ValidationError({"file": _("The virus scan could not be done; try again later.")}) from error
    return file_type, digest.hexdigest(), scan_result


def document_upload(
    *, referral, kind: str, document_date: datetime.date, uploaded_file, by, title: str = ""
) -> Document:
    """A document added to the case. The file is written to the storage first and removed again if the row
    cannot be saved, so a failed upload leaves nothing behind."""
    if not perms.can_upload_document(by, referral):
        raise PermissionDenied(_("You cannot add documents to this person's case."))
    errors = {}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose the type of document.")
    if document_date is None:
        errors["document_date"] = _("Give the date of the document.")
    elif document_date > timezone.localdate():
        errors["document_date"] = _("The date cannot be in the future.")
    elif document_date.year < 1900:
        errors["document_date"] = _("Give the date of the document.")
    try:
        file_type, sha256, scan_result = _check_file(uploaded_file)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    document = Document(
        participant_id=referral.participant_id,
        referral=referral,
        kind=kind,
        document_date=document_date,
        title=_title(title or uploaded_file.name),
        content_type=file_type,
        size=uploaded_file.size,
        sha256=sha256,
        scan_result=scan_result,
        uploaded_by=by,
        uploaded_by_provider_id=by.provider_id if by.is_provider_staff else None,
    )
    document.file.save("document", uploaded_file, save=False)
    try:
        with transaction.atomic():
            document.save()
            change_record(
                action="document_uploaded",
                obj=document,
                by=by,
                participant=referral.participant,
                changes={"kind": kind, "content_type": file_type, "size": document.size},
            )
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_share(*, document: Document, provider, by) -> DocumentShare:
    """The Jobbtorg shows a document to a provider the person is currently assigned to."""
    if not perms.can_share_document(by, document):
        raise PermissionDenied(_("You cannot share this document."))
    if provider is None or not selectors.share_targets(document=document).filter(pk=provider.pk).exists():
        raise ValidationError(
            {"provider": _("Choose a provider the person is assigned to that does not have the document.")}
        )
    share = DocumentShare.objects.create(document=document, provider=provider, shared_by=by)
    change_record(
        action="document_shared",
        obj=document,
        by=by,
        participant=document.participant,
        changes={"provider": provider.pk},
    )
    return share
