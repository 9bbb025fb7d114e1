"""The provider's start page and the list of days not reported."""

import datetime

from django.shortcuts import render
from django.utils import timezone

from jobbtorg.audit.services import read_records
from jobbtorg.interventions.models import Offering
from jobbtorg.utils.views import rule_required

from .. import perms, selectors
from ..constants import AppointmentOutcome

UPCOMING_LIMIT = 10


@rule_required(perms.can_report_attendance)
def provider_home(request):
    """Provider staff's start page (Jobbtorg staff may use it too): their offerings, how many days are not
    reported yet, open three-party meetings and upcoming appointments of their people."""
    user = request.user
    offerings = Offering.objects.reportable_by(user).select_related("intervention_type").order_by("name")
    unreported_count = len(selectors.unreported_days(user=user))
    meetings = list(selectors.open_meetings_for(user))
    upcoming = list(
        selectors.appointments_for(user)
        .filter(outcome=AppointmentOutcome.SCHEDULED, ends_at__gte=timezone.now())
        .order_by("starts_at")[:UPCOMING_LIMIT]
    )
    absences = list(selectors.reported_absences_for(user)) if perms.can_view_reported_absences(user) else []
    read_records(
        user=user,
        participants={m.participant for m in meetings}
        | {a.participant for a in upcoming}
        | {a.participant for a in absences},
        view="provider_home",
    )
    return render(
        request,
        "attendance/provider_home.html",
        {
            "offerings": offerings,
            "unreported_count": unreported_count,
            "meetings": meetings,
            "upcoming": upcoming,
            "absences": absences,
            "this_week": _monday(timezone.localdate()),
        },
    )


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@rule_required(perms.can_report_attendance)
def unreported(request):
    """Working days without a report, per offering — to report, never treated as absence."""
    missing = selectors.unreported_days(user=request.user)
    offerings = Offering.objects.in_bulk({booking.offering_id for booking, _day in missing})
    groups: dict[int, dict] = {}
    for booking, day in sorted(
        missing,
        key=lambda item: (
            offerings[item[0].offering_id].name,
            item[0].participant.last_name,
            item[0].participant.first_name,
            item[1],
        ),
    ):
        group = groups.setdefault(
            booking.offering_id, {"offering": offerings[booking.offering_id], "rows": []}
        )
        group["rows"].append({"booking": booking, "day": day, "week": _monday(day)})
    read_records(
        user=request.user, participants={booking.participant for booking, _day in missing}, view="unreported"
    )
    return render(
        request,
        "attendance/unreported.html",
        {"groups": list(groups.values()), "count": len(missing)},
    )
