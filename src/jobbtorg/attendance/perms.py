"""Who may report attendance, book meetings and handle notices — one function per rule, the rule in its
docstring. The services raise PermissionDenied when a function here says no; the pages, the templates
(`{% can %}`) and the API ask the same functions."""

from jobbtorg.participants.models import Participant
from jobbtorg.referrals.models import Referral


def can_report_attendance(user) -> bool:
    """Provider staff (for their organisation's people) and Jobbtorg staff (for their unit's) report
    attendance; which people: `can_report_for`."""
    return user.is_provider_staff or user.is_unit_staff


def can_report_for(user, booking) -> bool:
    """Provider staff report for people booked with their organisation and visible to them (assigned, with
    consent in force); Jobbtorg staff for people referred to their unit (a referral they see: not one whose
    consent was withdrawn)."""
    if user.is_provider_staff:
        return (
            booking.offering.provider_id is not None
            and booking.offering.provider_id == user.provider_id
            and Participant.objects.visible_to(user).filter(pk=booking.participant_id).exists()
        )
    return user.is_unit_staff and Referral.objects.visible_to(user).filter(pk=booking.referral_id).exists()


def can_book_meetings(user) -> bool:
    """The people who report attendance also book meetings and record their outcome (with whom:
    `can_book_meeting`)."""
    return can_report_attendance(user)


def can_book_meeting(user, referral) -> bool:
    """Jobbtorg staff book meetings with the people referred to their unit; provider staff with the people
    visible to them (assigned, with consent in force)."""
    if user.is_unit_staff:
        return Referral.objects.visible_to(user).filter(pk=referral.pk).exists()
    if user.is_provider_staff:
        return Participant.objects.visible_to(user).filter(pk=referral.participant_id).exists()
    return False


def can_view_notices(user) -> bool:
    """District caseworkers receive the notices (absence, interruption, missed meeting) of their district."""
    return user.is_caseworker


def can_acknowledge_notice(user, notice) -> bool:
    """A caseworker of the person's district acknowledges a notice."""
    return user.is_caseworker and user.district_id == notice.district_id


def can_report_own_absence(user, participant) -> bool:
    """The person themself (participant view) reports their absence, while they have an open case."""
    return (
        user.is_participant
        and user.participant_id == participant.pk
        and Referral.objects.filter(participant=participant).with_basis().open().exists()
    )


def can_view_reported_absences(user) -> bool:
    """The person (their own), and those who work with them — coaches, counsellors, unit heads and provider
    staff (`attendance.view_reportedabsence`) — see reported absences (which:
    `ReportedAbsence.objects.visible_to`)."""
    return user.is_participant or user.has_perm("attendance.view_reportedabsence")
