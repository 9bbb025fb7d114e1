from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jobbtorg.audit.admin import AuditedAdminMixin

from .models import District, Municipality, Unit, User


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0
    fields = ["name", "municipality"]


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["municipality", "kind"]
    inlines = [DistrictInline]


@admin.register(District)
class DistrictAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "municipality"]
    list_filter = ["municipality", "unit"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "unit", "district", "is_active"]
    list_filter = ["role", "is_integration", "unit", "district", "partner_organisation", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Organisation"),
            {
                "fields": [
                    "role",
                    "title",
                    "municipality",
                    "unit",
                    "district",
                    "provider",
                    "partner_organisation",
                    "is_integration",
                ]
            },
        ),
    ]
