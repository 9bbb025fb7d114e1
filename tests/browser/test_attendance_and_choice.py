"""Issue 3's path in headless Chromium, in Swedish, on the demo municipality: the provider reports a week
of attendance for a group with one unexcused absence; the caseworker sees and acknowledges it; the
participant chooses a provider from the comparison."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jobbtorg.attendance.models import AttendanceReport, Notice
from jobbtorg.demo.market import GROUP_OFFERING
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.participants.models import Participant
from jobbtorg.providers.models import Assignment, ChoiceRequest
from jobbtorg.utils.workdays import is_working_day

from .conftest import settled

pytestmark = pytest.mark.browser


def _last_working_day() -> datetime.date:
    day = timezone.localdate() - datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def test_week_of_attendance_notice_acknowledged_and_provider_chosen(demo, login, live_server):
    from jobbtorg.accounts.models import User

    provider_user = User.objects.get(username="anordnare")
    offering = Offering.objects.get(name=GROUP_OFFERING)
    day = _last_working_day()
    monday = day - datetime.timedelta(days=day.weekday())
    visible = Participant.objects.visible_to(provider_user)
    absent = (
        Booking.objects.filter(
            offering=offering,
            status="booked",
            participant__in=visible,
            participant__district__name="Rinkeby-Kista",
            referral__caseworker__isnull=False,  # a notice goes to the caseworker: not an intake (ADR 0020)
            start_date__lte=day,
        )
        .select_related("participant")
        .first()
    )
    assert absent is not None
    notices_before = Notice.objects.count()

    # Provider staff report the week for the group: everyone present, one unexcused absence.
    page = login("anordnare")
    expect(page.locator("h1")).to_contain_text("Insatstillfällen och närvaro")
    page.goto(f"{live_server.url}/narvaro/insats/{offering.pk}/vecka/?week={monday.isoformat()}")
    cells = page.locator("table select[name$='status'], table select:not([id$='-reason'])")
    enabled = [
        c for c in cells.all() if c.is_enabled() and not (c.get_attribute("id") or "").endswith("-reason")
    ]
    assert enabled, "the week grid offers days to report"
    for cell in enabled:
        if cell.input_value() == "":
            cell.select_option("present")
    page.select_option(f"#c-{absent.pk}-{day.isoformat()}", "absent_unexcused")
    page.get_by_role("button", name="Spara veckan").click()
    expect(page.locator("main")).to_contain_text("underrättelse")
    settled(page)
    report = AttendanceReport.objects.get(booking=absent, date=day)
    assert report.status == "absent_unexcused"
    assert AttendanceReport.objects.filter(
        booking__offering=offering, date__gte=monday, status="present"
    ).exists()
    notice = Notice.objects.get(source_key=f"absence:{absent.pk}:{day.isoformat()}")
    assert Notice.objects.count() == notices_before + 1

    # The caseworker sees the fact the same day and acknowledges it.
    page = login("handlaggare")
    page.locator("nav a[href='/narvaro/notiser/']").click()
    row = page.locator("tr", has_text=absent.participant.last_name).filter(has_text=day.isoformat())
    expect(row).to_contain_text("Ogiltig frånvaro")
    row.get_by_role("button", name="Kvittera").click()
    expect(page.locator("main")).to_contain_text("Kvitterad")
    settled(page)
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None and notice.acknowledged_by.username == "handlaggare"

    # The participant chooses a provider from the comparison in their own view.
    choice = ChoiceRequest.objects.get(participant__login__username="deltagare", status="open")
    page = login("deltagare")
    page.locator(f"a[href='/mina-sidor/val/{choice.pk}/']").click()
    expect(page.locator("main")).to_contain_text("Steg Framåt")
    page.locator("form button[type=submit]", has_text="Välj").first.click()
    expect(page.locator(".message.success")).to_be_visible()
    settled(page)
    choice.refresh_from_db()
    assert choice.status == "chosen"
    assignment = Assignment.objects.get(choice=choice)
    assert assignment.source == "participant_choice"
