from rest_framework import serializers

from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.plans.constants import OtherPlanStatus
from jobbtorg.plans.models import ActionPlan, OtherPlanLink, PlanActivity
from jobbtorg.utils.api import version_field

from ..constants import MeetingKind, MeetingStatus, RequestKind, RequestStatus
from ..models import PartnerMeeting, PartnerOrganisation, PartnerRequest


class PartnerOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerOrganisation
        fields = ["id", "name", "kind", "contact", "active"]
        read_only_fields = fields


class SharedActivitySerializer(serializers.ModelSerializer):
    intervention = serializers.CharField(source="intervention_type.name", read_only=True)

    class Meta:
        model = PlanActivity
        fields = ["intervention", "description", "start_date", "end_date", "hours_per_week"]
        read_only_fields = fields


class SharedLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = OtherPlanLink
        fields = ["id", "kind", "reference", "start_date", "end_date", "partner", "status", "confirmed_at"]
        read_only_fields = fields


class SharedPlanSerializer(serializers.ModelSerializer):
    """The action plan as a partner sees it: goals, activities, links to other plans — nothing else."""

    activities = SharedActivitySerializer(many=True, read_only=True)
    other_plans = SharedLinkSerializer(many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["id", "status", "goals", "activities", "other_plans", "updated_at"]
        read_only_fields = fields


class PartnerMeetingSerializer(serializers.ModelSerializer):
    organisation = PartnerOrganisationSerializer(read_only=True)

    class Meta:
        model = PartnerMeeting
        fields = [
            "id",
            "participant",
            "referral",
            "organisation",
            "kind",
            "starts_at",
            "ends_at",
            "place",
            "agenda",
            "status",
            "outcome",
            "outcome_recorded_at",
            "lock_version",
        ]
        read_only_fields = fields


class PartnerRequestSerializer(serializers.ModelSerializer):
    organisation = PartnerOrganisationSerializer(read_only=True)

    class Meta:
        model = PartnerRequest
        fields = [
            "id",
            "participant",
            "referral",
            "organisation",
            "kind",
            "question",
            "status",
            "answer",
            "sent_at",
            "handled_at",
            "lock_version",
        ]
        read_only_fields = fields


class SharedCaseSerializer(serializers.Serializer):
    participant = ParticipantSummarySerializer()
    plans = SharedPlanSerializer(many=True)
    meetings = PartnerMeetingSerializer(many=True)
    requests = PartnerRequestSerializer(many=True)


class MeetingCreateSerializer(serializers.Serializer):
    referral = serializers.UUIDField()
    organisation = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=MeetingKind.choices, default=MeetingKind.HANDOVER)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    agenda = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FollowUpSerializer(serializers.Serializer):
    intervention_code = serializers.CharField(max_length=50)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=40)


class MeetingOutcomeSerializer(serializers.Serializer):
    version = version_field()
    status = serializers.ChoiceField(choices=[MeetingStatus.HELD, MeetingStatus.CANCELLED])
    outcome = serializers.CharField(max_length=4000, allow_blank=True, default="")
    follow_ups = FollowUpSerializer(many=True, required=False, default=list, max_length=10)


class RequestCreateSerializer(serializers.Serializer):
    referral = serializers.UUIDField()
    organisation = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    question = serializers.CharField(max_length=4000)


class RequestHandleSerializer(serializers.Serializer):
    version = version_field()
    status = serializers.ChoiceField(
        choices=[RequestStatus.ACCEPTED, RequestStatus.ANSWERED, RequestStatus.DECLINED]
    )
    answer = serializers.CharField(max_length=4000, allow_blank=True, default="")


class LinkConfirmSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OtherPlanStatus.choices, required=False)
