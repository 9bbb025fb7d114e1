from rest_framework import serializers


class OccupationHitSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="SSYK 2012 unit group (4 digits)")
    name = serializers.CharField(help_text="Occupation name")
    group_label = serializers.CharField()
    field = serializers.CharField()


class SkillSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    concept_id = serializers.CharField()


class OccupationGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.IntegerField()
    label = serializers.CharField()
    parent = serializers.CharField(source="parent_id", allow_null=True)
