"""Long work started from a page runs as a background job (eagerly here): the page follows it (queued /
running / done / failed with the reason), only the starter sees it, and a retried task never imports or pays
twice."""

import datetime as dt
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import ReadLog
from jobbtorg.background.constants import JobKind, JobStatus
from jobbtorg.background.jobs import job_start
from jobbtorg.background.models import BackgroundJob
from jobbtorg.background.services import job_finish
from jobbtorg.background.tasks import run_job
from jobbtorg.followup.models import AssistanceImport, AssistanceMonth
from jobbtorg.payments.models import PaymentRun
from tests.factories import MunicipalityFactory, ParticipantFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def finance(db):
    return UserFactory(administrator=True, municipality=MunicipalityFactory())


def _good_file(person) -> bytes:
    return f"personnummer;manad;belopp\n{person.personal_number};2025-03;100\n".encode()


def test_an_upload_becomes_a_job_whose_page_shows_the_result(en, finance):
    person = ParticipantFactory()
    en.force_login(finance)
    response = en.post(
        reverse("followup:assistance"), {"file": SimpleUploadedFile("m.csv", _good_file(person))}
    )
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("background:job", args=[job.pk])
    assert job.kind == JobKind.ASSISTANCE_IMPORT and job.status == JobStatus.DONE and job.progress == 100
    assert job.summary == {"month": "2025-03", "created": 1, "replaced": 0, "unchanged": 0, "skipped": 0}
    assert not job.input_file  # the uploaded file is not kept once imported
    page = en.get(response.url).content.decode()
    assert "Done" in page and "hx-get" not in page  # finished: the page stops polling
    assert person.personal_number not in page
    assert reverse("background:job", args=[job.pk]) in en.get(reverse("background:jobs")).content.decode()


def test_the_same_submission_twice_is_one_job_and_one_import(en, finance):
    person = ParticipantFactory()
    en.force_login(finance)
    for _ in range(2):
        en.post(
            reverse("followup:assistance"),
            {"file": SimpleUploadedFile("m.csv", _good_file(person)), "submission": "form-1"},
        )
    assert BackgroundJob.objects.count() == 1 and AssistanceImport.objects.count() == 1


def test_a_retried_task_never_imports_twice(finance):
    person = ParticipantFactory()
    job = job_start(
        kind=JobKind.ASSISTANCE_IMPORT,
        by=finance,
        params={"file_name": "m.csv"},
        input_content=_good_file(person),
        input_name="m.csv",
    )
    assert job.status == JobStatus.DONE
    assert run_job.delay(job.pk).get() == "finished already"  # a second delivery of the same task
    assert AssistanceImport.objects.count() == 1 and AssistanceMonth.objects.count() == 1


def test_a_lost_connection_mid_job_is_retried_and_the_effect_happens_once(finance):
    person = ParticipantFactory()
    calls = []

    def flaky_finish(job, **kwargs):
        calls.append(job.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return job_finish(job, **kwargs)

    with mock.patch("jobbtorg.followup.jobs.job_finish", flaky_finish), pytest.raises(Retry):
        job_start(
            kind=JobKind.ASSISTANCE_IMPORT,
            by=finance,
            params={"file_name": "m.csv"},
            input_content=_good_file(person),
            input_name="m.csv",
        )
    job = BackgroundJob.objects.get()
    # the attempt rolled back with its import; the task asks to be retried (autoretry_for, back-off)
    assert job.status == JobStatus.RUNNING and not AssistanceImport.objects.exists()
    with mock.patch("jobbtorg.followup.jobs.job_finish", flaky_finish):
        assert run_job.apply(args=[job.pk]).get() == "done"  # the retry
    job.refresh_from_db()
    assert len(calls) == 2 and job.status == JobStatus.DONE
    assert AssistanceImport.objects.count() == 1 and AssistanceMonth.objects.count() == 1


def test_a_job_that_crashes_fails_with_a_reference_not_a_traceback(finance):
    with mock.patch("jobbtorg.payments.services.payment_run", side_effect=ZeroDivisionError("boom")):
        job = job_start(kind=JobKind.PAYMENT_RECALCULATION, by=finance, params={"month": "2025-03-01"})
    assert job.status == JobStatus.FAILED and f"job-{job.pk}" in job.reason and "boom" not in job.reason


def test_payment_recalculation_from_the_overview_is_a_job(en, finance):
    en.force_login(finance)
    response = en.post(reverse("payments:run"), {"month": "2025-03"}, follow=True)
    job = BackgroundJob.objects.get()
    assert job.kind == JobKind.PAYMENT_RECALCULATION and job.status == JobStatus.DONE
    assert job.summary["month"] == "2025-03" and "Done" in response.content.decode()
    assert PaymentRun.objects.filter(municipality=finance.municipality, month=dt.date(2025, 3, 1)).exists()
    locked = en.post(reverse("payments:run"), {"month": "2099-01"}, follow=True).content.decode()
    assert "Failed" in locked and "has not begun" in locked


def test_the_payment_basis_pdf_is_made_in_the_background_and_downloaded_by_its_starter(en, finance):
    provider = ProviderFactory(municipality=finance.municipality)
    PaymentRun.objects.create(municipality=finance.municipality, month=dt.date(2025, 3, 1))
    en.force_login(finance)
    response = en.post(reverse("payments:provider_pdf_job", args=[provider.pk]) + "?month=2025-03")
    job = BackgroundJob.objects.get()
    assert response.url == reverse("background:job", args=[job.pk]) and job.status == JobStatus.DONE
    download = en.get(reverse("background:download", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert job.result_name == f"betalningsunderlag-2025-03-{provider.pk}.pdf"
    other_admin = UserFactory(administrator=True, municipality=finance.municipality)
    en.force_login(other_admin)
    for name in ("background:job", "background:status", "background:download"):
        assert en.get(reverse(name, args=[job.pk])).status_code == 404
    assert not ReadLog.objects.exclude(user=finance).filter(view="payment_basis_pdf").exists()


def test_the_status_fragment_polls_while_the_job_is_not_finished(en, finance):
    job = BackgroundJob.objects.create(
        kind=JobKind.PAYMENT_RECALCULATION, started_by=finance, status=JobStatus.RUNNING, progress=40
    )
    en.force_login(finance)
    fragment = en.get(reverse("background:status", args=[job.pk]), headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in text and "Running" in text and 'value="40"' in text
    assert "<html" not in text
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, reason="The month is locked.", finished_at=timezone.now()
    )
    text = en.get(reverse("background:status", args=[job.pk])).content.decode()
    assert "Failed (The month is locked.)" in text and "hx-trigger" not in text


def test_a_job_whose_starter_lost_the_role_is_hidden(en, finance):
    job = BackgroundJob.objects.create(kind=JobKind.PAYMENT_RECALCULATION, started_by=finance)
    finance.role = "analyst"
    finance.save()
    en.force_login(finance)
    assert en.get(reverse("background:job", args=[job.pk])).status_code == 403
