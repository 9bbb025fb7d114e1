from django.contrib import admin

from .models import OccupationGroup, OccupationName, Skill


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference data shipped with the project: read-only in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OccupationGroup)
class OccupationGroupAdmin(ReadOnlyAdmin):
    list_display = ("code", "level", "label")
    list_filter = ("level",)
    search_fields = ("code", "label")


@admin.register(OccupationName)
class OccupationNameAdmin(ReadOnlyAdmin):
    list_display = ("name", "group", "field")
    search_fields = ("name",)


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ("name", "concept_id")
    search_fields = ("name",)
