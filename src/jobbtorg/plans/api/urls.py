from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    InboxView,
    MappingView,
    OwnPlanAgreeView,
    OwnPlanCommentView,
    OwnPlanView,
    PlanViewSet,
    ReferralPlanView,
    WorklistView,
)

router = SimpleRouter(use_regex_path=False)
router.register("plans", PlanViewSet, basename="api-plan")

urlpatterns = [
    path("referrals/<uuid:referral_pk>/mapping/", MappingView.as_view(), name="api-mapping"),
    path("referrals/<uuid:referral_pk>/plan/", ReferralPlanView.as_view(), name="api-referral-plan"),
    path("worklist/", WorklistView.as_view(), name="api-worklist"),
    path("inbox/", InboxView.as_view(), name="api-inbox"),
    path("my-plan/", OwnPlanView.as_view(), name="api-own-plan"),
    path("my-plan/agree/", OwnPlanAgreeView.as_view(), name="api-own-plan-agree"),
    path("my-plan/comments/", OwnPlanCommentView.as_view(), name="api-own-plan-comments"),
    *router.urls,
]
