"""Exit and assistance-import endpoints: who may, scoping, 400 with field messages, 409, nothing
half-written."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobbtorg.audit.models import ReadLog
from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit
from tests.factories import MunicipalityFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db
EXITS = "/api/exits/"
IMPORTS = "/api/assistance-imports/"


def work_payload(referral, **extra):
    return {
        "referral": str(referral.pk),
        "reason": "work",
        "exit_date": dt.date.today().isoformat(),
        "work_hours_per_week": 40,
        "employment_form": "permanent",
        "work_start_date": dt.date.today().isoformat(),
        "municipal_labour_market_job": False,
        "evidence": "Anställningsavtal",
        "version": referral.lock_version,
        **extra,
    }


def test_coach_records_an_exit_and_the_referral_closes(api_client, coach, accepted_referral):
    api_client.force_authenticate(coach)
    response = api_client.post(EXITS, work_payload(accepted_referral), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "work" and response.json()["has_evidence"] is True
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "closed"
    assert accepted_referral.participant.personal_number not in response.content.decode()


def test_work_without_evidence_is_a_400_with_field_messages_and_nothing_written(
    api_client, coach, accepted_referral
):
    api_client.force_authenticate(coach)
    response = api_client.post(
        EXITS,
        work_payload(accepted_referral, evidence="", work_hours_per_week=None, employment_form=""),
        format="json",
    )
    assert response.status_code == 400
    assert {"evidence", "work_hours_per_week", "employment_form"} <= set(response.json())
    assert not Exit.objects.exists()
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "accepted"
    assert api_client.post(EXITS, {"referral": "x", "reason": "nope"}, format="json").status_code == 400


def test_stale_version_is_a_409(api_client, coach, accepted_referral):
    api_client.force_authenticate(coach)
    payload = work_payload(accepted_referral, version=accepted_referral.lock_version + 5)
    assert api_client.post(EXITS, payload, format="json").status_code == 409
    assert not Exit.objects.exists()


def test_who_may_record_and_see_exits(
    api_client, coach, caseworker, other_unit_coach, analyst, accepted_referral
):
    api_client.force_authenticate(caseworker)
    assert api_client.post(EXITS, work_payload(accepted_referral), format="json").status_code == 403
    api_client.force_authenticate(analyst)
    assert api_client.get(EXITS).status_code == 403
    api_client.force_authenticate(other_unit_coach)
    assert api_client.post(EXITS, work_payload(accepted_referral), format="json").status_code == 404
    api_client.force_authenticate(coach)
    exit_id = api_client.post(EXITS, work_payload(accepted_referral), format="json").json()["id"]
    listed = api_client.get(EXITS)
    assert [e["id"] for e in listed.json()["results"]] == [exit_id]
    assert api_client.get(f"{EXITS}{exit_id}/").status_code == 200
    assert ReadLog.objects.filter(user=coach, view="exit_detail").exists()
    api_client.force_authenticate(other_unit_coach)
    assert api_client.get(EXITS).json()["results"] == []
    assert api_client.get(f"{EXITS}{exit_id}/").status_code == 404


def test_evidence_added_later(api_client, coach, accepted_referral):
    from jobbtorg.referrals.services import referral_close

    referral_close(
        referral=accepted_referral, by=coach, reason="studies", version=accepted_referral.lock_version
    )
    exit = Exit.objects.get()
    api_client.force_authenticate(coach)
    url = f"{EXITS}{exit.pk}/evidence/"
    assert api_client.post(url, {"evidence": " "}, format="json").status_code == 400
    response = api_client.post(url, {"evidence": "Antagningsbesked"}, format="json")
    assert response.status_code == 400 and "studies_eligible_for_student_finance" in response.json()
    response = api_client.post(
        url, {"evidence": "Antagningsbesked", "studies_eligible_for_student_finance": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["evidence"] == "Antagningsbesked"


# --- assistance import -----------------------------------------------------------------------------------


def test_the_one_month_follow_up_of_work(api_client, coach, other_unit_coach, accepted_referral):
    started = dt.date.today() - dt.timedelta(days=40)
    type(accepted_referral).objects.filter(pk=accepted_referral.pk).update(referral_date=started)
    api_client.force_authenticate(coach)
    payload = work_payload(
        accepted_referral, exit_date=started.isoformat(), work_start_date=started.isoformat()
    )
    exit_id = api_client.post(EXITS, payload, format="json").json()["id"]
    url = f"{EXITS}{exit_id}/work-followup/"
    assert api_client.post(url, {}, format="json").status_code == 400  # "lasted" is required
    response = api_client.post(url, {"lasted": False}, format="json")
    assert response.status_code == 200 and response.json()["work_lasted_one_month"] is False
    api_client.force_authenticate(other_unit_coach)
    assert api_client.post(url, {"lasted": True}, format="json").status_code == 404
    assert Exit.objects.get(pk=exit_id).work_lasted_one_month is False


def test_the_follow_up_waits_a_month_after_the_work_started(api_client, coach, accepted_referral):
    api_client.force_authenticate(coach)
    exit_id = api_client.post(EXITS, work_payload(accepted_referral), format="json").json()["id"]
    response = api_client.post(f"{EXITS}{exit_id}/work-followup/", {"lasted": True}, format="json")
    assert response.status_code == 400 and "lasted" in response.json()


@pytest.fixture
def finance(db):
    return UserFactory(administrator=True, municipality=MunicipalityFactory())


@pytest.fixture
def people(finance):
    return [ParticipantFactory() for _ in range(2)]


def test_json_import_is_idempotent(api_client, finance, people):
    api_client.force_authenticate(finance)
    body = {
        "month": "2025-03",
        "rows": [{"personal_number": p.personal_number, "amount": "4100"} for p in people],
    }
    first = api_client.post(IMPORTS, body, format="json")
    assert first.status_code == 201 and first.json()["created_count"] == 2
    again = api_client.post(IMPORTS, body, format="json")
    assert again.status_code == 201 and again.json()["unchanged_count"] == 2
    assert AssistanceMonth.objects.count() == 2
    assert people[0].personal_number not in first.content.decode()
    listed = api_client.get(IMPORTS).json()["results"]
    assert len(listed) == 2


def test_bad_rows_reject_everything_with_a_report_per_line(api_client, finance, people):
    api_client.force_authenticate(finance)
    body = {
        "month": "2025-03",
        "rows": [
            {"personal_number": people[0].personal_number, "amount": "100"},
            {"personal_number": "19850101-1234", "amount": "100"},
            {"personal_number": people[1].personal_number, "amount": "abc"},
        ],
    }
    response = api_client.post(IMPORTS, body, format="json")
    assert response.status_code == 400
    assert [e["line"] for e in response.json()["errors"]] == [2, 3]
    text = response.content.decode()
    assert "19850101" not in text and people[1].personal_number not in text
    assert not AssistanceMonth.objects.exists() and not AssistanceImport.objects.exists()


def test_csv_file_upload(api_client, finance, people):
    api_client.force_authenticate(finance)
    content = "personnummer;manad;belopp\n" + "\n".join(f"{p.personal_number};2025-02;" for p in people)
    upload = SimpleUploadedFile("feb.csv", content.encode(), content_type="text/csv")
    response = api_client.post(IMPORTS, {"file": upload}, format="multipart")
    assert response.status_code == 201 and response.json()["file_name"] == "feb.csv"
    assert AssistanceMonth.objects.filter(paid=False).count() == 2
    bad = SimpleUploadedFile("x.csv", b"foo;bar\n1;2", content_type="text/csv")
    rejected = api_client.post(IMPORTS, {"file": bad}, format="multipart")
    assert rejected.status_code == 400 and rejected.json()["errors"][0]["line"] == 0
    assert api_client.post(IMPORTS, {}, format="multipart").status_code == 400


def test_who_may_import(api_client, coach, unit_head, analyst, people):
    body = json.dumps({"month": "2025-03", "rows": []})
    for user in (coach, analyst):
        api_client.force_authenticate(user)
        assert api_client.post(IMPORTS, body, content_type="application/json").status_code == 403
        assert api_client.get(IMPORTS).status_code == 403
    api_client.force_authenticate(unit_head)
    body = {"month": "2025-03", "rows": [{"personal_number": people[0].personal_number, "amount": "1"}]}
    assert api_client.post(IMPORTS, body, format="json").status_code == 201


def test_the_worklist_asks_for_the_follow_up_when_it_is_due(
    client, api_client, coach, other_unit_coach, accepted_referral
):
    """Kolada's "started work" needs the work to have lasted a month: the coach's worklist asks for it once a
    month has passed, and stops asking once it is answered; another unit's coach is never asked."""
    started = dt.date.today() - dt.timedelta(days=40)
    type(accepted_referral).objects.filter(pk=accepted_referral.pk).update(referral_date=started)
    api_client.force_authenticate(coach)
    payload = work_payload(
        accepted_referral, exit_date=started.isoformat(), work_start_date=started.isoformat()
    )
    exit_id = api_client.post(EXITS, payload, format="json").json()["id"]
    name = accepted_referral.participant.full_name
    follow_up = f"/uppfoljning/remiss/{accepted_referral.pk}/avslut/"

    client.force_login(other_unit_coach)
    assert name not in client.get("/planer/arbetslista/").content.decode()
    client.force_login(coach)
    page = client.get("/planer/arbetslista/").content.decode()
    assert name in page and follow_up in page
    # Not yet due (the work started three weeks ago): not asked.
    Exit.objects.filter(pk=exit_id).update(work_start_date=dt.date.today() - dt.timedelta(days=21))
    assert follow_up not in client.get("/planer/arbetslista/").content.decode()
    Exit.objects.filter(pk=exit_id).update(work_start_date=started)
    assert (
        api_client.post(f"{EXITS}{exit_id}/work-followup/", {"lasted": True}, format="json").status_code
        == 200
    )
    assert follow_up not in client.get("/planer/arbetslista/").content.decode()
