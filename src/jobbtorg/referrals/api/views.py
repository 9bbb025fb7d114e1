from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.utils.api import WRITE_ACTION, IsUnitStaff, allowed_by, errors, has_perms, validated_input
from jobbtorg.utils.views import deny_unless

from .. import perms, services
from ..models import CoachChange, Referral, ReferralEvent, SendBack, SendBackEvent, Substitution
from .serializers import (
    AcceptSerializer,
    CloseSerializer,
    CoachChangeInputSerializer,
    CoachChangeSerializer,
    IntakeSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralListSerializer,
    ReferralStateSerializer,
    ResubmitSerializer,
    ReturnSerializer,
    SendBackAnswerSerializer,
    SendBackCreateSerializer,
    SendBackDecideSerializer,
    SendBackSerializer,
    SubstitutionInputSerializer,
    SubstitutionSerializer,
)

TRANSITION_ERRORS = errors(400, 403, 404, 409)


@extend_schema_view(
    list=extend_schema(
        summary="List the referrals visible to you",
        description="A caseworker sees the district's referrals, Jobbtorg staff their unit's. Filter by "
        "`status`. Each person listed is logged as read.",
        responses={200: ReferralListSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A referral with its status history",
        description="Includes `plan_due_date`, the status events and `lock_version` (send it back as "
        "`version` with a transition). The read is logged.",
        responses={200: ReferralDetailSerializer, **errors(403, 404)},
    ),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, has_perms("referrals.view_referral")]
    filterset_fields = ["status"]
    lookup_value_converter = "uuid"
    serializer_class = ReferralListSerializer

    def get_queryset(self):
        return Referral.objects.visible_to(self.request.user).select_related(
            "participant", "district", "unit", "coach"
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_reads(request, [r.participant for r in page], view="referral_list")
        return self.get_paginated_response(ReferralListSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        referral = self.get_object()
        return self._detail(referral, view="referral_detail")

    def _detail(self, referral: Referral, *, view: str, status_code=status.HTTP_200_OK) -> Response:
        referral = (
            Referral.objects.select_related("participant", "district", "unit", "coach", "caseworker")
            .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.select_related("by")))
            .get(pk=referral.pk)
        )
        data = ReferralDetailSerializer(referral).data
        log_read(self.request, referral.participant, view)
        return Response(data, status=status_code)

    @extend_schema(
        summary="Refer a person (caseworker)",
        description="Registers the person if new, records the consent and routes the referral to the unit "
        "serving the caseworker's district (or the unit the person chose). The action plan is due on the "
        "fifth working day. An invalid identity number or an open referral of the same person is a 400 "
        "on `personal_number`.",
        request=ReferralCreateSerializer,
        responses={201: ReferralDetailSerializer, **errors(400, 403)},
    )
    def create(self, request, *args, **kwargs):
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = services.referral_create(by=request.user, **serializer.validated_data)
        return self._detail(referral, view="referral_created", status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Register an intake at your unit (Jobbtorg staff)",
        description="A person who comes from Arbetsförmedlingen, Försäkringskassan, on their own or from "
        "another actor (ADR 0020): registered if new (an existing person is reused, never duplicated), taken "
        "in at your unit without a caseworker and accepted at once; the unit head approves the action plan. "
        "An invalid identity number or an open referral of the same person is a 400 on `personal_number`.",
        request=IntakeSerializer,
        responses={201: ReferralDetailSerializer, **errors(400, 403)},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def intake(self, request):
        data = validated_input(request, IntakeSerializer)
        referral = services.referral_intake(by=request.user, **data)
        return self._detail(referral, view="referral_created", status_code=status.HTTP_201_CREATED)

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), has_perms("referrals.add_referral")()]
        if self.action == "intake":
            return [IsAuthenticated(), allowed_by(perms.can_register_intake)()]
        return super().get_permissions()

    @extend_schema(
        summary="Accept a referral (Jobbtorg)",
        request=AcceptSerializer,
        responses={200: ReferralStateSerializer, **TRANSITION_ERRORS},
    )
    @action(**WRITE_ACTION)
    def accept(self, request, pk=None):
        referral = self.get_object()
        data = self._input(AcceptSerializer)
        referral = services.referral_accept(referral=referral, by=request.user, **data)
        return Response(ReferralStateSerializer(referral).data)

    @extend_schema(
        summary="Return a referral to the district (Jobbtorg)",
        request=ReturnSerializer,
        responses={200: ReferralStateSerializer, **TRANSITION_ERRORS},
    )
    @action(**WRITE_ACTION, url_path="return", url_name="return")
    def return_(self, request, pk=None):
        referral = self.get_object()
        data = self._input(ReturnSerializer)
        referral = services.referral_return(referral=referral, by=request.user, **data)
        return Response(ReferralStateSerializer(referral).data)

    @extend_schema(
        summary="Close a referral with a reason",
        request=CloseSerializer,
        responses={200: ReferralStateSerializer, **TRANSITION_ERRORS},
    )
    @action(**WRITE_ACTION)
    def close(self, request, pk=None):
        referral = self.get_object()
        data = self._input(CloseSerializer)
        referral = services.referral_close(referral=referral, by=request.user, **data)
        return Response(ReferralStateSerializer(referral).data)

    @extend_schema(
        summary="Resubmit a returned referral (caseworker)",
        request=ResubmitSerializer,
        responses={200: ReferralStateSerializer, **TRANSITION_ERRORS},
    )
    @action(**WRITE_ACTION)
    def resubmit(self, request, pk=None):
        referral = self.get_object()
        data = self._input(ResubmitSerializer)
        referral = services.referral_resubmit(referral=referral, by=request.user, **data)
        return Response(ReferralStateSerializer(referral).data)

    @extend_schema(
        summary="Send an accepted referral back to the district (Jobbtorg)",
        description="With a reason; the caseworker then agrees (the referral closes) or disputes it and the "
        "unit heads decide. The referral stays accepted until then.",
        request=SendBackCreateSerializer,
        responses={201: SendBackSerializer, **TRANSITION_ERRORS},
    )
    @action(**WRITE_ACTION, url_path="send-back", url_name="send-back")
    def send_back(self, request, pk=None):
        referral = self.get_object()
        data = validated_input(request, SendBackCreateSerializer)
        created = services.referral_send_back(referral=referral, by=request.user, **data)
        return _send_back_response(
            request, created, view="send_back_created", status_code=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        summary="The history of the referral's responsible coach",
        description="Who was made responsible, by whom, when and why (oldest first). The read is logged.",
        responses={200: CoachChangeSerializer(many=True), **errors(403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Change the responsible coach",
        description="The unit head, or the responsible coach handing over their own case, names another job "
        "coach of the unit, with a reason. Send the referral's `lock_version` as `version`: a stale one is "
        "a 409.",
        request=CoachChangeInputSerializer,
        responses={200: CoachChangeSerializer, **TRANSITION_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def coach(self, request, pk=None):
        referral = self.get_object()
        if request.method == "GET":
            changes = CoachChange.objects.visible_to(request.user).filter(referral=referral)
            data = CoachChangeSerializer(
                changes.select_related("from_coach", "to_coach", "by"), many=True
            ).data
            log_read(request, referral.participant, "referral_coach_history")
            return Response(data)
        deny_unless(perms.can_change_coach(request.user, referral))
        data = self._input(CoachChangeInputSerializer)
        change = services.referral_coach_change(
            referral=referral,
            to_coach=data["coach"],
            by=request.user,
            reason=data["reason"],
            version=data.get("version"),
        )
        return Response(CoachChangeSerializer(change).data)

    def _input(self, serializer_class) -> dict:
        return validated_input(self.request, serializer_class)


def _send_back_response(request, item: SendBack, *, view: str, status_code=status.HTTP_200_OK) -> Response:
    item = (
        SendBack.objects.select_related("referral__participant")
        .prefetch_related(Prefetch("events", queryset=SendBackEvent.objects.select_related("by")))
        .get(pk=item.pk)
    )
    data = SendBackSerializer(item).data
    log_read(request, item.referral.participant, view)
    return Response(data, status=status_code)


@extend_schema_view(
    list=extend_schema(
        summary="List the send-backs visible to you",
        description="Referrals the Jobbtorg sent back to the district, with their answer and decision. A "
        "district unit head sees those escalated to the unit heads. Each person listed is logged as read.",
        responses={200: SendBackSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A send-back with its history",
        responses={200: SendBackSerializer, **errors(403, 404)},
    ),
)
class SendBackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, has_perms("referrals.view_sendback")]
    filterset_fields = ["status", "reason"]
    serializer_class = SendBackSerializer

    def get_queryset(self):
        return (
            SendBack.objects.visible_to(self.request.user)
            .select_related("referral__participant")
            .prefetch_related(Prefetch("events", queryset=SendBackEvent.objects.select_related("by")))
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_reads(request, [s.referral.participant for s in page], view="send_back_list")
        return self.get_paginated_response(SendBackSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return _send_back_response(request, self.get_object(), view="send_back_detail")

    @extend_schema(
        summary="Agree to a send-back (caseworker): the referral closes",
        request=SendBackAnswerSerializer,
        responses={200: SendBackSerializer, **TRANSITION_ERRORS},
    )
    @action(**WRITE_ACTION)
    def agree(self, request, pk=None):
        item = self.get_object()
        data = validated_input(request, SendBackAnswerSerializer)
        services.send_back_agree(send_back=item, by=request.user, **data)
        return _send_back_response(request, item, view="send_back_detail")

    @extend_schema(
        summary="Dispute a send-back (caseworker): escalated to the unit heads",
        description="`comment` (why you disagree) is required.",
        request=SendBackAnswerSerializer,
        responses={200: SendBackSerializer, **TRANSITION_ERRORS},
    )
    @action(**WRITE_ACTION)
    def dispute(self, request, pk=None):
        item = self.get_object()
        data = validated_input(request, SendBackAnswerSerializer)
        services.send_back_dispute(send_back=item, by=request.user, **data)
        return _send_back_response(request, item, view="send_back_detail")

    @extend_schema(
        summary="Decide a disputed send-back (unit head of the Jobbtorg or the district)",
        request=SendBackDecideSerializer,
        responses={200: SendBackSerializer, **TRANSITION_ERRORS},
    )
    @action(**WRITE_ACTION)
    def decide(self, request, pk=None):
        item = self.get_object()
        data = validated_input(request, SendBackDecideSerializer)
        services.send_back_decide(send_back=item, by=request.user, **data)
        return _send_back_response(request, item, view="send_back_detail")


@extend_schema_view(
    list=extend_schema(
        summary="Substitutes at your unit",
        description="Who stands in for whom, current and coming (ended ones drop out by themselves). Staff "
        "data: no person's data.",
        responses={200: SubstitutionSerializer(many=True), **errors(403)},
    ),
    create=extend_schema(
        summary="Arrange a substitute while a coach is away",
        description="The unit head for a coach of the unit, or a coach for their own absence. During the "
        "period the substitute's own cases (`/api/worklist/`) include the absent coach's people; it ends by "
        "itself. Periods of the same coach may not overlap.",
        request=SubstitutionInputSerializer,
        responses={201: SubstitutionSerializer, **errors(400, 403)},
    ),
)
class SubstitutionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = SubstitutionSerializer

    def get_permissions(self):
        rule = perms.can_arrange_substitutions if self.action == "create" else perms.can_view_substitutions
        return [IsAuthenticated(), allowed_by(rule, IsUnitStaff.message)()]

    def get_queryset(self):
        return (
            Substitution.objects.visible_to(self.request.user)
            .current_and_coming()
            .select_related("coach", "substitute", "created_by")
            .order_by("starts_on", "id")
        )

    def create(self, request, *args, **kwargs):
        data = validated_input(request, SubstitutionInputSerializer)
        substitution = services.substitution_create(by=request.user, **data)
        return Response(SubstitutionSerializer(substitution).data, status=status.HTTP_201_CREATED)
