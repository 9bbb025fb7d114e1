"""Provider, authorisation and customer-choice API shapes. Input serializers check types and presence only;
the services decide."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.accounts.models import Municipality
from jobbtorg.interventions.models import InterventionType
from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.utils.api import BoundedDateField, version_field

from ..constants import ProviderKind
from ..models import (
    Application,
    ApplicationAnswer,
    Assignment,
    Authorisation,
    AuthorisationEvent,
    ChoiceRequest,
    Provider,
    Requirement,
    Suspension,
)

MAX_ID = 2**63 - 1


def intervention_type_field(**kwargs) -> serializers.SlugRelatedField:
    kwargs.setdefault("help_text", _("The intervention type's `code` (see /api/intervention-types/)."))
    return serializers.SlugRelatedField(
        slug_field="code", queryset=InterventionType.objects.filter(active=True), **kwargs
    )


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- providers ----------------------------------------------------------------------------------------------


class ProviderRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", "name"]
        read_only_fields = fields


class ProviderSerializer(serializers.ModelSerializer):
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Provider
        fields = ["id", "name", "organisation_number", "kind", "postal_area", "languages", "active"]
        read_only_fields = fields


class ProviderDetailSerializer(ProviderSerializer):
    class Meta(ProviderSerializer.Meta):
        fields = [
            *ProviderSerializer.Meta.fields,
            "municipality",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
            "description",
            "created_at",
        ]
        read_only_fields = fields


class ProviderCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    organisation_number = serializers.CharField(
        max_length=20, help_text=_("NNNNNN-NNNN with a correct check digit; stored in that form.")
    )
    kind = serializers.ChoiceField(choices=ProviderKind.choices, default=ProviderKind.COMPANY)
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(),
        required=False,
        help_text=_("Only for a login without a municipality; defaults to yours."),
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_area = serializers.CharField(max_length=100, required=False, allow_blank=True)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=30
    )
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)


# --- requirements and applications --------------------------------------------------------------------------


class RequirementSerializer(serializers.ModelSerializer):
    intervention_type = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Requirement
        fields = ["id", "text", "intervention_type", "order"]
        read_only_fields = fields


class RequirementFilterSerializer(serializers.Serializer):
    intervention_type = intervention_type_field()


class ApplicationAnswerSerializer(serializers.ModelSerializer):
    requirement_text = serializers.CharField(source="requirement.text", read_only=True)

    class Meta:
        model = ApplicationAnswer
        fields = ["requirement", "requirement_text", "fulfilled", "comment"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    provider = ProviderRefSerializer(read_only=True)
    intervention_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    submitted_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    answers = ApplicationAnswerSerializer(many=True, read_only=True)
    authorisation = serializers.SerializerMethodField(help_text=_("The authorisation's id once approved."))

    class Meta:
        model = Application
        fields = [
            "id",
            "provider",
            "intervention_type",
            "status",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "decision_reason",
            "lock_version",
            "answers",
            "authorisation",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_authorisation(self, obj):
        authorisation = getattr(obj, "authorisation", None)  # RelatedObjectDoesNotExist is an AttributeError
        return authorisation.pk if authorisation is not None else None


class AnswerInputSerializer(serializers.Serializer):
    requirement = id_field(help_text=_("The requirement's id (see /api/requirements/)."))
    fulfilled = serializers.BooleanField()
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ApplicationSubmitSerializer(serializers.Serializer):
    intervention_type = intervention_type_field()
    answers = AnswerInputSerializer(many=True, max_length=200, help_text=_("One answer per requirement."))

    def validate_answers(self, answers):
        ids = [answer["requirement"] for answer in answers]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Answer each requirement once."))
        return answers


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(
        help_text=_("true approves (creates the authorisation), false rejects.")
    )
    reason = serializers.CharField(max_length=5000)
    version = version_field()
    valid_from = BoundedDateField(required=False, allow_null=True, help_text=_("Defaults to today."))
    capacity = serializers.IntegerField(
        min_value=0,
        max_value=100000,
        required=False,
        allow_null=True,
        help_text=_("Participants at a time; empty for no set limit."),
    )


class SuspensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suspension
        fields = ["id", "start_date", "end_date", "reason"]
        read_only_fields = fields


class AuthorisationEventSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True)

    class Meta:
        model = AuthorisationEvent
        fields = ["kind", "effective_date", "reason", "by", "at"]
        read_only_fields = fields


class AuthorisationSerializer(serializers.ModelSerializer):
    provider = ProviderRefSerializer(read_only=True)
    intervention_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    in_force = serializers.SerializerMethodField(help_text=_("Whether the provider may be chosen today."))
    suspensions = SuspensionSerializer(many=True, read_only=True)
    events = AuthorisationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Authorisation
        fields = [
            "id",
            "provider",
            "intervention_type",
            "application",
            "valid_from",
            "revoked_from",
            "capacity",
            "lock_version",
            "in_force",
            "suspensions",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_in_force(self, obj) -> bool:
        return Authorisation.objects.in_force(timezone.localdate()).filter(pk=obj.pk).exists()


class DecisionResultSerializer(serializers.Serializer):
    application = ApplicationSerializer()
    authorisation = AuthorisationSerializer(allow_null=True)


class SuspendSerializer(serializers.Serializer):
    start_date = BoundedDateField()
    end_date = BoundedDateField(required=False, allow_null=True, help_text=_("Empty: until further notice."))
    reason = serializers.CharField(max_length=5000)
    version = version_field()


class DatedDecisionSerializer(serializers.Serializer):
    on = BoundedDateField(help_text=_("The first day the change applies."))
    reason = serializers.CharField(max_length=5000)
    version = version_field()


# --- customer choice ----------------------------------------------------------------------------------------


class ChoiceOpenSerializer(serializers.Serializer):
    intervention_type = intervention_type_field()


class ResultSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Finished participants the figure is based on."))
    share = serializers.FloatField(allow_null=True, help_text=_("0–1; null when there is not enough data."))
    enough_data = serializers.BooleanField()


class ProviderResultsSerializer(serializers.Serializer):
    work_or_studies = ResultSerializer(
        help_text=_("Share of finished participants who left for work or studies.")
    )
    self_supporting_6m = ResultSerializer(help_text=_("Share still self-supporting 6 months later."))


class ComparisonRowSerializer(serializers.Serializer):
    provider = ProviderRefSerializer()
    languages = serializers.ListField(child=serializers.CharField())
    postal_area = serializers.CharField()
    address = serializers.CharField()
    description = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True, help_text=_("Null: no set limit."))
    current_participants = serializers.IntegerField()
    free_places = serializers.IntegerField(allow_null=True, help_text=_("Null: no set limit."))
    results = ProviderResultsSerializer()


class AssignmentSerializer(serializers.ModelSerializer):
    provider = ProviderRefSerializer(read_only=True)
    intervention_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "participant",
            "referral",
            "provider",
            "intervention_type",
            "source",
            "reason",
            "start_date",
            "end_date",
            "end_reason",
            "choice",
            "created_at",
        ]
        read_only_fields = fields


class ChoiceSerializer(serializers.ModelSerializer):
    """A provider choice with the comparison of the providers that can be chosen today (context:
    `comparison`, a list of ComparisonRow dicts, and `assignment`)."""

    participant = ParticipantSummarySerializer(read_only=True)
    intervention_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    comparison = serializers.SerializerMethodField()
    assignment = serializers.SerializerMethodField(
        help_text=_("The assignment the choice led to, once made.")
    )

    class Meta:
        model = ChoiceRequest
        fields = [
            "id",
            "referral",
            "participant",
            "intervention_type",
            "status",
            "deadline",
            "opened_at",
            "closed_at",
            "comparison",
            "assignment",
        ]
        read_only_fields = fields

    @extend_schema_field(ComparisonRowSerializer(many=True))
    def get_comparison(self, obj):
        return ComparisonRowSerializer(self.context.get("comparison", []), many=True).data

    @extend_schema_field(AssignmentSerializer(allow_null=True))
    def get_assignment(self, obj):
        assignment = self.context.get("assignment")
        return AssignmentSerializer(assignment).data if assignment is not None else None


class ChoiceListSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    intervention_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ChoiceRequest
        fields = ["id", "referral", "participant", "intervention_type", "status", "deadline", "opened_at"]
        read_only_fields = fields


class ChooseSerializer(serializers.Serializer):
    provider = id_field(help_text=_("The id of a provider from the comparison."))


class AssignmentChangeSerializer(serializers.Serializer):
    provider = id_field(help_text=_("The id of another authorised provider."))
    reason = serializers.CharField(max_length=5000)
