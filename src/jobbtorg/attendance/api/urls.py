from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    AppointmentViewSet,
    AttendanceBulkView,
    AttendanceCsvView,
    AttendanceEventView,
    AttendanceView,
    NoticeViewSet,
    ReportedAbsenceViewSet,
    UnreportedView,
)

router = SimpleRouter(use_regex_path=False)
router.register("notices", NoticeViewSet, basename="api-notice")
router.register("appointments", AppointmentViewSet, basename="api-appointment")
router.register("reported-absences", ReportedAbsenceViewSet, basename="api-reported-absence")

urlpatterns = [
    path("attendance/", AttendanceView.as_view(), name="api-attendance"),
    path("attendance/bulk/", AttendanceBulkView.as_view(), name="api-attendance-bulk"),
    path("attendance/csv/", AttendanceCsvView.as_view(), name="api-attendance-csv"),
    path("attendance/unreported/", UnreportedView.as_view(), name="api-attendance-unreported"),
    path("attendance-events/", AttendanceEventView.as_view(), name="api-attendance-events"),
    *router.urls,
]
