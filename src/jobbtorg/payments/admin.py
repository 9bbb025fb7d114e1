from django.contrib import admin
from django.utils import timezone

from jobbtorg.audit.admin import AuditedAdminMixin

from .models import (
    CompensationModel,
    CompensationModelVersion,
    CompensationRule,
    ModelAssignment,
    PaymentRun,
    RuleRate,
)


def _in_force(version) -> bool:
    return version is not None and version.valid_from <= timezone.localdate()


class RuleInline(admin.StackedInline):
    model = CompensationRule
    extra = 0

    def has_change_permission(self, request, obj=None):
        return not _in_force(obj) and super().has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


class RateInline(admin.TabularInline):
    model = RuleRate
    extra = 0


@admin.register(CompensationModel)
class CompensationModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality"]


@admin.register(CompensationModelVersion)
class VersionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["model", "valid_from", "cap_per_participant"]
    inlines = [RuleInline]

    def has_change_permission(self, request, obj=None):
        """Versions in force (started) are immutable: a month already paid must not change."""
        return not _in_force(obj) and super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission


@admin.register(CompensationRule)
class RuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["label", "code", "kind", "amount", "version"]
    inlines = [RateInline]

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and _in_force(obj.version)) and super().has_change_permission(
            request, obj
        )

    has_delete_permission = has_change_permission


@admin.register(ModelAssignment)
class ModelAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["model", "contract", "authorisation"]


@admin.register(PaymentRun)
class PaymentRunAdmin(admin.ModelAdmin):
    list_display = ["month", "municipality", "status", "line_count", "total"]
    readonly_fields = [f.name for f in PaymentRun._meta.fields]
