from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated

from jobbtorg.participants.selectors import participant_find_by_personal_number
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.api import allowed_by, errors

from ..perms import can_review_reads
from ..selectors import read_log_search
from .serializers import ReadLogFilterSerializer, ReadLogSearchSerializer, ReadLogSerializer


def _filters(data: dict) -> dict:
    return {"actor": data.get("user"), "since": data.get("since"), "until": data.get("until")}


@extend_schema_view(
    list=extend_schema(
        summary="Who read which person's record (unit head)",
        description="Reads of the people referred to your unit and reads by your unit's staff, newest first.",
        parameters=[ReadLogFilterSerializer],
        responses={200: ReadLogSerializer(many=True), **errors(400, 403)},
    ),
)
class ReadLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, allowed_by(can_review_reads)]
    serializer_class = ReadLogSerializer
    filter_backends = []

    def list(self, request, *args, **kwargs):
        params = ReadLogFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return self._page(read_log_search(user=request.user, **_filters(params.validated_data)))

    @extend_schema(
        summary="Reads of one person (unit head)",
        description="The identity number goes in the body. A malformed number is a 400; a person who "
        "does not exist or was never referred to your unit is a 404.",
        request=ReadLogSearchSerializer,
        responses={200: ReadLogSerializer(many=True), **errors(400, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    def search(self, request):
        body = ReadLogSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            canonical = personal_numbers.normalize(body.validated_data["personal_number"])
        except ValidationError as exc:
            if exc.code in ("required", "format"):
                raise ValidationError({"personal_number": exc.messages}) from exc
            raise NotFound() from exc
        participant = participant_find_by_personal_number(user=request.user, personal_number=canonical)
        if participant is None:
            raise NotFound()
        entries = read_log_search(user=request.user, participant=participant, **_filters(body.validated_data))
        return self._page(entries)

    def _page(self, entries):
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(ReadLogSerializer(page, many=True).data)
