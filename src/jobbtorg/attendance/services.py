"""Attendance writes and the quick feedback to social services.

Rules (Stockholm's audit and Nacka's model): a day without a report is *not reported*, never absence — it
is flagged to the provider first (see selectors.unreported_days). Only a reported unexcused absence, an
interruption, a restart or a missed meeting reaches the caseworker: a notice in their inbox, created in the
same transaction as the report, and an e-mail after commit. Notices state facts only; the caseworker
decides on benefits."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record
from jobbtorg.integrations.messaging import Message, send
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.plans.models import Mapping
from jobbtorg.referrals.constants import CloseReason
from jobbtorg.utils.workdays import is_working_day

from . import perms
from .constants import AttendanceStatus, EventKind, InterpreterType, MeetingStatus, NoticeKind, ValidReason
from .models import (
    AbsenceRules,
    AttendanceEvent,
    AttendanceReport,
    Notice,
    ReportedAbsence,
    ThreePartyMeeting,
)
from .notifications import notice_email_on_commit


def rules_for(municipality) -> AbsenceRules:
    rules = AbsenceRules.objects.filter(municipality=municipality).first()
    return rules or AbsenceRules(municipality=municipality)


def _check_day(booking, day: datetime.date) -> None:
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.ENDED):
        raise ValidationError({"date": _("The person has no place in this offering.")})
    if day < booking.start_date or (booking.end_date and day > booking.end_date):
        raise ValidationError(
            {
                "date": _("The date is outside the booking (%(start)s – %(end)s).")
                % {"start": booking.start_date, "end": booking.end_date or "…"}
            }
        )
    if day > timezone.localdate():
        raise ValidationError({"date": _("Attendance cannot be reported for a future day.")})


def _notice(*, booking, kind: str, day: datetime.date, facts: str, source_key: str) -> Notice | None:
    referral = booking.referral
    if referral.is_intake:
        return None  # notices go to social services: an intake at the unit has no caseworker (ADR 0020)
    notice, created = Notice.objects.get_or_create(
        source_key=source_key,
        defaults={
            "participant_id": booking.participant_id,
            "referral": referral,
            "district_id": referral.district_id,
            "kind": kind,
            "date": day,
            "facts": facts,
        },
    )
    if created:
        notice_email_on_commit(notice)
    return notice if created else None


def _offering_text(booking) -> str:
    offering = booking.offering
    who = offering.provider.name if offering.provider_id else offering.unit.name if offering.unit_id else ""
    return f"{offering.name}{f' ({who})' if who else ''}"


@transaction.atomic
def attendance_report(
    *,
    booking,
    day: datetime.date,
    status: str,
    by,
    valid_reason: str = "",
    note: str = "",
    hours=None,
) -> AttendanceReport:
    """Record (or correct) one day's attendance and give social services the facts they must have."""
    if not perms.can_report_for(by, booking):
        raise PermissionDenied(_("You cannot report attendance for this person."))
    _check_day(booking, day)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Unknown attendance status.")})
    if status == AttendanceStatus.ABSENT_VALID and valid_reason not in ValidReason.values:
        raise ValidationError({"valid_reason": _("Give the reason for the valid absence.")})
    if status == AttendanceStatus.ABSENT_UNEXCUSED:
        reported = ReportedAbsence.objects.filter(participant_id=booking.participant_id).covering(day).first()
        if reported is not None:  # the person reported it in advance: absence with a valid reason
            status, valid_reason = AttendanceStatus.ABSENT_VALID, reported.reason
            note = note or _("Reported by the person in advance.")
    if status != AttendanceStatus.ABSENT_VALID:
        valid_reason = ""
    previous = AttendanceReport.objects.filter(booking=booking, date=day).first()
    report, _created = AttendanceReport.objects.update_or_create(
        booking=booking,
        date=day,
        defaults={
            "participant_id": booking.participant_id,
            "status": status,
            "valid_reason": valid_reason,
            "note": note,
            "hours": hours,
            "reported_by": by,
        },
    )
    if previous is None or previous.status != status or previous.valid_reason != valid_reason:
        change_record(
            action="attendance_reported" if previous is None else "attendance_corrected",
            obj=report,
            by=by,
            participant=booking.participant,
            changes={
                "date": day.isoformat(),
                "status": status,
                **({"previous": previous.status} if previous else {}),
            },
        )
    _feedback(booking=booking, report=report)
    return report


def _feedback(*, booking, report: AttendanceReport) -> None:
    rules = rules_for(booking.offering.municipality)
    offering = _offering_text(booking)
    if report.status == AttendanceStatus.ABSENT_UNEXCUSED:
        streak = _streak(booking, report.date, lambda r: r.status == AttendanceStatus.ABSENT_UNEXCUSED)
        if streak >= rules.notify_from_absence_day:
            _notice(
                booking=booking,
                kind=NoticeKind.UNEXCUSED_ABSENCE,
                day=report.date,
                facts=_("Absent without valid reason on %(date)s from %(offering)s (reported by %(org)s).")
                % {
                    "date": report.date.isoformat(),
                    "offering": offering,
                    "org": _reporter_org(report.reported_by),
                },
                source_key=f"absence:{booking.pk}:{report.date.isoformat()}",
            )
        _maybe_propose_meeting(booking=booking, rules=rules, day=report.date)
    if report.status == AttendanceStatus.ABSENT_VALID and report.valid_reason == ValidReason.SICK:
        streak = _streak(booking, report.date, lambda r: r.valid_reason == ValidReason.SICK)
        if streak == rules.certificate_from_sick_day:
            _notice(
                booking=booking,
                kind=NoticeKind.CERTIFICATE_REQUIRED,
                day=report.date,
                facts=_(
                    "Sick for %(days)d days in a row up to %(date)s in %(offering)s: "
                    "from this day a doctor's "
                    "certificate is required."
                )
                % {"days": streak, "date": report.date.isoformat(), "offering": offering},
                source_key=f"certificate:{booking.pk}:{report.date.isoformat()}",
            )


def _reporter_org(user) -> str:
    if user.provider_id:
        return user.provider.name
    if user.unit_id:
        return user.unit.name
    return user.get_full_name()


def _streak(booking, day: datetime.date, matches) -> int:
    """Consecutive reported working days up to `day` (inclusive) that match; a day with another status or
    no report ends the streak."""
    reports = {
        r.date: r
        for r in AttendanceReport.objects.filter(
            booking=booking, date__lte=day, date__gte=day - datetime.timedelta(days=62)
        )
    }
    count, current = 0, day
    while current >= booking.start_date:
        if is_working_day(current):
            report = reports.get(current)
            if report is None or not matches(report):
                break
            count += 1
        current -= datetime.timedelta(days=1)
    return count


def _maybe_propose_meeting(*, booking, rules: AbsenceRules, day: datetime.date) -> None:
    since = day - datetime.timedelta(days=rules.repeated_absence_window_days)
    absences = AttendanceReport.objects.filter(
        participant_id=booking.participant_id,
        status=AttendanceStatus.ABSENT_UNEXCUSED,
        date__gt=since,
        date__lte=day,
    ).count()
    from .constants import AppointmentOutcome
    from .models import Appointment

    no_shows = Appointment.objects.filter(
        participant_id=booking.participant_id,
        outcome=AppointmentOutcome.NO_SHOW,
        starts_at__date__gt=since,
        starts_at__date__lte=day,
    ).count()
    if absences + no_shows < rules.repeated_absence_count:
        return
    referral = booking.referral
    if ThreePartyMeeting.objects.filter(
        referral=referral, status__in=[MeetingStatus.PROPOSED, MeetingStatus.BOOKED]
    ).exists():
        return
    reason = _("%(count)d absences without valid reason or missed meetings within %(days)d days.") % {
        "count": absences + no_shows,
        "days": rules.repeated_absence_window_days,
    }
    meeting = ThreePartyMeeting.objects.create(
        participant_id=booking.participant_id, referral=referral, reason=reason
    )
    _notice(
        booking=booking,
        kind=NoticeKind.MEETING_PROPOSED,
        day=day,
        facts=_("A three-party meeting (person, provider or coach, caseworker) is proposed: %(reason)s")
        % {"reason": reason},
        source_key=f"meeting:{meeting.pk}",
    )


@transaction.atomic
def attendance_event_record(*, booking, kind: str, day: datetime.date, reason: str, by) -> AttendanceEvent:
    """An interruption (avbrott) or restart (nystart): reaches the caseworker the same day."""
    if not perms.can_report_for(by, booking):
        raise PermissionDenied(_("You cannot report for this person."))
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Choose interruption or restart.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if day > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    last = AttendanceEvent.objects.filter(booking=booking).order_by("-date", "-id").first()
    if kind == EventKind.RESTART and (last is None or last.kind != EventKind.INTERRUPTION):
        raise ValidationError({"kind": _("Only an interrupted intervention can be restarted.")})
    if kind == EventKind.INTERRUPTION and last is not None and last.kind == EventKind.INTERRUPTION:
        raise ValidationError({"kind": _("The intervention is already interrupted.")})
    event = AttendanceEvent.objects.create(
        booking=booking,
        participant_id=booking.participant_id,
        kind=kind,
        date=day,
        reason=reason,
        reported_by=by,
    )
    label = EventKind(kind).label
    _notice(
        booking=booking,
        kind=NoticeKind.INTERRUPTION if kind == EventKind.INTERRUPTION else NoticeKind.RESTART,
        day=day,
        facts=_("%(event)s on %(date)s in %(offering)s. Reason given: %(reason)s")
        % {"event": label, "date": day.isoformat(), "offering": _offering_text(booking), "reason": reason},
        source_key=f"event:{event.pk}",
    )
    change_record(
        action=f"attendance_{kind}",
        obj=event,
        by=by,
        participant=booking.participant,
        changes={"date": day.isoformat(), "reason": reason},
    )
    return event


def referral_closed_notice(*, referral, on: datetime.date) -> Notice | None:
    """When a referral closes because the person withdrew the consent district ↔ Jobbtorg, the caseworker
    is told at once: a notice in the inbox (the fact only) and an e-mail with a link after commit. Other
    closes need no notice (the caseworker closed it, or was told of the exit)."""
    if referral.close_reason != CloseReason.CONSENT_WITHDRAWN:
        return None
    notice, created = Notice.objects.get_or_create(
        source_key=f"consent_withdrawn:{referral.pk}",
        defaults={
            "participant_id": referral.participant_id,
            "referral": referral,
            "district_id": referral.district_id,
            "kind": NoticeKind.CONSENT_WITHDRAWN,
            "date": on,
            "facts": _(
                "The person withdrew the consent to share information between the district and the "
                "Jobbtorg. The referral was closed; the Jobbtorg and providers no longer see the case."
            ),
        },
    )
    if created:
        notice_email_on_commit(notice)
    return notice if created else None


@transaction.atomic
def notice_acknowledge(*, notice: Notice, by) -> Notice:
    if not perms.can_acknowledge_notice(by, notice):
        raise PermissionDenied(_("Only a caseworker of the person's district can acknowledge this."))
    updated = Notice.objects.filter(pk=notice.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=by
    )
    notice.refresh_from_db()
    if updated:
        change_record(action="notice_acknowledged", obj=notice, by=by, participant=notice.participant)
    return notice


# Appointments ----------------------------------------------------------------------------------------------


def _interpreter_checked(interpreter_type: str) -> str:
    if interpreter_type not in ("", *InterpreterType.values):
        raise ValidationError(
            {"interpreter_type": _("Choose on site, by phone, by video or not booked yet.")}
        )
    return interpreter_type


@transaction.atomic
def appointment_create(
    *,
    referral,
    by,
    kind: str,
    starts_at,
    ends_at,
    place: str = "",
    video_link: str = "",
    interpreter_type: str = "",
    interpreter_note: str = "",
):
    """Book a meeting. When the mapping says the person needs an interpreter, the meeting carries that need
    (language, dialect) and the interpreter booked for it (on site, phone, video), or none yet — then the
    coach's worklist lists it until one is booked (`appointment_interpreter_set`)."""
    from .models import Appointment

    if not perms.can_book_meeting(by, referral):
        raise PermissionDenied(_("You cannot book meetings with this person."))
    need = Mapping.objects.filter(referral=referral).values(
        "interpreter_needed", "interpreter_language", "interpreter_dialect"
    ).first() or {"interpreter_needed": False, "interpreter_language": "", "interpreter_dialect": ""}
    appointment = Appointment(
        interpreter_needed=need["interpreter_needed"],
        interpreter_language=need["interpreter_language"] if need["interpreter_needed"] else "",
        interpreter_dialect=need["interpreter_dialect"] if need["interpreter_needed"] else "",
        interpreter_type=_interpreter_checked(interpreter_type),
        interpreter_note=(interpreter_note or "").strip()[:200],
        participant_id=referral.participant_id,
        referral=referral,
        organiser=by,
        provider_id=by.provider_id if by.is_provider_staff else None,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
    )
    appointment.full_clean()
    appointment.save()
    if kind == "three_party":
        ThreePartyMeeting.objects.filter(referral=referral, status=MeetingStatus.PROPOSED).update(
            status=MeetingStatus.BOOKED, appointment=appointment
        )
    change_record(
        action="appointment_booked",
        obj=appointment,
        by=by,
        participant=referral.participant,
        changes={
            "kind": kind,
            "starts_at": starts_at.isoformat(),
            **({"interpreter_type": interpreter_type} if interpreter_type else {}),
        },
    )
    return appointment


@transaction.atomic
def appointment_interpreter_set(*, appointment, by, interpreter_type: str, interpreter_note: str = ""):
    """Record the interpreter booked for a meeting (or that none is booked: an empty type). Whoever may book
    meetings with the person may do it; a meeting that has taken place is not changed."""
    from .constants import AppointmentOutcome

    if not perms.can_book_meeting(by, appointment.referral):
        raise PermissionDenied(_("You cannot change this meeting."))
    if appointment.outcome != AppointmentOutcome.SCHEDULED:
        raise ValidationError({"interpreter_type": _("The meeting is no longer scheduled.")})
    appointment.interpreter_type = _interpreter_checked(interpreter_type)
    appointment.interpreter_note = (interpreter_note or "").strip()[:200]
    if interpreter_type and not appointment.interpreter_needed:
        appointment.interpreter_needed = True  # booked for a person the mapping did not mark
    appointment.save(update_fields=["interpreter_type", "interpreter_note", "interpreter_needed"])
    change_record(
        action="appointment_interpreter_set",
        obj=appointment,
        by=by,
        participant=appointment.participant,
        changes={"interpreter_type": interpreter_type or None},
    )
    return appointment


@transaction.atomic
def appointment_outcome_record(*, appointment, outcome: str, by, reason: str = ""):
    """Attended, no-show, cancelled (with reason) or excused. A no-show counts like an unexcused absence:
    the caseworker gets the fact the same day."""
    from .constants import AppointmentOutcome

    if not perms.can_book_meeting(by, appointment.referral):
        raise PermissionDenied(_("You cannot record the outcome of this meeting."))
    if outcome not in AppointmentOutcome.values or outcome == AppointmentOutcome.SCHEDULED:
        raise ValidationError({"outcome": _("Choose attended, did not come, cancelled or excused.")})
    if outcome in (AppointmentOutcome.CANCELLED, AppointmentOutcome.EXCUSED) and not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    appointment.outcome = outcome
    appointment.outcome_reason = reason
    appointment.save(update_fields=["outcome", "outcome_reason"])
    if outcome == AppointmentOutcome.ATTENDED and appointment.kind == "three_party":
        ThreePartyMeeting.objects.filter(appointment=appointment).update(status=MeetingStatus.HELD)
    if outcome == AppointmentOutcome.NO_SHOW:
        day = timezone.localtime(appointment.starts_at).date()
        referral = appointment.referral
        notice, created = Notice.objects.get_or_create(
            source_key=f"noshow:{appointment.pk}",
            defaults={
                "participant_id": appointment.participant_id,
                "referral": referral,
                "district_id": referral.district_id,
                "kind": NoticeKind.NO_SHOW,
                "date": day,
                "facts": _("Did not come to a %(kind)s on %(when)s.")
                % {
                    "kind": appointment.get_kind_display().lower(),
                    "when": timezone.localtime(appointment.starts_at).strftime("%Y-%m-%d %H:%M"),
                },
            },
        )
        if created:
            from .notifications import notice_email_on_commit

            notice_email_on_commit(notice)
    change_record(
        action="appointment_outcome",
        obj=appointment,
        by=by,
        participant=appointment.participant,
        changes={"outcome": outcome, **({"reason": reason} if reason else {})},
    )
    return appointment


def appointment_reminder_text(appointment) -> tuple[str, str]:
    """The reminder's subject and text in the person's own language (`Participant.language`): time and
    place only."""
    with translation.override(appointment.participant.language):
        when = timezone.localtime(appointment.starts_at).strftime("%Y-%m-%d %H:%M")
        where = appointment.place or appointment.video_link
        return (
            _("Reminder from Jobbtorg"),
            _("Reminder: meeting with Jobbtorg %(when)s, %(where)s.") % {"when": when, "where": where},
        )


def appointment_reminders_send(*, now=None, hours_ahead: int = 24) -> int:
    """Remind people of meetings within `hours_ahead` (e-mail and SMS through the pluggable senders). The
    message holds time and place only. Returns how many were sent; each meeting is reminded once. People
    with protected identity get no automatic message (their contact details stay out of mail and SMS)."""
    from .constants import AppointmentOutcome
    from .models import Appointment

    now = now or timezone.now()
    due = Appointment.objects.filter(
        outcome=AppointmentOutcome.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=hours_ahead),
    ).select_related("participant")
    sent = 0
    for appointment in due:
        person = appointment.participant
        if person.protected_identity:
            continue  # never through e-mail or an SMS gateway: the caseworker reminds them another way
        subject, body = appointment_reminder_text(appointment)
        claimed = Appointment.objects.filter(pk=appointment.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue
        if person.email:
            send(Message("email", person.email, subject, body))
        if person.phone:
            send(Message("sms", person.phone, "", body))
        sent += 1
    return sent


PARTICIPANT_ABSENCE_REASONS = (ValidReason.SICK, ValidReason.CARE_OF_CHILD, ValidReason.OTHER)
ABSENCE_DAYS_AHEAD = 30


@transaction.atomic
def absence_report(
    *, participant, reason: str, first_day: datetime.date, last_day: datetime.date, by, note: str = ""
) -> ReportedAbsence:
    """The person reports that they are away (today or coming days). Their providers and coach see it at
    once; attendance for those days counts as absence with a valid reason (`attendance_report`)."""
    if not perms.can_report_own_absence(by, participant):
        raise PermissionDenied(_("You cannot report absence here."))
    today = timezone.localdate()
    errors = {}
    if reason not in PARTICIPANT_ABSENCE_REASONS:
        errors["reason"] = _("Choose why you are away.")
    if first_day < today:
        errors["first_day"] = _("Report absence for today or coming days.")
    elif first_day > today + datetime.timedelta(days=ABSENCE_DAYS_AHEAD):
        errors["first_day"] = _("At most %(days)d days ahead.") % {"days": ABSENCE_DAYS_AHEAD}
    if last_day < first_day:
        errors["last_day"] = _("The last day cannot be before the first day.")
    elif last_day > first_day + datetime.timedelta(days=ABSENCE_DAYS_AHEAD):
        errors["last_day"] = _("At most %(days)d days at a time.") % {"days": ABSENCE_DAYS_AHEAD}
    if errors:
        raise ValidationError(errors)
    absence = ReportedAbsence.objects.create(
        participant=participant,
        reason=reason,
        first_day=first_day,
        last_day=last_day,
        note=(note or "").strip()[:300],
        reported_by=by,
    )
    change_record(
        action="absence_reported",
        obj=absence,
        by=by,
        participant=participant,
        changes={"reason": reason, "first_day": first_day.isoformat(), "last_day": last_day.isoformat()},
    )
    return absence
