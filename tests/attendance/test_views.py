"""The attendance pages: the week grid (all or nothing), days not reported, CSV upload, the caseworker's
notices, and that provider staff never see another provider's people."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.attendance import services
from jobbtorg.attendance.constants import AppointmentKind
from jobbtorg.attendance.models import Appointment, AttendanceEvent, AttendanceReport, Notice
from jobbtorg.audit.models import ReadLog
from jobbtorg.interventions import services as booking_services
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.workdays import is_working_day

from ..factories import DistrictFactory, OfferingFactory, ReferralFactory, UserFactory, provider_user
from .test_feedback import working_days_back


@pytest.fixture
def client():
    """English UI (the language switch's cookie): the assertions read the English source strings."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_group(*, caseworker, coach, unit, size=3, days_back=30):
    offering = OfferingFactory(
        municipality=unit.municipality, start_date=timezone.localdate() - dt.timedelta(days=90)
    )
    bookings = []
    for _ in range(size):
        referral = ReferralFactory(
            accepted=True,
            district=caseworker.district,
            participant__district=caseworker.district,
            caseworker=caseworker,
            coach=coach,
        )
        consent_record(
            participant=referral.participant,
            status="given",
            scope=ConsentScope.JOBBTORG_PROVIDER,
            by=caseworker,
        )
        bookings.append(
            booking_services.booking_create(
                offering=offering,
                referral=referral,
                by=coach,
                start_date=timezone.localdate() - dt.timedelta(days=days_back),
            )
        )
    return offering, bookings, provider_user(offering.provider)


@pytest.fixture
def group(caseworker, coach, unit):
    return make_group(caseworker=caseworker, coach=coach, unit=unit)


def last_full_week() -> dt.date:
    """The Monday of last week: every day of it is in the past and inside a 30-day-old booking."""
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday() + 7)


def week_url(offering, monday) -> str:
    return f"{reverse('attendance:week', args=[offering.pk])}?week={monday.isoformat()}"


def cell(booking, day, kind="status") -> str:
    return f"{kind}-{booking.pk}-{day.isoformat()}"


def week_post(bookings, monday, *, absent=None) -> dict:
    """Everyone present every working day of the week, except `absent` = (booking, day) unexcused."""
    data = {"week": monday.isoformat()}
    for booking in bookings:
        for offset in range(5):
            day = monday + dt.timedelta(days=offset)
            if is_working_day(day):
                data[cell(booking, day)] = "present"
                data[cell(booking, day, "reason")] = ""
    if absent:
        data[cell(*absent)] = "absent_unexcused"
    return data


def working_days_of(monday) -> list[dt.date]:
    return [monday + dt.timedelta(days=i) for i in range(5) if is_working_day(monday + dt.timedelta(days=i))]


# The week grid ----------------------------------------------------------------------------------------------


def test_provider_reports_a_week_with_one_unexcused_absence(client, group, caseworker):
    offering, bookings, reporter = group
    monday = last_full_week()
    days = working_days_of(monday)
    client.force_login(reporter)
    page = client.get(week_url(offering, monday))
    assert page.status_code == 200
    for booking in bookings:
        assert booking.participant.full_name in page.text
        assert f'name="{cell(booking, days[0])}"' in page.text
    assert ReadLog.objects.filter(user=reporter, view="attendance_week").count() == len(bookings)

    response = client.post(
        week_url(offering, monday), week_post(bookings, monday, absent=(bookings[0], days[-1])), follow=True
    )
    assert response.status_code == 200
    assert AttendanceReport.objects.count() == len(bookings) * len(days)
    assert AttendanceReport.objects.filter(status="absent_unexcused").count() == 1
    notice = Notice.objects.get()
    assert notice.kind == "unexcused_absence" and notice.participant == bookings[0].participant
    assert notice.district == caseworker.district
    assert f"{len(bookings) * len(days)} reports saved." in response.text
    assert "1 notice went to social services." in response.text

    # Saving the same week again changes nothing and sends nothing.
    again = client.post(
        week_url(offering, monday), week_post(bookings, monday, absent=(bookings[0], days[-1])), follow=True
    )
    assert "0 reports saved." in again.text and "Nothing was sent to social services." in again.text
    assert Notice.objects.count() == 1


def test_a_bad_cell_saves_nothing_and_is_shown(client, group):
    offering, bookings, reporter = group
    monday = last_full_week()
    data = week_post(bookings, monday, absent=(bookings[0], working_days_of(monday)[0]))
    before_booking = bookings[1].start_date - dt.timedelta(days=1)
    data[cell(bookings[1], before_booking)] = "present"  # a date outside the booking, posted by hand
    client.force_login(reporter)
    response = client.post(week_url(offering, monday), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.text and 'role="alert"' in response.text
    assert "The date is outside the booking" in response.text
    assert bookings[1].participant.full_name in response.text
    assert not AttendanceReport.objects.exists() and not Notice.objects.exists()


def test_valid_absence_without_a_reason_is_refused_per_cell(client, group):
    offering, bookings, reporter = group
    monday = last_full_week()
    day = working_days_of(monday)[0]
    data = week_post(bookings, monday)
    data[cell(bookings[0], day)] = "absent_valid"
    client.force_login(reporter)
    response = client.post(week_url(offering, monday), data)
    assert "Give the reason for the valid absence." in response.text
    assert f'id="c-{bookings[0].pk}-{day.isoformat()}-error"' in response.text
    assert not AttendanceReport.objects.exists()
    data[cell(bookings[0], day, "reason")] = "sick"
    client.post(week_url(offering, monday), data)
    assert AttendanceReport.objects.get(booking=bookings[0], date=day).valid_reason == "sick"
    assert not Notice.objects.exists()


def test_htmx_save_returns_the_grid_with_the_result(client, group):
    offering, bookings, reporter = group
    monday = last_full_week()
    client.force_login(reporter)
    response = client.post(
        week_url(offering, monday), week_post(bookings, monday), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="week-grid">') and "<html" not in response.text
    assert "reports saved." in response.text and 'role="status"' in response.text


def test_future_days_and_days_outside_the_booking_are_not_offered(client, caseworker, coach, unit):
    offering, bookings, reporter = make_group(
        caseworker=caseworker, coach=coach, unit=unit, size=1, days_back=0
    )
    booking = bookings[0]
    client.force_login(reporter)
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    text = client.get(week_url(offering, monday)).text
    for offset in range(5):
        day = monday + dt.timedelta(days=offset)
        offered = f'name="{cell(booking, day)}"' in text
        assert offered == (day == timezone.localdate() and is_working_day(day))


def test_a_coach_reports_for_people_of_their_unit(client, group, coach):
    offering, bookings, _reporter = group
    monday = last_full_week()
    client.force_login(coach)
    assert client.get(week_url(offering, monday)).status_code == 200
    client.post(week_url(offering, monday), week_post(bookings[:1], monday))
    assert AttendanceReport.objects.filter(reported_by=coach).count() == len(working_days_of(monday))


@pytest.mark.parametrize("fixture", ["caseworker", "analyst"])
def test_the_week_grid_is_not_for_caseworkers_or_analysts(client, request, group, fixture):
    offering, _bookings, _reporter = group
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(week_url(offering, last_full_week())).status_code == 403


def test_another_unit_coach_gets_404(client, group, other_unit_coach):
    offering, _bookings, _reporter = group
    client.force_login(other_unit_coach)
    assert client.get(week_url(offering, last_full_week())).status_code == 404


def test_interruption_and_restart_from_the_grid_reach_the_caseworker(client, group):
    offering, bookings, reporter = group
    booking = bookings[0]
    url = reverse("attendance:event_record", args=[offering.pk, booking.pk])
    prefix = f"event-{booking.pk}"
    client.force_login(reporter)
    refused = client.post(
        url,
        {
            f"{prefix}-kind": "restart",
            f"{prefix}-date": timezone.localdate().isoformat(),
            f"{prefix}-reason": "Tillbaka",
            "week": last_full_week().isoformat(),
        },
    )
    assert refused.status_code == 200 and "Only an interrupted intervention can be restarted." in refused.text
    response = client.post(
        url,
        {
            f"{prefix}-kind": "interruption",
            f"{prefix}-date": timezone.localdate().isoformat(),
            f"{prefix}-reason": "Flyttat",
            "week": last_full_week().isoformat(),
        },
    )
    assert response.status_code == 302
    assert AttendanceEvent.objects.get().kind == "interruption"
    assert Notice.objects.get().kind == "interruption"


# Provider isolation -----------------------------------------------------------------------------------------


def test_provider_b_sees_none_of_provider_a(client, group, caseworker, coach, unit):
    offering_a, bookings_a, reporter_a = group
    offering_b, bookings_b, reporter_b = make_group(caseworker=caseworker, coach=coach, unit=unit, size=1)
    day = working_days_back(1)[0]
    services.attendance_report(booking=bookings_a[0], day=day, status="absent_unexcused", by=reporter_a)
    start = timezone.now() + dt.timedelta(hours=5)
    services.appointment_create(
        referral=bookings_a[0].referral,
        by=reporter_a,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Kista",
    )
    client.force_login(reporter_b)
    assert client.get(week_url(offering_a, last_full_week())).status_code == 404
    assert (
        client.post(
            week_url(offering_a, last_full_week()), week_post(bookings_a, last_full_week())
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("attendance:appointment_new", args=[bookings_a[0].referral_id])).status_code == 404
    )
    event_url = reverse("attendance:event_record", args=[offering_b.pk, bookings_a[0].pk])
    assert client.post(event_url, {}).status_code == 404
    pages = [
        "attendance:provider_home",
        "attendance:unreported",
        "attendance:appointments",
        "attendance:upload",
    ]
    for name in pages:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        for booking in bookings_a:
            assert booking.participant.last_name not in response.text, name
            assert booking.participant.masked_personal_number not in response.text, name
        assert offering_a.name not in response.text, name
    assert bookings_b[0].participant.last_name in client.get(reverse("attendance:unreported")).text
    assert not AttendanceReport.objects.filter(reported_by=reporter_b).exists()


def test_provider_staff_land_on_their_start_page(client, group):
    offering, _bookings, reporter = group
    client.force_login(reporter)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response.url == reverse("attendance:provider_home")
    page = client.get(response.url)
    offering.refresh_from_db()
    assert offering.booked_count == 3
    assert offering.name in page.text and f"{offering.booked_count} / {offering.capacity}" in page.text


@pytest.mark.parametrize(
    "name,args",
    [
        ("attendance:provider_home", []),
        ("attendance:unreported", []),
        ("attendance:upload", []),
        ("attendance:upload_template", []),
        ("attendance:appointments", []),
        ("attendance:notices", []),
    ],
)
def test_analyst_may_use_no_attendance_page(client, analyst, name, args):
    client.force_login(analyst)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("attendance:provider_home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# Not reported -----------------------------------------------------------------------------------------------


def test_unreported_lists_days_without_reports_and_sends_nothing(client, group):
    offering, bookings, reporter = group
    reported, missing = working_days_back(2)
    for booking in bookings:
        services.attendance_report(booking=booking, day=reported, status="present", by=reporter)
    client.force_login(reporter)
    response = client.get(reverse("attendance:unreported"))
    assert response.status_code == 200
    assert (
        "Not reported is not absence" in response.text
        and "nothing has been sent to social services" in response.text
    )
    assert offering.name in response.text
    monday = missing - dt.timedelta(days=missing.weekday())
    assert f"?week={monday.isoformat()}#c-{bookings[0].pk}-{missing.isoformat()}" in response.text
    assert f"#c-{bookings[0].pk}-{reported.isoformat()}" not in response.text
    assert not Notice.objects.exists()
    assert ReadLog.objects.filter(user=reporter, view="unreported").count() == len(bookings)
    home = client.get(reverse("attendance:provider_home"))
    assert reverse("attendance:unreported") in home.text


# CSV upload -------------------------------------------------------------------------------------------------


def _upload(client, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("narvaro.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("attendance:upload"), {"file": file})


def test_csv_upload_with_a_bad_row_writes_nothing_and_reports_per_line(client, group):
    _offering, bookings, reporter = group
    day = working_days_back(1)[0]
    text = (
        "personnummer;datum;status;orsak\n"
        f"{personal_numbers.formatted(bookings[0].participant.personal_number)};{day};present;\n"
        f"{bookings[1].participant.personal_number};{day};sjuk;\n"
    )
    client.force_login(reporter)
    response = _upload(client, text)
    assert response.status_code == 200
    assert "nothing was written" in response.text and 'role="alert"' in response.text
    assert "<td>3</td>" in response.text and "Unknown status sjuk." in response.text
    assert not AttendanceReport.objects.exists()


def test_csv_upload_of_a_good_file(client, group):
    _offering, bookings, reporter = group
    day = working_days_back(1)[0]
    lines = [f"{b.participant.personal_number};{day};present;" for b in bookings]
    client.force_login(reporter)
    response = _upload(client, "personnummer;datum;status;orsak\n" + "\n".join(lines) + "\n")
    assert f"{len(bookings)} rows were saved." in response.text
    assert AttendanceReport.objects.count() == len(bookings)


def test_upload_template_is_a_csv_with_header_and_an_example(client, coach):
    client.force_login(coach)
    response = client.get(reverse("attendance:upload_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, example = response.content.decode().strip().splitlines()
    assert header == "personnummer;datum;status;orsak;insats"
    assert example.startswith("19121212-1212;") and ";absent_valid;sick;" in example


# The caseworker's notices -----------------------------------------------------------------------------------


def test_caseworker_sees_and_acknowledges_the_notice(client, group, caseworker, other_caseworker):
    _offering, bookings, reporter = group
    services.attendance_report(
        booking=bookings[0], day=working_days_back(1)[0], status="absent_unexcused", by=reporter
    )
    notice = Notice.objects.get()
    person = bookings[0].participant

    client.force_login(other_caseworker)
    assert person.last_name not in client.get(reverse("attendance:notices")).text
    assert client.post(reverse("attendance:notice_acknowledge", args=[notice.pk])).status_code == 404

    client.force_login(caseworker)
    page = client.get(reverse("attendance:notices"))
    assert person.full_name in page.text and notice.facts in page.text
    assert ReadLog.objects.filter(user=caseworker, view="notices", participant_id=person.pk).exists()
    response = client.post(
        reverse("attendance:notice_acknowledge", args=[notice.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response.text.startswith(f'<tr id="notice-{notice.pk}">')
    notice.refresh_from_db()
    assert notice.acknowledged_by == caseworker
    assert person.full_name not in client.get(reverse("attendance:notices")).text
    assert person.full_name in client.get(reverse("attendance:notices") + "?alla=1").text


def test_acknowledge_without_javascript_redirects(client, group, caseworker):
    _offering, bookings, reporter = group
    services.attendance_report(
        booking=bookings[0], day=working_days_back(1)[0], status="absent_unexcused", by=reporter
    )
    client.force_login(caseworker)
    response = client.post(reverse("attendance:notice_acknowledge", args=[Notice.objects.get().pk]))
    assert response.status_code == 302 and response.url == reverse("attendance:notices")
    assert Notice.objects.get().acknowledged_at is not None


def test_notices_show_open_three_party_meetings_of_the_district(client, group, caseworker, other_caseworker):
    _offering, bookings, reporter = group
    for day in working_days_back(3):
        services.attendance_report(booking=bookings[0], day=day, status="absent_unexcused", by=reporter)
    person = bookings[0].participant
    client.force_login(caseworker)
    page = client.get(reverse("attendance:notices"))
    assert "Open three-party meetings" in page.text and "Proposed" in page.text
    assert page.text.count(person.full_name) >= 2
    client.force_login(other_caseworker)
    assert person.last_name not in client.get(reverse("attendance:notices")).text


def test_notices_are_for_caseworkers_only(client, coach, group):
    _offering, _bookings, reporter = group
    for user in (coach, reporter):
        client.force_login(user)
        assert client.get(reverse("attendance:notices")).status_code == 403


# Appointments -----------------------------------------------------------------------------------------------


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_appointment_created_and_a_no_show_recorded_gives_a_notice(client, group, coach):
    _offering, bookings, _reporter = group
    referral = bookings[0].referral
    start = timezone.now() - dt.timedelta(hours=3)
    client.force_login(coach)
    page = client.get(reverse("attendance:appointment_new", args=[referral.pk]))
    assert page.status_code == 200 and referral.participant.full_name in page.text
    response = client.post(
        reverse("attendance:appointment_new", args=[referral.pk]),
        {
            "kind": "individual",
            "starts_at": _local(start),
            "ends_at": _local(start + dt.timedelta(hours=1)),
            "place": "Jobbtorg Järva",
            "video_link": "",
        },
    )
    assert response.status_code == 302 and response.url == reverse("attendance:appointments")
    appointment = referral.appointments.get()
    assert appointment.organiser == coach
    listing = client.get(reverse("attendance:appointments"))
    assert referral.participant.full_name in listing.text
    assert ReadLog.objects.filter(
        user=coach, view="appointments", participant_id=referral.participant_id
    ).exists()

    url = reverse("attendance:appointment_outcome", args=[appointment.pk])
    refused = client.post(url, {"outcome": "cancelled", "reason": ""})
    assert refused.status_code == 200 and "Give the reason." in refused.text
    response = client.post(url, {"outcome": "no_show", "reason": ""}, follow=True)
    assert "The caseworker has been notified" in response.text
    appointment.refresh_from_db()
    assert appointment.outcome == "no_show"
    assert Notice.objects.get().kind == "no_show"


def test_appointment_form_checks_times_and_place(client, group, coach):
    _offering, bookings, _reporter = group
    referral = bookings[0].referral
    start = timezone.now() + dt.timedelta(days=2)
    client.force_login(coach)
    response = client.post(
        reverse("attendance:appointment_new", args=[referral.pk]),
        {
            "kind": "group",
            "starts_at": _local(start),
            "ends_at": _local(start - dt.timedelta(hours=1)),
            "place": "",
            "video_link": "",
        },
    )
    assert response.status_code == 400  # bad input: 400 with the field messages
    assert (
        "The meeting must end after it starts." in response.text
        and "Give a place or a video link." in response.text
    )
    assert not referral.appointments.exists()


def test_a_future_meeting_cannot_be_marked_as_missed(client, group, coach):
    _offering, bookings, _reporter = group
    start = timezone.now() + dt.timedelta(days=2)
    appointment = services.appointment_create(
        referral=bookings[0].referral,
        by=coach,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Kista",
    )
    client.force_login(coach)
    response = client.post(
        reverse("attendance:appointment_outcome", args=[appointment.pk]), {"outcome": "no_show"}
    )
    assert response.status_code == 200 and "has not started yet" in response.text
    assert not Notice.objects.exists()


def test_booking_a_proposed_three_party_meeting(client, group):
    _offering, bookings, reporter = group
    for day in working_days_back(3):
        services.attendance_report(booking=bookings[0], day=day, status="absent_unexcused", by=reporter)
    referral = bookings[0].referral
    meeting = referral.three_party_meetings.get()
    client.force_login(reporter)
    home = client.get(reverse("attendance:provider_home"))
    assert reverse("attendance:appointment_new", args=[referral.pk]) in home.text
    page = client.get(reverse("attendance:appointment_new", args=[referral.pk]))
    assert "A three-party meeting is proposed" in page.text
    start = timezone.now() + dt.timedelta(days=3)
    client.post(
        reverse("attendance:appointment_new", args=[referral.pk]),
        {
            "kind": "three_party",
            "starts_at": _local(start),
            "ends_at": _local(start + dt.timedelta(hours=1)),
            "place": "",
            "video_link": "https://meet.example.org/abc",
        },
    )
    meeting.refresh_from_db()
    assert meeting.status == "booked" and meeting.appointment.provider == reporter.provider


def test_appointments_of_another_unit_are_404(client, group, other_unit_coach, coach):
    _offering, bookings, _reporter = group
    start = timezone.now() + dt.timedelta(days=2)
    appointment = services.appointment_create(
        referral=bookings[0].referral,
        by=coach,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Kista",
    )
    client.force_login(other_unit_coach)
    assert client.get(reverse("attendance:appointment_outcome", args=[appointment.pk])).status_code == 404
    assert (
        client.get(reverse("attendance:appointment_new", args=[bookings[0].referral_id])).status_code == 404
    )
    assert bookings[0].participant.last_name not in client.get(reverse("attendance:appointments")).text


def test_reminders_command_sends_once(group, coach):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    _offering, bookings, _reporter = group
    start = timezone.now() + dt.timedelta(hours=5)
    services.appointment_create(
        referral=bookings[0].referral,
        by=coach,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Jobbtorg Järva",
    )
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Reminders sent: 1" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Reminders sent: 0" in out.getvalue()
    assert len(mail.outbox) == 1


def test_a_caseworker_of_another_district_with_the_same_unit_sees_nothing(client, group, unit):
    _offering, bookings, reporter = group
    services.attendance_report(
        booking=bookings[0], day=working_days_back(1)[0], status="absent_unexcused", by=reporter
    )
    neighbour = UserFactory(caseworker=True, district=DistrictFactory(unit=unit))
    client.force_login(neighbour)
    assert bookings[0].participant.last_name not in client.get(reverse("attendance:notices")).text


def test_past_meetings_are_paged_keeping_the_scope(client, group, coach):
    """Issue 16: the past meetings are paged (50 a page, latest first), and the pager keeps `?scope=unit`."""
    _offering, bookings, _reporter = group
    referral = bookings[0].referral
    start = timezone.now() - dt.timedelta(days=1)
    for n in range(52):
        begins = start - dt.timedelta(days=n)
        Appointment.objects.create(
            participant=referral.participant,
            referral=referral,
            organiser=coach,
            kind=AppointmentKind.INDIVIDUAL,
            starts_at=begins,
            ends_at=begins + dt.timedelta(hours=1),
            place=f"Rum {n:02d}",
        )
    client.force_login(coach)
    url = reverse("attendance:appointments")
    first = client.get(url, {"scope": "unit"})
    assert first.status_code == 200 and "Rum 00" in first.text and "Rum 51" not in first.text
    assert 'href="?scope=unit&amp;page=2"' in first.text
    second = client.get(url, {"scope": "unit", "page": "2"})
    assert "Rum 51" in second.text and "Rum 00" not in second.text
    assert client.get(url, {"page": "nonsense"}).status_code == 200
