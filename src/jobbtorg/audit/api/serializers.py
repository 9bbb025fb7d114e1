from rest_framework import serializers

from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.utils.api import BoundedDateField

from ..models import ReadLog

MAX_ID = 2**63 - 1


class ReadLogSerializer(serializers.ModelSerializer):
    user = UserRefSerializer(read_only=True)

    class Meta:
        model = ReadLog
        fields = ["id", "at", "user", "participant_id", "view", "channel", "protected_identity"]
        read_only_fields = fields


class ReadLogFilterSerializer(serializers.Serializer):
    user = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Reader's user id."
    )
    since = BoundedDateField(required=False, help_text="First day (inclusive).")
    until = BoundedDateField(required=False, help_text="Last day (inclusive).")


class ReadLogSearchSerializer(ReadLogFilterSerializer):
    personal_number = serializers.CharField(
        max_length=20, help_text="The person whose reads to list (in the body, never in a URL)."
    )
