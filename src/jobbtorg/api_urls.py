from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from jobbtorg.accounts import api_docs
from jobbtorg.identity.api.views import TokenView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs.swagger, name="api-docs"),
    path("redoc/", api_docs.redoc, name="api-redoc"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("jobbtorg.participants.api.urls")),
    path("", include("jobbtorg.referrals.api.urls")),
    path("", include("jobbtorg.plans.api.urls")),
    path("", include("jobbtorg.audit.api.urls")),
    path("", include("jobbtorg.interventions.api.urls")),
    path("", include("jobbtorg.providers.api.urls")),
    path("", include("jobbtorg.attendance.api.urls")),
    path("", include("jobbtorg.taxonomy.api.urls")),
    path("", include("jobbtorg.matching.api.urls")),
    path("", include("jobbtorg.followup.api.urls")),
    path("", include("jobbtorg.journal.api.urls")),
    path("", include("jobbtorg.documents.api.urls")),
    path("", include("jobbtorg.payments.api.urls")),
    path("", include("jobbtorg.caseloads.api.urls")),
    path("", include("jobbtorg.partners.api.urls")),
]
