from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("jobbtorg.participants.api.urls")),
    path("", include("jobbtorg.referrals.api.urls")),
    path("", include("jobbtorg.plans.api.urls")),
    path("", include("jobbtorg.audit.api.urls")),
    path("", include("jobbtorg.interventions.api.urls")),
    path("", include("jobbtorg.providers.api.urls")),
    path("", include("jobbtorg.attendance.api.urls")),
]
