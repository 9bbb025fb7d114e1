"""Attendance (one day, a batch, a CSV file; the week grid; days not reported), interruptions and restarts,
the caseworker's notices and appointments. Views parse input, call a service or selector and render."""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.identity.constants import TokenScope
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.utils.api import (
    NON_FIELD_ERRORS,
    WRITE_ACTION,
    IsCaseworker,
    allowed_by,
    errors,
    has_perms,
    validation_error_detail,
)
from jobbtorg.utils.api import validated_input as _input
from jobbtorg.utils.parsers import FormParser, MultiPartParser

from .. import perms, selectors, services
from ..csv_import import attendance_csv_import
from ..models import Appointment, AttendanceEvent, AttendanceReport, ReportedAbsence
from .serializers import (
    AppointmentFilterSerializer,
    AppointmentInputSerializer,
    AppointmentInterpreterSerializer,
    AppointmentOutcomeSerializer,
    AppointmentSerializer,
    AttendanceBulkResultSerializer,
    AttendanceBulkSerializer,
    AttendanceCsvSerializer,
    AttendanceEventInputSerializer,
    AttendanceEventSerializer,
    AttendanceGridSerializer,
    AttendanceReportInputSerializer,
    AttendanceReportSerializer,
    CsvRejectedSerializer,
    CsvWrittenSerializer,
    GridFilterSerializer,
    NoticeFilterSerializer,
    NoticeSerializer,
    ReportedAbsenceCreateSerializer,
    ReportedAbsenceSerializer,
    UnreportedDaySerializer,
)

MAX_CSV_BYTES = 2 * 1024 * 1024
NOT_VISIBLE = gettext_lazy("Not found, or not visible to you.")


def _reportable_booking(request, pk):
    """The booking to report for; one the user may not report for is a 404."""
    return get_object_or_404(
        Booking.objects.reportable_by(request.user).select_related(
            "offering__municipality", "offering__provider", "offering__unit", "participant", "referral"
        ),
        pk=pk,
    )


def _reports(pks) -> list[AttendanceReport]:
    return list(
        AttendanceReport.objects.filter(pk__in=pks)
        .select_related("participant", "reported_by")
        .order_by("date", "id")
    )


def _report_kwargs(item: dict) -> dict:
    return {
        "day": item["date"],
        "status": item["status"],
        "valid_reason": item["valid_reason"] or "",
        "note": item["note"] or "",
        "hours": item["hours"],
    }


class AttendanceView(APIView):
    token_scope = TokenScope.ATTENDANCE_REPORT  # a provider's system reports attendance

    def get_permissions(self):
        perm = (
            "attendance.add_attendancereport"
            if self.request.method == "POST"
            else "attendance.view_attendancereport"
        )
        return [IsAuthenticated(), has_perms(perm)()]

    @extend_schema(
        summary="The attendance grid of an offering for a week",
        description="The people of the offering you report for (provider staff: those assigned to you with "
        "consent; Jobbtorg staff: your unit's), Monday to Friday, with each day's report or null (not "
        "reported — which is not absence). An offering you do not report for is a 404. Each person listed is "
        "logged as read.",
        parameters=[GridFilterSerializer],
        responses={200: AttendanceGridSerializer, **errors(400, 403, 404)},
    )
    def get(self, request):
        params = _input(request, GridFilterSerializer, data=request.query_params)
        offering = get_object_or_404(
            Offering.objects.reportable_by(request.user).select_related("intervention_type"),
            pk=params["offering"],
        )
        today = timezone.localdate()
        week_start = params.get("week") or today - datetime.timedelta(days=today.weekday())
        days, rows = selectors.week_grid(user=request.user, offering=offering, week_start=week_start)
        data = AttendanceGridSerializer(
            {
                "offering": offering,
                "week_start": week_start,
                "days": days,
                "rows": [
                    {
                        "booking": row.booking.pk,
                        "participant": row.booking.participant,
                        "cells": [
                            {"date": day, "reportable": bookable, "report": report}
                            for day, report, bookable in row.cells
                        ],
                    }
                    for row in rows
                ],
            }
        ).data
        log_reads(request, [row.booking.participant for row in rows], view="attendance_grid")
        return Response(data)

    @extend_schema(
        summary="Report one person's attendance for a day",
        description="Present, absent with a valid reason (`valid_reason` required) or absent without one. A "
        "second report for the same day corrects the first. An unexcused absence reaches the caseworker the "
        "same day (facts only). A booking you do not report for is a 404; a day outside the booking or in "
        "the future is a 400 on `date`.",
        request=AttendanceReportInputSerializer,
        responses={201: AttendanceReportSerializer, **errors(400, 403, 404)},
    )
    def post(self, request):
        data = _input(request, AttendanceReportInputSerializer)
        booking = _reportable_booking(request, data["booking"])
        report = services.attendance_report(booking=booking, by=request.user, **_report_kwargs(data))
        (report,) = _reports([report.pk])
        log_read(request, booking.participant, "attendance_reported")
        return Response(AttendanceReportSerializer(report).data, status=status.HTTP_201_CREATED)


class AttendanceBulkView(APIView):
    token_scope = TokenScope.ATTENDANCE_REPORT  # a provider's system reports attendance
    permission_classes = [IsAuthenticated, has_perms("attendance.add_attendancereport")]

    @extend_schema(
        summary="Report attendance for many people and days at once",
        description="All or nothing, in one transaction: if any report is refused, nothing is written and "
        "the "
        "errors name the item, e.g. `reports[3].date`. A booking you do not report for is an error on "
        "`reports[n].booking`.",
        request=AttendanceBulkSerializer,
        responses={201: AttendanceBulkResultSerializer, **errors(400, 403)},
    )
    def post(self, request):
        items = _input(request, AttendanceBulkSerializer)["reports"]
        bookings = {
            b.pk: b
            for b in Booking.objects.reportable_by(request.user)
            .filter(pk__in={item["booking"] for item in items})
            .select_related(
                "offering__municipality", "offering__provider", "offering__unit", "participant", "referral"
            )
        }
        problems: dict[str, list[str]] = {}
        written = []
        seen = set()
        with transaction.atomic():
            for index, item in enumerate(items):
                prefix = f"reports[{index}]"
                booking = bookings.get(item["booking"])
                if booking is None:
                    problems[f"{prefix}.booking"] = [NOT_VISIBLE]
                    continue
                if (booking.pk, item["date"]) in seen:
                    problems[f"{prefix}.date"] = [_("The same booking and day appear twice.")]
                    continue
                seen.add((booking.pk, item["date"]))
                try:
                    with transaction.atomic():
                        written.append(
                            services.attendance_report(
                                booking=booking, by=request.user, **_report_kwargs(item)
                            )
                        )
                except DjangoValidationError as exc:
                    for field, messages in validation_error_detail(exc).items():
                        key = prefix if field == NON_FIELD_ERRORS else f"{prefix}.{field}"
                        problems.setdefault(key, []).extend(messages)
                except DjangoPermissionDenied as exc:
                    problems[f"{prefix}.booking"] = [str(exc) or NOT_VISIBLE]
            if problems:
                transaction.set_rollback(True)
        if problems:
            raise ValidationError(problems)
        reports = _reports([r.pk for r in written])
        log_reads(request, [b.participant for b in bookings.values()], view="attendance_reported")
        return Response(
            AttendanceBulkResultSerializer({"rows": len(reports), "reports": reports}).data,
            status=status.HTTP_201_CREATED,
        )


class AttendanceCsvView(APIView):
    token_scope = TokenScope.ATTENDANCE_REPORT  # a provider's system reports attendance
    permission_classes = [IsAuthenticated, has_perms("attendance.add_attendancereport")]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Upload attendance as a CSV file",
        description="Every row is checked first; one bad row (unknown person, person not assigned to you, "
        "date outside the booking, bad code) rejects the whole file with a message per line, and nothing is "
        "written. Columns: personnummer;datum;status;orsak;insats.",
        request={"multipart/form-data": AttendanceCsvSerializer},
        responses={
            201: CsvWrittenSerializer,
            400: OpenApiResponse(
                CsvRejectedSerializer,
                description="The file was rejected: `errors` per line (or field messages without a file).",
            ),
            **errors(403),
        },
    )
    def post(self, request):
        upload = _input(request, AttendanceCsvSerializer)["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError({"file": [_("The file is too large (at most 2 MB).")]})
        result = attendance_csv_import(by=request.user, content=upload.read(), file_name=upload.name or "")
        if not result.ok:
            return Response(
                {"errors": [{"line": line, "message": message} for line, message in result.errors]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"rows": result.rows}, status=status.HTTP_201_CREATED)


class UnreportedView(APIView):
    token_scope = TokenScope.ATTENDANCE_REPORT  # a provider's system reports attendance
    permission_classes = [IsAuthenticated, has_perms("attendance.view_attendancereport")]

    @extend_schema(
        summary="Days not reported yet",
        description="Working days of the last four weeks, within the bookings you report for, without a "
        "report — to be reported, never treated as absence. Each person listed is logged as read.",
        responses={200: UnreportedDaySerializer(many=True), **errors(403)},
    )
    def get(self, request):
        missing = selectors.unreported_days(user=request.user)
        data = UnreportedDaySerializer(
            [
                {
                    "booking": booking.pk,
                    "offering": booking.offering,
                    "participant": booking.participant,
                    "date": day,
                }
                for booking, day in missing
            ],
            many=True,
        ).data
        log_reads(request, [booking.participant for booking, _day in missing], view="attendance_unreported")
        return Response(data)


class AttendanceEventView(APIView):
    token_scope = TokenScope.ATTENDANCE_REPORT  # a provider's system reports attendance
    permission_classes = [IsAuthenticated, has_perms("attendance.add_attendancereport")]

    @extend_schema(
        summary="Report an interruption or a restart",
        description="With the date and a reason; it reaches the caseworker the same day. Only an interrupted "
        "intervention can be restarted. A booking you do not report for is a 404.",
        request=AttendanceEventInputSerializer,
        responses={201: AttendanceEventSerializer, **errors(400, 403, 404)},
    )
    def post(self, request):
        data = _input(request, AttendanceEventInputSerializer)
        booking = _reportable_booking(request, data["booking"])
        event = services.attendance_event_record(
            booking=booking, kind=data["kind"], day=data["date"], reason=data["reason"], by=request.user
        )
        event = AttendanceEvent.objects.select_related("reported_by").get(pk=event.pk)
        log_read(request, booking.participant, "attendance_event_reported")
        return Response(AttendanceEventSerializer(event).data, status=status.HTTP_201_CREATED)


# --- notices ------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Notices to social services (caseworker)",
        description="Facts about the people of your district: unexcused absences, no-shows, interruptions, "
        "restarts, certificates required, three-party meetings proposed. `open=1`: not yet acknowledged. "
        "Each "
        "person listed is logged as read.",
        parameters=[NoticeFilterSerializer],
        responses={200: NoticeSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A notice",
        description="The read is logged.",
        responses={200: NoticeSerializer, **errors(403, 404)},
    ),
)
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [
        IsAuthenticated,
        allowed_by(perms.can_view_notices, IsCaseworker.message),
        has_perms("attendance.view_notice"),
    ]
    serializer_class = NoticeSerializer
    filter_backends = []
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.notices_for(self.request.user).select_related("acknowledged_by")

    def list(self, request, *args, **kwargs):
        params = _input(request, NoticeFilterSerializer, data=request.query_params)
        notices = selectors.notices_for(request.user, open_only=params["open"]).select_related(
            "acknowledged_by"
        )
        page = self.paginate_queryset(notices)
        log_reads(request, [n.participant for n in page], view="notice_list")
        return self.get_paginated_response(NoticeSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        notice = self.get_object()
        log_read(request, notice.participant, "notice_detail")
        return Response(NoticeSerializer(notice).data)

    @extend_schema(
        summary="Acknowledge a notice (caseworker)",
        description="Marks the notice as seen; acknowledging twice changes nothing.",
        request=None,
        responses={200: NoticeSerializer, **errors(403, 404)},
    )
    @action(**WRITE_ACTION)
    def acknowledge(self, request, pk=None):
        notice = self.get_object()
        services.notice_acknowledge(notice=notice, by=request.user)
        notice = self.get_queryset().get(pk=notice.pk)
        log_read(request, notice.participant, "notice_acknowledged")
        return Response(NoticeSerializer(notice).data)


# --- appointments -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Appointments visible to you",
        description="Jobbtorg staff: with the people of your unit; a caseworker: of your district; provider "
        "staff: those your organisation booked with people assigned to you with consent; a person: their "
        "own. "
        "Filter by `referral`. Each person listed is logged as read.",
        parameters=[AppointmentFilterSerializer],
        responses={200: AppointmentSerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(
        summary="An appointment",
        description="The read is logged.",
        responses={200: AppointmentSerializer, **errors(404)},
    ),
)
class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = AppointmentSerializer
    filter_backends = []
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return (
            Appointment.objects.visible_to(self.request.user)
            .select_related("participant", "organiser")
            .order_by("starts_at", "id")
        )

    def get_permissions(self):
        if self.action in ("create", "outcome"):
            return [IsAuthenticated(), has_perms("attendance.add_appointment")()]
        return super().get_permissions()

    def list(self, request, *args, **kwargs):
        params = _input(request, AppointmentFilterSerializer, data=request.query_params)
        appointments = self.get_queryset()
        if params.get("referral"):
            appointments = appointments.filter(referral_id=params["referral"])
        page = self.paginate_queryset(appointments)
        log_reads(request, [a.participant for a in page], view="appointment_list")
        return self.get_paginated_response(AppointmentSerializer(page, many=True).data)

    def _detail(self, appointment: Appointment, *, view: str, status_code=status.HTTP_200_OK) -> Response:
        appointment = Appointment.objects.select_related("participant", "organiser").get(pk=appointment.pk)
        log_read(self.request, appointment.participant, view)
        return Response(AppointmentSerializer(appointment).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object(), view="appointment_detail")

    @extend_schema(
        summary="Book a meeting with a person (coach or provider staff)",
        description="Individual, group or three-party; a place or a video link. The person gets a reminder "
        "(e-mail/SMS) the day before. A referral you cannot book for is a 404.",
        request=AppointmentInputSerializer,
        responses={201: AppointmentSerializer, **errors(400, 403, 404)},
    )
    def create(self, request, *args, **kwargs):
        data = dict(_input(request, AppointmentInputSerializer))
        referral = get_object_or_404(selectors.referrals_for_meetings(request.user), pk=data.pop("referral"))
        appointment = services.appointment_create(referral=referral, by=request.user, **data)
        return self._detail(appointment, view="appointment_booked", status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the outcome of a meeting",
        description="Attended, no_show, cancelled or excused (the last two with a reason). A no-show counts "
        "like an unexcused absence: the caseworker gets the fact the same day.",
        request=AppointmentOutcomeSerializer,
        responses={200: AppointmentSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def outcome(self, request, pk=None):
        appointment = self.get_object()
        data = _input(request, AppointmentOutcomeSerializer)
        services.appointment_outcome_record(
            appointment=appointment, outcome=data["outcome"], reason=data["reason"], by=request.user
        )
        return self._detail(appointment, view="appointment_outcome")

    @extend_schema(
        summary="Record the interpreter booked for a meeting",
        description="On site, phone or video, with an optional booking note; an empty type says none is "
        "booked (yet). Only a scheduled meeting; whoever may book meetings with the person.",
        request=AppointmentInterpreterSerializer,
        responses={200: AppointmentSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def interpreter(self, request, pk=None):
        appointment = self.get_object()
        if not perms.can_book_meeting(request.user, appointment.referral):
            raise DjangoPermissionDenied
        data = _input(request, AppointmentInterpreterSerializer)
        services.appointment_interpreter_set(appointment=appointment, by=request.user, **data)
        return self._detail(appointment, view="appointment_interpreter")


@extend_schema_view(
    list=extend_schema(
        summary="Absence reported by the people",
        description="Absence the people reported themselves (sick, care of a child, other): a participant "
        "their own; coaches, counsellors, unit heads and provider staff those of the people they work with. "
        "`current=true`: today's and coming ones. Each person listed is logged as read.",
        responses={200: ReportedAbsenceSerializer(many=True), **errors(400, 403)},
    ),
)
class ReportedAbsenceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportedAbsenceSerializer
    filterset_fields = ["participant", "reason"]

    def get_permissions(self):
        rule = perms.can_view_reported_absences
        return [IsAuthenticated(), allowed_by(rule)()]

    def get_queryset(self):
        absences = ReportedAbsence.objects.visible_to(self.request.user).select_related("participant")
        if self.request.query_params.get("current") == "true":
            absences = absences.current(timezone.localdate())
        return absences.order_by("-first_day", "-reported_at", "id")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        log_reads(request, [a.participant for a in (page.object_list if page else [])], view="absence_list")
        return response

    @extend_schema(
        summary="Report my absence",
        description="For a participant: report that you are away today or on coming days (at most 30 days "
        "ahead and 30 days at a time). Your provider and coach see it at once; the days count as absence "
        "with a valid reason.",
        request=ReportedAbsenceCreateSerializer,
        responses={201: ReportedAbsenceSerializer, **errors(400, 403)},
    )
    def create(self, request, *args, **kwargs):
        user = request.user
        if not user.is_participant:
            raise DjangoPermissionDenied
        data = _input(request, ReportedAbsenceCreateSerializer)
        absence = services.absence_report(
            participant=user.participant,
            reason=data["reason"],
            first_day=data["first_day"],
            last_day=data.get("last_day") or data["first_day"],
            note=data.get("note", ""),
            by=user,
        )
        return Response(ReportedAbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)
