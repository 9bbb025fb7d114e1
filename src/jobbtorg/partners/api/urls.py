from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    PartnerMeetingViewSet,
    PartnerOrganisationListView,
    PartnerPeopleView,
    PartnerRequestViewSet,
    PlanLinkConfirmView,
    SharedPlanView,
)

router = SimpleRouter(use_regex_path=False)
router.register("partner-meetings", PartnerMeetingViewSet, basename="api-partner-meeting")
router.register("partner-requests", PartnerRequestViewSet, basename="api-partner-request")

urlpatterns = [
    path(
        "partner-organisations/", PartnerOrganisationListView.as_view(), name="api-partner-organisation-list"
    ),
    path("partner/people/", PartnerPeopleView.as_view(), name="api-partner-people"),
    path("partner/people/<uuid:pk>/plan/", SharedPlanView.as_view(), name="api-partner-shared-plan"),
    path("plan-links/<int:pk>/confirm/", PlanLinkConfirmView.as_view(), name="api-plan-link-confirm"),
    *router.urls,
]
