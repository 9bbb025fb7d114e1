from django import forms
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.selectors import unit_coaches

MAX_WEEKS = 52


class CaseloadQueryForm(forms.Form):
    """The caseload page's address: N weeks for "not met for N weeks" and the coach whose people to list."""

    weeks = forms.IntegerField(
        label=_("Weeks without contact"), min_value=1, max_value=MAX_WEEKS, required=False
    )
    coach = forms.IntegerField(label=_("Coach"), min_value=1, required=False)


class ReassignForm(forms.Form):
    """The unit head moves the chosen people to another coach of the unit (the versions come as
    `version-<referral id>` fields, one per listed person)."""

    referrals = forms.MultipleChoiceField(label=_("People"), choices=(), widget=forms.CheckboxSelectMultiple)
    coach = forms.ModelChoiceField(label=_("New responsible coach"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, unit_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = unit_coaches(unit_id)
        data = args[0] if args else kwargs.get("data")
        chosen = data.getlist("referrals") if data is not None and hasattr(data, "getlist") else []
        self.fields["referrals"].choices = [(value, value) for value in chosen]

    def versions(self) -> dict:
        """referral id → the lock version the head saw (posted beside each checkbox)."""
        result = {}
        for value in self.cleaned_data["referrals"]:
            raw = self.data.get(f"version-{value}", "")
            if not raw.isdigit():
                raise forms.ValidationError(_("Reload the page: a person's version is missing."))
            result[value] = int(raw)
        return result
