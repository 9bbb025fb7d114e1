from django.contrib import admin
from django.urls import include, path

from jobbtorg.portal.views import accessibility_statement
from jobbtorg.utils.health import health, ready
from jobbtorg.utils.metrics import metrics

urlpatterns = [
    path("", include("jobbtorg.accounts.urls")),
    path("", include("jobbtorg.identity.urls")),
    path("personer/", include("jobbtorg.participants.urls")),
    path("remisser/", include("jobbtorg.referrals.urls")),
    path("planer/", include("jobbtorg.plans.urls")),
    path("logg/", include("jobbtorg.audit.urls")),
    path("narvaro/", include("jobbtorg.attendance.urls")),
    path("anordnare/", include("jobbtorg.providers.urls")),
    path("insatser/", include("jobbtorg.interventions.urls")),
    path("mina-sidor/", include("jobbtorg.portal.urls")),
    path("tillganglighet/", accessibility_statement, name="accessibility"),
    path("taxonomi/", include("jobbtorg.taxonomy.urls")),
    path("matchning/", include("jobbtorg.matching.urls")),
    path("ersattning/", include("jobbtorg.payments.urls")),
    path("nyckeltal/", include("jobbtorg.reporting.urls")),
    path("uppfoljning/", include("jobbtorg.followup.urls")),
    path("bakgrundsjobb/", include("jobbtorg.background.urls")),
    path("journal/", include("jobbtorg.journal.urls")),
    path("dokument/", include("jobbtorg.documents.urls")),
    path("integrationer/", include("jobbtorg.integrations.urls")),
    path("arbetsbelastning/", include("jobbtorg.caseloads.urls")),
    path("partner/", include("jobbtorg.partners.urls")),
    path("api/", include("jobbtorg.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("health/ready/", ready, name="health_ready"),
    path("metrics/", metrics, name="metrics"),
]

# Swedish error pages in the product's layout; JSON under /api/ (jobbtorg.utils.error_pages).
handler400 = "jobbtorg.utils.error_pages.bad_request"
handler403 = "jobbtorg.utils.error_pages.permission_denied"
handler404 = "jobbtorg.utils.error_pages.page_not_found"
handler500 = "jobbtorg.utils.error_pages.server_error"
