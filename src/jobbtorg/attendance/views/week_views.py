"""The week grid: people × Monday–Friday of one offering, saved whole (all or nothing), and the
interruption / restart form per person."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jobbtorg.audit.services import read_records
from jobbtorg.interventions.models import Offering
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import rule_required
from jobbtorg.utils.workdays import is_working_day

from .. import perms, selectors, services
from ..constants import AttendanceStatus, EventKind, ValidReason
from ..forms import EventForm, WeekGridForm, cell_name, monday_of
from ..models import AttendanceReport, Notice
from .common import error_messages


def _offering(request, pk):
    """The offering, if the user reports for it (404 otherwise: its existence is not disclosed)."""
    queryset = Offering.objects.reportable_by(request.user).select_related(
        "provider", "unit", "intervention_type"
    )
    return get_object_or_404(queryset, pk=pk)


def _week_url(offering, week_start: datetime.date) -> str:
    return f"{reverse('attendance:week', args=[offering.pk])}?week={week_start.isoformat()}"


@rule_required(perms.can_report_attendance)
def week(request, offering_pk):
    offering = _offering(request, offering_pk)
    week_start = monday_of(request.POST.get("week") if request.method == "POST" else request.GET.get("week"))
    if request.method != "POST":
        return _render_week(request, offering, week_start)
    form = WeekGridForm(request.POST)
    result = _save_week(user=request.user, offering=offering, form=form)
    if result is None:
        return _render_week(request, offering, week_start, form=form, partial=bool(request.htmx))
    saved, notices = result
    text = _saved_text(saved, notices)
    if request.htmx:
        return _render_week(request, offering, week_start, saved_text=text, partial=True)
    messages.success(request, text)
    return redirect(_week_url(offering, week_start))


def _saved_text(saved: int, notices: int) -> str:
    reports = ngettext("%(count)d report saved.", "%(count)d reports saved.", saved) % {"count": saved}
    if notices:
        sent = ngettext(
            "%(count)d notice went to social services.", "%(count)d notices went to social services.", notices
        ) % {"count": notices}
    else:
        sent = _("Nothing was sent to social services.")
    return f"{reports} {sent}"


def _save_week(*, user, offering, form: WeekGridForm) -> tuple[int, int] | None:
    """Write every changed cell through attendance_report in one transaction: any refusal rolls all of it
    back and is put on its cell. Returns (reports saved, notices created) or None when nothing was saved."""
    if not form.is_valid():
        return None
    bookings = {
        str(b.pk): b
        for b in selectors.bookings_reportable_by(user, offering).select_related(
            "offering__provider", "offering__unit", "offering__municipality"
        )
    }
    existing = {
        (str(r.booking_id), r.date): r
        for r in AttendanceReport.objects.filter(
            booking__in=list(bookings.values()), date__in={c.day for c in form.cells}
        )
    }
    changed = []
    for cell in form.cells:
        booking = bookings.get(cell.booking_pk)
        if booking is None:
            form.errors[(cell.booking_pk, cell.day)] = [_("Unknown person, or not one you report for.")]
            continue
        report = existing.get((cell.booking_pk, cell.day))
        if report is not None and (report.status, report.valid_reason) == (cell.status, cell.valid_reason):
            continue
        changed.append((booking, cell))
    if form.errors:
        return None
    their_notices = Notice.objects.filter(referral_id__in={b.referral_id for b in bookings.values()})
    with transaction.atomic():
        before = set(their_notices.values_list("pk", flat=True))
        for booking, cell in changed:
            try:
                services.attendance_report(
                    booking=booking, day=cell.day, status=cell.status, valid_reason=cell.valid_reason, by=user
                )
            except (ValidationError, PermissionDenied) as error:
                form.errors[(cell.booking_pk, cell.day)] = error_messages(error)
        if form.errors:
            transaction.set_rollback(True)
            return None
        created = their_notices.exclude(pk__in=before).count()
    return len(changed), created


def _why_closed(day: datetime.date, today: datetime.date) -> str:
    if day > today:
        return _("Future day")
    if not is_working_day(day):
        return _("Not a working day")
    return _("Outside the booking")


def _render_week(request, offering, week_start, *, form=None, event_form=None, saved_text="", partial=False):
    user = request.user
    days, grid = selectors.week_grid(user=user, offering=offering, week_start=week_start)
    errors = form.errors if form is not None else {}
    posted = form.data if form is not None else {}
    events = selectors.last_events([row.booking for row in grid])
    today = timezone.localdate()
    names = {str(row.booking.pk): row.booking.participant for row in grid}
    rows = []
    for row in grid:
        booking = row.booking
        cells = []
        for day, report, open_ in row.cells:
            key = (str(booking.pk), day)
            status_name, reason_name = (
                cell_name("status", booking.pk, day),
                cell_name("reason", booking.pk, day),
            )
            status = report.status if report else ""
            reason = report.valid_reason if report else ""
            absence = row.absent.get(day)
            if report is None and absence is not None:  # the person reported it: proposed as valid absence
                status, reason = AttendanceStatus.ABSENT_VALID, absence.reason
            if open_ and form is not None:
                status, reason = posted.get(status_name, status), posted.get(reason_name, reason)
            cells.append(
                {
                    "day": day,
                    "report": report,
                    "open": open_,
                    "why_closed": "" if open_ else _why_closed(day, today),
                    "status_name": status_name,
                    "reason_name": reason_name,
                    "id": f"c-{booking.pk}-{day.isoformat()}",
                    "status": status,
                    "reason": reason,
                    "errors": errors.get(key, []),
                    "unreported": open_ and report is None and absence is None,
                    "absence": absence,
                }
            )
        rows.append(
            {
                "booking": booking,
                "cells": cells,
                "event": events.get(booking.pk),
                "event_form": event_form
                if event_form is not None and event_form.booking_pk == booking.pk
                else EventForm(booking_pk=booking.pk),
            }
        )
    error_summary = [
        {
            "who": names[key[0]].full_name if key[0] in names else _("Unknown person"),
            "day": key[1],
            "anchor": f"c-{key[0]}-{key[1].isoformat()}",
            "messages": msgs,
        }
        for key, msgs in sorted(errors.items(), key=lambda item: (str(item[0][0]), str(item[0][1])))
    ]
    read_records(user=user, participants=[row.booking.participant for row in grid], view="attendance_week")
    context = {
        "offering": offering,
        "week_start": week_start,
        "week_end": days[-1],
        "days": days,
        "rows": rows,
        "previous_week": week_start - datetime.timedelta(days=7),
        "next_week": week_start + datetime.timedelta(days=7),
        "this_week": monday_of(None),
        "form_errors": error_summary,
        "non_field_errors": form.non_field_errors if form is not None else [],
        "saved_text": saved_text,
        "statuses": AttendanceStatus.choices,
        "reasons": ValidReason.choices,
    }
    return render(request, "attendance/_week_grid.html" if partial else "attendance/week.html", context)


@require_POST
@rule_required(perms.can_report_attendance)
def event_record(request, offering_pk, booking_pk):
    """Interruption (avbrott) or restart (nystart) of one person's booking: reaches the caseworker the same
    day."""
    offering = _offering(request, offering_pk)
    booking = get_object_or_404(selectors.bookings_reportable_by(request.user, offering), pk=booking_pk)
    form = EventForm(request.POST, booking_pk=booking.pk)
    week_start = monday_of(request.POST.get("week"))
    if form.is_valid():
        try:
            services.attendance_event_record(
                booking=booking,
                kind=form.cleaned_data["kind"],
                day=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(event)s recorded for %(name)s. The caseworker has been notified.")
                % {
                    "event": EventKind(form.cleaned_data["kind"]).label,
                    "name": booking.participant.full_name,
                },
            )
            return redirect(_week_url(offering, week_start))
    return _render_week(request, offering, week_start, event_form=form)
