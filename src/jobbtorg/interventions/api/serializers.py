from rest_framework import serializers

from ..models import InterventionType


class InterventionTypeSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True, help_text="The name in the request's language.")

    class Meta:
        model = InterventionType
        fields = [
            "code",
            "name",
            "name_en",
            "display_name",
            "description",
            "category",
            "is_sfi_related",
            "is_work_training",
            "is_internship",
            "is_matching",
        ]
        read_only_fields = fields
