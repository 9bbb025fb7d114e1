"""The participant view (Mina sidor): own plan and week, meetings, providers, consent and provider choice."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.attendance.models import Appointment
from jobbtorg.audit.models import ReadLog
from jobbtorg.interventions.models import InterventionType
from jobbtorg.participants.models import Consent, Participant
from jobbtorg.plans.models import ActionPlan, PlanVersion
from jobbtorg.providers import services
from jobbtorg.providers.models import Application, Assignment, Authorisation

from ..factories import ActionPlanFactory, ProviderFactory, ReferralFactory, UserFactory, provider_user

WEEK = dt.date(2026, 1, 5)  # a Monday


@pytest.fixture
def client(settings):
    """English UI (chosen with the language switch's cookie), so the tests can read the source strings."""
    client = Client(headers={"accept-language": "en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def coaching(db):
    return InterventionType.objects.get(code="individual_coaching")


@pytest.fixture
def person(accepted_referral):
    return accepted_referral.participant


@pytest.fixture
def person_user(person):
    return UserFactory(role="participant", participant=person, username="deltagare")


def authorise(provider, itype, capacity=None):
    staff = UserFactory(role="provider_staff", provider=provider)
    application = Application.objects.create(
        provider=provider, intervention_type=itype, submitted_by=staff, status="approved"
    )
    return Authorisation.objects.create(
        provider=provider,
        intervention_type=itype,
        application=application,
        valid_from=dt.date(2020, 1, 1),
        capacity=capacity,
    )


def approved_plan(referral, caseworker, coach, activities, goals="Arbete som undersköterska inom ett år."):
    """A plan whose approved version (in force) holds `activities`; the draft says something else."""
    plan = ActionPlanFactory(referral=referral, with_activity=False, goals="Utkast som inte är beslutat")
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        status="approved",
        proposed_by=coach,
        decided_by=caseworker,
        decided_at=timezone.now(),
        content={"goals": goals, "activities": activities, "other_plans": []},
    )
    ActionPlan.objects.filter(pk=plan.pk).update(
        current_version=version, status="approved", first_approved_at=timezone.now()
    )
    return plan


ACTIVITIES = [
    {
        "intervention_type": "sfi_studies",
        "intervention_name": "SFI-studier",
        "description": "SFI kurs C",
        "start_date": "2026-01-05",
        "end_date": None,
        "hours_per_week": "20.0",
    },
    {
        "intervention_type": "individual_coaching",
        "intervention_name": "Individuell coachning",
        "description": "",
        "start_date": "2026-01-07",
        "end_date": "2026-03-31",
        "hours_per_week": "10.0",
    },
    {
        "intervention_type": "work_training",
        "intervention_name": "Arbetsträning i framtiden",
        "description": "",
        "start_date": "2026-06-01",
        "end_date": None,
        "hours_per_week": "10.0",
    },
]


def test_home_shows_the_plan_in_force_and_the_week(
    client, person, person_user, accepted_referral, caseworker, coach
):
    Participant.objects.filter(pk=person.pk).update(work_capacity=75)
    approved_plan(accepted_referral, caseworker, coach, ACTIVITIES)
    client.force_login(person_user)
    page = client.get(reverse("portal:home"), {"week": "2026-01-08"})
    assert page.status_code == 200
    text = page.text
    assert "Arbete som undersköterska inom ett år." in text and "Utkast som inte är beslutat" not in text
    assert "SFI-studier" in text and "SFI kurs C" in text
    # 20 + 10 hours this week (the third activity starts in June); full time at 75 % is 30
    assert "This week: 30 hours." in text
    assert "Full time for you is 30 hours a week (75 %)." in text and "Your week is full" in text
    week = text.split('<ul class="week">', 1)[1]
    days = week.split("<h3>")[1:]  # Monday to Friday
    assert len(days) == 5 and days[0].startswith("Monday 5 January")
    monday, wednesday = days[0], days[2]
    assert "SFI-studier" in monday and "about 4 hours" in monday and "Individuell coachning" not in monday
    assert "Individuell coachning" in wednesday and "about 2 hours" in wednesday
    assert "Arbetsträning i framtiden" not in week
    assert ReadLog.objects.filter(user=person_user, participant_id=person.pk, view="portal_home").count() == 1


def test_home_shows_meetings_and_providers(client, person, person_user, accepted_referral, coach, coaching):
    provider = ProviderFactory(
        municipality=accepted_referral.unit.municipality,
        name="Vägen Framåt AB",
        contact_name="Sara Lind",
        contact_phone="08-123 456",
        contact_email="sara@vagen.se",
    )
    Assignment.objects.create(
        participant=person,
        referral=accepted_referral,
        provider=provider,
        intervention_type=coaching,
        source="participant_choice",
        created_by=coach,
        start_date=dt.date(2026, 1, 1),
    )
    starts = timezone.now() + dt.timedelta(days=2)
    Appointment.objects.create(
        participant=person,
        referral=accepted_referral,
        organiser=coach,
        kind="individual",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        place="Jobbtorg Järva rum 3",
    )
    client.force_login(person_user)
    text = client.get(reverse("portal:home")).text
    assert "Vägen Framåt AB" in text and "Sara Lind" in text and "sara@vagen.se" in text
    assert "Individual meeting" in text and "Jobbtorg Järva rum 3" in text
    assert "You do not have an approved plan yet." in text


def test_participant_chooses_from_the_comparison(
    client, person, person_user, accepted_referral, coach, coaching
):
    municipality = accepted_referral.unit.municipality
    good, other = (
        ProviderFactory(municipality=municipality, name="Bra Coach AB"),
        ProviderFactory(municipality=municipality, name="Annan Coach AB"),
    )
    never = ProviderFactory(municipality=municipality, name="Ej Auktoriserad AB")
    authorise(good, coaching)
    authorise(other, coaching)
    choice = services.choice_open(referral=accepted_referral, intervention_type=coaching, by=coach)
    client.force_login(person_user)

    home = client.get(reverse("portal:home")).text
    assert reverse("portal:choose", args=[choice.pk]) in home

    page = client.get(reverse("portal:choose", args=[choice.pk]))
    assert page.status_code == 200
    assert "Bra Coach AB" in page.text and "Annan Coach AB" in page.text and never.name not in page.text
    assert "Not enough data" in page.text
    assert ReadLog.objects.filter(user=person_user, view="portal_choose").exists()

    client.post(reverse("portal:choose", args=[choice.pk]), {"provider": never.pk})
    assert not Assignment.objects.exists()
    response = client.post(reverse("portal:choose", args=[choice.pk]), {"provider": good.pk})
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assignment = Assignment.objects.get(participant=person)
    assert assignment.provider == good and assignment.source == "participant_choice"
    assert assignment.created_by == person_user
    choice.refresh_from_db()
    assert choice.status == "chosen"


def test_consent_withdrawal_removes_the_providers_access(
    client, person, person_user, accepted_referral, caseworker, coach, coaching
):
    provider = ProviderFactory(municipality=accepted_referral.unit.municipality)
    staff = provider_user(provider)
    Assignment.objects.create(
        participant=person,
        referral=accepted_referral,
        provider=provider,
        intervention_type=coaching,
        source="procurement",
        created_by=coach,
        start_date=dt.date(2026, 1, 1),
    )
    Consent.objects.create(
        participant=person,
        scope="jobbtorg_provider",
        status="given",
        effective_date=dt.date(2026, 1, 1),
        recorded_by=caseworker,
    )
    assert Participant.objects.visible_to(staff).filter(pk=person.pk).exists()

    client.force_login(person_user)
    page = client.get(reverse("portal:consent"))
    assert page.status_code == 200 and "The Jobbtorg and your provider" in page.text
    assert "You have said yes" in page.text and "Withdraw my consent" in page.text

    confirm = client.post(reverse("portal:consent"), {"scope": "jobbtorg_provider", "action": "withdraw"})
    assert confirm.status_code == 200
    assert "Are you sure? The provider will no longer see your information." in confirm.text
    assert Participant.objects.visible_to(staff).filter(pk=person.pk).exists()  # nothing happened yet

    done = client.post(
        reverse("portal:consent"), {"scope": "jobbtorg_provider", "action": "withdraw", "confirmed": "on"}
    )
    assert done.status_code == 302
    assert not Participant.objects.visible_to(staff).filter(pk=person.pk).exists()
    latest = person.consents.filter(scope="jobbtorg_provider").order_by("-recorded_at", "-id").first()
    assert latest.status == "withdrawn" and latest.recorded_by == person_user

    client.post(reverse("portal:consent"), {"scope": "jobbtorg_provider", "action": "give"})
    assert Participant.objects.visible_to(staff).filter(pk=person.pk).exists()
    assert "You have said yes" in client.get(reverse("portal:consent")).text


def test_another_persons_choice_is_not_found(client, person_user, caseworker, coach, coaching):
    authorise(ProviderFactory(municipality=caseworker.district.municipality), coaching)
    someone_else = ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )
    choice = services.choice_open(referral=someone_else, intervention_type=coaching, by=coach)
    client.force_login(person_user)
    assert client.get(reverse("portal:choose", args=[choice.pk])).status_code == 404
    provider = ProviderFactory(municipality=caseworker.district.municipality)
    assert (
        client.post(reverse("portal:choose", args=[choice.pk]), {"provider": provider.pk}).status_code == 404
    )
    assert not Assignment.objects.exists()
    assert not ReadLog.objects.filter(participant_id=someone_else.participant_id).exists()


@pytest.mark.parametrize("fixture", ["coach", "caseworker", "unit_head", "analyst"])
def test_staff_get_403_on_portal_pages(client, request, fixture, person, coaching, accepted_referral, coach):
    authorise(ProviderFactory(municipality=accepted_referral.unit.municipality), coaching)
    choice = services.choice_open(referral=accepted_referral, intervention_type=coaching, by=coach)
    client.force_login(request.getfixturevalue(fixture))
    for url in (
        reverse("portal:home"),
        reverse("portal:consent"),
        reverse("portal:choose", args=[choice.pk]),
    ):
        assert client.get(url).status_code == 403


def test_provider_staff_and_a_login_without_a_person_get_403(client, db):
    for user in (provider_user(ProviderFactory()), UserFactory(role="")):
        client.force_login(user)
        assert client.get(reverse("portal:home")).status_code == 403


def test_anonymous_goes_to_login_and_participant_start_page_is_the_portal(client, person_user):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    client.force_login(person_user)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response.url == reverse("portal:home")
