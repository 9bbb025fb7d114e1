from django.contrib import admin

from jobbtorg.audit.admin import AuditedAdminMixin

from .models import AbsenceRules


@admin.register(AbsenceRules)
class AbsenceRulesAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A municipality's absence rules (Nacka's by default when none are set)."""

    list_display = [
        "municipality",
        "notify_from_absence_day",
        "certificate_from_sick_day",
        "repeated_absence_count",
        "repeated_absence_window_days",
    ]
