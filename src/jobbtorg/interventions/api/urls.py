from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import BookingViewSet, InterventionTypeListView, OfferingViewSet

router = SimpleRouter(use_regex_path=False)
router.register("offerings", OfferingViewSet, basename="api-offering")
router.register("bookings", BookingViewSet, basename="api-booking")

urlpatterns = [
    path("intervention-types/", InterventionTypeListView.as_view(), name="api-intervention-types"),
    *router.urls,
]
