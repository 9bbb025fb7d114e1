"""Document API shapes. Input serializers check types and presence only; the services decide."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.utils.api import BoundedDateField

from ..constants import DocumentKind
from ..models import Document


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    uploaded_by_provider_name = serializers.CharField(
        source="uploaded_by_provider.name", read_only=True, default=None
    )
    shared_with = serializers.SerializerMethodField(help_text=_("Providers the document was shared with."))

    class Meta:
        model = Document
        fields = [
            "id",
            "participant",
            "referral",
            "kind",
            "kind_display",
            "document_date",
            "title",
            "content_type",
            "size",
            "sha256",
            "scan_result",
            "uploaded_by",
            "uploaded_by_provider",
            "uploaded_by_provider_name",
            "uploaded_at",
            "shared_with",
        ]
        read_only_fields = fields

    def get_shared_with(self, document) -> list[int]:
        return [share.provider_id for share in getattr(document, "shown_shares", [])]


class DocumentUploadSerializer(serializers.Serializer):
    participant = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    document_date = BoundedDateField(help_text=_("The date of the document; not in the future."))
    file = serializers.FileField(
        allow_empty_file=True,
        help_text=_("PDF, JPEG, PNG, DOCX or ODT (recognised by the content), at most the configured size."),
    )


class DocumentShareSerializer(serializers.Serializer):
    provider = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("A provider the person is currently assigned to.")
    )
