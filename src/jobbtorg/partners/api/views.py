"""The partners' API (ADR 19): the partner's people and their shared plans, four-party meetings, requests to
partners, and the confirmation of a plan link. The same services and `visible_to` rules as the pages; every
response that shows a person is read-logged."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.plans import perms as plan_perms
from jobbtorg.plans import services as plan_services
from jobbtorg.plans.models import OtherPlanLink
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.api import WRITE_ACTION, allowed_by, errors
from jobbtorg.utils.api import validated_input as _input

from .. import perms, selectors, services
from ..models import PartnerMeeting, PartnerOrganisation, PartnerRequest
from .serializers import (
    LinkConfirmSerializer,
    MeetingCreateSerializer,
    MeetingOutcomeSerializer,
    PartnerMeetingSerializer,
    PartnerOrganisationSerializer,
    PartnerRequestSerializer,
    RequestCreateSerializer,
    RequestHandleSerializer,
    SharedCaseSerializer,
    SharedLinkSerializer,
)


def _can_see_partner_work(user) -> bool:
    return perms.can_view_partner_work(user) or perms.can_use_partner_start(user)


class PartnerOrganisationListView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(_can_see_partner_work)]

    @extend_schema(
        summary="Partner organisations",
        description="The partner organisations of your municipality (partner staff: their own).",
        responses={200: PartnerOrganisationSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        organisations = PartnerOrganisation.objects.visible_to(request.user).order_by("kind", "name")
        return Response(PartnerOrganisationSerializer(organisations, many=True).data)


class PartnerPeopleView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_use_partner_start)]

    @extend_schema(
        summary="The partner's people",
        description="Partner staff: the people your organisation works with whose consent to sharing with "
        "your kind of organisation is in force (a withdrawal removes them at once). Each is logged as read.",
        responses={200: ParticipantSummarySerializer(many=True), **errors(403)},
    )
    def get(self, request):
        people = list(selectors.partner_people(user=request.user))
        log_reads(request, people, view="partner_people")
        return Response(ParticipantSummarySerializer(people, many=True).data)


class SharedPlanView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_use_partner_start)]

    @extend_schema(
        summary="A person's shared plan",
        description="Partner staff: the action plan (goals, activities, links to other plans) and your "
        "organisation's meetings and requests for one person — nothing else of the case. A person you do "
        "not see (no consent in force) is a 404. Logged as read.",
        responses={200: SharedCaseSerializer, **errors(403, 404)},
    )
    def get(self, request, pk):
        participant = get_object_or_404(selectors.partner_people(user=request.user), pk=pk)
        shared = selectors.shared_plan(user=request.user, participant=participant)
        log_read(request, participant, view="partner_shared_plan")
        return Response(SharedCaseSerializer(shared).data)


def _log_page(request, paginator, view: str) -> None:
    page = getattr(paginator, "page", None)
    log_reads(request, [item.participant for item in (page.object_list if page else [])], view=view)


class _PartnerWorkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "uuid"
    filterset_fields = ["participant", "referral", "status"]
    log_view = ""
    write_rules: dict = {}

    def get_permissions(self):
        return [IsAuthenticated(), allowed_by(self.write_rules.get(self.action, _can_see_partner_work))()]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        _log_page(request, self.paginator, view=f"{self.log_view}_list")
        return response

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        log_read(request, item.participant, view=self.log_view)
        return Response(self.get_serializer(item).data)

    def _referral(self, request, pk):
        return get_object_or_404(Referral.objects.visible_to(request.user), pk=pk)

    def _organisation(self, request, pk):
        return get_object_or_404(PartnerOrganisation.objects.visible_to(request.user), pk=pk)


@extend_schema_view(
    list=extend_schema(
        summary="Four-party meetings",
        description="The four-party meetings you see: Jobbtorg staff on their unit's cases, caseworkers in "
        "their district, partner staff their own organisation's with people whose consent is in force.",
        responses={200: PartnerMeetingSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A four-party meeting", responses={200: PartnerMeetingSerializer, **errors(403, 404)}
    ),
)
class PartnerMeetingViewSet(_PartnerWorkViewSet):
    serializer_class = PartnerMeetingSerializer
    log_view = "partner_meeting"
    write_rules = {"create": perms.can_book_partner_meetings, "outcome": perms.can_record_meeting_outcomes}

    def get_queryset(self):
        return (
            PartnerMeeting.objects.visible_to(self.request.user)
            .select_related("organisation", "participant")
            .order_by("-starts_at", "id")
        )

    @extend_schema(
        summary="Book a four-party meeting",
        description="The coach books a meeting with the person, the caseworker and a partner (e.g. "
        "Försäkringskassan's överlämningsmöte). The person's consent for the partner's kind must be in "
        "force.",
        request=MeetingCreateSerializer,
        responses={201: PartnerMeetingSerializer, **errors(400, 403, 404)},
    )
    def create(self, request, *args, **kwargs):
        data = _input(request, MeetingCreateSerializer)
        referral = self._referral(request, data.pop("referral"))
        organisation = self._organisation(request, data.pop("organisation"))
        meeting = services.partner_meeting_book(
            referral=referral, by=request.user, organisation=organisation, **data
        )
        return Response(PartnerMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the outcome of a four-party meeting",
        description="Held or cancelled, what it came to, and follow-up actions that become activities of the "
        "action plan (all or nothing; a plan waiting for the caseworker's decision takes none: 400).",
        request=MeetingOutcomeSerializer,
        responses={200: PartnerMeetingSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def outcome(self, request, pk=None):
        meeting = self.get_object()
        data = _input(request, MeetingOutcomeSerializer)
        meeting = services.partner_meeting_outcome(meeting=meeting, by=request.user, **data)
        return Response(PartnerMeetingSerializer(meeting).data)


@extend_schema_view(
    list=extend_schema(
        summary="Requests to partners",
        description="The requests to partners you see (as the meetings). Partner staff see those sent to "
        "their organisation about people whose consent is in force.",
        responses={200: PartnerRequestSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A request to a partner", responses={200: PartnerRequestSerializer, **errors(403, 404)}
    ),
)
class PartnerRequestViewSet(_PartnerWorkViewSet):
    serializer_class = PartnerRequestSerializer
    log_view = "partner_request"
    write_rules = {"create": perms.can_send_partner_requests, "handle": perms.can_answer_partner_requests}

    def get_queryset(self):
        return (
            PartnerRequest.objects.visible_to(self.request.user)
            .select_related("organisation", "participant")
            .order_by("-sent_at", "id")
        )

    @extend_schema(
        summary="Send a request to a partner",
        description="E.g. a rehabilitation assessment to Försäkringskassan or an SFI test booking to adult "
        "education. The person's consent for the partner's kind must be in force.",
        request=RequestCreateSerializer,
        responses={201: PartnerRequestSerializer, **errors(400, 403, 404)},
    )
    def create(self, request, *args, **kwargs):
        data = _input(request, RequestCreateSerializer)
        referral = self._referral(request, data.pop("referral"))
        organisation = self._organisation(request, data.pop("organisation"))
        item = services.partner_request_send(
            referral=referral, by=request.user, organisation=organisation, **data
        )
        return Response(PartnerRequestSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept, answer or decline a request",
        description="Partner staff of the organisation the request was sent to. Answering and declining "
        "need a text.",
        request=RequestHandleSerializer,
        responses={200: PartnerRequestSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def handle(self, request, pk=None):
        item = self.get_object()
        data = _input(request, RequestHandleSerializer)
        item = services.partner_request_handle(request=item, by=request.user, **data)
        return Response(PartnerRequestSerializer(item).data)


class PlanLinkConfirmView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_use_partner_start)]

    @extend_schema(
        summary="Confirm a link of the action plan to your plan",
        description="Partner staff of the organisation that holds the other plan confirm the link (its "
        "dates), optionally with the status of their plan.",
        request=LinkConfirmSerializer,
        responses={200: SharedLinkSerializer, **errors(400, 403, 404)},
    )
    def post(self, request, pk):
        link = get_object_or_404(OtherPlanLink.objects.visible_to(request.user).select_related("plan"), pk=pk)
        if not plan_perms.can_confirm_plan_link(request.user, link):
            return Response(
                {"detail": "Only the partner that holds the other plan can confirm it."}, status=403
            )
        data = _input(request, LinkConfirmSerializer)
        link = plan_services.plan_link_confirm(link=link, by=request.user, status=data.get("status"))
        return Response(SharedLinkSerializer(link).data)
