from django.contrib import admin

from jobbtorg.audit.admin import AuditedAdminMixin, ReadOnlyAdmin

from .models import Assignment, Freshness


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality", "unit", "funder", "start_date", "end_date", "budget"]
    list_filter = ["funder", "municipality", "unit"]
    search_fields = ["name", "funder_reference"]
    date_hierarchy = "start_date"
    filter_horizontal = ["offerings"]
    list_select_related = ["municipality", "unit"]


@admin.register(Freshness)
class FreshnessAdmin(ReadOnlyAdmin):
    """How fresh each municipality's key-indicator rollups are (rebuilt by `refresh_indicators`)."""

    list_display = ["municipality_id", "refreshed_at", "dirty_since", "seconds", "cases"]
