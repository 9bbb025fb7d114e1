from rest_framework import serializers

from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.referrals.models import Referral

from ..forms import MAX_WEEKS
from ..selectors import LOST_LIST_LIMIT


class CaseloadQuerySerializer(serializers.Serializer):
    weeks = serializers.IntegerField(
        min_value=1,
        max_value=MAX_WEEKS,
        required=False,
        help_text="N of 'no meeting, journal entry or activity in the last N weeks' (default: the setting "
        "CASELOAD_LOST_WEEKS).",
    )


class StaffLoadSerializer(serializers.Serializer):
    user = UserRefSerializer()
    is_coach = serializers.BooleanField()
    active = serializers.IntegerField(
        help_text="Coaches: the people they are responsible for; others: the people they met or wrote about "
        "in the window."
    )
    overdue_plans = serializers.IntegerField(
        help_text="Coaches: their people's plans past due, not in force."
    )
    covering = UserRefSerializer(many=True, help_text="The coaches this one stands in for today.")


class LostPersonSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    coach = UserRefSerializer(read_only=True, allow_null=True)
    last_meeting = serializers.DateTimeField(read_only=True, allow_null=True)
    last_entry = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = ["id", "lock_version", "participant", "coach", "accepted_at", "last_meeting", "last_entry"]
        read_only_fields = fields


class CaseloadSerializer(serializers.Serializer):
    weeks = serializers.IntegerField()
    staff = StaffLoadSerializer(many=True)
    unassigned = serializers.IntegerField(help_text="Accepted people without a responsible coach.")
    lost = LostPersonSerializer(
        many=True,
        help_text=f"People not met for `weeks` weeks, oldest acceptance first (at most {LOST_LIST_LIMIT}).",
    )


class ReassignItemSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    version = serializers.IntegerField(min_value=0, help_text="The referral's lock_version you saw.")


class ReassignSerializer(serializers.Serializer):
    referrals = ReassignItemSerializer(many=True, allow_empty=False, max_length=LOST_LIST_LIMIT)
    coach = serializers.IntegerField(
        min_value=1, help_text="The new responsible coach (a job coach of your unit)."
    )
    reason = serializers.CharField(max_length=500)


class ReassignResultSerializer(serializers.Serializer):
    moved = serializers.IntegerField(help_text="People whose coach changed (those already with it stay).")
