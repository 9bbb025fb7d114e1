from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import EmploymentForm, ExitReason

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no(label, help_text="", required=False):
    """A question answered explicitly yes or no (None when not answered; the service says when an answer is
    needed)."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


MUNICIPAL_JOB_HELP = _(
    "Asked for every job: a municipal labour-market job (e.g. OSA, extratjänst-like city jobs) does not "
    "count as work in Kolada."
)
ELIGIBLE_HELP = _(
    "Asked for all studies: Komvux, folkhögskola, university or other education that gives the right to "
    "student finance (studiemedelsberättigad) counts as studies in Kolada."
)


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
    municipal_labour_market_job = yes_no(_("Municipal labour-market job"), MUNICIPAL_JOB_HELP)
    studies_eligible_for_student_finance = yes_no(_("Eligible for student finance (CSN)"), ELIGIBLE_HELP)
    studies_with_student_finance = forms.BooleanField(
        label=_("Receives student finance (CSN)"), required=False
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=200,
        required=False,
        help_text=_("Reference to a document or an employer's confirmation. Required for work and studies."),
    )
    evidence_document = forms.ModelChoiceField(
        label=_("Evidence document"),
        queryset=None,
        required=False,
        help_text=_("A document on the case (upload it under Documents first)."),
    )
    job_support_months = forms.IntegerField(
        label=_("Support in the first job (months)"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_(
            "Optional, after an exit to work: the coach keeps contact for this many months (meetings, "
            "journal) without reopening the referral. Empty: none."
        ),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_document"].queryset = documents


class EvidenceForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=200,
        required=False,
        help_text=_("Reference to a document or an employer's confirmation."),
    )
    evidence_document = forms.ModelChoiceField(
        label=_("Evidence document"),
        queryset=None,
        required=False,
        help_text=_("A document on the case (upload it under Documents first)."),
    )
    work_hours_per_week = forms.IntegerField(
        label=_("Hours of work per week"), required=False, min_value=1, max_value=80
    )
    employment_form = forms.ChoiceField(
        label=_("Form of employment"), choices=[("", "–"), *EmploymentForm.choices], required=False
    )
    work_start_date = forms.DateField(label=_("Work starts"), required=False, widget=DATE)
    municipal_labour_market_job = yes_no(_("Municipal labour-market job"), MUNICIPAL_JOB_HELP)
    studies_eligible_for_student_finance = yes_no(_("Eligible for student finance (CSN)"), ELIGIBLE_HELP)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_document"].queryset = documents

    def clean(self):
        data = super().clean()
        if not (data.get("evidence") or "").strip() and not data.get("evidence_document"):
            self.add_error("evidence", _("Give a reference or choose a document."))
        return data


class WorkFollowupForm(forms.Form):
    lasted = yes_no(
        _("Has the work lasted at least one continuous month?"),
        _("Kolada counts an exit to work only when the work lasted at least a month."),
        required=True,
    )


class AssistanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV, XLSX or JSON)"),
        help_text=_(
            "Columns personnummer;manad;belopp;orsakskod, one month per file. CSV as Excel saves it "
            "(UTF-8 or Windows-1252) or an XLSX workbook."
        ),
    )


class JobSupportForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months of support"),
        min_value=1,
        max_value=12,
        help_text=_("Counted from the day the work started; the period ends by itself."),
    )
