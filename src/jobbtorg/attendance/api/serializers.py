"""Attendance, notices and appointment API shapes. Input serializers check types and presence only; the
services decide."""

import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jobbtorg.interventions.api.serializers import OfferingRefSerializer
from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.utils.api import BoundedDateField

from ..constants import (
    AppointmentKind,
    AppointmentOutcome,
    AttendanceStatus,
    EventKind,
    InterpreterType,
    ValidReason,
)
from ..models import AttendanceEvent, AttendanceReport, Notice, ReportedAbsence

MAX_ID = 2**63 - 1
MAX_BULK = 500


# --- attendance ---------------------------------------------------------------------------------------------


class AttendanceReportInputSerializer(serializers.Serializer):
    booking = serializers.UUIDField(help_text=_("The booking's id."))
    date = BoundedDateField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    valid_reason = serializers.ChoiceField(
        choices=ValidReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for a valid absence."),
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=24,
        required=False,
        allow_null=True,
        default=None,
    )


class AttendanceReportSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    reported_by = UserRefSerializer(read_only=True)

    class Meta:
        model = AttendanceReport
        fields = [
            "id",
            "booking",
            "participant",
            "date",
            "status",
            "valid_reason",
            "hours",
            "note",
            "reported_by",
            "reported_at",
        ]
        read_only_fields = fields


class AttendanceBulkSerializer(serializers.Serializer):
    reports = AttendanceReportInputSerializer(many=True, allow_empty=False, max_length=MAX_BULK)


class AttendanceBulkResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text=_("Reports written."))
    reports = AttendanceReportSerializer(many=True)


class AttendanceCsvSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "UTF-8 CSV with a header: personnummer;datum;status;orsak;insats (';' or ','). One bad row "
            "rejects "
            "the whole file."
        )
    )


class CsvLineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        help_text=_("Line in the file (1 is the header; 0 concerns the whole file).")
    )
    message = serializers.CharField()


class CsvRejectedSerializer(serializers.Serializer):
    errors = CsvLineErrorSerializer(many=True)


class CsvWrittenSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text=_("Reports written."))


class GridFilterSerializer(serializers.Serializer):
    offering = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("The offering's id."))
    week = serializers.CharField(
        required=False,
        max_length=10,
        help_text=_("ISO week (2026-W09) or any date in the week (YYYY-MM-DD); default this week."),
    )

    def validate_week(self, value: str) -> datetime.date:
        value = value.strip()
        try:
            if "W" in value.upper():
                year, week = value.upper().split("-W")
                day = datetime.date.fromisocalendar(int(year), int(week), 1)
            else:
                day = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise serializers.ValidationError(_("Give the week as 2026-W09 or a date YYYY-MM-DD.")) from exc
        if not (BoundedDateField.earliest <= day <= BoundedDateField.latest):
            raise serializers.ValidationError(_("Give the week as 2026-W09 or a date YYYY-MM-DD."))
        return day - datetime.timedelta(days=day.weekday())


class GridReportSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    valid_reason = serializers.CharField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    note = serializers.CharField()


class GridCellSerializer(serializers.Serializer):
    date = serializers.DateField()
    reportable = serializers.BooleanField(
        help_text=_("Inside the booking, a working day, not in the future.")
    )
    report = GridReportSerializer(allow_null=True, help_text=_("Null: not reported (which is not absence)."))


class GridRowSerializer(serializers.Serializer):
    booking = serializers.UUIDField()
    participant = ParticipantSummarySerializer()
    cells = GridCellSerializer(many=True)


class AttendanceGridSerializer(serializers.Serializer):
    offering = OfferingRefSerializer()
    week_start = serializers.DateField()
    days = serializers.ListField(child=serializers.DateField())
    rows = GridRowSerializer(many=True)


class UnreportedDaySerializer(serializers.Serializer):
    booking = serializers.UUIDField()
    offering = OfferingRefSerializer()
    participant = ParticipantSummarySerializer()
    date = serializers.DateField()


class AttendanceEventInputSerializer(serializers.Serializer):
    booking = serializers.UUIDField(help_text=_("The booking's id."))
    kind = serializers.ChoiceField(choices=EventKind.choices)
    date = BoundedDateField()
    reason = serializers.CharField(max_length=5000)


class AttendanceEventSerializer(serializers.ModelSerializer):
    reported_by = UserRefSerializer(read_only=True)

    class Meta:
        model = AttendanceEvent
        fields = ["id", "booking", "participant", "kind", "date", "reason", "reported_by", "reported_at"]
        read_only_fields = fields


# --- notices ------------------------------------------------------------------------------------------------


class NoticeSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer(read_only=True)
    acknowledged_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "participant",
            "referral",
            "kind",
            "date",
            "facts",
            "created_at",
            "acknowledged_at",
            "acknowledged_by",
        ]
        read_only_fields = fields


class NoticeFilterSerializer(serializers.Serializer):
    open = serializers.BooleanField(
        required=False, default=False, help_text=_("1/true: only notices not yet acknowledged.")
    )


# --- appointments -------------------------------------------------------------------------------------------


class AppointmentInputSerializer(serializers.Serializer):
    referral = serializers.UUIDField(help_text=_("The person's referral."))
    kind = serializers.ChoiceField(choices=AppointmentKind.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    video_link = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    interpreter_type = serializers.ChoiceField(
        choices=InterpreterType.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The interpreter booked: on_site, phone or video; empty: none booked (yet)."),
    )
    interpreter_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": _("The meeting must end after it starts.")})
        if not (attrs["place"].strip() or attrs["video_link"].strip()):
            raise serializers.ValidationError({"place": _("Give a place or a video link.")})
        return attrs


class AppointmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    participant = ParticipantSummarySerializer()
    referral = serializers.UUIDField(source="referral_id")
    organiser = UserRefSerializer()
    provider = serializers.IntegerField(source="provider_id", allow_null=True)
    kind = serializers.ChoiceField(choices=AppointmentKind.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    video_link = serializers.CharField()
    outcome = serializers.ChoiceField(choices=AppointmentOutcome.choices)
    outcome_reason = serializers.CharField()
    reminder_sent_at = serializers.DateTimeField(allow_null=True)
    interpreter_needed = serializers.BooleanField(
        help_text=_("From the mapping when the meeting was booked.")
    )
    interpreter_language = serializers.CharField()
    interpreter_dialect = serializers.CharField()
    interpreter_type = serializers.ChoiceField(choices=InterpreterType.choices, allow_blank=True)
    interpreter_note = serializers.CharField()
    lacks_interpreter = serializers.BooleanField(
        help_text=_("The person needs an interpreter and none is booked yet.")
    )
    created_at = serializers.DateTimeField()


class AppointmentFilterSerializer(serializers.Serializer):
    referral = serializers.UUIDField(required=False, help_text=_("The referral's id."))


class AppointmentInterpreterSerializer(serializers.Serializer):
    interpreter_type = serializers.ChoiceField(
        choices=InterpreterType.choices,
        allow_blank=True,
        help_text=_("on_site, phone or video; empty: no interpreter booked (yet)."),
    )
    interpreter_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AppointmentOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in AppointmentOutcome.choices if c[0] != AppointmentOutcome.SCHEDULED]
    )
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when cancelled or excused."),
    )


class ReportedAbsenceSerializer(serializers.ModelSerializer):
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)

    class Meta:
        model = ReportedAbsence
        fields = [
            "id",
            "participant",
            "reason",
            "reason_display",
            "first_day",
            "last_day",
            "note",
            "reported_at",
        ]
        read_only_fields = fields


class ReportedAbsenceCreateSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=ValidReason.choices, help_text=_("sick, child or other (the reasons a person reports).")
    )
    first_day = BoundedDateField(help_text=_("Today or a coming day."))
    last_day = BoundedDateField(required=False, help_text=_("Default: the first day."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
