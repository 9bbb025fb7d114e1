from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jobbtorg.audit.admin import AuditedAdminMixin

from .models import InterventionType, Offering


@admin.register(InterventionType)
class InterventionTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The catalogue: add, describe and retire (untick 'active') intervention types; never delete."""

    list_display = [
        "name",
        "code",
        "category",
        "is_sfi_related",
        "is_work_training",
        "is_internship",
        "active",
    ]
    list_filter = ["category", "active"]
    search_fields = ["name", "name_en", "code"]
    ordering = ["sort_order", "name"]

    def has_delete_permission(self, request, obj=None):
        return False


class OfferingAdminForm(forms.ModelForm):
    class Meta:
        model = Offering
        fields = [
            "municipality",
            "intervention_type",
            "name",
            "delivered_by",
            "unit",
            "provider",
            "city_unit_name",
            "place",
            "start_date",
            "end_date",
            "hours_per_week",
            "capacity",
            "languages",
            "target_groups",
            "contact",
            "active",
        ]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity is not None:
            booked = (
                Offering.objects.filter(pk=self.instance.pk).values_list("booked_count", flat=True).first()
                or 0
            )
            if capacity < booked:
                raise forms.ValidationError(
                    _("%(count)s places are already booked; the capacity cannot be lower than that.")
                    % {"count": booked}
                )
        return capacity


class _OfferingSave(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Never write the booked count back: the booking service keeps it, also while this form was open.
        fields = [f.name for f in obj._meta.concrete_fields if not f.primary_key and f.name != "booked_count"]
        obj.save(update_fields=fields)


@admin.register(Offering)
class OfferingAdmin(AuditedAdminMixin, _OfferingSave):
    """Offerings can also be kept here; the places booked are counted by the booking service only. The
    offering pages validate more (authorised providers, capacity not below the places booked)."""

    list_display = [
        "name",
        "intervention_type",
        "delivered_by",
        "provider",
        "unit",
        "start_date",
        "end_date",
        "capacity",
        "booked_count",
        "active",
    ]
    list_filter = ["delivered_by", "active", "intervention_type"]
    search_fields = ["name", "place", "provider__name"]
    form = OfferingAdminForm
    readonly_fields = ["booked_count"]
    autocomplete_fields = ["intervention_type"]

    def has_delete_permission(self, request, obj=None):
        return False
