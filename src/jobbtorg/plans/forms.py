"""Web forms of the plans area. They only parse input; the rules live in plans.services.

The plan editor is one form for the draft (goals, lock version) plus repeatable rows for activities and
links to other plans. Rows are named `act-<key>-<field>` and `oth-<key>-<field>`, where the key is any short
token (existing rows are numbered, rows added with HTMX get a random one), so rows can be added and removed
in the browser without renumbering; their order is the order of the fields in the submitted form.
"""

import re
import secrets

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jobbtorg.interventions.models import InterventionType
from jobbtorg.participants.constants import WorkCapacity
from jobbtorg.partners.models import PartnerOrganisation
from jobbtorg.taxonomy.selectors import skills_by_id

from .constants import (
    DrivingLicence,
    EducationLevel,
    Obstacle,
    OtherPlanKind,
    OtherPlanStatus,
    PlacementKind,
    SwedishLevel,
)

ACTIVITY = "act"
OTHER_PLAN = "oth"
ROW_NAME = re.compile(r"^(act|oth)-([0-9a-z]{1,20})-")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def split_list(value: str) -> list[str]:
    """'2231, 5321;  ' → ['2231', '5321'] (commas, semicolons or line breaks separate)."""
    return [part.strip() for part in re.split(r"[,;\n]", value or "") if part.strip()]


def new_row_key() -> str:
    return "x" + secrets.token_hex(4)


class MappingForm(forms.Form):
    education_level = forms.ChoiceField(label=_("Education level"), choices=EducationLevel.choices)
    education_note = forms.CharField(
        label=_("Education, details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    work_history = forms.CharField(
        label=_("Work history"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    months_without_work = forms.IntegerField(
        label=_("Months without work"),
        required=False,
        min_value=0,
        max_value=600,
        help_text=_("Leave empty if the person has never worked."),
    )
    months_on_assistance = forms.IntegerField(
        label=_("Months on social assistance"), required=False, min_value=0, max_value=600
    )
    wanted_occupations = forms.CharField(
        label=_("Wanted occupations"),
        required=False,
        help_text=_("SSYK 2012 codes of four digits, separated by commas, e.g. 5321, 9111."),
    )
    add_occupation = forms.CharField(
        label=_("Add a wanted occupation"),
        required=False,
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
    skills = forms.TypedMultipleChoiceField(
        label=_("Skills"), required=False, coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    add_skill = forms.CharField(
        label=_("Add a skill"),
        required=False,
        help_text=_("Type part of a skill and choose from the list."),
        widget=forms.TextInput(
            attrs={
                "list": "skill-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("taxonomy:skill_options"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#skill-options",
                "hx-include": "[name=wanted_occupations]",
            }
        ),
    )
    wanted_kinds = forms.MultipleChoiceField(
        label=_("Wished kinds of placement"),
        required=False,
        choices=PlacementKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    swedish_level = forms.ChoiceField(label=_("Swedish level"), choices=SwedishLevel.choices)
    other_languages = forms.CharField(
        label=_("Other languages"), required=False, help_text=_("Separate languages with commas.")
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpreter_language = forms.CharField(
        label=_("Interpreter language"),
        required=False,
        max_length=50,
        help_text=_("A language code or name, e.g. ti or tigrinska."),
    )
    interpreter_dialect = forms.CharField(
        label=_("Dialect"), required=False, max_length=100, help_text=_("Where it matters.")
    )
    driving_licence = forms.ChoiceField(label=_("Driving licence"), choices=DrivingLicence.choices)
    obstacles = forms.MultipleChoiceField(
        label=_("Obstacles to work"),
        choices=Obstacle.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    obstacles_note = forms.CharField(
        label=_("Obstacles, details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    work_capacity = forms.TypedChoiceField(
        label=_("Work capacity"), choices=WorkCapacity.choices, coerce=int, initial=WorkCapacity.FULL
    )
    needs = forms.CharField(
        label=_("Needs and wishes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The skill checkboxes: the skills already chosen (posted or saved), by name.
        chosen = []
        if self.is_bound:
            source = self.data.getlist("skills") if hasattr(self.data, "getlist") else self.data.get("skills")
        else:
            source = self.initial.get("skills")
        for value in source or []:
            try:
                chosen.append(int(value))
            except (TypeError, ValueError):
                continue
        names = skills_by_id(chosen)
        self.fields["skills"].choices = [(pk, names[pk].name) for pk in chosen if pk in names]

    def clean_wanted_occupations(self) -> list[str]:
        return split_list(self.cleaned_data.get("wanted_occupations", ""))

    def clean(self):
        data = super().clean()
        added = (data.get("add_occupation") or "").strip()
        if added:
            code = re.match(r"^\s*(\d{4})\b", added)
            if code is None:
                self.add_error(
                    "add_occupation", _("Choose an occupation from the list (it starts with its code).")
                )
            else:
                data["wanted_occupations"] = [*data.get("wanted_occupations", []), code.group(1)]
        skill = (data.get("add_skill") or "").strip()
        if skill:
            number = re.match(r"^\s*(\d+)\b", skill)
            if number is None:
                self.add_error("add_skill", _("Choose a skill from the list (it starts with its number)."))
            else:
                data["skills"] = [*data.get("skills", []), int(number.group(1))]
        return data

    def clean_other_languages(self) -> list[str]:
        return split_list(self.cleaned_data.get("other_languages", ""))

    @classmethod
    def initial_from(cls, mapping) -> dict:
        if mapping is None:
            return {"version": ""}
        initial = {
            name: getattr(mapping, name)
            for name in cls.base_fields
            if name not in ("version", "add_occupation", "add_skill")
        }
        initial["wanted_occupations"] = ", ".join(mapping.wanted_occupations or [])
        initial["skills"] = list(mapping.skills or [])
        initial["wanted_kinds"] = list(mapping.wanted_kinds or [])
        initial["add_occupation"] = initial["add_skill"] = ""
        initial["other_languages"] = ", ".join(mapping.other_languages or [])
        initial["version"] = mapping.lock_version
        return initial

    def service_values(self) -> dict:
        skip = ("version", "add_occupation", "add_skill")
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class PlanDraftForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the person wants to reach, and by when."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RowForm(forms.Form):
    """One repeatable row; a row whose fields are all empty is ignored."""

    required_when_filled: dict[str, str] = {}

    def is_blank(self) -> bool:
        return not any(str(self.data.get(self.add_prefix(name), "")).strip() for name in self.fields)

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        for name, message in self.required_when_filled.items():
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, message)
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data


class ActivityRowForm(RowForm):
    intervention_type = forms.ModelChoiceField(
        label=_("Intervention"), queryset=InterventionType.objects.filter(active=True), required=False
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE_INPUT)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        min_value=0,
        max_value=40,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )

    required_when_filled = {
        "intervention_type": _("Choose an intervention from the catalogue."),
        "start_date": _("Enter the start date."),
        "hours_per_week": _("Enter the hours per week."),
    }

    def service_value(self) -> dict:
        return dict(self.cleaned_data)


class OtherPlanRowForm(RowForm):
    kind = forms.ChoiceField(
        label=_("Kind of plan"), choices=[("", "---------"), *OtherPlanKind.choices], required=False
    )
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=100, help_text=_("A case or plan number, or a name.")
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE_INPUT)
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=PartnerOrganisation.objects.filter(active=True),
        required=False,
        help_text=_("The organisation that holds the plan: it sees the shared plan and confirms the link."),
    )
    # No preset value: an empty row stays blank (and is ignored); a filled row without one is "planned".
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "---------"), *OtherPlanStatus.choices], required=False
    )

    required_when_filled = {
        "kind": _("Choose the kind of plan."),
        "reference": _("Enter a reference to the plan."),
    }

    def service_value(self) -> dict:
        return dict(self.cleaned_data)


ROW_FORMS = {ACTIVITY: ActivityRowForm, OTHER_PLAN: OtherPlanRowForm}


def row_keys(data, kind: str) -> list[str]:
    """The row keys of one kind in the order their fields were submitted."""
    keys: list[str] = []
    for name in data:
        match = ROW_NAME.match(name)
        if match and match.group(1) == kind and match.group(2) not in keys:
            keys.append(match.group(2))
    return keys


def make_row(kind: str, key: str, data=None, initial=None) -> RowForm:
    return ROW_FORMS[kind](data, prefix=f"{kind}-{key}", initial=initial)


class PlanEditor:
    """The draft form with its activity rows and other-plan rows, built from a plan or from a POST."""

    EXTRA_ROWS = 2

    def __init__(self, *, plan=None, data=None):
        self.errors: list[str] = []  # messages that belong to no single field
        if data is None:
            self.form = PlanDraftForm(initial={"goals": plan.goals, "version": plan.lock_version})
            activities = plan.activities.select_related("intervention_type")
            self.rows = {
                ACTIVITY: [
                    make_row(ACTIVITY, str(i), initial=_activity_initial(a)) for i, a in enumerate(activities)
                ],
                OTHER_PLAN: [
                    _link_row(str(i), link)
                    for i, link in enumerate(plan.other_plans.select_related("partner"))
                ],
            }
            for kind, rows in self.rows.items():
                rows.extend(make_row(kind, f"n{j}") for j in range(self.EXTRA_ROWS))
        else:
            self.form = PlanDraftForm(data)
            self.rows = {
                kind: [make_row(kind, key, data) for key in row_keys(data, kind)] for kind in ROW_FORMS
            }
            self._apply_row_buttons(data)
        self._filled: dict[str, list[RowForm]] = {}

    def _apply_row_buttons(self, data) -> None:
        """Without JavaScript the Add/Remove buttons submit the form, which is shown again unsaved."""
        remove = data.get("remove_row", "")
        for kind in ROW_FORMS:
            self.rows[kind] = [row for row in self.rows[kind] if row.prefix != remove]
        add = data.get("add_row")
        if add in ROW_FORMS:
            self.rows[add].append(make_row(add, new_row_key()))

    @property
    def activities(self) -> list[RowForm]:
        return self.rows[ACTIVITY]

    @property
    def other_plans(self) -> list[RowForm]:
        return self.rows[OTHER_PLAN]

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [row.is_valid() for rows in self.rows.values() for row in rows]
        return all(results)

    def filled(self, kind: str) -> list[RowForm]:
        return [row for row in self.rows[kind] if not row.is_blank()]

    def service_values(self) -> dict:
        """Keyword arguments for plans.services.plan_save_draft (besides plan, by)."""
        self._filled = {kind: self.filled(kind) for kind in ROW_FORMS}
        return {
            "version": self.form.cleaned_data["version"],
            "goals": self.form.cleaned_data["goals"],
            "activities": [row.service_value() for row in self._filled[ACTIVITY]],
            "other_plans": [row.service_value() for row in self._filled[OTHER_PLAN]],
        }

    def service_rows(self) -> dict[str, list[RowForm]]:
        """The row forms behind each list of service_values() (blank rows left out), for
        utils.forms.add_service_errors(rows=…): the service's "activities[1]" is the second filled row."""
        return {"activities": self._filled.get(ACTIVITY, []), "other_plans": self._filled.get(OTHER_PLAN, [])}

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the list of errors at the top of the form."""
        summary = [("plan-form", message) for message in self.errors]
        forms_ = [self.form] + [row for rows in self.rows.values() for row in rows]
        for form in forms_:
            if not form.is_bound or form._errors is None:
                continue
            for field, messages in form.errors.items():
                anchor = form[field].auto_id if field in form.fields else (form.prefix or "plan-form")
                summary.extend((anchor, message) for message in messages)
        return summary

    def week_activities(self) -> list[dict]:
        """The valid, filled activity rows as dicts for plans.selectors.week_load (for the live preview)."""
        result = []
        for row in self.activities:
            if row.is_blank() or not row.is_valid():
                continue
            data = row.cleaned_data
            if data.get("start_date") and data.get("hours_per_week") is not None:
                result.append(
                    {
                        "start_date": data["start_date"],
                        "end_date": data.get("end_date"),
                        "hours_per_week": data["hours_per_week"],
                    }
                )
        return result


def _activity_initial(activity) -> dict:
    return {
        "intervention_type": activity.intervention_type_id,
        "description": activity.description,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "hours_per_week": activity.hours_per_week,
    }


def _link_row(key: str, link) -> RowForm:
    """A link's row, with the partner's confirmation beside it (shown, not edited: `plan_link_confirm`)."""
    row = make_row(OTHER_PLAN, key, initial=_link_initial(link))
    row.confirmed_at = link.confirmed_at
    row.has_partner = link.partner_id is not None
    return row


def _link_initial(link) -> dict:
    return {
        "kind": link.kind,
        "reference": link.reference,
        "start_date": link.start_date,
        "end_date": link.end_date,
        "partner": link.partner_id,
        "status": link.status,
    }


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the plan: say what should change."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, over_capacity: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if over_capacity:
            self.fields["comment"].label = _("Comment or reason")
            self.fields["comment"].help_text = _(
                "Required when you return the plan: say what should change. The plan is over the person's "
                "work capacity: to approve it, state the reason."
            )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def form_error_summary(form, non_field=()) -> list[tuple[str, str]]:
    """(anchor id, message) pairs for the error list at the top of a form."""
    summary = [("main", message) for message in non_field]
    if form is None or not form.is_bound:
        return summary
    for field, messages in form.errors.items():
        anchor = form[field].auto_id if field in form.fields and not form[field].is_hidden else "main"
        if field in form.fields and form[field].field.widget.use_fieldset:
            anchor = f"{form[field].auto_id}_0"
        summary.extend((anchor, message) for message in messages)
    return summary
