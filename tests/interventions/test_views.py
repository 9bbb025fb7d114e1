"""The intervention pages: catalogue, offerings, booking from the action plan with the waiting list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import ReadLog
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, InterventionType, Offering
from jobbtorg.providers.models import Contract

from ..factories import (
    ActionPlanFactory,
    OfferingFactory,
    ProviderFactory,
    ReferralFactory,
    UnitFactory,
    UserFactory,
    provider_user,
)


@pytest.fixture
def client(client, settings):
    """Pages in English (the language switch's cookie), so the assertions hold once Swedish is translated."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _referral(caseworker, coach, **kwargs):
    return ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
        **kwargs,
    )


@pytest.fixture
def offering(unit):
    return OfferingFactory(municipality=unit.municipality, capacity=1, name="Språkpraktik Kista")


@pytest.fixture
def admin_user(unit):
    return UserFactory(administrator=True, municipality=unit.municipality, username="admin")


def _book(client, referral, offering, **extra):
    data = {"offering": offering.pk, "waitlist": "on", **extra}
    return client.post(reverse("interventions:book", args=[referral.pk]), data, follow=True)


def _texts(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# Booking ----------------------------------------------------------------------------------------------------


def test_booking_takes_a_place_the_next_waits_and_cancelling_promotes(client, coach, caseworker, offering):
    first, second = _referral(caseworker, coach), _referral(caseworker, coach)
    client.force_login(coach)

    response = _book(client, first, offering)
    assert response.redirect_chain[-1][0] == reverse("interventions:bookings", args=[first.pk])
    assert "has a place in Språkpraktik Kista" in _texts(response)
    booked = Booking.objects.get(referral=first)
    assert booked.status == BookingStatus.BOOKED

    response = _book(client, second, offering)
    assert "waiting list position 1" in _texts(response)
    assert "waiting list position 1" in response.content.decode()
    waiting = Booking.objects.get(referral=second)
    assert waiting.status == BookingStatus.WAITLISTED

    response = client.post(
        reverse("interventions:booking_cancel", args=[booked.pk]),
        {f"cancel-{booked.pk}-reason": "Fick arbete"},
        follow=True,
    )
    text = _texts(response)
    assert "was cancelled" in text and second.participant.full_name in text
    waiting.refresh_from_db()
    booked.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED and booked.status == BookingStatus.CANCELLED
    offering.refresh_from_db()
    assert offering.booked_count == 1


def test_capacity_is_never_exceeded_through_the_form(client, coach, caseworker, offering):
    client.force_login(coach)
    _book(client, _referral(caseworker, coach), offering)
    third = _referral(caseworker, coach)
    response = client.post(reverse("interventions:book", args=[third.pk]), {"offering": offering.pk})
    assert response.status_code == 400
    assert "The offering is full." in response.content.decode()
    offering.refresh_from_db()
    assert offering.booked_count == 1 and offering.capacity == 1
    assert not Booking.objects.filter(referral=third).exists()


def test_cancelling_needs_a_reason(client, coach, accepted_referral, offering):
    client.force_login(coach)
    _book(client, accepted_referral, offering)
    booking = Booking.objects.get(referral=accepted_referral)
    response = client.post(
        reverse("interventions:booking_cancel", args=[booking.pk]), {f"cancel-{booking.pk}-reason": ""}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_coach_of_another_unit_gets_404_and_a_caseworker_403(
    client, accepted_referral, other_unit_coach, caseworker, offering
):
    url = reverse("interventions:book", args=[accepted_referral.pk])
    client.force_login(other_unit_coach)
    assert client.get(url).status_code == 404
    assert client.post(url, {"offering": offering.pk}).status_code == 404
    assert client.get(reverse("interventions:bookings", args=[accepted_referral.pk])).status_code == 404
    client.force_login(caseworker)
    assert client.get(url).status_code == 403
    assert not Booking.objects.exists()


def test_the_booking_page_lists_the_plans_types_first_and_links_a_plan_activity(
    client, coach, caseworker, unit
):
    plan = ActionPlanFactory(referral=_referral(caseworker, coach))  # its activity: SFI studies
    referral = plan.referral
    sfi = OfferingFactory(
        municipality=unit.municipality,
        name="SFI Kista",
        intervention_type=InterventionType.objects.get(code="sfi_studies"),
    )
    other = OfferingFactory(municipality=unit.municipality, name="Praktik Järva")
    client.force_login(coach)
    response = client.get(reverse("interventions:book", args=[referral.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("SFI Kista") < page.index("Praktik Järva")
    assert "Intervention types in the action plan" in page
    activity = plan.activities.get()
    wrong = client.post(
        reverse("interventions:book", args=[referral.pk]),
        {"offering": other.pk, "plan_activity": activity.pk, "waitlist": "on"},
    )
    assert wrong.status_code == 400 and "another intervention type" in wrong.content.decode()
    _book(client, referral, sfi, plan_activity=activity.pk)
    assert Booking.objects.get(referral=referral).plan_activity == activity
    assert ReadLog.objects.filter(view="booking_new", participant_id=referral.participant_id).exists()


def test_the_plan_page_shows_bookings_and_the_booking_link(client, coach, caseworker, offering):
    plan = ActionPlanFactory(referral=_referral(caseworker, coach))
    client.force_login(coach)
    _book(client, plan.referral, offering)
    page = client.get(reverse("plans:plan", args=[plan.referral.pk])).content.decode()
    assert "Språkpraktik Kista" in page
    assert reverse("interventions:book", args=[plan.referral.pk]) in page


def test_bookings_page_logs_the_read(client, coach, accepted_referral):
    client.force_login(coach)
    assert client.get(reverse("interventions:bookings", args=[accepted_referral.pk])).status_code == 200
    assert ReadLog.objects.filter(view="bookings", participant_id=accepted_referral.participant_id).exists()


# Offerings --------------------------------------------------------------------------------------------------


def test_offering_detail_names_only_the_people_the_user_may_see(
    client, coach, caseworker, offering, other_unit_coach
):
    offering.capacity = 2
    offering.save()
    mine = _referral(caseworker, coach)
    client.force_login(coach)
    _book(client, mine, offering)
    other_caseworker = UserFactory(caseworker=True, district__unit=other_unit_coach.unit)
    theirs = _referral(other_caseworker, other_unit_coach)
    client.force_login(other_unit_coach)
    _book(client, theirs, offering)

    client.force_login(coach)
    page = client.get(reverse("interventions:offering", args=[offering.pk])).content.decode()
    assert mine.participant.full_name in page and theirs.participant.full_name not in page
    assert "1 more person you may not see has a place." in page
    logged = set(ReadLog.objects.filter(view="offering_detail").values_list("participant_id", flat=True))
    assert logged == {mine.participant_id}

    staff = provider_user(offering.provider)  # sees nobody: no consent recorded for sharing with providers
    client.force_login(staff)
    page = client.get(reverse("interventions:offering", args=[offering.pk])).content.decode()
    assert mine.participant.full_name not in page and theirs.participant.full_name not in page


def test_offerings_list_filters(client, coach, unit, offering):
    offering.languages = ["Arabiska"]
    offering.target_groups = ["youth"]
    offering.save()
    other = OfferingFactory(
        municipality=unit.municipality,
        name="Coachning Rinkeby",
        languages=["Somaliska"],
        intervention_type=InterventionType.objects.get(code="individual_coaching"),
    )
    client.force_login(coach)
    url = reverse("interventions:offerings")
    page = client.get(url).content.decode()
    assert "Språkpraktik Kista" in page and "Coachning Rinkeby" in page
    page = client.get(url, {"language": "Somaliska"}).content.decode()
    assert "Språkpraktik Kista" not in page and "Coachning Rinkeby" in page
    page = client.get(url, {"target_group": "youth"}).content.decode()
    assert "Språkpraktik Kista" in page and "Coachning Rinkeby" not in page
    page = client.get(url, {"intervention_type": other.intervention_type_id}).content.decode()
    assert "Språkpraktik Kista" not in page
    Offering.objects.filter(pk=offering.pk).update(booked_count=1)
    page = client.get(url, {"free": "on"}).content.decode()
    assert "Språkpraktik Kista" not in page and "Coachning Rinkeby" in page


def _offering_data(**overrides):
    data = {
        "name": "Arbetsträning kök",
        "intervention_type": InterventionType.objects.get(code="work_training").pk,
        "delivered_by": "provider",
        "place": "Kista",
        "start_date": timezone.localdate().isoformat(),
        "hours_per_week": "20",
        "capacity": "8",
        "languages": "svenska, arabiska",
        "target_groups": ["youth"],
        "active": "on",
    }
    data.update(overrides)
    return data


def test_a_provider_offering_needs_an_authorised_or_contracted_provider(client, admin_user, unit):
    provider = ProviderFactory(municipality=unit.municipality)
    client.force_login(admin_user)
    url = reverse("interventions:offering_new")
    response = client.post(url, _offering_data(provider=provider.pk))
    assert response.status_code == 400
    assert "neither authorised nor contracted" in response.content.decode()
    assert 'id="id_provider_error"' in response.content.decode()
    assert not Offering.objects.exists()

    today = timezone.localdate()
    contract = Contract.objects.create(
        provider=provider,
        reference="LOU-2026-1",
        start_date=today,
        end_date=today + datetime.timedelta(days=365),
    )
    contract.intervention_types.add(InterventionType.objects.get(code="work_training"))
    response = client.post(url, _offering_data(provider=provider.pk))
    created = Offering.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "interventions:offering", args=[created.pk]
    )
    assert created.languages == ["svenska", "arabiska"] and created.provider == provider


def test_capacity_cannot_go_below_the_places_booked(client, admin_user, coach, caseworker, unit):
    offering = OfferingFactory(municipality=unit.municipality, capacity=3)
    for _ in range(2):
        _referral(caseworker, coach)
    client.force_login(coach)
    for referral in ReferralFactory._meta.model.objects.all():
        _book(client, referral, offering)
    client.force_login(admin_user)
    url = reverse("interventions:offering_edit", args=[offering.pk])
    data = _offering_data(
        name=offering.name,
        intervention_type=offering.intervention_type_id,
        provider=offering.provider_id,
        start_date=offering.start_date.isoformat(),
        capacity="1",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "2 places are already booked" in response.content.decode()
    offering.refresh_from_db()
    assert offering.capacity == 3 and offering.booked_count == 2
    response = client.post(url, {**data, "capacity": "2"})
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.capacity == 2 and offering.booked_count == 2


def test_offering_form_validation(client, admin_user, unit):
    client.force_login(admin_user)
    url = reverse("interventions:offering_new")
    response = client.post(
        url, _offering_data(delivered_by="jobbtorg", capacity="0", end_date="2000-01-01", hours_per_week="50")
    )
    page = response.content.decode()
    assert response.status_code == 400
    for field in ("capacity", "hours_per_week"):
        assert f'id="id_{field}_error"' in page
    assert 'id="id_end_date_error"' in page and "The end date must not be before the start date." in page
    response = client.post(url, _offering_data(delivered_by="jobbtorg"))
    assert 'id="id_unit_error"' in response.content.decode()
    response = client.post(url, _offering_data(delivered_by="city"))
    assert 'id="id_city_unit_name_error"' in response.content.decode()
    assert not Offering.objects.exists()


def test_a_unit_head_manages_their_own_units_and_city_offerings_only(client, unit_head, unit):
    client.force_login(unit_head)
    url = reverse("interventions:offering_new")
    assert client.post(url, _offering_data(delivered_by="jobbtorg", unit=unit.pk)).status_code == 302
    assert (
        client.post(url, _offering_data(delivered_by="city", city_unit_name="Stadens kök")).status_code == 302
    )
    response = client.post(url, _offering_data(provider=ProviderFactory(municipality=unit.municipality).pk))
    assert response.status_code == 400 and Offering.objects.count() == 2
    elsewhere = OfferingFactory(
        municipality=unit.municipality,
        delivered_by="jobbtorg",
        provider=None,
        unit=UnitFactory(municipality=unit.municipality),
    )
    assert client.get(reverse("interventions:offering_edit", args=[elsewhere.pk])).status_code == 403
    own = Offering.objects.get(unit=unit)
    assert client.get(reverse("interventions:offering_edit", args=[own.pk])).status_code == 200


def test_a_coach_cannot_create_offerings(client, coach):
    client.force_login(coach)
    assert client.get(reverse("interventions:offering_new")).status_code == 403


# The catalogue ----------------------------------------------------------------------------------------------


def test_the_catalogue_is_read_by_staff_and_managed_by_administrators(client, coach, admin_user):
    client.force_login(coach)
    page = client.get(reverse("interventions:catalogue")).content.decode()
    assert "Work training" in page and reverse("interventions:type_new") not in page
    assert client.post(reverse("interventions:type_new"), {}).status_code == 403

    client.force_login(admin_user)
    response = client.post(
        reverse("interventions:type_new"),
        {
            "code": "kitchen_training",
            "name": "Arbetsträning i kök",
            "name_en": "Kitchen work training",
            "category": "work_training",
            "is_work_training": "on",
            "description": "Fyra veckor i stadens kök.",
        },
    )
    assert response.status_code == 302
    created = InterventionType.objects.get(code="kitchen_training")
    assert created.is_work_training and created.active
    duplicate = client.post(
        reverse("interventions:type_new"),
        {"code": "kitchen_training", "name": "X", "category": "work_training"},
    )
    assert duplicate.status_code == 400 and 'id="id_code_error"' in duplicate.content.decode()
    client.post(
        reverse("interventions:type_edit", args=[created.pk]),
        {
            "name": "Arbetsträning i storkök",
            "category": "work_training",
            "description": "Sex veckor.",
        },
    )
    created.refresh_from_db()
    assert created.name == "Arbetsträning i storkök" and created.code == "kitchen_training"


def test_a_retired_type_is_marked_and_cannot_be_offered(client, admin_user, unit):
    training = InterventionType.objects.get(code="work_training")
    client.force_login(admin_user)
    client.post(reverse("interventions:type_active", args=[training.pk]))
    training.refresh_from_db()
    assert not training.active
    assert "Retired" in client.get(reverse("interventions:catalogue")).content.decode()
    response = client.post(
        reverse("interventions:offering_new"), _offering_data(delivered_by="jobbtorg", unit=unit.pk)
    )
    assert response.status_code == 400 and 'id="id_intervention_type_error"' in response.content.decode()
    client.post(reverse("interventions:type_active", args=[training.pk]), {"active": "on"})
    training.refresh_from_db()
    assert training.active


def test_the_bookings_page_pages_and_sorts_in_the_url(client, coach, caseworker, unit):
    """Issue 16: a person's bookings are paged (25 a page) and sorted by a whitelisted column in the URL."""
    referral = _referral(caseworker, coach)
    today = timezone.localdate()
    for number in range(27):
        Booking.objects.create(
            offering=OfferingFactory(municipality=unit.municipality, name=f"Erbjudande {number:02d}"),
            participant=referral.participant,
            referral=referral,
            status=BookingStatus.CANCELLED,
            start_date=today - datetime.timedelta(days=number),
            booked_by=coach,
        )
    client.force_login(coach)
    url = reverse("interventions:bookings", args=[referral.pk])
    first = client.get(url, {"sort": "offering"})
    html = first.content.decode()
    assert "27 bookings" in html and 'aria-sort="ascending"' in html
    assert "Erbjudande 00" in html and "Erbjudande 24" in html and "Erbjudande 25" not in html
    assert 'href="?sort=offering&amp;page=2"' in html
    second = client.get(url, {"sort": "offering", "page": 2}).content.decode()
    assert "Erbjudande 25" in second and "Erbjudande 26" in second and "Erbjudande 24" not in second
    latest_start = client.get(url, {"sort": "-start"}).content.decode()
    assert latest_start.index("Erbjudande 00") < latest_start.index("Erbjudande 01")
    assert "Erbjudande 26" not in latest_start
    for params in ({"sort": "participant__personal_number"}, {"page": "x"}):
        assert client.get(url, params).status_code == 200
