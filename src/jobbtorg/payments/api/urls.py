from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    CompensationModelViewSet,
    CreamingCheckView,
    CreamingReviewViewSet,
    DisputeViewSet,
    PaymentLineViewSet,
    PaymentRunViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("compensation-models", CompensationModelViewSet, basename="api-compensation-model")
router.register("payment-runs", PaymentRunViewSet, basename="api-payment-run")
router.register("payment-lines", PaymentLineViewSet, basename="api-payment-line")
router.register("disputes", DisputeViewSet, basename="api-dispute")
router.register("creaming-reviews", CreamingReviewViewSet, basename="api-creaming-review")

urlpatterns = [
    path("creaming-check/", CreamingCheckView.as_view(), name="api-creaming-check"),
    *router.urls,
]
