"""Documents on a person's case: list, read the metadata, upload (multipart), download the file, share with
a provider. Views parse input, call a service and render; every response that shows a person is read-logged,
and the file is only ever read through `download`, after the access check."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.participants.models import Participant
from jobbtorg.providers.models import Provider
from jobbtorg.utils.api import WRITE_ACTION, allowed_by, errors
from jobbtorg.utils.api import validated_input as _input

from .. import perms, selectors, services
from ..models import Document, DocumentShare
from .serializers import DocumentSerializer, DocumentShareSerializer, DocumentUploadSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Documents",
        description="The documents you see (`participant` filters one person's), newest first: Jobbtorg "
        "staff and caseworkers those on the cases they see; provider staff those their organisation uploaded "
        "or was shared. Each person listed is logged as read. The file itself: `download`.",
        responses={200: DocumentSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(summary="A document", responses={200: DocumentSerializer, **errors(403, 404)}),
)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    filterset_fields = ["participant", "kind"]
    lookup_value_converter = "uuid"

    def get_permissions(self):
        rule = perms.can_upload_documents if self.action == "create" else perms.can_view_documents
        return [IsAuthenticated(), allowed_by(rule)()]

    def get_queryset(self):
        user = self.request.user
        return (
            Document.objects.visible_to(user)
            .select_related("participant", "uploaded_by", "uploaded_by_provider")
            .prefetch_related(
                Prefetch("shares", queryset=DocumentShare.objects.visible_to(user), to_attr="shown_shares")
            )
            .order_by("-document_date", "-uploaded_at", "id")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        log_reads(request, [d.participant for d in (page.object_list if page else [])], view="document_list")
        return response

    def retrieve(self, request, *args, **kwargs):
        document = self.get_object()
        log_read(request, document.participant, view="document")
        return Response(DocumentSerializer(document).data)

    @extend_schema(
        summary="Upload a document",
        description="A document on the person's case (multipart: `file` with `participant`, `kind`, "
        "`document_date`). The type is recognised from the content (PDF, JPEG, PNG, DOCX, ODT), the size is "
        "limited and the file is virus-scanned; a refused file is a 400 on `file`. A person you do not see "
        "is a 404.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, **errors(400, 403, 404)},
    )
    def create(self, request, *args, **kwargs):
        data = _input(request, DocumentUploadSerializer)
        participant = get_object_or_404(Participant.objects.visible_to(request.user), pk=data["participant"])
        referral = selectors.case_referral_for(user=request.user, participant=participant)
        document = services.document_upload(
            referral=referral,
            by=request.user,
            kind=data["kind"],
            document_date=data["document_date"],
            uploaded_file=data["file"],
        )
        return Response(
            DocumentSerializer(self.get_queryset().get(pk=document.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Download a document's file",
        description="The file as an attachment, after the access check (never a public URL); the read is "
        "logged.",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            **errors(403, 404),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request, pk=None):
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, OSError) as error:
            raise Http404 from error
        log_read(request, document.participant, view="document_download")
        response = FileResponse(
            handle, as_attachment=True, filename=document.title, content_type=document.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(
        summary="Share a document with a provider",
        description="Jobbtorg staff (coach, counsellor, unit head) show the document to a provider the "
        "person is currently assigned to.",
        request=DocumentShareSerializer,
        responses={200: DocumentSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def share(self, request, pk=None):
        document = self.get_object()
        if not perms.can_share_document(request.user, document):
            raise PermissionDenied(_("You cannot share this document."))
        data = _input(request, DocumentShareSerializer)
        provider = Provider.objects.filter(pk=data["provider"]).first()
        services.document_share(document=document, provider=provider, by=request.user)
        return Response(DocumentSerializer(self.get_queryset().get(pk=document.pk)).data)
