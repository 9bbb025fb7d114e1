"""Web forms of the matching area. They only parse input; the rules live in matching.services."""

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jobbtorg.plans.constants import PlacementKind, SwedishLevel

from .constants import (
    AttendeeOutcome,
    AttendeeStatus,
    EmploymentForm,
    InternshipLevel,
    RecruitmentEventStatus,
    RejectionReason,
    Sector,
    VacancyStatus,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation_number = forms.CharField(label=_("Organisation number"), max_length=13)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    is_city = forms.BooleanField(label=_("The city itself is the employer"), required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=6)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=100)
    contact_role = forms.CharField(label=_("Contact's role"), required=False, max_length=100)
    contact_email = forms.EmailField(label=_("Contact's e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact's phone"), required=False, max_length=30)

    def clean_postal_code(self):
        return (self.cleaned_data.get("postal_code") or "").replace(" ", "")

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        contact = {k: data.pop(f"contact_{k}") for k in ("name", "role", "email", "phone")}
        data["contacts"] = [contact] if contact["name"] else []
        return data


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlacementKind.choices)
    internship_level = forms.ChoiceField(
        label=_("Internship level"), choices=[("", "–"), *InternshipLevel.choices], required=False
    )
    occupation = forms.CharField(
        label=_("Occupation (SSYK 2012)"),
        help_text=_("Type part of an occupation, e.g. “undersköt”, and choose from the list."),
        widget=forms.TextInput(
            attrs={
                "list": "occupation-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("taxonomy:occupation_options"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#occupation-options",
            }
        ),
    )
    required_skills = forms.CharField(
        label=_("Required skills"),
        required=False,
        help_text=_("Skill numbers, separated by commas; search below."),
    )
    merit_skills = forms.CharField(
        label=_("Merits"), required=False, help_text=_("Skill numbers, separated by commas.")
    )
    skill_search = forms.CharField(
        label=_("Find a skill"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "list": "skill-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("taxonomy:skill_options"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#skill-options",
                "hx-include": "[name=occupation]",
            }
        ),
    )
    skill_search_required = forms.BooleanField(label=_("The skill found is required"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    swedish_level = forms.ChoiceField(
        label=_("Swedish level required (at least)"), choices=SwedishLevel.choices
    )
    driving_licence_required = forms.BooleanField(label=_("Driving licence required"), required=False)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=40, initial=40)
    postal_code = forms.CharField(label=_("Postal code of the workplace"), max_length=6)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE_INPUT)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=1)
    deadline = forms.DateField(label=_("Application deadline"), required=False, widget=DATE_INPUT)
    status = forms.ChoiceField(label=_("Status"), choices=VacancyStatus.choices, initial=VacancyStatus.OPEN)
    supported_employment = forms.BooleanField(label=_("Supported Employment possible"), required=False)

    @staticmethod
    def _ids(value: str) -> list:
        out = []
        for part in re.split(r"[,;\s]+", value or ""):
            if part:
                out.append(int(part) if part.isdigit() else part)
        return out

    def clean_occupation(self):
        value = (self.cleaned_data.get("occupation") or "").strip()
        match = re.match(r"^(\d{4})\b", value)
        return match.group(1) if match else value

    def clean_postal_code(self):
        return (self.cleaned_data.get("postal_code") or "").replace(" ", "")

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        required = self._ids(data.pop("required_skills"))
        merits = self._ids(data.pop("merit_skills"))
        found = (data.pop("skill_search") or "").strip()
        found_required = data.pop("skill_search_required")
        number = re.match(r"^(\d+)\b", found)
        if number:
            (required if found_required else merits).append(int(number.group(1)))
        data["skills"] = [{"skill": s, "required": True} for s in required] + [
            {"skill": s, "required": False} for s in merits
        ]
        return data

    @classmethod
    def initial_from(cls, vacancy) -> dict:
        links = list(vacancy.skill_links.all())
        return {
            **{
                name: getattr(vacancy, name)
                for name in cls.base_fields
                if hasattr(vacancy, name) and name != "occupation"
            },
            "occupation": f"{vacancy.occupation_id} {vacancy.occupation.label}",
            "required_skills": ", ".join(str(link.skill_id) for link in links if link.required),
            "merit_skills": ", ".join(str(link.skill_id) for link in links if not link.required),
        }


class VacancyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *VacancyStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *PlacementKind.choices]
    )
    occupation = forms.CharField(label=_("SSYK code (start)"), required=False, max_length=4)


class ProposeForm(forms.Form):
    participant = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AnswerForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("The participant's answer"),
        choices=[("yes", _("Agrees")), ("no", _("Declines"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContactForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("interview", _("Interview")),
            ("hired", _("Hired")),
            ("internship_started", _("Internship started")),
            ("rejected", _("Rejected")),
        ],
        widget=forms.RadioSelect,
    )
    rejection_reason = forms.ChoiceField(
        label=_("Reason for a rejection"), required=False, choices=[("", "–"), *RejectionReason.choices]
    )
    interview_at = forms.DateTimeField(
        label=_("Interview time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End date (if fixed)"), required=False, widget=DATE_INPUT)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False, min_value=1, max_value=40)
    employment_form = forms.ChoiceField(
        label=_("Form of employment"), required=False, choices=[("", "–"), *EmploymentForm.choices]
    )
    supported_employment = forms.BooleanField(
        label=_("Supported Employment (place, then train)"), required=False
    )
    support_hours_per_week = forms.DecimalField(
        label=_("Job coach support, hours per week"),
        required=False,
        min_value=0,
        max_value=40,
        decimal_places=1,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecruitmentEventForm(forms.Form):
    employer = forms.UUIDField(label=_("Employer"))
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=RecruitmentEventStatus.choices)
    outcome_note = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"] = forms.TypedChoiceField(
            label=_("Employer"), choices=[(str(e.pk), e.name) for e in employers]
        )


class AttendeeForm(forms.Form):
    participant = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=AttendeeStatus.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AttendeeOutcome.choices, required=False)
