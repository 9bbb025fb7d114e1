"""Unit heads see the unusual reads to follow up: outside the unit, protected identities, many people in a
short time."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import ReadLog
from jobbtorg.audit.selectors import unusual_reads
from jobbtorg.audit.services import read_record

from ..factories import ParticipantFactory
from .world import build_world


def test_unusual_reads_are_listed_for_the_unit_head(db, settings):
    settings.JOBBTORG_UNUSUAL_READS_COUNT = 3
    settings.JOBBTORG_UNUSUAL_READS_MINUTES = 10
    world = build_world()
    head, coach = world.users["unit_head"], world.users["job_coach"]
    ordinary = next(p for t, p in world.a.people.items() if "Person" in t)
    protected = next(p for t, p in world.a.people.items() if "Skydd" in t)
    other_unit_person = next(iter(world.b.people.values()))
    read_record(user=coach, participant=ordinary, view="participant_detail")  # usual
    read_record(user=coach, participant=protected, view="participant_detail")  # protected
    read_record(user=coach, participant=other_unit_person, view="participant_detail")  # outside the unit
    read_record(user=world.b.coach, participant=ordinary, view="participant_detail")  # other unit reads ours
    # a burst: the matcher reads five different people within two minutes
    matcher = world.users["matcher"]
    burst = [ParticipantFactory(district=world.a.district) for _ in range(5)]
    for person in burst:
        read_record(user=matcher, participant=person, view="participant_detail")
    # …and an old burst outside the window of 30 days is not listed
    old = timezone.now() - dt.timedelta(days=40)
    for person in burst:
        ReadLog.objects.create(user=coach, participant_id=person.pk, view="x", channel="page")
    ReadLog.objects.filter(user=coach, view="x").update(at=old)

    found = unusual_reads(user=head)
    outside = {(e.user_id, e.participant_id) for e in found["outside"]}
    assert (coach.pk, other_unit_person.pk) in outside and (world.b.coach.pk, ordinary.pk) in outside
    assert (coach.pk, ordinary.pk) not in outside
    assert {e.participant_id for e in found["protected"]} == {protected.pk}
    assert [(row["user"], row["people"]) for row in found["bulk"]] == [(matcher, 5)]

    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(head)
    page = client.get(reverse("audit:unusual"))
    assert page.status_code == 200
    assert "Reads outside the unit" in page.text and matcher.username in page.text
    assert protected.last_name in page.text  # a person of the unit, named for the head
    assert other_unit_person.last_name not in page.text  # not the head's to see: "not referred to your unit"
    # only unit heads
    client.force_login(coach)
    assert client.get(reverse("audit:unusual")).status_code == 403
