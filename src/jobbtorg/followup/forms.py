from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import EmploymentForm, ExitReason

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExitForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ExitReason.choices)
    exit_date = forms.DateField(label=_("Exit date"), widget=DATE)
    work_hours_per_week = forms.IntegerField(
        label=_("Hours of work per week"), required=False, min_value=1, max_value=80
    )
    employment_form = forms.ChoiceField(
        label=_("Form of employment"), choices=[("", "–"), *EmploymentForm.choices], required=False
    )
    work_start_date = forms.DateField(label=_("Work starts"), required=False, widget=DATE)
    subsidised = forms.BooleanField(label=_("Subsidised employment"), required=False)
    municipal_labour_market_job = forms.BooleanField(
        label=_("Municipal labour-market job"),
        required=False,
        help_text=_("Jobs created by the municipality's labour-market unit do not count as work."),
    )
    studies_with_student_finance = forms.BooleanField(
        label=_("Studies with student finance (CSN)"), required=False
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=200,
        required=False,
        help_text=_("Reference to a document or an employer's confirmation. Required for work and studies."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class EvidenceForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=200,
        help_text=_("Reference to a document or an employer's confirmation."),
    )
    work_hours_per_week = forms.IntegerField(
        label=_("Hours of work per week"), required=False, min_value=1, max_value=80
    )
    employment_form = forms.ChoiceField(
        label=_("Form of employment"), choices=[("", "–"), *EmploymentForm.choices], required=False
    )
    work_start_date = forms.DateField(label=_("Work starts"), required=False, widget=DATE)


class AssistanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV, XLSX or JSON)"),
        help_text=_(
            "Columns personnummer;manad;belopp;orsakskod, one month per file. CSV as Excel saves it "
            "(UTF-8 or Windows-1252) or an XLSX workbook."
        ),
    )
