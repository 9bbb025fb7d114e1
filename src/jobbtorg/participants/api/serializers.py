"""Participant API shapes. Input serializers check types and presence only; the services decide."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.utils.api import BoundedDateField
from jobbtorg.utils.languages import PARTICIPANT_LANGUAGE_CHOICES

from ..constants import ConsentScope, ConsentStatus, TargetGroup
from ..models import Consent, Participant


class ParticipantSummarySerializer(serializers.ModelSerializer):
    """A person in a list: masked identity number, no contact details."""

    masked_personal_number = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "first_name",
            "last_name",
            "full_name",
            "masked_personal_number",
            "protected_identity",
        ]
        read_only_fields = fields


class ParticipantListSerializer(ParticipantSummarySerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices), read_only=True
    )

    class Meta(ParticipantSummarySerializer.Meta):
        fields = [
            *ParticipantSummarySerializer.Meta.fields,
            "birth_date",
            "district",
            "district_name",
            "target_groups",
            "work_capacity",
        ]
        read_only_fields = fields


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "scope", "status", "effective_date", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


CONTACT_FIELDS = ("email", "phone", "address", "postal_code", "city")


class ParticipantDetailSerializer(ParticipantListSerializer):
    """The full record. Contact details are null and `contact_hidden` is true when the reader may not see
    them (protected identity); `consents` are the decisions in force, one per scope.

    Context: `contact_visible` (bool) and `consents` (list of Consent), computed by the view."""

    personal_number = serializers.CharField(source="formatted_personal_number", read_only=True)
    is_coordination_number = serializers.BooleanField(read_only=True)
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    postal_code = serializers.SerializerMethodField()
    city = serializers.SerializerMethodField()
    contact_hidden = serializers.SerializerMethodField()
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    consents = serializers.SerializerMethodField()

    class Meta(ParticipantListSerializer.Meta):
        fields = [
            *ParticipantListSerializer.Meta.fields,
            "personal_number",
            "is_coordination_number",
            *CONTACT_FIELDS,
            "contact_hidden",
            "languages",
            "language",
            "consents",
        ]
        read_only_fields = fields

    def _contact(self, obj, name):
        return getattr(obj, name) if self.context.get("contact_visible", False) else None

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, obj):
        return self._contact(obj, "email")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone(self, obj):
        return self._contact(obj, "phone")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_address(self, obj):
        return self._contact(obj, "address")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_postal_code(self, obj):
        return self._contact(obj, "postal_code")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_city(self, obj):
        return self._contact(obj, "city")

    @extend_schema_field(serializers.BooleanField())
    def get_contact_hidden(self, obj) -> bool:
        return not self.context.get("contact_visible", False)

    @extend_schema_field(ConsentSerializer(many=True))
    def get_consents(self, obj):
        return ConsentSerializer(self.context.get("consents", []), many=True).data


class PersonalNumberSerializer(serializers.Serializer):
    personal_number = serializers.CharField(
        max_length=20, help_text="YYYYMMDD-NNNN or YYMMDD-NNNN (sent in the body, never in a URL)."
    )


class LanguageSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=PARTICIPANT_LANGUAGE_CHOICES,
        help_text="The language of the person's portal, reminders, notices and printed plan: sv, sv-x-easy "
        "(easy-to-read Swedish), en, ar, so, ti or fa (Dari).",
    )


class ConsentCreateSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices, default=ConsentScope.DISTRICT_JOBBTORG)
    status = serializers.ChoiceField(choices=ConsentStatus.choices)
    effective_date = BoundedDateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
