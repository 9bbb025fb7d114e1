"""Forms of the intervention pages: they parse input; the rules are in interventions.services."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import Unit
from jobbtorg.participants.constants import TargetGroup
from jobbtorg.providers.models import Provider

from . import perms
from .constants import DeliveredBy, InterventionCategory
from .models import InterventionType, Offering

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def comma_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class InterventionTypeForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("Short, unique and permanent, e.g. work_training_kitchen."),
    )
    name = forms.CharField(label=_("Name (Swedish)"), max_length=150)
    name_en = forms.CharField(label=_("Name (English)"), max_length=150, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", "–"), *InterventionCategory.choices])
    is_sfi_related = forms.BooleanField(label=_("SFI-related"), required=False)
    is_work_training = forms.BooleanField(label=_("Work training"), required=False)
    is_internship = forms.BooleanField(label=_("Internship"), required=False)
    is_matching = forms.BooleanField(label=_("Matching"), required=False)
    sort_order = forms.IntegerField(
        label=_("Position in the catalogue"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Lower numbers come first."),
    )

    def __init__(self, *args, instance: InterventionType | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial", {name: getattr(instance, name) for name in self.base_fields if name != "code"}
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["code"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if InterventionType.objects.filter(code=code).exists():
            raise forms.ValidationError(_("This code is already used in the catalogue."))
        return code

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("sort_order") is None:
            data.pop("sort_order", None)
        return data


class RetireForm(forms.Form):
    active = forms.BooleanField(widget=forms.HiddenInput, required=False)


class OfferingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    intervention_type = forms.ModelChoiceField(
        label=_("Intervention type"), queryset=InterventionType.objects.none()
    )
    delivered_by = forms.ChoiceField(
        label=_("Delivered by"), choices=DeliveredBy.choices, widget=forms.RadioSelect
    )
    unit = forms.ModelChoiceField(
        label=_("Jobbtorg unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("When the Jobbtorg delivers it."),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_("When a provider delivers it: authorised or contracted for the intervention type."),
    )
    city_unit_name = forms.CharField(
        label=_("City unit"), max_length=150, required=False, help_text=_("When a city unit delivers it.")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(label=_("End"), widget=DATE, required=False)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), min_value=0, max_value=40, max_digits=4, decimal_places=1
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100000)
    languages = forms.CharField(
        label=_("Languages of instruction"),
        max_length=300,
        required=False,
        help_text=_("Separate with commas, e.g. Swedish, Arabic."),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Open for booking"), required=False, initial=True)

    def __init__(self, *args, user, municipality_id: int, instance: Offering | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {name: getattr(instance, name) for name in self.base_fields}
            initial["languages"] = ", ".join(instance.languages or [])
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        types = InterventionType.objects.filter(active=True)
        if instance is not None:
            types = InterventionType.objects.filter(pk=instance.intervention_type_id) | types
        self.fields["intervention_type"].queryset = types.order_by("sort_order", "name")
        self.fields["unit"].queryset = Unit.objects.filter(municipality_id=municipality_id)
        self.fields["provider"].queryset = Provider.objects.filter(
            municipality_id=municipality_id, active=True
        )
        if user.is_unit_head and not perms.can_manage_all_offerings(user):
            # A unit head offers their own unit's interventions and the city's, not providers'.
            self.fields["delivered_by"].choices = [
                (value, label) for value, label in DeliveredBy.choices if value != DeliveredBy.PROVIDER
            ]
            self.fields["unit"].queryset = Unit.objects.filter(pk=user.unit_id)
            del self.fields["provider"]

    def clean_languages(self) -> list[str]:
        return comma_list(self.cleaned_data["languages"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data

    def service_kwargs(self) -> dict:
        """The keyword arguments of offering_create/offering_update: only the deliverer that
        `delivered_by` names is kept."""
        data = dict(self.cleaned_data)
        data.setdefault("provider", None)
        if data["delivered_by"] != DeliveredBy.PROVIDER:
            data["provider"] = None
        if data["delivered_by"] != DeliveredBy.JOBBTORG:
            data["unit"] = None
        if data["delivered_by"] != DeliveredBy.CITY:
            data["city_unit_name"] = ""
        return data


class OfferingFilterForm(forms.Form):
    intervention_type = forms.ModelChoiceField(
        label=_("Intervention type"),
        queryset=InterventionType.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    delivered_by = forms.ChoiceField(
        label=_("Delivered by"), choices=[("", _("All")), *DeliveredBy.choices], required=False
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none(), required=False, empty_label=_("All")
    )
    language = forms.ChoiceField(label=_("Language of instruction"), choices=[("", _("All"))], required=False)
    target_group = forms.ChoiceField(
        label=_("Target group"), choices=[("", _("All")), *TargetGroup.choices], required=False
    )
    free = forms.BooleanField(label=_("Only with free places"), required=False)

    def __init__(self, *args, municipality_id, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(municipality_id=municipality_id)
        self.fields["language"].choices = [("", _("All")), *((lang, lang) for lang in languages)]


def offering_label(offering: Offering) -> str:
    label = gettext("%(name)s – %(type)s – %(free)s of %(capacity)s places free") % {
        "name": offering.name,
        "type": offering.intervention_type.display_name,
        "free": offering.free_places,
        "capacity": offering.capacity,
    }
    waiting = getattr(offering, "waitlist_length", 0)
    if waiting:
        label += " – " + gettext("%(count)s waiting") % {"count": waiting}
    return label


class BookingForm(forms.Form):
    offering = forms.ModelChoiceField(label=_("Offering"), queryset=Offering.objects.none())
    plan_activity = forms.ModelChoiceField(
        label=_("Activity in the action plan"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    start_date = forms.DateField(
        label=_("Start"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to start today, or when the offering starts."),
    )
    end_date = forms.DateField(
        label=_("End"), widget=DATE, required=False, help_text=_("Leave empty for the end of the offering.")
    )
    waitlist = forms.BooleanField(label=_("Put on the waiting list if full"), required=False, initial=True)

    def __init__(self, *args, matching: list[Offering], others: list[Offering], activities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["offering"]
        field.queryset = Offering.objects.filter(pk__in=[o.pk for o in matching + others])
        choices: list = [("", "–")]
        if matching:
            choices.append(
                (
                    gettext("Intervention types in the action plan"),
                    [(o.pk, offering_label(o)) for o in matching],
                )
            )
        if others:
            choices.append(
                (
                    gettext("All other offerings") if matching else gettext("All offerings"),
                    [(o.pk, offering_label(o)) for o in others],
                )
            )
        field.choices = choices
        self.fields["plan_activity"].queryset = activities
        self.fields["plan_activity"].label_from_instance = lambda a: " – ".join(
            part
            for part in (a.intervention_type.display_name, a.description, a.start_date.isoformat())
            if part
        )

    def clean(self):
        data = super().clean()
        offering, activity = data.get("offering"), data.get("plan_activity")
        if offering and activity and activity.intervention_type_id != offering.intervention_type_id:
            self.add_error(
                "plan_activity", _("The activity is for another intervention type than the offering.")
            )
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)

    def __init__(self, *args, booking=None, **kwargs):
        if booking is not None:
            kwargs.setdefault("prefix", f"cancel-{booking.pk}")
        super().__init__(*args, **kwargs)
