"""Mapping and action-plan API shapes. Input serializers check types and presence only; the services decide
(intervention codes, hours against the limit, dates in order, SSYK codes, workflow, optimistic lock)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.participants.constants import WorkCapacity
from jobbtorg.partners.models import PartnerOrganisation
from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.referrals.constants import CaseScope
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.api import BoundedDateField, version_field

from ..constants import (
    DrivingLicence,
    EducationLevel,
    Obstacle,
    OtherPlanKind,
    OtherPlanStatus,
    PlacementKind,
    SwedishLevel,
)
from ..models import ActionPlan, Mapping, OtherPlanLink, PlanActivity, PlanVersion

LONG_TEXT = 10_000
SMALL_INT = 32767

# --- mapping --------------------------------------------------------------------------------------------


class TierReasonSerializer(serializers.Serializer):
    factor = serializers.CharField()
    points = serializers.IntegerField()
    text = serializers.CharField()


class MappingSerializer(serializers.ModelSerializer):
    wanted_occupations = serializers.ListField(child=serializers.CharField(), read_only=True)
    skills = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    wanted_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)
    other_languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    obstacles = serializers.ListField(child=serializers.ChoiceField(choices=Obstacle.choices), read_only=True)
    tier_reasons = TierReasonSerializer(many=True, read_only=True)
    updated_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Mapping
        fields = [
            "id",
            "referral",
            "education_level",
            "education_note",
            "work_history",
            "months_without_work",
            "months_on_assistance",
            "wanted_occupations",
            "skills",
            "wanted_kinds",
            "swedish_level",
            "other_languages",
            "interpreter_needed",
            "interpreter_language",
            "interpreter_dialect",
            "driving_licence",
            "obstacles",
            "obstacles_note",
            "work_capacity",
            "needs",
            "tier",
            "tier_reasons",
            "lock_version",
            "created_at",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields


class MappingInputSerializer(serializers.Serializer):
    """Every field is optional: the ones sent are saved, the rest stay as they are."""

    version = version_field(
        required=False,
        allow_null=True,
        help_text="The mapping's lock_version you read. Required once it exists; omit when creating.",
    )
    education_level = serializers.ChoiceField(choices=EducationLevel.choices, required=False)
    education_note = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
    work_history = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
    months_without_work = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=SMALL_INT, help_text="Null: never worked."
    )
    months_on_assistance = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=SMALL_INT
    )
    wanted_occupations = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        max_length=50,
        help_text="SSYK 2012 unit-group codes (4 digits), validated against the taxonomy.",
    )
    skills = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=100,
        help_text="Skill ids from /api/taxonomy/skills/.",
    )
    wanted_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=PlacementKind.values),
        required=False,
        max_length=5,
        help_text="Kinds of placement the person wishes; empty = no wish.",
    )
    swedish_level = serializers.ChoiceField(choices=SwedishLevel.choices, required=False)
    other_languages = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=20
    )
    interpreter_needed = serializers.BooleanField(required=False)
    interpreter_language = serializers.CharField(required=False, allow_blank=True, max_length=50)
    interpreter_dialect = serializers.CharField(required=False, allow_blank=True, max_length=100)
    driving_licence = serializers.ChoiceField(choices=DrivingLicence.choices, required=False)
    obstacles = serializers.ListField(
        child=serializers.ChoiceField(choices=Obstacle.choices), required=False, max_length=len(Obstacle)
    )
    obstacles_note = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
    work_capacity = serializers.ChoiceField(choices=WorkCapacity.choices, required=False)
    needs = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)


# --- action plan: output --------------------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):
    intervention_type = serializers.CharField(source="intervention_type.code", read_only=True)
    intervention_name = serializers.CharField(source="intervention_type.display_name", read_only=True)

    class Meta:
        model = PlanActivity
        fields = [
            "intervention_type",
            "intervention_name",
            "description",
            "start_date",
            "end_date",
            "hours_per_week",
        ]
        read_only_fields = fields


class OtherPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = OtherPlanLink
        fields = ["id", "kind", "reference", "start_date", "end_date", "partner", "status", "confirmed_at"]
        read_only_fields = fields


class WeekLoadSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    planned_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    required_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    work_capacity = serializers.IntegerField()
    is_full = serializers.BooleanField()
    is_over = serializers.BooleanField(help_text="More hours than the work capacity allows (not full time).")
    missing_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    over_hours = serializers.DecimalField(max_digits=5, decimal_places=1)


class AgreementSerializer(serializers.Serializer):
    """Where the participant's agreement stands (selectors.AgreementState)."""

    status = serializers.ChoiceField(
        choices=["agreed", "waiting", "voided", "none"],
        help_text="agreed: to `version`; waiting: a proposed version not agreed yet; voided: the last "
        "agreement no longer applies (the plan changed); none: no version needs it.",
    )
    version = serializers.IntegerField(allow_null=True, help_text="The version that needs the agreement.")
    agreed_at = serializers.DateTimeField(allow_null=True)
    sign_in_method = serializers.CharField(allow_blank=True, help_text="How the person signed in (eid, …).")
    voided_version = serializers.IntegerField(allow_null=True)
    void_reason = serializers.CharField(allow_blank=True)

    @staticmethod
    def from_state(state) -> dict:
        if state.agreed:
            status = "agreed"
        elif state.waiting:
            status = "waiting"
        elif state.voided is not None:
            status = "voided"
        else:
            status = "none"
        return {
            "status": status,
            "version": state.version.number if state.version else None,
            "agreed_at": state.agreement.agreed_at if state.agreement else None,
            "sign_in_method": state.agreement.sign_in_method if state.agreement else "",
            "voided_version": state.voided.version.number if state.voided else None,
            "void_reason": state.voided.void_reason if state.voided else "",
        }


class PlanListSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    due_date = serializers.DateField(source="referral.plan_due_date", read_only=True)
    unit_name = serializers.CharField(source="referral.unit.name", read_only=True)
    current_version = serializers.IntegerField(
        source="current_version.number",
        read_only=True,
        allow_null=True,
        help_text="Number of the version in force.",
    )

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "referral",
            "participant",
            "status",
            "due_date",
            "unit_name",
            "current_version",
            "lock_version",
            "updated_at",
        ]
        read_only_fields = fields


class PlanDetailSerializer(PlanListSerializer):
    """Context: `week_load` (selectors.plan_week_load of the plan), computed by the view."""

    activities = ActivitySerializer(many=True, read_only=True)
    other_plans = OtherPlanSerializer(many=True, read_only=True)
    week_load = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField(help_text="The participant's agreement.")

    class Meta(PlanListSerializer.Meta):
        fields = [
            *PlanListSerializer.Meta.fields,
            "goals",
            "activities",
            "other_plans",
            "first_approved_at",
            "week_load",
            "agreement",
        ]
        read_only_fields = fields

    @extend_schema_field(WeekLoadSerializer(allow_null=True))
    def get_week_load(self, obj):
        load = self.context.get("week_load")
        return WeekLoadSerializer(load).data if load is not None else None

    @extend_schema_field(AgreementSerializer)
    def get_agreement(self, obj):
        return AgreementSerializer(AgreementSerializer.from_state(self.context["agreement"])).data


class PlanVersionSummarySerializer(serializers.ModelSerializer):
    proposed_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PlanVersion
        fields = [
            "number",
            "status",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_comment",
        ]
        read_only_fields = fields


class VersionActivitySerializer(serializers.Serializer):
    intervention_type = serializers.CharField()
    intervention_name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)


class VersionWeekSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    planned_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    required_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    work_capacity = serializers.IntegerField()


class VersionContentSerializer(serializers.Serializer):
    goals = serializers.CharField(allow_blank=True)
    activities = VersionActivitySerializer(many=True)
    other_plans = OtherPlanSerializer(many=True)
    week = VersionWeekSerializer(required=False, help_text="The planned week when the version was proposed.")


class PlanVersionDetailSerializer(PlanVersionSummarySerializer):
    content = VersionContentSerializer(read_only=True, help_text="The frozen plan as it was proposed.")

    class Meta(PlanVersionSummarySerializer.Meta):
        fields = [*PlanVersionSummarySerializer.Meta.fields, "content"]
        read_only_fields = fields


class PlanStateSerializer(serializers.ModelSerializer):
    current_version = serializers.IntegerField(
        source="current_version.number", read_only=True, allow_null=True
    )

    class Meta:
        model = ActionPlan
        fields = ["id", "status", "lock_version", "current_version"]
        read_only_fields = fields


class PlanTransitionResultSerializer(serializers.Serializer):
    """The plan's state after propose/approve/return and the version that was proposed or decided."""

    plan = PlanStateSerializer()
    version = PlanVersionSummarySerializer()


# --- action plan: input ---------------------------------------------------------------------------------


class ActivityInputSerializer(serializers.Serializer):
    intervention_type = serializers.CharField(max_length=50, help_text="Code from /api/intervention-types/.")
    description = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    start_date = BoundedDateField()
    end_date = BoundedDateField(required=False, allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)


class OtherPlanInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OtherPlanKind.choices)
    reference = serializers.CharField(max_length=100)
    start_date = BoundedDateField(required=False, allow_null=True)
    end_date = BoundedDateField(required=False, allow_null=True)
    partner = serializers.PrimaryKeyRelatedField(
        queryset=PartnerOrganisation.objects.filter(active=True), required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=OtherPlanStatus.choices, required=False)


class PlanDraftSerializer(serializers.Serializer):
    """The whole draft: goals, activities and other plans replace what was there."""

    version = version_field()
    goals = serializers.CharField(allow_blank=True, max_length=LONG_TEXT)
    activities = ActivityInputSerializer(many=True, max_length=50)
    other_plans = OtherPlanInputSerializer(many=True, required=False, default=list, max_length=20)


class PlanVersionInputSerializer(serializers.Serializer):
    version = version_field()


class PlanApproveSerializer(serializers.Serializer):
    version = version_field()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT, default="")


class PlanCommentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    body = serializers.CharField()
    intervention_type = serializers.CharField(source="intervention_type.code", allow_null=True, default=None)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)
    written_at = serializers.DateTimeField()
    by_participant = serializers.BooleanField(help_text="Written by the person themselves.")


class OwnPlanSerializer(serializers.Serializer):
    """The person's own plan: the version proposed to them (or the one in force), its content, the agreement
    and the comments. `lock_version` is what an agreement sends back as `version`."""

    id = serializers.UUIDField()
    status = serializers.CharField()
    lock_version = serializers.IntegerField()
    version = serializers.IntegerField(allow_null=True)
    content = VersionContentSerializer(allow_null=True)
    agreement = AgreementSerializer()
    comments = PlanCommentSerializer(many=True)


class OwnPlanCommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    intervention_type = serializers.CharField(
        required=False, allow_blank=True, max_length=50, default="", help_text="A catalogue code."
    )
    hours_per_week = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=40,
        required=False,
        allow_null=True,
        default=None,
    )


class PlanReturnSerializer(serializers.Serializer):
    version = version_field()
    comment = serializers.CharField(max_length=LONG_TEXT)


# --- worklist and inbox ---------------------------------------------------------------------------------


class WorkItemSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    coach = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = ["id", "participant", "status", "referral_date", "plan_due_date", "district_name", "coach"]
        read_only_fields = fields


class DeadlineShareSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    in_time = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class WorklistQuerySerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=CaseScope.choices,
        required=False,
        help_text="`mine` (a job coach's default): your own cases and those of coaches you stand in for "
        "today; `unit`: the whole unit. Staff without cases of their own always get the unit.",
    )


class WorklistSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=CaseScope.choices, help_text="The scope shown.")
    new_referrals = WorkItemSerializer(many=True)
    due_today = WorkItemSerializer(many=True)
    overdue = WorkItemSerializer(many=True)
    returned = WorkItemSerializer(many=True, help_text="Referrals whose plan the caseworker returned.")
    deadline = DeadlineShareSerializer(help_text="Share of plans approved by their due date.")


class InboxReferralSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "participant",
            "status",
            "referral_date",
            "plan_due_date",
            "unit_name",
            "return_reason",
        ]
        read_only_fields = fields


class InboxPlanSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    unit_name = serializers.CharField(source="referral.unit.name", read_only=True)
    due_date = serializers.DateField(source="referral.plan_due_date", read_only=True)
    participant_agreed = serializers.BooleanField(
        read_only=True, help_text="The participant has agreed to the proposed version."
    )

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "referral",
            "participant",
            "status",
            "due_date",
            "unit_name",
            "lock_version",
            "participant_agreed",
        ]
        read_only_fields = fields


class InboxSerializer(serializers.Serializer):
    plans_to_decide = InboxPlanSerializer(many=True)
    referrals_open = InboxReferralSerializer(many=True)
    referrals_returned = InboxReferralSerializer(many=True)
