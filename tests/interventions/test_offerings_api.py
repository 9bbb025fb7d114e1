"""Offerings and bookings through the REST API: capacity, waiting list, scoping."""

import datetime as dt

import pytest
from django.utils import timezone

from jobbtorg.audit.models import ReadLog
from jobbtorg.interventions.models import Booking, InterventionType, Offering
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.providers.models import Application, Authorisation

from ..factories import OfferingFactory, ProviderFactory, ReferralFactory, UserFactory, provider_user


def _referral(caseworker, coach):
    return ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )


@pytest.fixture
def offering(unit):
    return OfferingFactory(
        municipality=unit.municipality, capacity=1, start_date=timezone.localdate() - dt.timedelta(days=30)
    )


def test_offerings_list_filter_and_detail(api_client, unit, coach, offering):
    OfferingFactory(
        municipality=unit.municipality,
        name="SFI Järva",
        capacity=5,
        intervention_type=InterventionType.objects.get(code="sfi_studies"),
    )
    api_client.force_authenticate(coach)
    listed = api_client.get("/api/offerings/")
    assert listed.status_code == 200 and len(listed.data["results"]) == 2
    by_type = api_client.get("/api/offerings/", {"intervention_type": "sfi_studies"})
    assert [o["name"] for o in by_type.data["results"]] == ["SFI Järva"]
    by_provider = api_client.get("/api/offerings/", {"provider": offering.provider_id})
    assert [o["id"] for o in by_provider.data["results"]] == [offering.pk]
    Offering.objects.filter(pk=offering.pk).update(booked_count=1)
    free = api_client.get("/api/offerings/", {"has_free_places": "true"})
    assert [o["name"] for o in free.data["results"]] == ["SFI Järva"]
    full = api_client.get("/api/offerings/", {"has_free_places": "false"})
    assert [o["id"] for o in full.data["results"]] == [offering.pk]
    detail = api_client.get(f"/api/offerings/{offering.pk}/")
    assert detail.status_code == 200
    assert detail.data["free_places"] == 0 and detail.data["waitlist_length"] == 0
    assert api_client.get("/api/offerings/", {"provider": "x"}).status_code == 400
    api_client.force_authenticate(UserFactory(role="participant", participant=ReferralFactory().participant))
    assert api_client.get("/api/offerings/").status_code == 403


def test_offerings_of_another_municipality_are_not_found(api_client, coach):
    from ..factories import MunicipalityFactory

    elsewhere = OfferingFactory(municipality=MunicipalityFactory(code="0181", name="Annanstad"))
    api_client.force_authenticate(coach)
    assert api_client.get(f"/api/offerings/{elsewhere.pk}/").status_code == 404


def test_administrator_and_unit_head_create_offerings(api_client, unit, unit_head, coach, other_unit_coach):
    body = {
        "intervention_type": "work_training",
        "name": "Arbetsträning café",
        "delivered_by": "jobbtorg",
        "unit": unit.pk,
        "place": "Kista",
        "start_date": "2026-01-05",
        "hours_per_week": "20",
        "capacity": 8,
        "languages": ["sv"],
        "target_groups": ["unemployed_on_assistance"],
        "contact": "Anna, 08-123",
    }
    api_client.force_authenticate(unit_head)
    created = api_client.post("/api/offerings/", body, format="json")
    assert created.status_code == 201, created.data
    assert created.data["unit"] == unit.pk and created.data["free_places"] == 8
    other_unit = other_unit_coach.unit
    assert (
        api_client.post("/api/offerings/", {**body, "unit": other_unit.pk}, format="json").status_code == 403
    )
    assert (
        api_client.post("/api/offerings/", {**body, "delivered_by": "provider"}, format="json").status_code
        == 403
    )
    api_client.force_authenticate(coach)
    assert api_client.post("/api/offerings/", body, format="json").status_code == 403

    admin = UserFactory(administrator=True, municipality=unit.municipality)
    provider = ProviderFactory(municipality=unit.municipality)
    api_client.force_authenticate(admin)
    provider_body = {**body, "delivered_by": "provider", "provider": provider.pk, "unit": None}
    refused = api_client.post("/api/offerings/", provider_body, format="json")
    assert refused.status_code == 400 and "provider" in refused.data  # neither authorised nor contracted
    itype = InterventionType.objects.get(code="work_training")
    application = Application.objects.create(
        provider=provider, intervention_type=itype, submitted_by=provider_user(provider), status="approved"
    )
    Authorisation.objects.create(
        provider=provider, intervention_type=itype, application=application, valid_from=dt.date(2020, 1, 1)
    )
    made = api_client.post("/api/offerings/", provider_body, format="json")
    assert made.status_code == 201, made.data
    assert made.data["provider"] == provider.pk and made.data["provider_name"] == provider.name


@pytest.mark.parametrize(
    "body",
    [
        {},
        {
            "intervention_type": "nonsense",
            "name": "x",
            "delivered_by": "jobbtorg",
            "start_date": "2026-01-05",
            "hours_per_week": "20",
            "capacity": 8,
        },
        {
            "intervention_type": "work_training",
            "name": "x",
            "delivered_by": "martians",
            "start_date": "2026-01-05",
            "hours_per_week": "20",
            "capacity": 8,
        },
        {
            "intervention_type": "work_training",
            "name": "x",
            "delivered_by": "jobbtorg",
            "start_date": "2026-01-05",
            "end_date": "2025-01-01",
            "hours_per_week": "20",
            "capacity": 8,
        },
        {
            "intervention_type": "work_training",
            "name": "x",
            "delivered_by": "jobbtorg",
            "start_date": "2026-01-05",
            "hours_per_week": "99",
            "capacity": -1,
        },
        {
            "intervention_type": "work_training",
            "name": "x",
            "delivered_by": "city",
            "start_date": "2026-01-05",
            "hours_per_week": "20",
            "capacity": 8,
        },
        ["a", "list"],
    ],
)
def test_malformed_offering_bodies_are_400(api_client, unit, body):
    api_client.force_authenticate(UserFactory(administrator=True, municipality=unit.municipality))
    response = api_client.post("/api/offerings/", body, format="json")
    assert response.status_code == 400, response.data


def test_booking_beyond_capacity_is_waitlisted_with_a_position_or_refused(
    api_client, caseworker, coach, offering
):
    first, second, third = (_referral(caseworker, coach) for _ in range(3))
    api_client.force_authenticate(coach)
    booked = api_client.post(
        "/api/bookings/", {"offering": offering.pk, "referral": str(first.pk)}, format="json"
    )
    assert booked.status_code == 201, booked.data
    assert booked.data["status"] == "booked" and booked.data["waitlist_position"] is None
    assert ReadLog.objects.filter(
        user=coach, participant_id=first.participant_id, channel="api", view="booking_created"
    ).exists()

    refused = api_client.post(
        "/api/bookings/",
        {"offering": offering.pk, "referral": str(second.pk), "waitlist": False},
        format="json",
    )
    assert refused.status_code == 400 and "offering" in refused.data
    waiting = api_client.post(
        "/api/bookings/", {"offering": offering.pk, "referral": str(second.pk)}, format="json"
    )
    assert waiting.status_code == 201 and waiting.data["status"] == "waitlisted"
    assert waiting.data["waitlist_position"] == 1
    later = api_client.post(
        "/api/bookings/", {"offering": offering.pk, "referral": str(third.pk)}, format="json"
    )
    assert later.data["waitlist_position"] == 2
    offering.refresh_from_db()
    assert offering.booked_count == 1 and offering.capacity == 1
    detail = api_client.get(f"/api/offerings/{offering.pk}/")
    assert detail.data["free_places"] == 0 and detail.data["waitlist_length"] == 2
    twice = api_client.post(
        "/api/bookings/", {"offering": offering.pk, "referral": str(third.pk)}, format="json"
    )
    assert twice.status_code == 400

    listed = api_client.get("/api/bookings/", {"referral": str(second.pk)})
    assert [b["id"] for b in listed.data["results"]] == [waiting.data["id"]]
    cancelled = api_client.post(
        f"/api/bookings/{booked.data['id']}/cancel/", {"reason": "Fick jobb"}, format="json"
    )
    assert cancelled.status_code == 200, cancelled.data
    assert cancelled.data["booking"]["status"] == "cancelled"
    assert cancelled.data["promoted"] == waiting.data["id"]
    assert api_client.get(f"/api/bookings/{waiting.data['id']}/").data["status"] == "booked"
    assert api_client.get(f"/api/bookings/{later.data['id']}/").data["waitlist_position"] == 1
    again = api_client.post(f"/api/bookings/{booked.data['id']}/cancel/", {"reason": "x"}, format="json")
    assert again.status_code == 400


def test_booking_scope(api_client, caseworker, coach, other_unit_coach, offering):
    referral = _referral(caseworker, coach)
    api_client.force_authenticate(other_unit_coach)
    assert (
        api_client.post(
            "/api/bookings/", {"offering": offering.pk, "referral": str(referral.pk)}, format="json"
        ).status_code
        == 404
    )
    api_client.force_authenticate(caseworker)  # sees the booking, may not book
    assert (
        api_client.post(
            "/api/bookings/", {"offering": offering.pk, "referral": str(referral.pk)}, format="json"
        ).status_code
        == 403
    )
    api_client.force_authenticate(coach)
    booking = api_client.post(
        "/api/bookings/", {"offering": offering.pk, "referral": str(referral.pk)}, format="json"
    ).data
    api_client.force_authenticate(other_unit_coach)
    assert api_client.get(f"/api/bookings/{booking['id']}/").status_code == 404
    assert api_client.get("/api/bookings/").data["results"] == []
    assert (
        api_client.post(f"/api/bookings/{booking['id']}/cancel/", {"reason": "x"}, format="json").status_code
        == 404
    )
    api_client.force_authenticate(caseworker)
    assert [b["id"] for b in api_client.get("/api/bookings/").data["results"]] == [booking["id"]]


def test_provider_staff_see_bookings_in_their_own_offerings_with_consent_only(
    api_client, caseworker, coach, offering
):
    Offering.objects.filter(pk=offering.pk).update(capacity=5)
    other_offering = OfferingFactory(municipality=offering.municipality)
    referral = _referral(caseworker, coach)
    consent_record(
        participant=referral.participant, status="given", scope=ConsentScope.JOBBTORG_PROVIDER, by=caseworker
    )
    api_client.force_authenticate(coach)
    mine = api_client.post(
        "/api/bookings/", {"offering": offering.pk, "referral": str(referral.pk)}, format="json"
    ).data
    staff_a, staff_b = provider_user(offering.provider), provider_user(other_offering.provider)

    api_client.force_authenticate(staff_a)
    assert [b["id"] for b in api_client.get("/api/bookings/").data["results"]] == [mine["id"]]
    assert api_client.get(f"/api/bookings/{mine['id']}/").status_code == 200
    assert (
        api_client.post(
            "/api/bookings/", {"offering": offering.pk, "referral": str(referral.pk)}, format="json"
        ).status_code
        == 403
    )  # only Jobbtorg staff book

    api_client.force_authenticate(staff_b)
    assert api_client.get("/api/bookings/").data["results"] == []
    assert api_client.get(f"/api/bookings/{mine['id']}/").status_code == 404

    consent_record(
        participant=referral.participant,
        status="withdrawn",
        scope=ConsentScope.JOBBTORG_PROVIDER,
        by=caseworker,
    )
    api_client.force_authenticate(staff_a)
    assert api_client.get("/api/bookings/").data["results"] == []
    assert api_client.get(f"/api/bookings/{mine['id']}/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"offering": "abc", "referral": "not-a-uuid"},
        {"offering": 10**30, "referral": "00000000-0000-0000-0000-000000000000"},
        {"offering": "{offering}", "referral": "{referral}", "start_date": "2026-02-30"},
        {
            "offering": "{offering}",
            "referral": "{referral}",
            "start_date": "2026-03-01",
            "end_date": "2026-02-01",
        },
        {"offering": "{offering}", "referral": "{referral}", "plan_activity": 10**9},
        {"offering": 10**9, "referral": "{referral}"},
        {"offering": "{offering}", "referral": "{referral}", "waitlist": "perhaps"},
        [1, 2, 3],
    ],
)
def test_malformed_booking_bodies_are_400(api_client, caseworker, coach, offering, body):
    referral = _referral(caseworker, coach)
    if isinstance(body, dict):
        body = {
            k: (v.format(offering=offering.pk, referral=referral.pk) if isinstance(v, str) else v)
            for k, v in body.items()
        }
    api_client.force_authenticate(coach)
    response = api_client.post("/api/bookings/", body, format="json")
    assert response.status_code == 400, response.data
    assert not Booking.objects.exists()


def test_malformed_cancel_and_filters_are_400(api_client, caseworker, coach, offering):
    referral = _referral(caseworker, coach)
    api_client.force_authenticate(coach)
    booking = api_client.post(
        "/api/bookings/", {"offering": offering.pk, "referral": str(referral.pk)}, format="json"
    ).data
    for body in ({}, {"reason": ""}, {"reason": "x" * 301}):
        assert (
            api_client.post(f"/api/bookings/{booking['id']}/cancel/", body, format="json").status_code == 400
        )
    assert api_client.get("/api/bookings/", {"referral": "nope"}).status_code == 400
