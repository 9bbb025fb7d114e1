"""Exits (record one for a referral, add late evidence, list/retrieve) and the monthly assistance import
(JSON rows or a CSV/JSON file). Views parse input, call a service and render; the services decide."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.documents.models import Document
from jobbtorg.identity.constants import TokenScope
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.api import WRITE_ACTION, errors, has_perms
from jobbtorg.utils.api import validated_input as _input
from jobbtorg.utils.parsers import JSONParser, MultiPartParser

from .. import services
from ..assistance_import import assistance_import
from ..constants import ImportSource
from ..models import AssistanceImport, Exit
from .serializers import (
    AssistanceFileSerializer,
    AssistanceImportSerializer,
    AssistanceJsonSerializer,
    ExitCreateSerializer,
    ExitEvidenceSerializer,
    ExitSerializer,
    ImportRejectedSerializer,
    JobSupportCreateSerializer,
    WorkFollowupSerializer,
)

MAX_FILE_BYTES = 20 * 1024 * 1024


def _document(request, pk):
    """The evidence document named in the input: one the user sees, else a 400 on the field."""
    if pk is None:
        return None
    document = Document.objects.visible_to(request.user).filter(pk=pk).first()
    if document is None:
        raise ValidationError({"evidence_document": [_("Choose a document on this person's case.")]})
    return document


@extend_schema_view(
    list=extend_schema(
        summary="Exits",
        description="Exits of the referrals you see (staff of the receiving unit). Filter by `referral` or "
        "`reason`. Each person listed is logged as read.",
        responses={200: ExitSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="An exit with its evidence",
        responses={200: ExitSerializer, **errors(403, 404)},
    ),
)
class ExitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ExitSerializer
    filterset_fields = ["referral", "reason"]
    lookup_value_converter = "uuid"

    def get_permissions(self):
        writes = ("create", "evidence", "work_followup", "job_support")
        perm = "followup.record_exit" if self.action in writes else "followup.view_exit"
        return [IsAuthenticated(), has_perms(perm)()]

    def get_queryset(self):
        return (
            Exit.objects.visible_to(self.request.user)
            .select_related("participant", "provider", "recorded_by", "job_support__coach")
            .order_by("-exit_date", "-recorded_at")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        log_reads(request, [e.participant for e in (page.object_list if page else [])], view="exit_list")
        return response

    def retrieve(self, request, *args, **kwargs):
        exit = self.get_object()
        log_read(request, exit.participant, view="exit_detail")
        return Response(ExitSerializer(exit).data)

    @extend_schema(
        summary="Record an exit (avslut)",
        description="Why and when the person leaves; closes the referral in the same transaction. Work and "
        "studies need `evidence`; work needs hours per week, form of employment and start date. Only staff "
        "of the receiving unit; a referral you do not see is a 404; `version` is the referral's "
        "`lock_version` (stale: 409).",
        request=ExitCreateSerializer,
        responses={201: ExitSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request, *args, **kwargs):
        data = dict(_input(request, ExitCreateSerializer))
        referral = get_object_or_404(Referral.objects.visible_to(request.user), pk=data.pop("referral"))
        data["evidence_document"] = _document(request, data.get("evidence_document"))
        exit = services.exit_record(referral=referral, by=request.user, **data)
        return Response(
            ExitSerializer(self.get_queryset().get(pk=exit.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Add evidence to an exit",
        description="Completes an exit recorded without evidence (e.g. the referral was closed directly). "
        "The "
        "next payment run picks up late evidence as an adjustment line.",
        request=ExitEvidenceSerializer,
        responses={200: ExitSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def evidence(self, request, pk=None):
        exit = self.get_object()
        data = _input(request, ExitEvidenceSerializer)
        data["evidence_document"] = _document(request, data.get("evidence_document"))
        services.exit_add_evidence(exit=exit, by=request.user, **data)
        return Response(ExitSerializer(self.get_queryset().get(pk=exit.pk)).data)

    @extend_schema(
        summary="One-month follow-up of an exit to work",
        description="Has the work lasted at least one continuous month (Kolada's condition for an exit to "
        "work)? Answerable from a month after the work started; until then the Kolada result figures are "
        "preliminary.",
        request=WorkFollowupSerializer,
        responses={200: ExitSerializer, **errors(400, 403, 404)},
    )
    @action(url_path="work-followup", **WRITE_ACTION)
    def work_followup(self, request, pk=None):
        exit = self.get_object()
        data = _input(request, WorkFollowupSerializer)
        services.exit_work_followup(exit=exit, by=request.user, **data)
        return Response(ExitSerializer(self.get_queryset().get(pk=exit.pk)).data)

    @extend_schema(
        summary="Start support in the first time in a job",
        description="After an exit to work: for `months` (default 6) from the day the work started, the "
        "responsible coach keeps contact (meetings, journal) without the referral being reopened. Once per "
        "exit; the period ends by itself (`job_support.state` is derived from the dates).",
        request=JobSupportCreateSerializer,
        responses={200: ExitSerializer, **errors(400, 403, 404)},
    )
    @action(url_path="job-support", **WRITE_ACTION)
    def job_support(self, request, pk=None):
        exit = self.get_object()
        data = _input(request, JobSupportCreateSerializer)
        services.job_support_start(exit=exit, by=request.user, months=data.get("months"))
        return Response(ExitSerializer(self.get_queryset().get(pk=exit.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Assistance deliveries",
        description="The monthly deliveries of your municipality with their counts (no personal data).",
        responses={200: AssistanceImportSerializer(many=True), **errors(403)},
    ),
    retrieve=extend_schema(
        summary="An assistance delivery",
        responses={200: AssistanceImportSerializer, **errors(403, 404)},
    ),
)
class AssistanceImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated, has_perms("followup.import_assistance")]
    token_scope = TokenScope.ASSISTANCE_IMPORT  # the economic-assistance system delivers and reads back
    serializer_class = AssistanceImportSerializer
    parser_classes = [JSONParser, MultiPartParser]
    filterset_fields = ["month"]
    lookup_value_converter = "int"

    def get_queryset(self):
        return AssistanceImport.objects.visible_to(self.request.user).order_by("-imported_at", "-id")

    @extend_schema(
        summary="Import one month's assistance status per person",
        description='From the economic-assistance system: JSON `{"month": "YYYY-MM", "rows": '
        '[{"personal_number", "amount", "reason_code"}]}` or a multipart `file` (CSV '
        "`personnummer;manad;belopp;orsakskod`, or that JSON). Every row is checked first; one bad row "
        "rejects the whole delivery with a report per line (line numbers, never identity numbers) "
        "and nothing "
        "is written. Importing the same data again changes nothing; a corrected delivery replaces that month "
        "for the people in it and keeps the history. People who are not participants are skipped.",
        request={
            "application/json": AssistanceJsonSerializer,
            "multipart/form-data": AssistanceFileSerializer,
        },
        responses={
            201: AssistanceImportSerializer,
            400: OpenApiResponse(
                ImportRejectedSerializer, description="The delivery was rejected: `errors` per line."
            ),
            **errors(403),
        },
    )
    def create(self, request, *args, **kwargs):
        if request.content_type.startswith("multipart/"):
            upload = _input(request, AssistanceFileSerializer)["file"]
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError({"file": [_("The file is too large (at most 20 MB).")]})
            result = assistance_import(
                by=request.user, content=upload.read(), file_name=upload.name or "", source=ImportSource.FILE
            )
        else:
            if not isinstance(request.data, dict | list):
                raise ValidationError({"rows": [_('Send {"month": "YYYY-MM", "rows": [...]}.')]})
            result = assistance_import(by=request.user, content=request.data, source=ImportSource.API)
        if not result.ok:
            return Response(
                {
                    "detail": _("The delivery was rejected; nothing was imported."),
                    "errors": [{"line": line, "message": message} for line, message in result.errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(AssistanceImportSerializer(result.batch).data, status=status.HTTP_201_CREATED)
