"""Provider staff cannot read another provider's participants through any page or endpoint.

Every URL of the project that takes one id is requested by staff of provider B with the ids of provider A's
people and their records (discovered from the URL conf, so a new page cannot escape). Each answer must be
a refusal, or must not show the person."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone

from jobbtorg.attendance import services as attendance_services
from jobbtorg.interventions import services as booking_services
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.plans.models import ActionPlan

from ..factories import ActionPlanFactory, OfferingFactory, provider_user


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


@pytest.fixture
def world(caseworker, coach, unit):
    offering = OfferingFactory(
        municipality=unit.municipality, start_date=timezone.localdate() - dt.timedelta(days=30)
    )
    plan = ActionPlanFactory(
        referral__district=caseworker.district,
        referral__participant__district=caseworker.district,
        referral__participant__last_name="Hemligsson",
        referral__caseworker=caseworker,
    )
    referral = plan.referral
    consent_record(
        participant=referral.participant, status="given", scope=ConsentScope.JOBBTORG_PROVIDER, by=caseworker
    )
    booking = booking_services.booking_create(
        offering=offering,
        referral=referral,
        by=coach,
        start_date=timezone.localdate() - dt.timedelta(days=10),
    )
    start = timezone.now() + dt.timedelta(days=1)
    appointment = attendance_services.appointment_create(
        referral=referral,
        by=coach,
        kind="three_party",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Jobbtorg",
    )
    own = provider_user(offering.provider)
    other = provider_user(OfferingFactory(municipality=unit.municipality).provider)
    ids = [referral.participant.pk, referral.pk, plan.pk, booking.pk, appointment.pk, offering.pk]
    return {"own": own, "other": other, "ids": ids, "name": "Hemligsson", "plan": plan}


def test_no_page_or_endpoint_shows_another_providers_people(world):
    client = Client()
    client.force_login(world["other"])
    checked = 0
    for name, params in _named_patterns():
        if len(params) != 1 or name.startswith("admin:"):
            continue
        for value in world["ids"]:
            try:
                url = reverse(name, kwargs={params[0]: value})
            except NoReverseMatch:
                continue
            for response in (client.get(url), client.post(url, {})):
                checked += 1
                assert response.status_code != 500, url
                if response.status_code in (200, 201):
                    assert world["name"] not in response.content.decode(), f"{url} shows the person"
    assert checked > 50
    # …and lists and searches show nobody either
    for url in (
        "/api/participants/",
        "/api/bookings/",
        "/api/appointments/",
        "/api/notices/",
        reverse("attendance:provider_home"),
        reverse("attendance:appointments"),
        reverse("attendance:unreported"),
    ):
        response = client.get(url)
        assert world["name"] not in response.content.decode(), url


def test_the_own_provider_does_see_the_person(world):
    client = Client()
    client.force_login(world["own"])
    assert (
        world["name"] in client.get(reverse("attendance:provider_home")).content.decode()
        or world["name"] in client.get("/api/participants/").content.decode()
    )
    assert ActionPlan.objects.filter(pk=world["plan"].pk).exists()
