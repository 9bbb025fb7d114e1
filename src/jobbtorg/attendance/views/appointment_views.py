"""Meetings with a person (individual, group, three-party): the list, booking one, recording the outcome."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import read_record, read_records
from jobbtorg.plans.models import Mapping
from jobbtorg.referrals.constants import CaseScope
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.listing import sorted_page
from jobbtorg.utils.views import rule_required

from .. import perms, selectors, services
from ..constants import AppointmentKind, AppointmentOutcome, MeetingStatus
from ..forms import AppointmentForm, InterpreterForm, OutcomeForm
from ..models import ThreePartyMeeting

PAST_LIMIT = 50  # past meetings per page, latest first (utils.listing)
PAST_SORTS = {"start": ("starts_at",)}
UPCOMING_LIMIT = 100


@rule_required(perms.can_book_meetings)
def appointments(request):
    """The user's upcoming and past meetings with the people they work with. A job coach sees their own
    (organised by them, or with their own cases — also those of a coach they stand in for today) unless they
    ask for the whole unit (`?scope=unit`); other Jobbtorg staff see their own unless they ask for the unit.
    Each list is bounded (the past ones paged), so the page stays the same size however long the unit has
    run."""
    user = request.user
    visible = selectors.appointments_for(user)
    scope = CaseScope.UNIT if request.GET.get("scope") == CaseScope.UNIT else CaseScope.MINE
    if user.is_unit_staff and scope == CaseScope.MINE:
        visible = selectors.own_appointments(visible, user)
    now = timezone.now()
    upcoming_all = visible.filter(ends_at__gte=now).order_by("starts_at")
    upcoming = list(upcoming_all[: UPCOMING_LIMIT + 1])
    more = len(upcoming) > UPCOMING_LIMIT
    upcoming = upcoming[:UPCOMING_LIMIT]
    past_page = sorted_page(
        request, visible.filter(ends_at__lt=now), sorts=PAST_SORTS, default="-start", per_page=PAST_LIMIT
    ).page
    past = list(past_page.object_list)
    meetings = list(selectors.open_meetings_for(user).filter(status=MeetingStatus.PROPOSED))
    read_records(
        user=user,
        participants={a.participant for a in upcoming + past} | {m.participant for m in meetings},
        view="appointments",
    )
    return render(
        request,
        "attendance/appointments.html",
        {
            "upcoming": upcoming,
            "upcoming_more": more,
            "upcoming_limit": UPCOMING_LIMIT,
            "past": past,
            "past_page": past_page,
            "proposed_meetings": meetings,
            "now": now,
            "can_choose_scope": user.is_unit_staff,
            "scope": scope,
        },
    )


@rule_required(perms.can_book_meetings)
def appointment_new(request, referral_pk):
    referrals = selectors.referrals_for_meetings(request.user).open().select_related("participant")
    referral = get_object_or_404(referrals, pk=referral_pk)
    proposed = ThreePartyMeeting.objects.filter(referral=referral, status=MeetingStatus.PROPOSED).first()
    initial = {"kind": AppointmentKind.THREE_PARTY if proposed else AppointmentKind.INDIVIDUAL}
    form = AppointmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.appointment_create(
                referral=referral,
                by=request.user,
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                video_link=data["video_link"],
                interpreter_type=data["interpreter_type"],
                interpreter_note=data["interpreter_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You cannot book meetings with this person."))
        else:
            text = _("The meeting with %(name)s on %(when)s is booked.") % {
                "name": referral.participant.full_name,
                "when": timezone.localtime(appointment.starts_at).strftime("%Y-%m-%d %H:%M"),
            }
            if proposed and appointment.kind == AppointmentKind.THREE_PARTY:
                text += " " + _("The proposed three-party meeting is now booked.")
            messages.success(request, text)
            return redirect("attendance:appointments")
    read_record(user=request.user, participant=referral.participant, view="appointment_new")
    interpreter = Mapping.objects.filter(referral=referral, interpreter_needed=True).first()
    context = {"form": form, "referral": referral, "proposed": proposed, "interpreter": interpreter}
    return render(request, "attendance/appointment_new.html", context, status=400 if form.errors else 200)


@rule_required(perms.can_book_meetings)
def appointment_interpreter(request, pk):
    """The interpreter booked for a scheduled meeting (on site, phone, video), or none yet."""
    appointment = get_object_or_404(
        selectors.appointments_for(request.user).select_related("participant", "referral"), pk=pk
    )
    initial = {
        "interpreter_type": appointment.interpreter_type,
        "interpreter_note": appointment.interpreter_note,
    }
    form = InterpreterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_interpreter_set(
                appointment=appointment, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You cannot change this meeting."))
        else:
            messages.success(request, _("The interpreter was saved."))
            return redirect("attendance:appointments")
    read_record(user=request.user, participant=appointment.participant, view="appointment_interpreter")
    context = {"form": form, "appointment": appointment}
    return render(
        request, "attendance/appointment_interpreter.html", context, status=400 if form.errors else 200
    )


@rule_required(perms.can_book_meetings)
def appointment_outcome(request, pk):
    appointment = get_object_or_404(selectors.appointments_for(request.user), pk=pk)
    initial = {}
    if appointment.outcome != AppointmentOutcome.SCHEDULED:
        initial = {"outcome": appointment.outcome, "reason": appointment.outcome_reason}
    form = OutcomeForm(request.POST or None, initial=initial, started=appointment.starts_at <= timezone.now())
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_outcome_record(
                appointment=appointment,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You cannot record the outcome of this meeting."))
        else:
            text = _("The outcome was recorded.")
            if form.cleaned_data["outcome"] == AppointmentOutcome.NO_SHOW:
                text += " " + _("The caseworker has been notified that the person did not come.")
            messages.success(request, text)
            return redirect("attendance:appointments")
    read_record(user=request.user, participant=appointment.participant, view="appointment_outcome")
    return render(request, "attendance/appointment_outcome.html", {"form": form, "appointment": appointment})
