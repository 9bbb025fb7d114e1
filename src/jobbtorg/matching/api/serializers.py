"""Input and output shapes of the matching API. Input serializers only parse; matching.services decide."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.plans.constants import PlacementKind, SwedishLevel

from ..constants import (
    EmploymentForm,
    InternshipLevel,
    MatchStatus,
    RejectionReason,
    Sector,
    VacancySource,
    VacancyStatus,
)
from ..models import Employer, EmployerContact, Match, MatchEvent, Vacancy


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["name", "role", "email", "phone"]


class EmployerSerializer(serializers.ModelSerializer):
    contacts = ContactSerializer(many=True, required=False)

    class Meta:
        model = Employer
        fields = [
            "id",
            "organisation_number",
            "name",
            "sector",
            "is_city",
            "address",
            "postal_code",
            "city",
            "notes",
            "contacts",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class EmployerInputSerializer(serializers.Serializer):
    organisation_number = serializers.CharField(max_length=13)
    name = serializers.CharField(max_length=200)
    sector = serializers.ChoiceField(choices=Sector.choices, default=Sector.PRIVATE)
    is_city = serializers.BooleanField(default=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    contacts = ContactSerializer(many=True, required=False)


class VacancySkillSerializer(serializers.Serializer):
    skill = serializers.IntegerField()
    required = serializers.BooleanField(default=False)


class VacancySerializer(serializers.ModelSerializer):
    occupation = serializers.CharField(source="occupation_id")
    occupation_label = serializers.CharField(source="occupation.label")
    employer_name = serializers.CharField(source="employer.name")
    skills = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "employer",
            "employer_name",
            "kind",
            "internship_level",
            "title",
            "description",
            "occupation",
            "occupation_label",
            "skills",
            "swedish_level",
            "driving_licence_required",
            "hours_per_week",
            "postal_code",
            "city",
            "start_date",
            "places",
            "deadline",
            "status",
            "supported_employment",
            "source",
            "external_id",
            "external_url",
            "employment_type",
            "working_hours",
            "created_at",
        ]

    @extend_schema_field(VacancySkillSerializer(many=True))
    def get_skills(self, obj):
        return [{"skill": link.skill_id, "required": link.required} for link in obj.skill_links.all()]


class VacancyInputSerializer(serializers.Serializer):
    employer = serializers.UUIDField(required=False)
    kind = serializers.ChoiceField(choices=PlacementKind.choices, default=PlacementKind.JOB)
    internship_level = serializers.ChoiceField(
        choices=InternshipLevel.choices, required=False, allow_blank=True
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    occupation = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="SSYK 2012 unit group (4 digits); required"
    )
    skills = VacancySkillSerializer(many=True, required=False)
    swedish_level = serializers.ChoiceField(choices=SwedishLevel.choices, default=SwedishLevel.NONE)
    driving_licence_required = serializers.BooleanField(default=False)
    hours_per_week = serializers.IntegerField(min_value=1, max_value=40, default=40)
    postal_code = serializers.CharField(max_length=6)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    places = serializers.IntegerField(min_value=1, default=1)
    deadline = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    supported_employment = serializers.BooleanField(default=False)


class ExplanationComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    points = serializers.FloatField()
    max = serializers.FloatField()
    text = serializers.CharField()


class DescribedSerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True)
    eligible = serializers.BooleanField()
    rows = ExplanationComponentSerializer(many=True)
    why_not = serializers.ListField(child=serializers.CharField())


class RankedVacancySerializer(serializers.Serializer):
    vacancy = serializers.UUIDField(source="vacancy.pk")
    title = serializers.CharField(source="vacancy.title")
    employer = serializers.CharField(source="vacancy.employer.name")
    source = serializers.ChoiceField(source="vacancy.source", choices=VacancySource.choices)
    score = serializers.FloatField()
    explanation = DescribedSerializer(source="described")


class RankedParticipantSerializer(serializers.Serializer):
    participant = serializers.UUIDField(source="participant.pk")
    name = serializers.CharField(source="participant.full_name")
    score = serializers.FloatField(allow_null=True)
    explanation = DescribedSerializer(source="described")


class VacancyRankingSerializer(serializers.Serializer):
    ranked = RankedParticipantSerializer(many=True)
    filtered = RankedParticipantSerializer(many=True)


class MatchEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchEvent
        fields = ["from_status", "to_status", "note", "at"]


class MatchSerializer(serializers.ModelSerializer):
    events = MatchEventSerializer(many=True, read_only=True)

    class Meta:
        model = Match
        fields = [
            "id",
            "participant",
            "vacancy",
            "status",
            "score",
            "explanation",
            "rejection_reason",
            "rejection_note",
            "interview_at",
            "supported_employment",
            "support_hours_per_week",
            "start_date",
            "hours_per_week",
            "employment_form",
            "proposed_at",
            "lock_version",
            "events",
        ]


class ProposeSerializer(serializers.Serializer):
    participant = serializers.UUIDField()
    vacancy = serializers.UUIDField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    agreed = serializers.BooleanField()
    version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VersionNoteSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[
            MatchStatus.INTERVIEW,
            MatchStatus.HIRED,
            MatchStatus.INTERNSHIP_STARTED,
            MatchStatus.REJECTED,
        ]
    )
    version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    rejection_reason = serializers.ChoiceField(
        choices=RejectionReason.choices, required=False, allow_blank=True, default=""
    )
    interview_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    hours_per_week = serializers.IntegerField(required=False, allow_null=True, default=None)
    employment_form = serializers.ChoiceField(
        choices=EmploymentForm.choices, required=False, allow_blank=True, default=""
    )
    supported_employment = serializers.BooleanField(required=False, allow_null=True, default=None)
    support_hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None
    )


class CityVacanciesInputSerializer(serializers.Serializer):
    """The city's vacancies: a CSV/XLSX `file` (multipart), or `vacancies` as JSON rows with the file's
    columns (id, titel, ssyk, timmar, postnummer, ort, antal, sista_ansokningsdag, status, beskrivning)."""

    file = serializers.FileField(required=False)
    vacancies = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=5000)),
        required=False,
        max_length=5000,
    )

    def validate(self, attrs):
        if ("file" in attrs) == ("vacancies" in attrs):
            raise serializers.ValidationError({"file": [_("Send either a file or a list of vacancies.")]})
        return attrs


class CityFeedLineSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    message = serializers.CharField()


class CityFeedResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    closed = serializers.IntegerField()
    errors = CityFeedLineSerializer(many=True)
