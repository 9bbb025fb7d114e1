"""Documents on a person's case (sick certificates, an employer's confirmation of an exit to work, CVs,
decision letters …). The file lives in the storage backend (`STORAGES["default"]`: local disk, or
S3-compatible object storage), under a random name that says nothing about the person; the row holds what
it is, its date, who uploaded it and to which providers it was shown. Never served from a public URL: only
through the download views, which check `Document.objects.visible_to` and log the read. Retention removes
the row and the file with the case file (privacy.retention)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import MAX_TITLE, DocumentKind, FileType, ScanResult
from .querysets import DocumentQuerySet, DocumentShareQuerySet


def document_path(document, filename: str) -> str:
    """A random name in the storage: never the person, never the uploaded name."""
    return f"documents/{uuid.uuid4().hex}"


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="documents"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="documents", verbose_name=_("case")
    )
    kind = models.CharField(_("type"), max_length=30, choices=DocumentKind.choices)
    document_date = models.DateField(_("date of the document"))
    title = models.CharField(_("file name"), max_length=MAX_TITLE)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    content_type = models.CharField(_("file type"), max_length=100, choices=FileType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    scan_result = models.CharField(_("virus scan"), max_length=20, choices=ScanResult.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_by_provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when provider staff uploaded the document."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-document_date", "-uploaded_at"]
        indexes = [models.Index(fields=["participant", "-document_date"])]
        constraints = [models.CheckConstraint(condition=models.Q(size__gt=0), name="document_not_empty")]
        permissions = [("share_document", _("Can share a document with a provider"))]

    def __str__(self):
        return f"{self.get_kind_display()} {self.document_date}"


class DocumentShare(models.Model):
    """A document shown to a provider the person is assigned to (by Jobbtorg staff). Kept as a row: who
    shared it and when."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="shares")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared document")
        verbose_name_plural = _("shared documents")
        constraints = [
            models.UniqueConstraint(fields=["document", "provider"], name="document_shared_once_per_provider")
        ]
