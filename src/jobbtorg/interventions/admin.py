from django.contrib import admin

from jobbtorg.audit.admin import AuditedAdminMixin

from .models import InterventionType


@admin.register(InterventionType)
class InterventionTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The catalogue: add, describe and retire (untick 'active') intervention types; never delete."""

    list_display = ["name", "code", "category", "is_sfi_related", "is_work_training", "is_internship", "active"]
    list_filter = ["category", "active"]
    search_fields = ["name", "name_en", "code"]

    def has_delete_permission(self, request, obj=None):
        return False
