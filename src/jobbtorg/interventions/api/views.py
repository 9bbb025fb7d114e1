from drf_spectacular.utils import extend_schema
from rest_framework import generics

from ..models import InterventionType
from .serializers import InterventionTypeSerializer


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
