from django.contrib import admin

from .models import AssistanceImport


@admin.register(AssistanceImport)
class AssistanceImportAdmin(admin.ModelAdmin):
    list_display = [
        "month",
        "source",
        "file_name",
        "imported_at",
        "created_count",
        "replaced_count",
        "unchanged_count",
    ]
    readonly_fields = [f.name for f in AssistanceImport._meta.fields]
