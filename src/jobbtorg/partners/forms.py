from django import forms
from django.utils.translation import gettext_lazy as _

from jobbtorg.interventions.models import InterventionType
from jobbtorg.plans.constants import OtherPlanStatus

from .constants import MeetingKind, MeetingStatus, RequestKind, RequestStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class MeetingForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, initial=MeetingKind.HANDOVER)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(label=_("Agenda"), max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, prefix="meeting", **kwargs)
        self.fields["organisation"].queryset = partners

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class RequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    question = forms.CharField(label=_("Request"), max_length=4000, widget=forms.Textarea)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, prefix="request", **kwargs)
        self.fields["organisation"].queryset = partners


class OutcomeForm(forms.Form):
    """The outcome of a four-party meeting and up to two follow-up actions for the action plan."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("The meeting was"),
        choices=[(MeetingStatus.HELD, _("Held")), (MeetingStatus.CANCELLED, _("Cancelled"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(label=_("Outcome"), max_length=4000, required=False, widget=forms.Textarea)
    FOLLOW_UPS = 2

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = InterventionType.objects.filter(active=True)
        for i in range(self.FOLLOW_UPS):
            self.fields[f"action{i}_intervention"] = forms.ModelChoiceField(
                label=_("Follow-up action %(n)s: activity") % {"n": i + 1}, queryset=types, required=False
            )
            self.fields[f"action{i}_description"] = forms.CharField(
                label=_("Description"), max_length=300, required=False
            )
            self.fields[f"action{i}_start"] = forms.DateField(label=_("Start"), widget=DATE, required=False)
            self.fields[f"action{i}_hours"] = forms.DecimalField(
                label=_("Hours per week"), min_value=0, max_value=40, decimal_places=1, required=False
            )

    def clean(self):
        data = super().clean()
        for i in range(self.FOLLOW_UPS):
            if data.get(f"action{i}_intervention"):
                if not data.get(f"action{i}_start"):
                    self.add_error(f"action{i}_start", _("Enter the start date."))
                if data.get(f"action{i}_hours") is None:
                    self.add_error(f"action{i}_hours", _("Enter the hours per week."))
        return data

    def follow_ups(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "intervention_code": data[f"action{i}_intervention"].code,
                "description": data[f"action{i}_description"],
                "start_date": data[f"action{i}_start"],
                "hours_per_week": data[f"action{i}_hours"],
            }
            for i in range(self.FOLLOW_UPS)
            if data.get(f"action{i}_intervention")
        ]

    def action_rows(self):
        return [
            [self[f"action{i}_{name}"] for name in ("intervention", "description", "start", "hours")]
            for i in range(self.FOLLOW_UPS)
        ]


class RequestAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (RequestStatus.ACCEPTED, _("Accept")),
            (RequestStatus.ANSWERED, _("Answer")),
            (RequestStatus.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer or reason"), max_length=4000, required=False, widget=forms.Textarea
    )


class LinkConfirmForm(forms.Form):
    status = forms.ChoiceField(label=_("Status of the plan"), choices=OtherPlanStatus.choices)
