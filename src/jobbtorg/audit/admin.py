from django.contrib import admin

from .models import ChangeLog
from .services import change_record


class AuditedAdminMixin:
    """Admin edits leave the same trail as service writes: one change-log row per save and delete."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = sorted(form.changed_data) if change else []
        change_record(
            action=f"admin_{obj._meta.model_name}_{'changed' if change else 'added'}",
            obj=obj,
            by=request.user,
            changes={"fields": changed},
        )

    def delete_model(self, request, obj):
        change_record(action=f"admin_{obj._meta.model_name}_deleted", obj=obj, by=request.user)
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    date_hierarchy = "at"
