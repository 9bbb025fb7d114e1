"""Forms of the attendance pages: they parse and check input; the services write."""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    AppointmentKind,
    AppointmentOutcome,
    AttendanceStatus,
    EventKind,
    InterpreterType,
    ValidReason,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]

# A cell of the week grid is posted as status-<booking id>-<YYYY-MM-DD> (and reason-<…> for a valid absence).
CELL_NAME = re.compile(r"^status-(?P<booking>[0-9a-f-]{36})-(?P<day>\d{4}-\d{2}-\d{2})$")
MAX_CELLS = 500


def cell_name(kind: str, booking_pk, day: datetime.date) -> str:
    return f"{kind}-{booking_pk}-{day.isoformat()}"


def monday_of(value: str | None) -> datetime.date:
    """The Monday of the week holding `value` (YYYY-MM-DD); this week when missing or unreadable."""
    try:
        day = datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class Cell:
    """A posted cell: which booking, which day, what was reported."""

    booking_pk: str
    day: datetime.date
    status: str
    valid_reason: str


class WeekGridForm:
    """Reads every posted cell of the week grid — also cells the page did not offer, so that a hand-made
    post for a day outside the booking reaches the service and is refused, never silently dropped.

    A blank status means "not reported": nothing to write (an existing report cannot be removed, only
    corrected)."""

    def __init__(self, data):
        self.data = data
        self.cells: list[Cell] = []
        self.errors: dict[tuple[str, datetime.date | str], list[str]] = {}
        self.non_field_errors: list[str] = []

    def is_valid(self) -> bool:
        names = [name for name in self.data if name.startswith("status-")]
        if len(names) > MAX_CELLS:
            self.non_field_errors.append(_("Too many cells in one save."))
            return False
        for name in names:
            match = CELL_NAME.match(name)
            if not match:
                self.non_field_errors.append(
                    _("An unreadable cell was sent: %(name)s.") % {"name": name[:80]}
                )
                continue
            booking_pk = match["booking"]
            try:
                day = datetime.date.fromisoformat(match["day"])
            except ValueError:
                self.non_field_errors.append(
                    _("An unreadable date was sent: %(day)s.") % {"day": match["day"]}
                )
                continue
            status = (self.data.get(name) or "").strip()
            reason = (self.data.get(cell_name("reason", booking_pk, day)) or "").strip()
            if not status:
                continue
            if status not in AttendanceStatus.values:
                self.errors[(booking_pk, day)] = [
                    str(_("Choose present, absent with valid reason or absent without valid reason."))
                ]
                continue
            if status == AttendanceStatus.ABSENT_VALID and reason not in ValidReason.values:
                self.errors[(booking_pk, day)] = [str(_("Give the reason for the valid absence."))]
                continue
            self.cells.append(
                Cell(booking_pk, day, status, reason if status == AttendanceStatus.ABSENT_VALID else "")
            )
        return not self.errors and not self.non_field_errors


class EventForm(forms.Form):
    """An interruption (avbrott) or a restart (nystart) of one person's booking."""

    kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, booking_pk=None, **kwargs):
        kwargs.setdefault("prefix", f"event-{booking_pk}" if booking_pk else None)
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.booking_pk = booking_pk
        # The inputs sit in the grid's row; the <form> they belong to is outside the grid's own form.
        for field in self.fields.values():
            field.widget.attrs["form"] = f"event-{booking_pk}"


class UploadForm(forms.Form):
    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "CSV as Excel saves it (UTF-8 or Windows-1252, columns separated by semicolon or comma) or an "
            "XLSX workbook, at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB: split it into several files."))
        return upload


INTERPRETER_CHOICES = [("", _("Not booked yet")), *InterpreterType.choices]


class InterpreterForm(forms.Form):
    """The interpreter booked for a meeting (or none yet)."""

    interpreter_type = forms.ChoiceField(
        label=_("Interpreter"), choices=INTERPRETER_CHOICES, required=False, widget=forms.RadioSelect
    )
    interpreter_note = forms.CharField(
        label=_("Interpreter booking"),
        max_length=200,
        required=False,
        help_text=_("E.g. the agency and its reference."),
    )


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"), choices=AppointmentKind.choices, widget=forms.RadioSelect
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("Give a place, a video link or both."),
    )

    interpreter_type = forms.ChoiceField(
        label=_("Interpreter"),
        choices=INTERPRETER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    interpreter_note = forms.CharField(
        label=_("Interpreter booking"),
        max_length=200,
        required=False,
        help_text=_("E.g. the agency and its reference."),
    )

    FIELDSETS = (
        (_("When"), ("starts_at", "ends_at")),
        (_("Where"), ("place", "video_link")),
    )

    @property
    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if not data.get("place") and not data.get("video_link") and "video_link" not in self.errors:
            self.add_error("place", _("Give a place or a video link."))
        return data


OUTCOME_CHOICES = [
    (value, label) for value, label in AppointmentOutcome.choices if value != AppointmentOutcome.SCHEDULED
]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Required when the meeting was cancelled or the person was excused."),
    )

    def __init__(self, *args, started: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.started = started

    def clean(self):
        data = super().clean()
        if not self.started and data.get("outcome") in (
            AppointmentOutcome.ATTENDED,
            AppointmentOutcome.NO_SHOW,
        ):
            self.add_error(
                "outcome", _("The meeting has not started yet: it can only be cancelled or excused.")
            )
        if (
            data.get("outcome") in (AppointmentOutcome.CANCELLED, AppointmentOutcome.EXCUSED)
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give the reason."))
        return data
