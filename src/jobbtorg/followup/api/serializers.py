"""Exit and assistance-import API shapes. Input serializers check types and presence only; the services
decide. Identity numbers are accepted as input and never returned."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.utils.api import BoundedDateField, version_field

from ..constants import EmploymentForm, ExitReason
from ..models import AssistanceImport, Exit, JobSupport


class JobSupportSerializer(serializers.ModelSerializer):
    coach = UserRefSerializer(read_only=True)
    state = serializers.SerializerMethodField(
        help_text=_("coming, active or ended — derived from the dates.")
    )

    class Meta:
        model = JobSupport
        fields = ["id", "months", "starts_on", "ends_on", "state", "coach", "created_at"]
        read_only_fields = fields

    def get_state(self, support) -> str:
        return support.state()


class ExitSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    recorded_by = UserRefSerializer(read_only=True)
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True, default=None)
    has_evidence = serializers.SerializerMethodField()
    job_support = JobSupportSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Exit
        fields = [
            "id",
            "referral",
            "participant",
            "exit_date",
            "reason",
            "reason_display",
            "work_hours_per_week",
            "employment_form",
            "subsidised",
            "municipal_labour_market_job",
            "work_start_date",
            "work_lasted_one_month",
            "studies_with_student_finance",
            "studies_eligible_for_student_finance",
            "evidence",
            "evidence_document",
            "has_evidence",
            "job_support",
            "comment",
            "provider",
            "provider_name",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_has_evidence(self, exit) -> bool:
        return bool(exit.evidence.strip())


class ExitCreateSerializer(serializers.Serializer):
    referral = serializers.UUIDField(help_text=_("The accepted referral the person leaves."))
    reason = serializers.ChoiceField(choices=ExitReason.choices)
    exit_date = BoundedDateField(required=False, help_text=_("Default today; not in the future."))
    work_hours_per_week = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=168
    )
    employment_form = serializers.ChoiceField(
        choices=EmploymentForm.choices, required=False, allow_blank=True
    )
    subsidised = serializers.BooleanField(required=False, default=False)
    municipal_labour_market_job = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "A job created by the municipality's labour-market unit (never counts as work). "
            "Required for work."
        ),
    )
    work_start_date = BoundedDateField(required=False, allow_null=True)
    studies_with_student_finance = serializers.BooleanField(required=False, default=False)
    studies_eligible_for_student_finance = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Education that gives the right to student finance (Kolada's studies). Required for studies."
        ),
    )
    evidence = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Reference to a document or an employer's confirmation. Required for work and studies."),
    )
    evidence_document = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A document on the person's case that shows the exit (api/documents/)."),
    )
    job_support_months = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=12,
        help_text=_("Optional, after an exit to work: months of support in the first job."),
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = version_field(required=False, help_text=_("The referral's lock_version (stale: 409)."))


class ExitEvidenceSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=200, allow_blank=True)
    evidence_document = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A document on the person's case that shows the exit (api/documents/)."),
    )
    work_hours_per_week = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=168
    )
    employment_form = serializers.ChoiceField(
        choices=EmploymentForm.choices, required=False, allow_blank=True
    )
    subsidised = serializers.BooleanField(required=False, allow_null=True, default=None)
    work_start_date = BoundedDateField(required=False, allow_null=True)
    studies_with_student_finance = serializers.BooleanField(required=False, allow_null=True, default=None)
    municipal_labour_market_job = serializers.BooleanField(required=False, allow_null=True, default=None)
    studies_eligible_for_student_finance = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )


class WorkFollowupSerializer(serializers.Serializer):
    lasted = serializers.BooleanField(help_text=_("Has the work lasted at least one continuous month?"))


class AssistanceImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssistanceImport
        fields = [
            "id",
            "month",
            "source",
            "file_name",
            "imported_at",
            "row_count",
            "created_count",
            "replaced_count",
            "unchanged_count",
            "skipped_count",
        ]
        read_only_fields = fields


class AssistanceRowSerializer(serializers.Serializer):
    personal_number = serializers.CharField(write_only=True, help_text=_("Never returned or logged."))
    amount = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=_("SEK paid; empty or 0: none.")
    )
    reason_code = serializers.CharField(required=False, allow_blank=True, max_length=20)


class AssistanceJsonSerializer(serializers.Serializer):
    """Documents the JSON body; the rows themselves are checked by the import (a report per row)."""

    month = serializers.CharField(help_text=_("YYYY-MM; one month per delivery."))
    rows = AssistanceRowSerializer(many=True)


class AssistanceFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "UTF-8 CSV with a header personnummer;manad;belopp;orsakskod (';' or ','), or the JSON body as a "
            "file. One bad row rejects the whole file."
        )
    )


class LineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        help_text=_("Line in the file (1 is the CSV header; 0 concerns the whole delivery) or JSON row (1…).")
    )
    message = serializers.CharField()


class ImportRejectedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = LineErrorSerializer(many=True)


class JobSupportCreateSerializer(serializers.Serializer):
    months = serializers.IntegerField(
        required=False, min_value=1, max_value=12, help_text=_("Default: JOBBTORG_JOB_SUPPORT_MONTHS (6).")
    )
