from django.contrib import admin

from .models import SmsDelivery


@admin.register(SmsDelivery)
class SmsDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "status", "to_hint", "attempts", "gateway_id", "delivered_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in SmsDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
