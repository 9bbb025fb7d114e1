import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import Unit
from jobbtorg.accounts.selectors import municipality_id_of
from jobbtorg.interventions.models import Offering

from .constants import Breakdown
from .models import Assignment


def _add_months(month: datetime.date, n: int) -> datetime.date:
    y, m = divmod(month.month - 1 + n, 12)
    return datetime.date(month.year + y, m + 1, 1)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From month"),
        input_formats=["%Y-%m"],
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    end = forms.DateField(
        label=_("To month"),
        input_formats=["%Y-%m"],
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    breakdown = forms.ChoiceField(
        label=_("Break down by"), choices=Breakdown.choices, required=False, initial=Breakdown.UNIT
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_analyst:
            self.fields["unit"].queryset = Unit.objects.filter(municipality_id=municipality_id_of(user))
        else:
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        this_month = timezone.localdate().replace(day=1)
        end = data.get("end") or this_month
        start = data.get("start") or _add_months(end, -11)
        if start > end:
            self.add_error("start", _("The period must start before it ends."))
            start = end
        next_month = _add_months(end, 1)
        data["start"], data["end"] = start, next_month - datetime.timedelta(days=1)
        data["breakdown"] = data.get("breakdown") or Breakdown.UNIT
        return data


class AssignmentForm(forms.ModelForm):
    """An assignment (uppdrag): funder, period, budget, target group, offerings and goals as numbers. A unit
    head
    records assignments of their own unit; an administrator any unit's, or one shared by every unit."""

    class Meta:
        model = Assignment
        fields = [
            "name",
            "unit",
            "funder",
            "funder_reference",
            "start_date",
            "end_date",
            "budget",
            "cost_per_participant",
            "target_group",
            "offerings",
            "goal_participants",
            "goal_work_or_studies_percent",
            "description",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "offerings": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(municipality_id=municipality_id_of(user)).order_by("name")
        offerings = Offering.objects.filter(municipality_id=municipality_id_of(user)).order_by("name")
        if user.is_unit_head:
            units = units.filter(pk=user.unit_id)
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None
        self.fields["unit"].queryset = units
        self.fields["offerings"].queryset = offerings
        self.fields["target_group"].required = False


class KoladaYearForm(forms.Form):
    year = forms.IntegerField(label=_("Survey year"), min_value=2000, max_value=2100, required=False)


class ReportedFiguresForm(forms.Form):
    """The figures reported to Kolada for one year, one field per KPI the product computes (empty: none)."""

    def __init__(self, *args, kpis, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kpi in kpis:
            self.fields[kpi.id] = forms.DecimalField(
                label=kpi.id,
                help_text=kpi.title,
                required=False,
                max_digits=12,
                decimal_places=2,
                localize=True,
                initial=(initial_values or {}).get(kpi.id),
            )


class KoladaImportForm(forms.Form):
    file = forms.FileField(
        label=_("Kolada CSV export"),
        help_text=_(
            "Columns kpi, period and value (gender: only the total is read), as Kolada exports them."
        ),
    )
