from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    SICK_CERTIFICATE = "sick_certificate", _("Sick certificate")
    EMPLOYMENT_CONFIRMATION = "employment_confirmation", _("Employer's confirmation of employment")
    STUDIES_CONFIRMATION = "studies_confirmation", _("Confirmation of studies")
    CV = "cv", _("CV")
    DECISION_LETTER = "decision_letter", _("Decision letter")
    OTHER = "other", _("Other")


class FileType(models.TextChoices):
    """The file types a document may have, recognised from the content (never from the name)."""

    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
    ODT = "application/vnd.oasis.opendocument.text", "ODT"


class ScanResult(models.TextChoices):
    """What the virus-scan hook said about the file when it was uploaded."""

    CLEAN = "clean", _("Scanned, clean")
    NOT_SCANNED = "not_scanned", _("Not scanned (no scanner configured)")


EXTENSIONS = {
    FileType.PDF: ".pdf",
    FileType.JPEG: ".jpg",
    FileType.PNG: ".png",
    FileType.DOCX: ".docx",
    FileType.ODT: ".odt",
}
MAX_TITLE = 200
