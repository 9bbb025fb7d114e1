from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    ApplicationViewSet,
    AssignmentViewSet,
    AuthorisationViewSet,
    ChoiceViewSet,
    ParticipantAssignmentsView,
    ProviderViewSet,
    ReferralChoiceView,
    RequirementListView,
)

router = SimpleRouter(use_regex_path=False)
router.register("providers", ProviderViewSet, basename="api-provider")
router.register("authorisation-applications", ApplicationViewSet, basename="api-authorisation-application")
router.register("authorisations", AuthorisationViewSet, basename="api-authorisation")
router.register("choices", ChoiceViewSet, basename="api-choice")
router.register("assignments", AssignmentViewSet, basename="api-assignment")

urlpatterns = [
    path("requirements/", RequirementListView.as_view(), name="api-requirements"),
    path("referrals/<uuid:referral_pk>/choices/", ReferralChoiceView.as_view(), name="api-referral-choices"),
    path(
        "participants/<uuid:participant_pk>/assignments/",
        ParticipantAssignmentsView.as_view(),
        name="api-participant-assignments",
    ),
    *router.urls,
]
