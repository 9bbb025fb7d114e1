from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.utils import personal_numbers
from jobbtorg.utils.languages import PARTICIPANT_LANGUAGE_CHOICES

from .constants import ConsentStatus


class PersonalNumberField(forms.CharField):
    """A Swedish personal identity or coordination number, cleaned to its canonical 12 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Personal identity number"))
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("help_text", _("YYYYMMDD-NNNN or YYMMDD-NNNN. A coordination number works too."))
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return personal_numbers.normalize(value)


class PersonLookupForm(forms.Form):
    """Find a person by number — always POSTed, so the number never lands in a URL."""

    personal_number = PersonalNumberField()


class NameSearchForm(forms.Form):
    """Search by name (GET). Digits are refused, so that nobody sends an identity number in a web address;
    the browser blocks them before sending (pattern) and the server refuses them too."""

    q = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("First or last name, or part of it. To search by number, use the form above."),
        widget=forms.TextInput(attrs={"type": "search", "pattern": r"[^0-9]*", "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        term = self.cleaned_data["q"].strip()
        if any(char.isdigit() for char in term):
            raise forms.ValidationError(_("Search by name only. To search by number, use the form above."))
        return term


class ConsentForm(forms.Form):
    status = forms.ChoiceField(label=_("Consent"), choices=ConsentStatus.choices, widget=forms.RadioSelect)
    effective_date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)

    def clean_effective_date(self):
        day = self.cleaned_data["effective_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class LanguageForm(forms.Form):
    """The language of the person's portal, reminders and printed plan, set by staff on the record."""

    language = forms.ChoiceField(
        label=_("Language for the portal and messages"), choices=PARTICIPANT_LANGUAGE_CHOICES
    )
