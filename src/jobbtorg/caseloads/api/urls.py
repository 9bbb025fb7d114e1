from django.urls import path

from .views import CaseloadView, ReassignView

urlpatterns = [
    path("caseloads/", CaseloadView.as_view(), name="api-caseloads"),
    path("caseloads/reassign/", ReassignView.as_view(), name="api-caseloads-reassign"),
]
