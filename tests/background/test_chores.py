"""The scheduled chores as Celery tasks (run eagerly here; test_worker.py runs a real worker): each wraps
its service, and running it twice has the effect of running it once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from jobbtorg.background.models import OnceMark
from jobbtorg.background.once import once
from jobbtorg.background.schedule import DEFAULT_SCHEDULE
from jobbtorg.celery import app
from jobbtorg.payments.tasks import monthly_payment_draft, previous_month
from jobbtorg.plans.tasks import overdue_plan_reminders
from jobbtorg.privacy.tasks import retention_report
from jobbtorg.providers.tasks import assign_default_providers
from jobbtorg.reporting.tasks import refresh_indicators_all, refresh_indicators_dirty

from ..factories import MunicipalityFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_tasks_run_eagerly_without_a_broker(settings):
    assert app.conf.task_always_eager and app.conf.broker_url == "memory://"


def test_once_is_true_the_first_time_only():
    assert once("k:1") is True
    assert once("k:1") is False
    assert once("k:2") is True
    assert OnceMark.objects.count() == 2


def test_the_default_schedule_is_installed_and_names_registered_tasks():
    # The migration installs it; a test that flushes the database (transaction=True) removes it again.
    call_command("install_schedule")
    app.loader.import_default_modules()
    installed = {p.name: p for p in PeriodicTask.objects.all()}
    for chore in DEFAULT_SCHEDULE:
        assert chore.name in installed, chore.name
        assert installed[chore.name].task == chore.task
        assert chore.task in app.tasks, f"{chore.task} is not a registered task"
    assert str(installed["Meeting reminders"].crontab.timezone) == "Europe/Stockholm"
    assert installed["Key indicators (changed municipalities)"].interval.every == 5


def test_install_schedule_keeps_the_administrators_changes_unless_reset():
    call_command("install_schedule")
    task = PeriodicTask.objects.get(name="Monthly payment draft")
    task.enabled = False
    task.save()
    call_command("install_schedule")
    assert PeriodicTask.objects.get(name="Monthly payment draft").enabled is False
    PeriodicTask.objects.get(name="Meeting reminders").delete()
    call_command("install_schedule")
    assert PeriodicTask.objects.filter(name="Meeting reminders").exists()
    call_command("install_schedule", reset=True)
    assert PeriodicTask.objects.get(name="Monthly payment draft").enabled is True


def test_overdue_plan_reminders_go_to_the_coach_once_a_day_without_personal_data():
    coach = UserFactory(coach=True, email="coach@example.org")
    overdue = [
        ReferralFactory(
            accepted=True,
            coach=coach,
            referral_date=timezone.localdate() - datetime.timedelta(days=30),
            plan_due_date=timezone.localdate() - datetime.timedelta(days=10),
        )
        for _ in range(2)
    ]
    ReferralFactory(accepted=True, coach=coach)  # not due yet
    assert overdue_plan_reminders.delay().get() == 1
    assert overdue_plan_reminders.delay().get() == 0  # a retry, or a second run the same day
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coach@example.org"] and "2 action plans" in message.body
    assert all(r.participant.last_name not in message.body for r in overdue)


def test_the_retention_report_goes_to_the_administrators_once_and_removes_nothing():
    UserFactory(administrator=True, email="admin@example.org")
    UserFactory(coach=True, email="coach@example.org")
    ReferralFactory(closed=True)
    assert retention_report.delay().get() == 1
    assert retention_report.delay().get() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin@example.org"]
    assert "dry run" in mail.outbox[0].body and "apply_retention --apply" in mail.outbox[0].body


def test_the_monthly_payment_draft_runs_for_every_municipality_and_again_safely():
    MunicipalityFactory(code="0180", name="Stockholm")
    first = monthly_payment_draft.delay().get()
    again = monthly_payment_draft.delay().get()
    assert first == again and "0180" in first
    from jobbtorg.payments.models import PaymentRun

    month = previous_month(timezone.localdate())
    assert PaymentRun.objects.filter(month=month, municipality__code="0180").count() == 1


def test_the_provider_and_indicator_chores_run():
    MunicipalityFactory()
    assert "default provider(s) assigned" in assign_default_providers.delay().get()
    assert "Rebuilt" in refresh_indicators_dirty.delay().get()
    assert "Nothing to rebuild" in refresh_indicators_dirty.delay().get()
    assert "all municipalities" in refresh_indicators_all.delay().get()


def test_tasks_retry_with_back_off_on_lost_connections():
    app.loader.import_default_modules()
    from django.db import OperationalError

    for chore in DEFAULT_SCHEDULE:
        task = app.tasks[chore.task]
        assert OperationalError in task.autoretry_for
        assert task.retry_backoff and task.max_retries == 5
