"""Provider register, authorisation under customer choice (apply → decide → suspend/reinstate/revoke) and the
customer choice itself. Views parse input, call a service or selector and render; the services decide."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobbtorg.accounts.models import Municipality
from jobbtorg.accounts.selectors import municipality_id_of
from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.participants.models import Participant
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.api import WRITE_ACTION, allowed_by, errors, has_any_perm, has_perms
from jobbtorg.utils.api import validated_input as _input

from .. import perms, selectors, services
from ..models import (
    Application,
    ApplicationAnswer,
    Assignment,
    Authorisation,
    AuthorisationEvent,
    ChoiceRequest,
    Provider,
)
from .serializers import (
    ApplicationSerializer,
    ApplicationSubmitSerializer,
    AssignmentChangeSerializer,
    AssignmentSerializer,
    AuthorisationSerializer,
    ChoiceListSerializer,
    ChoiceOpenSerializer,
    ChoiceSerializer,
    ChooseSerializer,
    DatedDecisionSerializer,
    DecideSerializer,
    DecisionResultSerializer,
    ProviderCreateSerializer,
    ProviderDetailSerializer,
    ProviderSerializer,
    RequirementFilterSerializer,
    RequirementSerializer,
    SuspendSerializer,
)


def _authorisations(queryset):
    return queryset.select_related("provider", "intervention_type").prefetch_related(
        "suspensions", Prefetch("events", queryset=AuthorisationEvent.objects.select_related("by"))
    )


# --- providers ----------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The provider register",
        description="The providers of your municipality (organisations, no personal data). "
        "Filter by `active`.",
        responses={200: ProviderSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A provider",
        responses={200: ProviderDetailSerializer, **errors(403, 404)},
    ),
)
class ProviderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, has_perms("providers.view_provider")]
    serializer_class = ProviderSerializer
    filterset_fields = ["active"]
    lookup_value_converter = "int"

    def get_queryset(self):
        return Provider.objects.visible_to(self.request.user)

    def get_serializer_class(self):
        return ProviderDetailSerializer if self.action == "retrieve" else ProviderSerializer

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), has_perms("providers.add_provider")()]
        return super().get_permissions()

    @extend_schema(
        summary="Register a provider (administrator)",
        description="The organisation number is validated (format and check digit) and stored as "
        "NNNNNN-NNNN; "
        "a number already registered in the municipality is a 400 on `organisation_number`.",
        request=ProviderCreateSerializer,
        responses={201: ProviderDetailSerializer, **errors(400, 403)},
    )
    def create(self, request, *args, **kwargs):
        data = dict(_input(request, ProviderCreateSerializer))
        municipality = self._municipality(data.pop("municipality", None))
        provider = services.provider_create(municipality=municipality, by=request.user, **data)
        return Response(ProviderDetailSerializer(provider).data, status=status.HTTP_201_CREATED)

    def _municipality(self, chosen):
        own = municipality_id_of(self.request.user)
        if own is not None:
            if chosen is not None and chosen.pk != own:
                raise ValidationError(
                    {"municipality": [_("You can register providers in your own municipality only.")]}
                )
            return Municipality.objects.get(pk=own)
        if chosen is not None:
            return chosen
        only = list(Municipality.objects.all()[:2])
        if len(only) == 1:
            return only[0]
        raise ValidationError({"municipality": [_("Name the municipality.")]})

    @extend_schema(
        summary="A provider's authorisations",
        description="Per intervention type: validity, capacity, whether it is in force today, suspensions "
        "and "
        "the history of decisions.",
        responses={200: AuthorisationSerializer(many=True), **errors(403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def authorisations(self, request, pk=None):
        provider = self.get_object()
        authorisations = _authorisations(Authorisation.objects.filter(provider=provider)).order_by(
            "-valid_from", "-id"
        )
        return Response(AuthorisationSerializer(authorisations, many=True).data)


class RequirementListView(APIView):
    permission_classes = [
        IsAuthenticated,
        has_any_perm("providers.view_provider", "providers.decide_application"),
    ]

    @extend_schema(
        summary="The authorisation checklist for an intervention type",
        description="The municipality's active requirements for the type and for every type. An application "
        "answers each of them.",
        parameters=[RequirementFilterSerializer],
        responses={200: RequirementSerializer(many=True), **errors(400, 403)},
    )
    def get(self, request):
        params = _input(request, RequirementFilterSerializer, data=request.query_params)
        municipality_id = municipality_id_of(request.user)
        if municipality_id is None:
            raise ValidationError({"non_field_errors": [_("Your login belongs to no municipality.")]})
        requirements = services.requirements_for(
            municipality=Municipality.objects.get(pk=municipality_id),
            intervention_type=params["intervention_type"],
        )
        return Response(RequirementSerializer(requirements, many=True).data)


# --- applications and authorisations ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Authorisation applications",
        description="Provider staff see their organisation's; those who decide see every application of the "
        "municipality. Filter by `status`.",
        responses={200: ApplicationSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="An authorisation application with its checklist answers",
        responses={200: ApplicationSerializer, **errors(403, 404)},
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [
        IsAuthenticated,
        has_any_perm("providers.add_application", "providers.decide_application"),
    ]
    serializer_class = ApplicationSerializer
    filterset_fields = ["status"]
    lookup_value_converter = "int"

    def get_queryset(self):
        return (
            Application.objects.visible_to(self.request.user)
            .pending_first()
            .select_related("provider", "intervention_type", "submitted_by", "decided_by", "authorisation")
            .prefetch_related(
                Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("requirement"))
            )
        )

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), has_perms("providers.add_application")()]
        if self.action == "decide":
            return [IsAuthenticated(), has_perms("providers.decide_application")()]
        return super().get_permissions()

    def _render(self, application, status_code=status.HTTP_200_OK):
        return Response(
            ApplicationSerializer(self.get_queryset().get(pk=application.pk)).data, status=status_code
        )

    @extend_schema(
        summary="Apply for authorisation (provider staff)",
        description="For your own organisation: the intervention type's `code` and an answer for every "
        "requirement of the checklist (/api/requirements/?intervention_type=…). A missing answer, an answer "
        "to a requirement that is not on the checklist, or a pending application for the same type is a 400.",
        request=ApplicationSubmitSerializer,
        responses={201: ApplicationSerializer, **errors(400, 403)},
    )
    def create(self, request, *args, **kwargs):
        provider = request.user.provider
        if provider is None:
            raise PermissionDenied(_("Only a provider's own staff can apply."))
        data = _input(request, ApplicationSubmitSerializer)
        checklist = {
            r.pk
            for r in services.requirements_for(
                municipality=provider.municipality, intervention_type=data["intervention_type"]
            )
        }
        unknown = {
            f"answers[{index}].requirement": [_("This requirement is not on the checklist for the type.")]
            for index, answer in enumerate(data["answers"])
            if answer["requirement"] not in checklist
        }
        if unknown:
            raise ValidationError(unknown)
        answers = {a["requirement"]: (a["fulfilled"], a["comment"]) for a in data["answers"]}
        application = services.application_submit(
            provider=provider, intervention_type=data["intervention_type"], answers=answers, by=request.user
        )
        return self._render(application, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve or reject an application",
        description="With a reason. Approval needs every requirement fulfilled and creates the authorisation "
        "(from `valid_from`, default today, with an optional `capacity`). `version` is the application's "
        "`lock_version`.",
        request=DecideSerializer,
        responses={200: DecisionResultSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def decide(self, request, pk=None):
        application = self.get_object()
        data = _input(request, DecideSerializer)
        authorisation = services.application_decide(application=application, by=request.user, **data)
        if authorisation is not None:
            authorisation = _authorisations(Authorisation.objects.filter(pk=authorisation.pk)).get()
        application = self.get_queryset().get(pk=application.pk)
        return Response(
            DecisionResultSerializer({"application": application, "authorisation": authorisation}).data
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary="An authorisation with its suspensions and history",
        responses={200: AuthorisationSerializer, **errors(403, 404)},
    ),
)
class AuthorisationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [
        IsAuthenticated,
        has_any_perm("providers.view_provider", "providers.decide_application"),
    ]
    serializer_class = AuthorisationSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        return _authorisations(Authorisation.objects.visible_to(self.request.user))

    def get_permissions(self):
        if self.action in ("suspend", "reinstate", "revoke"):
            return [IsAuthenticated(), has_perms("providers.decide_application")()]
        return super().get_permissions()

    def _render(self, authorisation):
        return Response(AuthorisationSerializer(self.get_queryset().get(pk=authorisation.pk)).data)

    @extend_schema(
        summary="Suspend an authorisation",
        description="From `start_date` until `end_date` (empty: until further notice), with a reason. While "
        "suspended the provider cannot be chosen.",
        request=SuspendSerializer,
        responses={200: AuthorisationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def suspend(self, request, pk=None):
        authorisation = self.get_object()
        data = _input(request, SuspendSerializer)
        services.authorisation_suspend(
            authorisation=authorisation,
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            reason=data["reason"],
            version=data["version"],
            by=request.user,
        )
        return self._render(authorisation)

    @extend_schema(
        summary="Lift a suspension",
        description="The running suspension ends the day before `on`.",
        request=DatedDecisionSerializer,
        responses={200: AuthorisationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def reinstate(self, request, pk=None):
        authorisation = self.get_object()
        data = _input(request, DatedDecisionSerializer)
        services.authorisation_reinstate(authorisation=authorisation, by=request.user, **data)
        return self._render(authorisation)

    @extend_schema(
        summary="Revoke an authorisation",
        description="From `on`, with a reason. The provider can then apply again.",
        request=DatedDecisionSerializer,
        responses={200: AuthorisationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def revoke(self, request, pk=None):
        authorisation = self.get_object()
        data = _input(request, DatedDecisionSerializer)
        services.authorisation_revoke(authorisation=authorisation, by=request.user, **data)
        return self._render(authorisation)


# --- customer choice ----------------------------------------------------------------------------------------


def _choices(queryset):
    return queryset.select_related("participant", "referral__unit__municipality", "intervention_type")


def _comparison(choice: ChoiceRequest) -> list[dict]:
    """Per provider that can be chosen today: languages, location, capacity and results."""
    providers = selectors.authorised_providers(
        municipality=choice.referral.unit.municipality,
        intervention_type=choice.intervention_type,
        on=timezone.localdate(),
    )
    results = selectors.provider_results(providers=providers, intervention_type=choice.intervention_type)
    return [
        {
            "provider": provider,
            "languages": provider.languages or [],
            "postal_area": provider.postal_area,
            "address": provider.address,
            "description": provider.description,
            "capacity": provider.capacity,
            "current_participants": provider.current_participants,
            "free_places": provider.free_places,
            "results": {
                name: {"count": result.count, "share": result.share, "enough_data": result.enough}
                for name, result in results[provider.pk].items()
            },
        }
        for provider in providers
    ]


def _choice_detail(request, choice: ChoiceRequest, *, view: str, status_code=status.HTTP_200_OK) -> Response:
    choice = _choices(ChoiceRequest.objects.filter(pk=choice.pk)).get()
    assignment = (
        Assignment.objects.select_related("provider", "intervention_type").filter(choice=choice).first()
    )
    context = {"comparison": _comparison(choice), "assignment": assignment}
    data = ChoiceSerializer(choice, context=context).data
    log_read(request, choice.participant, view)
    return Response(data, status=status_code)


class ReferralChoiceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Start a provider choice (Jobbtorg staff)",
        description="The person is to choose among the authorised providers of the intervention type by the "
        "deadline; otherwise the default provider is assigned by rotation. Returns the choice with the "
        "comparison. A second open choice for the same type is a 400.",
        request=ChoiceOpenSerializer,
        responses={201: ChoiceSerializer, **errors(400, 403, 404)},
    )
    def post(self, request, referral_pk):
        referral = get_object_or_404(Referral.objects.visible_to(request.user), pk=referral_pk)
        data = _input(request, ChoiceOpenSerializer)
        choice = services.choice_open(referral=referral, by=request.user, **data)
        return _choice_detail(
            request, choice, view="provider_choice_opened", status_code=status.HTTP_201_CREATED
        )


@extend_schema_view(
    list=extend_schema(
        summary="Provider choices visible to you",
        description="Of the referrals you see, or your own (participant view). Filter by `status` and "
        "`referral`. Each person listed is logged as read.",
        responses={200: ChoiceListSerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(
        summary="A provider choice with the comparison",
        description="Per provider that can be chosen today: languages, postal area, capacity and free "
        "places, and results with `enough_data: false` (and a null share) below the minimum count. Once "
        "the choice is made, also the assignment it led to. The read is logged.",
        responses={200: ChoiceSerializer, **errors(404)},
    ),
)
class ChoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = ChoiceListSerializer
    filterset_fields = ["status", "referral"]
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return _choices(ChoiceRequest.objects.visible_to(self.request.user)).order_by("-opened_at")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_reads(request, [c.participant for c in page], view="provider_choice_list")
        return self.get_paginated_response(ChoiceListSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return _choice_detail(request, self.get_object(), view="provider_choice")

    @extend_schema(
        summary="Make the choice (the person, or their coach)",
        description="Only a provider whose authorisation for the type is in force can be chosen (else a 400 "
        "on `provider`). The person is assigned to the provider.",
        request=ChooseSerializer,
        responses={200: ChoiceSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def choose(self, request, pk=None):
        choice = self.get_object()
        data = _input(request, ChooseSerializer)
        provider = choice.referral.unit.municipality.providers.filter(pk=data["provider"]).first()
        if provider is None:
            raise ValidationError(
                {"provider": [_("Only providers authorised for this intervention can be chosen.")]}
            )
        services.choice_make(choice=choice, provider=provider, by=request.user)
        return _choice_detail(request, choice, view="provider_choice_made")


class AssignmentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = AssignmentSerializer
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return Assignment.objects.visible_to(self.request.user).select_related(
            "participant", "provider", "intervention_type", "referral"
        )

    @extend_schema(
        summary="A provider assignment",
        description="The read is logged.",
        responses={200: AssignmentSerializer, **errors(404)},
    )
    def retrieve(self, request, *args, **kwargs):
        assignment = self.get_object()
        log_read(request, assignment.participant, "provider_assignment")
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(
        summary="Change provider (the person, or their coach)",
        description="With a reason. The current assignment ends the day before and a new one starts today; "
        "both are kept in the history. The new provider must be authorised (else a 400 on `provider`).",
        request=AssignmentChangeSerializer,
        responses={201: AssignmentSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def change(self, request, pk=None):
        assignment = self.get_object()
        data = _input(request, AssignmentChangeSerializer)
        provider = assignment.provider.municipality.providers.filter(pk=data["provider"]).first()
        if provider is None:
            raise ValidationError(
                {"provider": [_("Only providers authorised for this intervention can be chosen.")]}
            )
        new = services.assignment_change(
            assignment=assignment, provider=provider, reason=data["reason"], by=request.user
        )
        new = Assignment.objects.select_related("provider", "intervention_type").get(pk=new.pk)
        log_read(request, assignment.participant, "provider_changed")
        return Response(AssignmentSerializer(new).data, status=status.HTTP_201_CREATED)


class ParticipantAssignmentsView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_view_assignments)]

    @extend_schema(
        summary="A person's providers over time",
        description="Every assignment (current and ended, with the reasons), newest first. Provider staff "
        "see "
        "only their own organisation's. The read is logged.",
        responses={200: AssignmentSerializer(many=True), **errors(404)},
    )
    def get(self, request, participant_pk):
        participant = get_object_or_404(Participant.objects.visible_to(request.user), pk=participant_pk)
        assignments = (
            Assignment.objects.visible_to(request.user)
            .filter(participant=participant)
            .select_related("provider", "intervention_type")
            .order_by("-start_date", "-created_at")
        )
        data = AssignmentSerializer(assignments, many=True).data
        log_read(request, participant, "participant_assignments")
        return Response(data)
