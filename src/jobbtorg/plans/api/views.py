from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.selectors import case_scope
from jobbtorg.utils.api import WRITE_ACTION, IsCaseworker, IsUnitStaff, allowed_by, errors
from jobbtorg.utils.api import validated_input as _input
from jobbtorg.utils.errors import ConflictError

from .. import perms, selectors, services
from ..models import ActionPlan, Mapping, PlanVersion
from .serializers import (
    AgreementSerializer,
    InboxSerializer,
    MappingInputSerializer,
    MappingSerializer,
    OwnPlanCommentInputSerializer,
    OwnPlanSerializer,
    PlanApproveSerializer,
    PlanDetailSerializer,
    PlanDraftSerializer,
    PlanListSerializer,
    PlanReturnSerializer,
    PlanTransitionResultSerializer,
    PlanVersionDetailSerializer,
    PlanVersionInputSerializer,
    PlanVersionSummarySerializer,
    WorklistQuerySerializer,
    WorklistSerializer,
)


def _visible_referral(request, pk) -> Referral:
    return get_object_or_404(Referral.objects.visible_to(request.user), pk=pk)


# --- mapping --------------------------------------------------------------------------------------------


class MappingView(generics.GenericAPIView):
    """The mapping (kartläggning) of a referral."""

    permission_classes = [IsAuthenticated, allowed_by(perms.can_view_mapping)]
    serializer_class = MappingSerializer

    def _render(self, mapping: Mapping, status_code=status.HTTP_200_OK) -> Response:
        mapping = Mapping.objects.select_related("updated_by", "participant").get(pk=mapping.pk)
        log_read(self.request, mapping.participant, "mapping")
        return Response(MappingSerializer(mapping).data, status=status_code)

    @extend_schema(
        summary="A referral's mapping with its distance tier",
        description="404 until the mapping is first saved. The read is logged.",
        responses={200: MappingSerializer, **errors(403, 404)},
    )
    def get(self, request, referral_pk):
        referral = _visible_referral(request, referral_pk)
        return self._render(get_object_or_404(Mapping, referral=referral))

    @extend_schema(
        summary="Create or update the mapping (Jobbtorg staff)",
        description="Send the fields to save and `version` (the `lock_version` you read; omit only when "
        "creating). The tier and its reasons are recomputed. 201 when created, 200 when updated.",
        request=MappingInputSerializer,
        responses={200: MappingSerializer, 201: MappingSerializer, **errors(400, 403, 404, 409)},
    )
    def put(self, request, referral_pk):
        referral = _visible_referral(request, referral_pk)
        values = _input(request, MappingInputSerializer)
        version = values.pop("version", None)
        exists = Mapping.objects.filter(referral=referral).exists()
        if exists and version is None:
            raise ValidationError({"version": [_("Send the lock_version you read to update the mapping.")]})
        try:
            mapping = services.mapping_save(referral=referral, by=request.user, version=version, **values)
        except IntegrityError as exc:  # someone created the mapping at the same moment
            raise ConflictError(_("Someone else created this mapping at the same time. Reload it.")) from exc
        return self._render(mapping, status.HTTP_200_OK if exists else status.HTTP_201_CREATED)


# --- action plan ----------------------------------------------------------------------------------------


def _plan_detail(request, plan: ActionPlan, *, view: str = "plan_detail", status_code=status.HTTP_200_OK):
    plan = (
        ActionPlan.objects.select_related(
            "participant", "referral__unit", "referral__mapping", "current_version"
        )
        .prefetch_related("activities__intervention_type", "other_plans")
        .get(pk=plan.pk)
    )
    context = {
        "request": request,
        "week_load": selectors.plan_week_load(plan),
        "agreement": selectors.plan_agreement_state(plan),
    }
    data = PlanDetailSerializer(plan, context=context).data
    log_read(request, plan.participant, view)
    return Response(data, status=status_code)


class ReferralPlanView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_view_plan)]

    @extend_schema(
        summary="Start (or fetch) the referral's action plan",
        description="Creates an empty draft the first time (201, Jobbtorg staff of the unit, accepted "
        "referral) and returns the existing plan after that (200).",
        request=None,
        responses={200: PlanDetailSerializer, 201: PlanDetailSerializer, **errors(400, 403, 404)},
    )
    def post(self, request, referral_pk):
        referral = _visible_referral(request, referral_pk)
        existed = ActionPlan.objects.filter(referral=referral).exists()
        plan = services.plan_for_referral(referral=referral, by=request.user)
        return _plan_detail(
            request, plan, status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


@extend_schema_view(
    list=extend_schema(
        summary="List the action plans visible to you",
        description="Filter by `status`. Each person listed is logged as read.",
        responses={200: PlanListSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="An action plan",
        description="Goals, activities, other plans, status, `lock_version`, the number of the version in "
        "force, the due date and the planned hours of the first week against the person's work capacity. "
        "The read is logged.",
        responses={200: PlanDetailSerializer, **errors(403, 404)},
    ),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_view_plan)]
    filterset_fields = ["status"]
    lookup_value_converter = "uuid"
    serializer_class = PlanListSerializer

    def get_queryset(self):
        return (
            ActionPlan.objects.visible_to(self.request.user)
            .select_related("participant", "referral__unit", "current_version")
            .order_by("referral__plan_due_date", "id")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_reads(request, [plan.participant for plan in page], view="plan_list")
        return self.get_paginated_response(PlanListSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return _plan_detail(request, self.get_object())

    @extend_schema(
        summary="Save the draft (Jobbtorg staff)",
        description="Replaces goals, activities and other plans. Errors name the item, e.g. "
        "`activities[1].hours_per_week`. An approved plan becomes a revision draft; its approved version "
        "stays in force until a new one is approved.",
        request=PlanDraftSerializer,
        responses={200: PlanDetailSerializer, **errors(400, 403, 404, 409)},
    )
    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        data = _input(request, PlanDraftSerializer)
        services.plan_save_draft(plan=plan, by=request.user, **data)
        return _plan_detail(request, plan)

    def _transition_result(self, plan: ActionPlan, plan_version: PlanVersion) -> Response:
        plan = ActionPlan.objects.select_related("current_version").get(pk=plan.pk)
        return Response(PlanTransitionResultSerializer({"plan": plan, "version": plan_version}).data)

    @extend_schema(
        summary="Propose the draft to the caseworker (Jobbtorg staff)",
        description="Freezes the draft as the next numbered version.",
        request=PlanVersionInputSerializer,
        responses={200: PlanTransitionResultSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def propose(self, request, pk=None):
        plan = self.get_object()
        data = _input(request, PlanVersionInputSerializer)
        return self._transition_result(plan, services.plan_propose(plan=plan, by=request.user, **data))

    @extend_schema(
        summary="Approve the proposed version (caseworker)",
        request=PlanApproveSerializer,
        responses={200: PlanTransitionResultSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def approve(self, request, pk=None):
        plan = self.get_object()
        data = _input(request, PlanApproveSerializer)
        return self._transition_result(plan, services.plan_approve(plan=plan, by=request.user, **data))

    @extend_schema(
        summary="Return the proposed version with a comment (caseworker)",
        request=PlanReturnSerializer,
        responses={200: PlanTransitionResultSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION, url_path="return", url_name="return")
    def return_(self, request, pk=None):
        plan = self.get_object()
        data = _input(request, PlanReturnSerializer)
        return self._transition_result(plan, services.plan_return(plan=plan, by=request.user, **data))

    @extend_schema(
        summary="The plan's versions",
        description="Newest first, without content. Logged as a read.",
        responses={200: PlanVersionSummarySerializer(many=True), **errors(403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request, pk=None):
        plan = self.get_object()
        versions = plan.versions.select_related("proposed_by", "decided_by").order_by("-number")
        data = PlanVersionSummarySerializer(versions, many=True).data
        log_read(request, plan.participant, "plan_versions")
        return Response(data)

    @extend_schema(
        summary="One version with its frozen content",
        description="Logged as a read.",
        responses={200: PlanVersionDetailSerializer, **errors(403, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="versions/<int:number>",
        url_name="version",
        filter_backends=[],
        pagination_class=None,
    )
    def version(self, request, pk=None, number=None):
        plan = self.get_object()
        plan_version = get_object_or_404(
            PlanVersion.objects.select_related("proposed_by", "decided_by"), plan=plan, number=number
        )
        data = PlanVersionDetailSerializer(plan_version).data
        log_read(request, plan.participant, "plan_version")
        return Response(data)


# --- the person's own plan (the participant's API) ------------------------------------------------------


def _own_plan(request) -> ActionPlan:
    plan = selectors.participant_plan(participant=request.user.participant)
    if plan is None:
        raise NotFound(_("You do not have a plan to read yet."))
    return plan


def _own_plan_response(request, plan: ActionPlan, status_code=status.HTTP_200_OK) -> Response:
    plan = ActionPlan.objects.select_related("current_version", "participant").get(pk=plan.pk)
    state = selectors.plan_agreement_state(plan)
    data = {
        "id": plan.pk,
        "status": plan.status,
        "lock_version": plan.lock_version,
        "version": state.version.number if state.version else None,
        "content": state.version.content if state.version else None,
        "agreement": AgreementSerializer.from_state(state),
        "comments": [
            {
                "kind": c.kind,
                "body": c.body,
                "intervention_type": c.intervention_type,
                "hours_per_week": c.hours_per_week,
                "version": c.version,
                "written_at": c.written_at,
                "by_participant": c.written_by_id == request.user.pk,
            }
            for c in selectors.plan_comments(plan)
        ],
    }
    log_read(request, plan.participant, "own_plan")
    return Response(OwnPlanSerializer(data).data, status=status_code)


class OwnPlanView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_read_own_plan)]

    @extend_schema(
        summary="My plan (the participant)",
        description="The version proposed to the signed-in person (or the one in force), the agreement and "
        "the comments. 404 when there is no plan to read yet. The read is logged.",
        responses={200: OwnPlanSerializer, **errors(403, 404)},
    )
    def get(self, request):
        return _own_plan_response(request, _own_plan(request))


class OwnPlanAgreeView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_read_own_plan)]

    @extend_schema(
        summary="Agree to my proposed plan (the participant)",
        description="Send `version`, the `lock_version` you read. Records the version, the time and how you "
        "signed in. 409 when the plan changed since; 400 when no plan is proposed to you.",
        request=PlanVersionInputSerializer,
        responses={200: OwnPlanSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request):
        plan = _own_plan(request)
        data = _input(request, PlanVersionInputSerializer)
        services.plan_agree(plan=plan, by=request.user, version=data["version"])
        return _own_plan_response(request, plan)


class OwnPlanCommentView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_read_own_plan)]

    @extend_schema(
        summary="Comment on my plan or propose an activity (the participant)",
        description="A `body`, or an `intervention_type` (catalogue code) with optional `hours_per_week` "
        "and `body`. Never changed or deleted afterwards.",
        request=OwnPlanCommentInputSerializer,
        responses={201: OwnPlanSerializer, **errors(400, 403, 404)},
    )
    def post(self, request):
        plan = _own_plan(request)
        data = _input(request, OwnPlanCommentInputSerializer)
        services.plan_comment_add(plan=plan, by=request.user, **data)
        return _own_plan_response(request, plan, status.HTTP_201_CREATED)


# --- worklist and inbox ---------------------------------------------------------------------------------


class WorklistView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_view_worklist, IsUnitStaff.message)]

    @extend_schema(
        summary="The coach's worklist",
        description="New referrals, plans due today, overdue and returned plans, and the share of plans "
        "approved in time: a job coach's own cases by default (responsible coach, or substitute today), the "
        "whole unit with `?scope=unit`. Each person listed is logged as read.",
        parameters=[WorklistQuerySerializer],
        responses={200: WorklistSerializer, **errors(400, 403)},
    )
    def get(self, request):
        query = _input(request, WorklistQuerySerializer, data=request.query_params)
        scope = case_scope(request.user, query.get("scope"))
        worklist = {**selectors.coach_worklist(user=request.user, scope=scope), "scope": scope}
        people = [
            r.participant
            for key in ("new_referrals", "due_today", "overdue", "returned")
            for r in worklist[key]
        ]
        data = WorklistSerializer(worklist).data
        log_reads(request, people, view="worklist")
        return Response(data)


class InboxView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_view_inbox, IsCaseworker.message)]

    @extend_schema(
        summary="The caseworker's inbox",
        description="Plans waiting for your decision, open and returned referrals of your district. Each "
        "person listed is logged as read.",
        responses={200: InboxSerializer, **errors(403)},
    )
    def get(self, request):
        inbox = selectors.caseworker_inbox(user=request.user)
        people = [item.participant for items in inbox.values() for item in items]
        data = InboxSerializer(inbox).data
        log_reads(request, people, view="inbox")
        return Response(data)
