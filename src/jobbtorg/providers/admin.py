"""Admin for the provider register: providers (organisation number validated), procurement contracts (LOU)
with their price list, and the authorisation checklist. Applications and authorisations are decided on the
provider pages (services keep their history), so the admin shows them read-only."""

from django.contrib import admin

from jobbtorg.audit.admin import AuditedAdminMixin

from .forms import ProviderAdminForm
from .models import Application, Authorisation, Contract, ContractPrice, Provider, Requirement


@admin.register(Provider)
class ProviderAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ProviderAdminForm
    list_display = ["name", "organisation_number", "kind", "postal_area", "municipality", "active"]
    list_filter = ["municipality", "kind", "active"]
    search_fields = ["name", "organisation_number"]

    def has_delete_permission(self, request, obj=None):
        return False


class ContractPriceInline(admin.TabularInline):
    model = ContractPrice
    extra = 1
    autocomplete_fields = ["intervention_type"]


@admin.register(Contract)
class ContractAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "provider", "start_date", "end_date", "volume"]
    list_filter = ["provider"]
    search_fields = ["reference", "provider__name"]
    date_hierarchy = "start_date"
    filter_horizontal = ["intervention_types"]
    inlines = [ContractPriceInline]


@admin.register(Requirement)
class RequirementAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["text", "intervention_type", "municipality", "order", "active"]
    list_filter = ["municipality", "active", "intervention_type"]
    search_fields = ["text"]
    ordering = ["municipality", "order", "id"]

    def has_delete_permission(self, request, obj=None):
        return False  # answers refer to it; untick 'active' instead


class ReadOnlyMixin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(AuditedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["provider", "intervention_type", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "intervention_type"]


@admin.register(Authorisation)
class AuthorisationAdmin(AuditedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["provider", "intervention_type", "valid_from", "revoked_from", "capacity"]
    list_filter = ["intervention_type"]
