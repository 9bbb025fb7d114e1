"""The exit page on a referral and the assistance upload page."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit
from tests.factories import MunicipalityFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_referral_page_links_to_the_exit_page(en, coach, caseworker, accepted_referral):
    en.force_login(coach)
    page = en.get(reverse("referrals:detail", args=[accepted_referral.pk])).content.decode()
    assert reverse("followup:exit", args=[accepted_referral.pk]) in page
    en.force_login(caseworker)
    page = en.get(reverse("referrals:detail", args=[accepted_referral.pk])).content.decode()
    assert reverse("followup:exit", args=[accepted_referral.pk]) not in page


def test_exit_form_needs_evidence_for_work_then_closes(en, coach, accepted_referral):
    en.force_login(coach)
    url = reverse("followup:exit", args=[accepted_referral.pk])
    assert en.get(url).status_code == 200
    data = {
        "reason": "work",
        "exit_date": dt.date.today().isoformat(),
        "work_hours_per_week": "40",
        "employment_form": "permanent",
        "work_start_date": dt.date.today().isoformat(),
        "municipal_labour_market_job": "no",
        "evidence": "",
        "version": accepted_referral.lock_version,
    }
    page = en.post(url, data)
    assert page.status_code == 200 and "need evidence" in page.content.decode()
    assert not Exit.objects.exists()
    response = en.post(url, {**data, "evidence": "AG-intyg"})
    assert response.status_code == 302
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "closed" and Exit.objects.get().evidence == "AG-intyg"
    assert "AG-intyg" in en.get(url).content.decode()


def test_who_may_open_the_exit_page(client, caseworker, other_unit_coach, accepted_referral):
    url = reverse("followup:exit", args=[accepted_referral.pk])
    client.force_login(caseworker)
    assert client.get(url).status_code == 403
    client.force_login(other_unit_coach)
    assert client.get(url).status_code == 404


def test_evidence_form_for_an_exit_without_evidence(en, coach, accepted_referral):
    from jobbtorg.referrals.services import referral_close

    referral_close(
        referral=accepted_referral, by=coach, reason="studies", version=accepted_referral.lock_version
    )
    en.force_login(coach)
    url = reverse("followup:exit", args=[accepted_referral.pk])
    assert "Add evidence" in en.get(url).content.decode()
    assert en.post(url, {"evidence": ""}).status_code == 200
    page = en.post(url, {"evidence": "Antagningsbesked"})  # eligibility for student finance not answered
    assert page.status_code == 200 and "eligible for student finance" in page.content.decode()
    assert (
        en.post(
            url, {"evidence": "Antagningsbesked", "studies_eligible_for_student_finance": "yes"}
        ).status_code
        == 302
    )
    assert Exit.objects.get().evidence == "Antagningsbesked"


@pytest.fixture
def finance(db):
    return UserFactory(administrator=True, municipality=MunicipalityFactory())


def test_upload_rejects_a_bad_file_whole_and_reports_lines(en, finance):
    person = ParticipantFactory()
    en.force_login(finance)
    url = reverse("followup:assistance")
    assert en.get(url).status_code == 200
    content = f"personnummer;manad;belopp\n{person.personal_number};2025-03;100\n19850101-1234;2025-03;1\n"
    page = en.post(url, {"file": SimpleUploadedFile("m.csv", content.encode())})
    text = page.content.decode()
    assert page.status_code == 200 and "Invalid personal identity number" in text and "19850101" not in text
    assert not AssistanceMonth.objects.exists() and not AssistanceImport.objects.exists()
    good = f"personnummer;manad;belopp\n{person.personal_number};2025-03;100\n"
    assert en.post(url, {"file": SimpleUploadedFile("m.csv", good.encode())}).status_code == 302
    assert AssistanceMonth.objects.get().paid
    assert "m.csv" in en.get(url).content.decode()


def test_who_may_upload(client, coach, analyst, caseworker):
    for user in (coach, analyst, caseworker):
        client.force_login(user)
        assert client.get(reverse("followup:assistance")).status_code == 403
