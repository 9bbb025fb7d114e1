from django.contrib import admin

from .models import DeletionLog


@admin.register(DeletionLog)
class DeletionLogAdmin(admin.ModelAdmin):
    list_display = ["at", "rule", "record_type", "count", "cutoff", "ran_by", "run_id"]
    list_filter = ["rule", "record_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
