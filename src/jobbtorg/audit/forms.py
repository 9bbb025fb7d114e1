from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from jobbtorg.participants.forms import PersonalNumberField
from jobbtorg.participants.selectors import participant_find_by_personal_number

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReadLogFilterForm(forms.Form):
    """Filters for the read log. Always POSTed: the personal identity number must never be in a URL."""

    personal_number = PersonalNumberField(label=_("Person (personal identity number)"), required=False)
    username = forms.CharField(
        label=_("User (username)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"list": "unit-staff", "autocomplete": "off"}),
    )
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        data["participant"] = data["actor"] = None
        if data.get("personal_number"):
            data["participant"] = participant_find_by_personal_number(
                user=self.user, personal_number=data["personal_number"]
            )
            if data["participant"] is None:
                self.add_error("personal_number", _("No person you have access to has this number."))
        if data.get("username"):
            data["actor"] = get_user_model().objects.filter(username__iexact=data["username"].strip()).first()
            if data["actor"] is None:
                self.add_error("username", _("There is no user with this username."))
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date must not be before the start date."))
        return data
