"""Support in the first time in a job (stöd under den första tiden): chosen at an exit to work or afterwards,
the coach keeps contact without the referral being reopened, it shows on the coach's worklist while active,
it is visible in the follow-up of the exit, and it ends by itself (its state derives from its dates)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from jobbtorg.audit.models import ChangeLog
from jobbtorg.followup import services
from jobbtorg.followup.constants import JobSupportState
from jobbtorg.followup.models import AssistanceMonth, JobSupport
from jobbtorg.journal import services as journal_services
from jobbtorg.utils.dates import add_months

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _work_exit(referral, by, *, work_start_date=None, **kwargs):
    return services.exit_record(
        referral=referral,
        by=by,
        reason="work",
        evidence="Anställningsavtal",
        work_hours_per_week=40,
        employment_form="permanent",
        work_start_date=work_start_date or TODAY(),
        municipal_labour_market_job=False,
        **kwargs,
    )


def test_chosen_at_the_exit_it_runs_six_months_from_the_start_of_the_work(accepted_referral, coach):
    start = TODAY() - dt.timedelta(days=3)
    exit = _work_exit(accepted_referral, coach, work_start_date=start, job_support_months=6)
    support = JobSupport.objects.get(exit=exit)
    assert (support.starts_on, support.ends_on, support.months) == (start, add_months(start, 6), 6)
    assert support.coach == accepted_referral.coach and support.state() == JobSupportState.ACTIVE
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "closed"  # the referral is not kept open
    assert ChangeLog.objects.filter(action="job_support_started", participant_id=exit.participant_id).exists()


def test_it_ends_by_itself_without_anything_running(accepted_referral, coach):
    exit = _work_exit(accepted_referral, coach, work_start_date=TODAY() - dt.timedelta(days=20))
    support = services.job_support_start(exit=exit, by=coach, months=1)
    last_day = support.ends_on - dt.timedelta(days=1)
    assert support.state(on=last_day) == JobSupportState.ACTIVE
    assert list(JobSupport.objects.active(on=last_day)) == [support]
    assert support.state(on=support.ends_on) == JobSupportState.ENDED
    assert not JobSupport.objects.active(on=support.ends_on).exists()
    assert support.state(on=support.starts_on - dt.timedelta(days=1)) == JobSupportState.COMING
    assert not JobSupport.objects.active(on=support.starts_on - dt.timedelta(days=1)).exists()


def test_the_worklist_shows_an_active_period_and_not_an_ended_one(client, accepted_referral, coach):
    from tests.factories import ReferralFactory

    active = _work_exit(accepted_referral, coach, job_support_months=6)
    ended_referral = ReferralFactory(
        accepted=True,
        district=accepted_referral.district,
        participant__district=accepted_referral.district,
        participant__last_name="Avslutadsson",
        caseworker=accepted_referral.caseworker,
        coach=coach,
    )
    # The work started eight months ago: six months of support ended two months ago, by itself.
    _work_exit(ended_referral, coach, work_start_date=add_months(TODAY(), -8), job_support_months=6)
    client.force_login(coach)
    page = client.get(reverse("plans:worklist")).content.decode()
    section = page.split('id="job-support-heading"')[1].split("</section>")[0]
    assert active.participant.full_name in section
    assert "Avslutadsson" not in section
    assert JobSupport.objects.get(exit__referral=ended_referral).state() == JobSupportState.ENDED


def test_only_after_an_exit_to_work_once_and_by_the_unit(accepted_referral, coach, other_unit_coach):
    exit = _work_exit(accepted_referral, coach)
    with pytest.raises(PermissionDenied):
        services.job_support_start(exit=exit, by=other_unit_coach)
    with pytest.raises(ValidationError) as error:
        services.job_support_start(exit=exit, by=coach, months=13)
    assert "months" in error.value.message_dict
    services.job_support_start(exit=exit, by=coach)
    assert JobSupport.objects.get().months == 6  # JOBBTORG_JOB_SUPPORT_MONTHS
    with pytest.raises(ValidationError):
        services.job_support_start(exit=exit, by=coach, months=3)


def test_not_after_an_exit_to_studies(accepted_referral, coach):
    exit = services.exit_record(
        referral=accepted_referral,
        by=coach,
        reason="studies",
        evidence="Antagningsbesked",
        studies_eligible_for_student_finance=True,
    )
    with pytest.raises(ValidationError):
        services.job_support_start(exit=exit, by=coach)


def test_the_coach_keeps_contact_in_the_journal_without_reopening(accepted_referral, coach):
    exit = _work_exit(accepted_referral, coach, job_support_months=6)
    entry = journal_services.entry_write(
        referral=exit.referral, kind="phone", occurred_on=TODAY(), body="Ringde: trivs på jobbet.", by=coach
    )
    assert entry.referral_id == accepted_referral.pk
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "closed"


def test_the_api_starts_it_and_shows_its_state(api_client, accepted_referral, coach):
    exit = _work_exit(accepted_referral, coach)
    api_client.force_login(coach)
    refused = api_client.post(f"/api/exits/{exit.pk}/job-support/", {"months": 0}, format="json")
    assert refused.status_code == 400 and "months" in refused.json()
    response = api_client.post(f"/api/exits/{exit.pk}/job-support/", {"months": 3}, format="json")
    assert response.status_code == 200, response.json()
    support = response.json()["job_support"]
    assert support["months"] == 3 and support["state"] == "active"
    assert support["ends_on"] == add_months(TODAY(), 3).isoformat()
    again = api_client.post(f"/api/exits/{exit.pk}/job-support/", {}, format="json")
    assert again.status_code == 400


def test_the_exit_page_shows_the_period_and_assistance_3_6_12_months_after(client, accepted_referral, coach):
    exit_day = add_months(TODAY(), -7).replace(day=10)
    exit = _work_exit(accepted_referral, coach, work_start_date=exit_day)
    type(exit).objects.filter(pk=exit.pk).update(exit_date=exit_day)
    three_after = add_months(exit_day.replace(day=1), 3)
    AssistanceMonth.objects.create(
        participant=exit.participant, month=three_after, paid=False, amount=Decimal("0")
    )
    client.force_login(coach)
    url = reverse("followup:exit", kwargs={"referral_id": accepted_referral.pk})
    page = client.get(url).content.decode()
    with translation.override("sv"):
        heading, none, not_paid, unknown = (
            gettext(text) for text in ("Follow-up after the exit", "None chosen", "not paid", "not known yet")
        )
    assert heading == "Uppföljning efter avslutet"
    assert heading in page and none in page
    assert f"{three_after:%Y-%m}: {not_paid}" in page
    assert unknown in page  # 12 months after lies in the future
    response = client.post(url, {"form": "job_support", "months": "6"})
    assert response.status_code == 302
    support = JobSupport.objects.get(exit=exit)
    assert support.state() == JobSupportState.ENDED  # the work started 7 months ago: 6 months are over
    page = client.get(url).content.decode()
    with translation.override("sv"):
        assert str(JobSupportState.ENDED.label) in page and support.last_day.isoformat() in page
