"""Journal and message API shapes. Input serializers check types and presence only; the services decide."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.utils.api import BoundedDateField

from ..constants import MAX_BODY, MAX_MESSAGE, EntryKind
from ..models import JournalEntry, Message


class JournalEntrySerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    author_provider_name = serializers.CharField(source="author_provider.name", read_only=True, default=None)

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "participant",
            "referral",
            "kind",
            "kind_display",
            "occurred_on",
            "body",
            "author",
            "author_provider",
            "author_provider_name",
            "written_at",
            "signed_at",
            "corrects",
        ]
        read_only_fields = fields


class JournalEntryCreateSerializer(serializers.Serializer):
    participant = serializers.UUIDField(
        required=False, help_text=_("The person (required unless `corrects` is given).")
    )
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    occurred_on = BoundedDateField(help_text=_("When it happened; not in the future."))
    body = serializers.CharField(max_length=MAX_BODY)
    sign = serializers.BooleanField(required=False, default=False, help_text=_("Sign at once."))
    corrects = serializers.UUIDField(
        required=False, allow_null=True, help_text=_("A signed entry this entry corrects.")
    )

    def validate(self, attrs):
        if not attrs.get("participant") and not attrs.get("corrects"):
            raise serializers.ValidationError({"participant": _("Give the person.")})
        return attrs


class MessageSerializer(serializers.ModelSerializer):
    sender = UserRefSerializer(read_only=True)

    class Meta:
        model = Message
        fields = ["id", "participant", "referral", "provider", "side", "sender", "body", "sent_at"]
        read_only_fields = fields


class MessageCreateSerializer(serializers.Serializer):
    participant = serializers.UUIDField()
    provider = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Empty: the thread with the person. A provider: the thread with that provider."),
    )
    body = serializers.CharField(max_length=MAX_MESSAGE)
