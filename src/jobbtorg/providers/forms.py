"""Forms of the provider register and authorisation pages; the rules are in providers.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.interventions.models import InterventionType

from .constants import ProviderKind
from .models import Provider
from .validators import organisation_number_normalize

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def comma_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def organisation_number_clean(value: str) -> str:
    """The validator's message on the field (and the number in its normal form NNNNNN-NNNN)."""
    try:
        return organisation_number_normalize(value)
    except ValidationError as error:
        raise forms.ValidationError(error.messages) from error


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    organisation_number = forms.CharField(
        label=_("Organisation number"), max_length=13, help_text=_("NNNNNN-NNNN, e.g. 556016-0680.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ProviderKind.choices, initial=ProviderKind.COMPANY)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postal_area = forms.CharField(label=_("Postal area"), max_length=100, required=False)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=300,
        required=False,
        help_text=_("Languages the staff speak, separated with commas."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )

    def clean_organisation_number(self) -> str:
        return organisation_number_clean(self.cleaned_data["organisation_number"])

    def clean_languages(self) -> list[str]:
        return comma_list(self.cleaned_data["languages"])


class ProviderAdminForm(forms.ModelForm):
    """The Django admin's provider form: the same organisation-number validation as the service."""

    class Meta:
        model = Provider
        fields = [
            "municipality",
            "name",
            "organisation_number",
            "kind",
            "address",
            "postal_area",
            "languages",
            "contact_name",
            "contact_email",
            "contact_phone",
            "description",
            "active",
        ]

    def clean_organisation_number(self) -> str:
        return organisation_number_clean(self.cleaned_data["organisation_number"])


class ApplicationForm(forms.Form):
    """An application for authorisation: the intervention type and the municipality's checklist, each
    requirement answered fulfilled yes/no with an optional comment."""

    intervention_type = forms.ModelChoiceField(
        label=_("Intervention type"), queryset=InterventionType.objects.filter(active=True)
    )

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        for requirement in self.requirements:
            self.fields[f"fulfilled_{requirement.pk}"] = forms.TypedChoiceField(
                label=requirement.text,
                choices=[("yes", _("Yes, fulfilled")), ("no", _("No, not fulfilled"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{requirement.pk}"] = forms.CharField(
                label=_("Comment"), max_length=300, required=False
            )

    def checklist(self) -> list[tuple]:
        return [
            (requirement, self[f"fulfilled_{requirement.pk}"], self[f"comment_{requirement.pk}"])
            for requirement in self.requirements
        ]

    def answers(self) -> dict[int, tuple[bool, str]]:
        return {
            r.pk: (self.cleaned_data[f"fulfilled_{r.pk}"], self.cleaned_data[f"comment_{r.pk}"])
            for r in self.requirements
        }


class VersionForm(forms.Form):
    """The lock version the user saw; every decision posts it back (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(
        label=_("Valid from"), widget=DATE, required=False, help_text=_("When approving. Empty: today.")
    )
    capacity = forms.IntegerField(
        label=_("Capacity (participants at a time)"),
        min_value=1,
        required=False,
        help_text=_("When approving. Empty: no set limit."),
    )
    reason = forms.CharField(
        label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


def _prefixed(kind: str, kwargs: dict) -> dict:
    authorisation = kwargs.pop("authorisation", None)
    if authorisation is not None:
        kwargs.setdefault("prefix", f"{kind}-{authorisation.pk}")
    return kwargs


class SuspendForm(VersionForm):
    start_date = forms.DateField(label=_("Suspended from"), widget=DATE)
    end_date = forms.DateField(
        label=_("Suspended until"), widget=DATE, required=False, help_text=_("Empty: until further notice.")
    )
    reason = forms.CharField(
        label=_("Reason for the suspension"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_prefixed("suspend", kwargs))
        self.fields["start_date"].initial = timezone.localdate


class ReinstateForm(VersionForm):
    on = forms.DateField(label=_("In force again from"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_prefixed("reinstate", kwargs))
        self.fields["on"].initial = timezone.localdate


class RevokeForm(VersionForm):
    on = forms.DateField(label=_("Revoked from"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason for revoking"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_prefixed("revoke", kwargs))
        self.fields["on"].initial = timezone.localdate
