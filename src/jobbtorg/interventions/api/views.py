from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.plans.models import PlanActivity
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.api import WRITE_ACTION, errors, has_perms
from jobbtorg.utils.api import validated_input as _input

from .. import services
from ..constants import BookingStatus
from ..models import Booking, InterventionType
from ..selectors import offerings_of, waitlist_positions
from .serializers import (
    BookingCancelResultSerializer,
    BookingCancelSerializer,
    BookingCreateSerializer,
    BookingFilterSerializer,
    BookingSerializer,
    InterventionTypeSerializer,
    OfferingCreateSerializer,
    OfferingFilterSerializer,
    OfferingSerializer,
)


@extend_schema(
    summary="The active intervention catalogue",
    description="Every type that can be planned, in catalogue order. Use `code` in plan activities.",
)
class InterventionTypeListView(generics.ListAPIView):
    serializer_class = InterventionTypeSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return InterventionType.objects.filter(active=True)


# --- offerings ----------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Offerings",
        description="The offerings of your municipality with free places and the length of the waiting list. "
        "Filter by `intervention_type` (code), `provider` (id) and `has_free_places`.",
        parameters=[OfferingFilterSerializer],
        responses={200: OfferingSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="An offering",
        description="With free places and the length of the waiting list.",
        responses={200: OfferingSerializer, **errors(403, 404)},
    ),
)
class OfferingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, has_perms("interventions.view_offering")]
    serializer_class = OfferingSerializer
    filter_backends = []
    lookup_value_converter = "int"

    def get_queryset(self):
        return (
            offerings_of(self.request.user)
            .select_related("intervention_type", "provider", "unit")
            .order_by("intervention_type__sort_order", "name", "id")
        )

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated()]  # administrator, or a unit head for their unit: the service decides
        return super().get_permissions()

    def list(self, request, *args, **kwargs):
        params = _input(request, OfferingFilterSerializer, data=request.query_params)
        offerings = self.get_queryset()
        if params.get("intervention_type"):
            offerings = offerings.filter(intervention_type__code=params["intervention_type"])
        if params.get("provider"):
            offerings = offerings.filter(provider_id=params["provider"])
        if params.get("has_free_places") is True:
            offerings = offerings.with_free_places()
        elif params.get("has_free_places") is False:
            offerings = offerings.exclude(pk__in=offerings.with_free_places().values("pk"))
        page = self.paginate_queryset(offerings)
        return self.get_paginated_response(OfferingSerializer(page, many=True).data)

    @extend_schema(
        summary="Add an offering (administrator; a unit head for their own unit)",
        description="Delivered by the Jobbtorg (`unit`), a city unit (`city_unit_name`) or a provider "
        "(`provider`), with place, dates, hours per week, capacity, languages, target groups and contact.",
        request=OfferingCreateSerializer,
        responses={201: OfferingSerializer, **errors(400, 403)},
    )
    def create(self, request, *args, **kwargs):
        data = _input(request, OfferingCreateSerializer)
        offering = services.offering_create(by=request.user, **data)
        return Response(OfferingSerializer(offering).data, status=status.HTTP_201_CREATED)


# --- bookings -----------------------------------------------------------------------------------------------


def _booking_detail(request, booking: Booking, *, view: str, status_code=status.HTTP_200_OK) -> Response:
    booking = Booking.objects.select_related("offering__intervention_type", "participant").get(pk=booking.pk)
    data = BookingSerializer(booking).data
    log_read(request, booking.participant, view)
    return Response(data, status=status_code)


@extend_schema_view(
    list=extend_schema(
        summary="Bookings visible to you",
        description="Jobbtorg staff: of the people referred to your unit; a caseworker: of your district; "
        "provider staff: in your own offerings, of the people assigned to you with consent. Filter by "
        "`referral` and `offering`. Each person listed is logged as read.",
        parameters=[BookingFilterSerializer],
        responses={200: BookingSerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(
        summary="A booking",
        description="With the position on the waiting list. The read is logged.",
        responses={200: BookingSerializer, **errors(404)},
    ),
)
class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = BookingSerializer
    filter_backends = []
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return (
            Booking.objects.visible_to(self.request.user)
            .select_related("offering__intervention_type", "participant")
            .order_by("requested_at", "id")
        )

    def get_permissions(self):
        if self.action in ("create", "cancel"):
            return [IsAuthenticated(), has_perms("interventions.add_booking")()]
        return super().get_permissions()

    def list(self, request, *args, **kwargs):
        params = _input(request, BookingFilterSerializer, data=request.query_params)
        bookings = self.get_queryset()
        if params.get("referral"):
            bookings = bookings.filter(referral_id=params["referral"])
        if params.get("offering"):
            bookings = bookings.filter(offering_id=params["offering"])
        page = self.paginate_queryset(bookings)
        positions = waitlist_positions({b.offering_id for b in page if b.status == BookingStatus.WAITLISTED})
        for booking in page:
            booking.position = positions.get(booking.pk)
        log_reads(request, [b.participant for b in page], view="booking_list")
        return self.get_paginated_response(BookingSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return _booking_detail(request, self.get_object(), view="booking_detail")

    @extend_schema(
        summary="Book a person into an offering (Jobbtorg staff of the unit)",
        description="A place if one is free (`status: booked`); when full the waiting list "
        "(`status: waitlisted` with `waitlist_position`, first come first served) or, with "
        "`waitlist: false`, "
        "a 400 on `offering`. Capacity is never exceeded. A referral you cannot see is a 404.",
        request=BookingCreateSerializer,
        responses={201: BookingSerializer, **errors(400, 403, 404)},
    )
    def create(self, request, *args, **kwargs):
        data = dict(_input(request, BookingCreateSerializer))
        referral = get_object_or_404(
            Referral.objects.visible_to(request.user).select_related("unit", "participant"),
            pk=data.pop("referral"),
        )
        offering = offerings_of(request.user).filter(pk=data.pop("offering")).first()
        if offering is None:
            raise ValidationError({"offering": [_("No such offering.")]})
        activity_id = data.pop("plan_activity", None)
        activity = None
        if activity_id is not None:
            activity = PlanActivity.objects.filter(pk=activity_id, plan__referral=referral).first()
            if activity is None:
                raise ValidationError({"plan_activity": [_("No such activity in the person's action plan.")]})
        booking = services.booking_create(
            offering=offering, referral=referral, by=request.user, plan_activity=activity, **data
        )
        return _booking_detail(request, booking, view="booking_created", status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel a booking or a place in the queue",
        description="With a reason. A freed place goes to the first person waiting (`promoted`).",
        request=BookingCancelSerializer,
        responses={200: BookingCancelResultSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def cancel(self, request, pk=None):
        booking = self.get_object()
        data = _input(request, BookingCancelSerializer)
        promoted = services.booking_cancel(booking=booking, by=request.user, reason=data["reason"])
        booking = self.get_queryset().get(pk=booking.pk)
        data = BookingCancelResultSerializer(
            {"booking": booking, "promoted": promoted.pk if promoted is not None else None}
        ).data
        log_read(request, booking.participant, "booking_cancelled")
        return Response(data)
