"""Referral API shapes. Input serializers check types and presence only; the services decide."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.accounts.models import District, Unit
from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.participants.constants import TargetGroup, WorkCapacity
from jobbtorg.utils.api import BoundedDateField, version_field

from ..constants import INTAKE_SOURCES, AssistanceStatus, CloseReason, ReferralSource, SendBackReason
from ..models import CoachChange, Referral, ReferralEvent, SendBack, SendBackEvent, Substitution

User = get_user_model()


class UserRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class ReferralListSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    coach = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "participant",
            "status",
            "target_group",
            "source",
            "referral_date",
            "plan_due_date",
            "district",
            "district_name",
            "unit",
            "unit_name",
            "coach",
            "lock_version",
        ]
        read_only_fields = fields


class ReferralEventSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True)

    class Meta:
        model = ReferralEvent
        fields = ["from_status", "to_status", "by", "at", "comment"]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralListSerializer):
    caseworker = UserRefSerializer(
        read_only=True, allow_null=True, help_text="Null for an intake the unit registered itself (ADR 0020)."
    )
    events = ReferralEventSerializer(many=True, read_only=True)
    plan = serializers.SerializerMethodField(help_text="The action plan's id, null until a plan is started.")
    mapping_tier = serializers.SerializerMethodField(help_text="Distance tier from the mapping, null before.")

    class Meta(ReferralListSerializer.Meta):
        fields = [
            *ReferralListSerializer.Meta.fields,
            "reason",
            "assistance_status",
            "notes",
            "unit_chosen_by_participant",
            "source_other",
            "caseworker",
            "return_reason",
            "close_reason",
            "accepted_at",
            "closed_at",
            "created_at",
            "updated_at",
            "events",
            "plan",
            "mapping_tier",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.UUID)
    def get_plan(self, obj):
        plan = getattr(obj, "plan", None)  # RelatedObjectDoesNotExist is an AttributeError
        return str(plan.pk) if plan is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_mapping_tier(self, obj):
        mapping = getattr(obj, "mapping", None)
        return (mapping.tier or None) if mapping is not None else None


class ReferralStateSerializer(serializers.ModelSerializer):
    """The referral's state after a transition (no personal details)."""

    coach = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = ["id", "status", "lock_version", "plan_due_date", "coach", "return_reason", "close_reason"]
        read_only_fields = fields


class PersonInputSerializer(serializers.Serializer):
    """The person's identity and contact details, shared by a referral and an intake."""

    personal_number = serializers.CharField(max_length=20, help_text="YYYYMMDD-NNNN or YYMMDD-NNNN.")
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=10)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=20
    )
    protected_identity = serializers.BooleanField(required=False)
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices),
        required=False,
        max_length=len(TargetGroup),
    )
    work_capacity = serializers.ChoiceField(choices=WorkCapacity.choices, required=False, allow_null=True)


class ReferralCreateSerializer(PersonInputSerializer):
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    reason = serializers.CharField(max_length=5000)
    assistance_status = serializers.ChoiceField(choices=AssistanceStatus.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    source = serializers.ChoiceField(
        choices=ReferralSource.choices,
        required=False,
        default=ReferralSource.SOCIAL_SERVICES,
        help_text="Who initiated the referral (Kolada U40806–U40810); default social services.",
    )
    chosen_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text="Another unit the person chose; omit to route to the unit serving the district.",
    )
    consent_given = serializers.BooleanField(
        help_text="The person consents to sharing information between the district and the Jobbtorg."
    )
    consent_date = BoundedDateField(required=False, allow_null=True)
    referral_date = BoundedDateField(required=False, allow_null=True)


class IntakeSerializer(PersonInputSerializer):
    """Intake at the Jobbtorg unit (ADR 0020): the person is taken in at your unit, accepted at once."""

    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(),
        help_text="The district (id) where the person lives, in your unit's municipality; used only if the "
        "person is not registered yet.",
    )
    source = serializers.ChoiceField(
        choices=INTAKE_SOURCES,
        help_text="Who sent the person (Kolada U40806–U40810): social services refer through a caseworker.",
    )
    source_other = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default="", help_text="Which actor, for `other`."
    )
    referral_date = BoundedDateField(required=False, allow_null=True, help_text="Default today.")
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    reason = serializers.CharField(max_length=5000)
    assistance_status = serializers.ChoiceField(
        choices=AssistanceStatus.choices, required=False, default=AssistanceStatus.NONE
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    coach = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="The responsible job coach (user id) of your unit; defaults to you if you are a coach.",
    )
    consent_given = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The person consents to sharing information between the Jobbtorg and the actor who sent "
        "them (recorded for Arbetsförmedlingen and Försäkringskassan).",
    )
    consent_date = BoundedDateField(required=False, allow_null=True)


class AcceptSerializer(serializers.Serializer):
    version = version_field()
    coach = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="The job coach (user id) at the receiving unit; defaults to you if you are a coach.",
    )


class ReturnSerializer(serializers.Serializer):
    version = version_field()
    reason = serializers.CharField(max_length=5000)


class CloseSerializer(serializers.Serializer):
    version = version_field()
    reason = serializers.ChoiceField(choices=CloseReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ResubmitSerializer(serializers.Serializer):
    version = version_field()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class SendBackCreateSerializer(serializers.Serializer):
    version = version_field()
    reason = serializers.ChoiceField(choices=SendBackReason.choices)
    explanation = serializers.CharField(max_length=2000)


class SendBackEventSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True)

    class Meta:
        model = SendBackEvent
        fields = ["from_status", "to_status", "by", "at", "comment"]
        read_only_fields = fields


class SendBackSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(source="referral.participant", read_only=True)
    district = serializers.IntegerField(source="referral.district_id", read_only=True)
    unit = serializers.IntegerField(source="referral.unit_id", read_only=True)
    events = SendBackEventSerializer(many=True, read_only=True)

    class Meta:
        model = SendBack
        fields = [
            "id",
            "referral",
            "participant",
            "district",
            "unit",
            "reason",
            "explanation",
            "status",
            "sent_at",
            "escalated_at",
            "decided_at",
            "events",
            "lock_version",
        ]
        read_only_fields = fields


class SendBackAnswerSerializer(serializers.Serializer):
    version = version_field()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SendBackDecideSerializer(serializers.Serializer):
    version = version_field()
    uphold = serializers.BooleanField(
        help_text="True: the send-back stands and the referral closes; false: the Jobbtorg keeps the person."
    )
    comment = serializers.CharField(max_length=2000)


class CoachChangeSerializer(serializers.ModelSerializer):
    from_coach = UserRefSerializer(read_only=True, allow_null=True)
    to_coach = UserRefSerializer(read_only=True, allow_null=True)
    by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CoachChange
        fields = ["id", "kind", "from_coach", "to_coach", "by", "at", "reason"]
        read_only_fields = fields


class CoachChangeInputSerializer(serializers.Serializer):
    version = version_field()
    coach = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="The new responsible coach (a job coach of the unit)."
    )
    reason = serializers.CharField(max_length=500)


class SubstitutionSerializer(serializers.ModelSerializer):
    coach = UserRefSerializer(read_only=True)
    substitute = UserRefSerializer(read_only=True)
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Substitution
        fields = ["id", "coach", "substitute", "starts_on", "ends_on", "reason", "created_by", "created_at"]
        read_only_fields = fields


class SubstitutionInputSerializer(serializers.Serializer):
    coach = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="The coach who is away."
    )
    substitute = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    starts_on = BoundedDateField()
    ends_on = BoundedDateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
