"""Taxonomy search for API clients: occupation names and skills (search-as-you-type), groups by code."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from jobbtorg.utils.api import IsUnitStaff

from .. import selectors
from ..models import OccupationGroup
from .serializers import OccupationGroupSerializer, OccupationHitSerializer, SkillSerializer

Q = OpenApiParameter("q", str, description="At least two characters", required=True)


class OccupationSearchViewSet(viewsets.ViewSet):
    permission_classes = [IsUnitStaff]

    @extend_schema(parameters=[Q], responses=OccupationHitSerializer(many=True))
    def list(self, request):
        hits = selectors.occupation_search(q=request.query_params.get("q", ""), limit=25)
        return Response(OccupationHitSerializer(hits, many=True).data)


class SkillSearchViewSet(viewsets.ViewSet):
    permission_classes = [IsUnitStaff]

    @extend_schema(
        parameters=[Q, OpenApiParameter("occupation", str, description="Related 4-digit group first")],
        responses=SkillSerializer(many=True),
    )
    def list(self, request):
        codes = [request.query_params["occupation"]] if request.query_params.get("occupation") else None
        hits = selectors.skill_search(q=request.query_params.get("q", ""), limit=25, codes=codes)
        return Response(SkillSerializer(hits, many=True).data)


class OccupationGroupViewSet(viewsets.ViewSet):
    permission_classes = [IsUnitStaff]
    lookup_field = "code"
    lookup_value_regex = r"\d{1,4}"

    @extend_schema(responses=OccupationGroupSerializer)
    def retrieve(self, request, code=None):
        return Response(OccupationGroupSerializer(get_object_or_404(OccupationGroup, pk=code)).data)
