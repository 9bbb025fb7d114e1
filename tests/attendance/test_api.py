"""Attendance, notices and appointments through the REST API: all-or-nothing writes, quick feedback, and
provider staff who never reach another provider's people."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobbtorg.attendance.models import Appointment, AttendanceEvent, AttendanceReport, Notice
from jobbtorg.audit.models import ReadLog
from jobbtorg.interventions import services as booking_services
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record

from ..factories import OfferingFactory, ReferralFactory, UserFactory, provider_user
from .test_feedback import working_days_back


def _booked(offering, caseworker, coach, consent=True):
    referral = ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )
    if consent:
        consent_record(
            participant=referral.participant,
            status="given",
            scope=ConsentScope.JOBBTORG_PROVIDER,
            by=caseworker,
        )
    return booking_services.booking_create(
        offering=offering,
        referral=referral,
        by=coach,
        start_date=timezone.localdate() - dt.timedelta(days=30),
    )


@pytest.fixture
def group(caseworker, coach, unit):
    """Provider A's offering with three people; provider B's offering with one other person."""
    start = timezone.localdate() - dt.timedelta(days=60)
    offering_a = OfferingFactory(municipality=unit.municipality, start_date=start)
    offering_b = OfferingFactory(municipality=unit.municipality, start_date=start)
    bookings_a = [_booked(offering_a, caseworker, coach) for _ in range(3)]
    booking_b = _booked(offering_b, caseworker, coach)
    return {
        "offering": offering_a,
        "bookings": bookings_a,
        "staff": provider_user(offering_a.provider),
        "other_offering": offering_b,
        "other_booking": booking_b,
        "other_staff": provider_user(offering_b.provider),
    }


def _report(booking, day, status="present", **extra):
    return {"booking": str(booking.pk), "date": day.isoformat(), "status": status, **extra}


# --- one report, quick feedback, notices --------------------------------------------------------------------


def test_provider_reports_an_unexcused_absence_and_the_caseworker_acknowledges_it(
    api_client, group, caseworker
):
    booking, day = group["bookings"][0], working_days_back(1)[0]
    api_client.force_authenticate(group["staff"])
    response = api_client.post(
        "/api/attendance/", _report(booking, day, "absent_unexcused", note="Ingen kontakt"), format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["status"] == "absent_unexcused" and response.data["participant"]["id"] == str(
        booking.participant_id
    )
    assert "personal_number" not in response.data["participant"]
    assert ReadLog.objects.filter(
        user=group["staff"], participant_id=booking.participant_id, channel="api"
    ).exists()

    api_client.force_authenticate(caseworker)
    notices = api_client.get("/api/notices/", {"open": "1"})
    assert notices.status_code == 200
    (notice,) = notices.data["results"]
    assert notice["kind"] == "unexcused_absence" and day.isoformat() in notice["facts"]
    assert ReadLog.objects.filter(user=caseworker, view="notice_list", channel="api").exists()
    acknowledged = api_client.post(f"/api/notices/{notice['id']}/acknowledge/")
    assert acknowledged.status_code == 200 and acknowledged.data["acknowledged_at"]
    assert api_client.get("/api/notices/", {"open": "1"}).data["results"] == []
    assert len(api_client.get("/api/notices/").data["results"]) == 1


def test_notices_are_for_the_district_caseworker_only(api_client, group, caseworker, other_caseworker, coach):
    api_client.force_authenticate(group["staff"])
    api_client.post(
        "/api/attendance/",
        _report(group["bookings"][0], working_days_back(1)[0], "absent_unexcused"),
        format="json",
    )
    notice = Notice.objects.get()
    for user, code in ((coach, 403), (group["staff"], 403)):
        api_client.force_authenticate(user)
        assert api_client.get("/api/notices/").status_code == code
    api_client.force_authenticate(other_caseworker)
    assert api_client.get("/api/notices/").data["results"] == []
    assert api_client.post(f"/api/notices/{notice.pk}/acknowledge/").status_code == 404
    assert api_client.get("/api/notices/", {"open": "maybe"}).status_code == 400


def test_week_grid_and_unreported_days(api_client, group):
    days = working_days_back(5)
    booking = group["bookings"][0]
    api_client.force_authenticate(group["staff"])
    api_client.post("/api/attendance/", _report(booking, days[-1]), format="json")
    week = days[-1]
    grid = api_client.get("/api/attendance/", {"offering": group["offering"].pk, "week": week.isoformat()})
    assert grid.status_code == 200, grid.data
    assert grid.data["week_start"] == (week - dt.timedelta(days=week.weekday())).isoformat()
    assert len(grid.data["rows"]) == 3 and len(grid.data["days"]) == 5
    row = next(r for r in grid.data["rows"] if r["booking"] == str(booking.pk))
    cell = next(c for c in row["cells"] if c["date"] == week.isoformat())
    assert cell["report"]["status"] == "present" and cell["reportable"]
    iso_week = f"{week.isocalendar()[0]}-W{week.isocalendar()[1]:02d}"
    assert (
        api_client.get("/api/attendance/", {"offering": group["offering"].pk, "week": iso_week}).data
        == grid.data
    )
    assert ReadLog.objects.filter(user=group["staff"], view="attendance_grid", channel="api").count() == 3 * 2

    unreported = api_client.get("/api/attendance/unreported/")
    assert unreported.status_code == 200
    pairs = {(u["booking"], u["date"]) for u in unreported.data}
    assert (str(booking.pk), days[0].isoformat()) in pairs and (
        str(booking.pk),
        days[-1].isoformat(),
    ) not in pairs
    assert {u["booking"] for u in unreported.data} == {str(b.pk) for b in group["bookings"]}

    for params in (
        {},
        {"offering": "x"},
        {"offering": group["offering"].pk, "week": "2026-W99"},
        {"offering": group["offering"].pk, "week": "last week"},
    ):
        assert api_client.get("/api/attendance/", params).status_code == 400, params


def test_coach_reports_and_sees_the_grid_of_their_unit(api_client, group, coach, other_unit_coach):
    booking = group["bookings"][1]
    api_client.force_authenticate(coach)
    assert (
        api_client.post(
            "/api/attendance/", _report(booking, working_days_back(1)[0]), format="json"
        ).status_code
        == 201
    )
    assert len(api_client.get("/api/attendance/", {"offering": group["offering"].pk}).data["rows"]) == 3
    api_client.force_authenticate(other_unit_coach)
    assert (
        api_client.post(
            "/api/attendance/", _report(booking, working_days_back(2)[0]), format="json"
        ).status_code
        == 404
    )
    assert api_client.get("/api/attendance/", {"offering": group["offering"].pk}).status_code == 404


# --- bulk and CSV: all or nothing ---------------------------------------------------------------------------


def test_bulk_report_is_all_or_nothing_with_errors_per_item(api_client, group):
    days = working_days_back(3)
    first, second, third = group["bookings"]
    api_client.force_authenticate(group["staff"])
    good = [_report(b, day) for b in (first, second) for day in days]
    good.append(_report(third, days[0], "absent_valid", valid_reason="sick", hours="0"))
    written = api_client.post("/api/attendance/bulk/", {"reports": good}, format="json")
    assert written.status_code == 201, written.data
    assert written.data["rows"] == 7 and AttendanceReport.objects.count() == 7

    future = timezone.localdate() + dt.timedelta(days=3)
    bad = [
        _report(third, days[1]),  # fine
        _report(third, days[2]),  # fine
        _report(third, future),  # [2] future
        _report(group["other_booking"], days[1]),  # [3] another provider's person
        _report(third, days[1], "absent_valid"),  # [4] no reason given (and the same day twice)
        _report(third, days[0], "absent_valid"),  # [5] no reason given
    ]
    rejected = api_client.post("/api/attendance/bulk/", {"reports": bad}, format="json")
    assert rejected.status_code == 400
    assert set(rejected.data) == {
        "reports[2].date",
        "reports[3].booking",
        "reports[4].date",
        "reports[5].valid_reason",
    }, rejected.data
    assert AttendanceReport.objects.count() == 7  # nothing of the batch was written
    assert AttendanceReport.objects.get(booking=third, date=days[0]).status == "absent_valid"

    shape = api_client.post(
        "/api/attendance/bulk/",
        {"reports": [{"booking": "x", "date": "2026-02-30", "status": "here"}]},
        format="json",
    )
    assert shape.status_code == 400
    assert {"reports[0].booking", "reports[0].date", "reports[0].status"} <= set(shape.data)
    for body in ({}, {"reports": []}, {"reports": "x"}, {"reports": [None]}, [1]):
        assert api_client.post("/api/attendance/bulk/", body, format="json").status_code == 400, body


def _csv(lines):
    content = ("personnummer;datum;status;orsak\n" + "\n".join(lines) + "\n").encode()
    return SimpleUploadedFile("narvaro.csv", content, content_type="text/csv")


def test_csv_upload_written_whole_or_rejected_per_line(api_client, group, caseworker):
    day = working_days_back(1)[0]
    people = [b.participant for b in group["bookings"]]
    api_client.force_authenticate(group["staff"])
    stranger = group["other_booking"].participant
    bad = [
        f"{people[0].personal_number};{day};present;",  # line 2: fine
        f"{stranger.personal_number};{day};present;",  # line 3: another provider's person
        f"{people[1].personal_number};2026-13-01;present;",  # line 4: bad date
        f"{people[2].personal_number};{day};sjuk;",  # line 5: bad code
    ]
    rejected = api_client.post("/api/attendance/csv/", {"file": _csv(bad)}, format="multipart")
    assert rejected.status_code == 400
    assert [e["line"] for e in rejected.data["errors"]] == [3, 4, 5]
    assert all(e["message"] for e in rejected.data["errors"])
    assert not AttendanceReport.objects.exists() and not Notice.objects.exists()

    good = [f"{p.personal_number};{day};närvarande;" for p in people[:2]]
    good.append(f"{people[2].personal_number};{day};ogiltig_frånvaro;")
    written = api_client.post("/api/attendance/csv/", {"file": _csv(good)}, format="multipart")
    assert written.status_code == 201 and written.data == {"rows": 3}
    assert AttendanceReport.objects.count() == 3 and Notice.objects.count() == 1

    assert api_client.post("/api/attendance/csv/", {}, format="multipart").status_code == 400
    assert api_client.post("/api/attendance/csv/", {"file": "text"}, format="multipart").status_code == 400
    binary = SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage", content_type="text/csv")
    not_utf8 = api_client.post("/api/attendance/csv/", {"file": binary}, format="multipart")
    assert not_utf8.status_code == 400 and not_utf8.data["errors"][0]["line"] == 0
    assert api_client.post("/api/attendance/csv/", {"x": 1}, format="json").status_code == 415
    api_client.force_authenticate(caseworker)
    assert (
        api_client.post("/api/attendance/csv/", {"file": _csv(good)}, format="multipart").status_code == 403
    )


# --- interruptions and restarts -----------------------------------------------------------------------------


def test_interruption_and_restart(api_client, group):
    booking, day = group["bookings"][0], working_days_back(1)[0]
    api_client.force_authenticate(group["staff"])
    body = {"booking": str(booking.pk), "kind": "restart", "date": day.isoformat(), "reason": "Tillbaka"}
    refused = api_client.post("/api/attendance-events/", body, format="json")
    assert refused.status_code == 400 and "kind" in refused.data
    made = api_client.post(
        "/api/attendance-events/", {**body, "kind": "interruption", "reason": "Flyttat"}, format="json"
    )
    assert made.status_code == 201 and made.data["kind"] == "interruption"
    assert api_client.post("/api/attendance-events/", body, format="json").status_code == 201
    assert sorted(Notice.objects.values_list("kind", flat=True)) == ["interruption", "restart"]
    for bad in (
        {},
        {**body, "kind": "pause"},
        {**body, "reason": ""},
        {**body, "date": "yesterday"},
        {**body, "date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(), "kind": "interruption"},
        {**body, "booking": "nope"},
    ):
        assert api_client.post("/api/attendance-events/", bad, format="json").status_code == 400, bad


# --- appointments -------------------------------------------------------------------------------------------


def _meeting(referral, **extra):
    start = timezone.now() + dt.timedelta(days=1)
    return {
        "referral": str(referral.pk),
        "kind": "individual",
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
        "place": "Jobbtorg Järva",
        **extra,
    }


def test_appointments_booked_listed_and_their_outcome_recorded(api_client, group, coach, caseworker):
    referral = group["bookings"][0].referral
    api_client.force_authenticate(coach)
    created = api_client.post("/api/appointments/", _meeting(referral), format="json")
    assert created.status_code == 201, created.data
    api_client.force_authenticate(group["staff"])
    by_provider = api_client.post(
        "/api/appointments/",
        _meeting(referral, kind="three_party", place="", video_link="https://meet.example.org/abc"),
        format="json",
    )
    assert by_provider.status_code == 201, by_provider.data
    assert by_provider.data["provider"] == group["offering"].provider_id
    listed = api_client.get("/api/appointments/", {"referral": str(referral.pk)})
    assert [a["id"] for a in listed.data["results"]] == [
        by_provider.data["id"]
    ]  # only their own organisation's

    api_client.force_authenticate(coach)
    assert len(api_client.get("/api/appointments/", {"referral": str(referral.pk)}).data["results"]) == 2
    outcome = api_client.post(
        f"/api/appointments/{created.data['id']}/outcome/", {"outcome": "no_show"}, format="json"
    )
    assert outcome.status_code == 200 and outcome.data["outcome"] == "no_show"
    assert Notice.objects.get().kind == "no_show"
    no_reason = api_client.post(
        f"/api/appointments/{created.data['id']}/outcome/", {"outcome": "excused"}, format="json"
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.data
    api_client.force_authenticate(caseworker)
    assert len(api_client.get("/api/appointments/").data["results"]) == 2
    assert api_client.post("/api/appointments/", _meeting(referral), format="json").status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "party"},
        {"starts_at": "tomorrow"},
        {"ends_at": "2020-01-01T10:00:00Z"},
        {"place": "", "video_link": ""},
        {"video_link": "not a link", "place": ""},
        {"referral": "123"},
        None,
    ],
)
def test_malformed_appointment_bodies_are_400(api_client, group, coach, change):
    referral = group["bookings"][0].referral
    body = [] if change is None else {**_meeting(referral), **change}
    api_client.force_authenticate(coach)
    assert api_client.post("/api/appointments/", body, format="json").status_code == 400
    assert not Appointment.objects.exists()


def test_malformed_single_reports_are_400(api_client, group):
    booking = group["bookings"][0]
    day = working_days_back(1)[0]
    api_client.force_authenticate(group["staff"])
    for body in (
        {},
        [1],
        {"booking": str(booking.pk), "date": "2026-02-30", "status": "present"},
        {"booking": str(booking.pk), "date": day.isoformat(), "status": "sleeping"},
        {"booking": str(booking.pk), "date": day.isoformat(), "status": "absent_valid"},
        {
            "booking": str(booking.pk),
            "date": day.isoformat(),
            "status": "absent_valid",
            "valid_reason": "holiday",
        },
        {"booking": str(booking.pk), "date": day.isoformat(), "status": "present", "hours": "25"},
        {"booking": str(booking.pk), "date": "1066-10-14", "status": "present"},
        {
            "booking": str(booking.pk),
            "date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "status": "present",
        },
        {"booking": "not-a-uuid", "date": day.isoformat(), "status": "present"},
    ):
        assert api_client.post("/api/attendance/", body, format="json").status_code == 400, body
    assert not AttendanceReport.objects.exists()


# --- provider isolation -------------------------------------------------------------------------------------


def test_provider_staff_never_reach_another_providers_people(api_client, group, coach):
    day = working_days_back(1)[0]
    theirs = group["other_booking"]
    start = timezone.now() - dt.timedelta(hours=2)
    appointment = Appointment.objects.create(
        participant=theirs.participant,
        referral=theirs.referral,
        organiser=group["other_staff"],
        provider=group["other_offering"].provider,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Hos B",
    )
    api_client.force_authenticate(group["other_staff"])
    api_client.post("/api/attendance/", _report(theirs, day), format="json")

    api_client.force_authenticate(group["staff"])
    assert (
        api_client.post(
            "/api/attendance/", _report(theirs, day, "absent_unexcused"), format="json"
        ).status_code
        == 404
    )
    assert (
        api_client.post(
            "/api/attendance-events/",
            {"booking": str(theirs.pk), "kind": "interruption", "date": day.isoformat(), "reason": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert api_client.get("/api/attendance/", {"offering": group["other_offering"].pk}).status_code == 404
    assert api_client.get(f"/api/bookings/{theirs.pk}/").status_code == 404
    assert api_client.get(f"/api/appointments/{appointment.pk}/").status_code == 404
    assert (
        api_client.post(
            f"/api/appointments/{appointment.pk}/outcome/", {"outcome": "attended"}, format="json"
        ).status_code
        == 404
    )
    assert api_client.post("/api/appointments/", _meeting(theirs.referral), format="json").status_code == 404
    assert api_client.get(f"/api/participants/{theirs.participant_id}/").status_code == 404
    assert api_client.get(f"/api/participants/{theirs.participant_id}/assignments/").status_code == 404

    def visible_ids():
        ids = set()
        for url in ("/api/bookings/", "/api/appointments/", "/api/participants/"):
            for item in api_client.get(url).data["results"]:
                ids.add(str(item["participant"]["id"]) if "participant" in item else str(item["id"]))
        ids |= {u["participant"]["id"] for u in api_client.get("/api/attendance/unreported/").data}
        grid = api_client.get("/api/attendance/", {"offering": group["offering"].pk}).data
        ids |= {r["participant"]["id"] for r in grid["rows"]}
        return ids

    mine = {str(b.participant_id) for b in group["bookings"]}
    assert visible_ids() == mine
    assert str(theirs.participant_id) not in visible_ids()
    assert not AttendanceReport.objects.filter(booking=theirs, status="absent_unexcused").exists()


def test_consent_withdrawn_hides_the_person_from_their_provider_everywhere(
    api_client, group, caseworker, coach
):
    booking = group["bookings"][0]
    day = working_days_back(1)[0]
    api_client.force_authenticate(coach)
    meeting = api_client.post("/api/appointments/", _meeting(booking.referral), format="json").data
    api_client.force_authenticate(group["staff"])
    own_meeting = api_client.post("/api/appointments/", _meeting(booking.referral), format="json").data
    assert api_client.get(f"/api/appointments/{own_meeting['id']}/").status_code == 200

    consent_record(
        participant=booking.participant,
        status="withdrawn",
        scope=ConsentScope.JOBBTORG_PROVIDER,
        by=caseworker,
    )
    assert api_client.post("/api/attendance/", _report(booking, day), format="json").status_code == 404
    bulk = api_client.post("/api/attendance/bulk/", {"reports": [_report(booking, day)]}, format="json")
    assert bulk.status_code == 400 and list(bulk.data) == ["reports[0].booking"]
    assert api_client.get(f"/api/appointments/{own_meeting['id']}/").status_code == 404
    assert api_client.get(f"/api/appointments/{meeting['id']}/").status_code == 404
    assert api_client.post("/api/appointments/", _meeting(booking.referral), format="json").status_code == 404
    assert api_client.get(f"/api/bookings/{booking.pk}/").status_code == 404
    grid = api_client.get("/api/attendance/", {"offering": group["offering"].pk}).data
    assert str(booking.participant_id) not in {r["participant"]["id"] for r in grid["rows"]}
    assert str(booking.participant_id) not in {
        u["participant"]["id"] for u in api_client.get("/api/attendance/unreported/").data
    }
    assert all(
        a["participant"]["id"] != str(booking.participant_id)
        for a in api_client.get("/api/appointments/").data["results"]
    )
    assert not AttendanceEvent.objects.exists()


def test_participant_login_sees_only_their_own_appointments(api_client, group, coach):
    referral = group["bookings"][0].referral
    api_client.force_authenticate(coach)
    api_client.post("/api/appointments/", _meeting(referral), format="json")
    api_client.post("/api/appointments/", _meeting(group["bookings"][1].referral), format="json")
    person = UserFactory(role="participant", participant=referral.participant)
    api_client.force_authenticate(person)
    listed = api_client.get("/api/appointments/")
    assert [a["participant"]["id"] for a in listed.data["results"]] == [str(referral.participant_id)]
    assert api_client.post("/api/appointments/", _meeting(referral), format="json").status_code == 403
