"""Protected identity: address and contact only for their own caseworker; never in provider views, the API
for others, e-mails or SMS, nor in logs; every read flagged in the read log."""

import logging

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.attendance import services as attendance_services
from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.integrations.messaging import LogSmsSender

from ..factories import UserFactory
from ..security.world import PROTECTED_ADDRESS, build_world


def _protected(world):
    return next(p for t, p in world.a.people.items() if "Skydd" in t)


def test_only_their_own_caseworker_sees_the_address(db):
    world = build_world()
    person = _protected(world)
    own = Client()
    own.force_login(world.a.caseworker)
    assert PROTECTED_ADDRESS in own.get(reverse("participants:detail", args=[person.pk])).text
    assert own.get(f"/api/participants/{person.pk}/").json()["address"] == PROTECTED_ADDRESS

    colleague = UserFactory(caseworker=True, district=world.a.district)  # same district, not their caseworker
    for user in (colleague, world.users["job_coach"], world.users["unit_head"]):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("participants:detail", args=[person.pk]))
        assert page.status_code == 200 and PROTECTED_ADDRESS not in page.text, user.role
        data = client.get(f"/api/participants/{person.pk}/").json()
        assert data["address"] is None and data["phone"] is None and data["contact_hidden"] is True


def test_every_read_is_flagged_in_the_read_log(db):
    world = build_world()
    person = _protected(world)
    for user in (world.a.caseworker, world.users["job_coach"]):
        client = Client()
        client.force_login(user)
        client.get(reverse("participants:detail", args=[person.pk]))
        client.get(f"/api/participants/{person.pk}/")
    reads = ReadLog.objects.filter(participant_id=person.pk)
    assert reads.count() >= 4 and all(entry.protected_identity for entry in reads)


def test_no_reminder_by_email_or_sms_and_nothing_in_logs(db, caplog):
    world = build_world()
    person = _protected(world)
    referral = person.referrals.get()
    start = timezone.now() + timezone.timedelta(hours=3)
    attendance_services.appointment_create(
        referral=referral,
        by=world.a.coach,
        kind="three_party",
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=1),
        place="Jobbtorg",
    )
    LogSmsSender.sent.clear()
    with caplog.at_level(logging.DEBUG):
        sent = attendance_services.appointment_reminders_send()
    recipients = [to for message in mail.outbox for to in message.to] + [m.to for m in LogSmsSender.sent]
    assert person.email not in recipients and person.phone not in recipients
    assert sent >= 1  # the others were reminded
    assert PROTECTED_ADDRESS not in caplog.text and person.phone not in caplog.text


def test_change_log_names_fields_never_values(db):
    world = build_world()
    person = _protected(world)
    text = " ".join(str(entry.changes) for entry in ChangeLog.objects.filter(participant_id=person.pk))
    assert PROTECTED_ADDRESS not in text and person.phone not in text
