import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.api import WRITE_ACTION, IsCaseworker, allowed_by, errors, has_perms

from .. import perms, selectors, services
from ..constants import ConsentScope, TargetGroup
from ..models import Participant
from .serializers import (
    ConsentCreateSerializer,
    ConsentSerializer,
    LanguageSerializer,
    ParticipantDetailSerializer,
    ParticipantListSerializer,
    PersonalNumberSerializer,
)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ParticipantFilter(django_filters.FilterSet):
    district = IdFilter(field_name="district_id", help_text="District id.")
    target_group = django_filters.ChoiceFilter(
        choices=TargetGroup.choices,
        method="filter_target_group",
        help_text="One of the person's target groups.",
    )

    class Meta:
        model = Participant
        fields = ["district", "target_group"]

    def filter_target_group(self, queryset, name, value):
        # target_groups is a JSON list of codes; the quoted code matches exactly one element on SQLite and
        # PostgreSQL alike (JSON `contains` is not available on SQLite).
        return queryset.filter(target_groups__icontains=f'"{value}"')


def participant_detail_response(
    request, participant: Participant, *, view: str, status_code=status.HTTP_200_OK
):
    """Render the full record (contact details only when visible to the reader) and log the read."""
    consents = [
        consent
        for scope in ConsentScope.values
        if (consent := selectors.consent_current(participant=participant, scope=scope)) is not None
    ]
    context = {
        "request": request,
        "contact_visible": perms.can_see_contact(request.user, participant),
        "consents": consents,
    }
    data = ParticipantDetailSerializer(participant, context=context).data
    log_read(request, participant, view)
    return Response(data, status=status_code)


@extend_schema_view(
    list=extend_schema(
        summary="List the people visible to you",
        description="Paginated; identity numbers masked. Each person listed is logged as read.",
        responses={200: ParticipantListSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A person's full record",
        description="Contact details are null with `contact_hidden: true` for a protected identity unless "
        "you are the person's caseworker. The read is logged.",
        responses={200: ParticipantDetailSerializer, **errors(403, 404)},
    ),
)
class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, has_perms("participants.view_participant")]
    filterset_class = ParticipantFilter
    lookup_value_converter = "uuid"
    serializer_class = ParticipantListSerializer

    def get_queryset(self):
        return Participant.objects.visible_to(self.request.user).select_related("district")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_reads(request, page, view="participant_list")
        return self.get_paginated_response(ParticipantListSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return participant_detail_response(request, self.get_object(), view="participant_detail")

    @extend_schema(
        summary="Find a person by identity number",
        description="The number goes in the body, never in the URL. A malformed number is a 400; a "
        "well-formed number of a person who does not exist, is not visible to you or whose check digit is "
        "wrong is the same 404. A hit is logged as a read.",
        request=PersonalNumberSerializer,
        responses={200: ParticipantDetailSerializer, **errors(400, 403, 404)},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def lookup(self, request):
        serializer = PersonalNumberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            canonical = personal_numbers.normalize(serializer.validated_data["personal_number"])
        except ValidationError as exc:
            if exc.code in ("required", "format"):
                raise ValidationError({"personal_number": exc.messages}) from exc
            raise NotFound() from exc
        participant = selectors.participant_find_by_personal_number(
            user=request.user, personal_number=canonical
        )
        if participant is None:
            raise NotFound()
        return participant_detail_response(request, participant, view="participant_lookup")

    @extend_schema(
        summary="Record a consent decision",
        description="By a caseworker of the person's district. A new row is added; the latest decision per "
        "scope is the one in force.",
        request=ConsentCreateSerializer,
        responses={201: ConsentSerializer, **errors(400, 403, 404)},
    )
    @action(
        **WRITE_ACTION,
        permission_classes=[
            IsAuthenticated,
            allowed_by(perms.can_decide_consents, IsCaseworker.message),
            has_perms("participants.view_participant"),
        ],
    )
    def consents(self, request, pk=None):
        participant = self.get_object()
        serializer = ConsentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_record(
            participant=participant, by=request.user, **serializer.validated_data
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Set the language of the person's portal and messages",
        description="By the person's caseworker or Jobbtorg staff who see them. Reminders, notices and the "
        "printed plan use it. Audited as a change. Answers the full record (logged as a read).",
        request=LanguageSerializer,
        responses={200: ParticipantDetailSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def language(self, request, pk=None):
        participant = self.get_object()
        if not perms.can_set_language(request.user, participant):
            raise PermissionDenied(_("You cannot change this person's language."))
        serializer = LanguageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.participant_language_set(
            participant=participant, language=serializer.validated_data["language"], by=request.user
        )
        return participant_detail_response(request, participant, view="participant_language")
