from django.contrib import admin

from jobbtorg.audit.admin import AuditedAdminMixin

from .models import PartnerOrganisation


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The administrator keeps the municipality's partner organisations; their staff are users with the
    partner role attached to one (accounts' user admin)."""

    list_display = ["name", "kind", "municipality", "active"]
    list_filter = ["municipality", "kind", "active"]
    search_fields = ["name"]
