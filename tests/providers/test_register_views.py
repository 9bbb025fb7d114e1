"""The provider register and authorisation pages: register, apply with the checklist, decide, suspend,
reinstate, revoke — and who may do which."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbtorg.interventions.models import InterventionType
from jobbtorg.providers import services
from jobbtorg.providers.constants import ApplicationStatus
from jobbtorg.providers.models import (
    Application,
    Authorisation,
    Contract,
    ContractPrice,
    Provider,
    Requirement,
)

from ..factories import (
    MunicipalityFactory,
    ProviderFactory,
    UserFactory,
    make_organisation_number,
    provider_user,
)

TODAY = timezone.localdate


@pytest.fixture
def client(client, settings):
    """Pages in English (the language switch's cookie), so the assertions hold once Swedish is translated."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def municipality(db):
    return MunicipalityFactory()


@pytest.fixture
def admin_user(municipality):
    return UserFactory(administrator=True, municipality=municipality, username="admin")


@pytest.fixture
def coaching(db):
    return InterventionType.objects.get(code="individual_coaching")


@pytest.fixture
def checklist(municipality, coaching):
    return [
        Requirement.objects.create(municipality=municipality, text="F-skattsedel och inga skulder", order=1),
        Requirement.objects.create(
            municipality=municipality, intervention_type=coaching, text="Coacher med utbildning", order=2
        ),
    ]


@pytest.fixture
def provider(municipality):
    return ProviderFactory(municipality=municipality, name="Steg Framåt AB")


def _apply(client, provider, coaching, checklist, fulfilled=("yes", "yes")):
    data = {"intervention_type": coaching.pk}
    for requirement, answer in zip(checklist, fulfilled, strict=True):
        data[f"fulfilled_{requirement.pk}"] = answer
        data[f"comment_{requirement.pk}"] = "Se bilaga" if answer == "no" else ""
    return client.post(reverse("providers:apply"), data)


# The register -----------------------------------------------------------------------------------------------


def test_the_provider_form_shows_the_organisation_number_error_on_the_field(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("providers:new"), {"name": "Fel AB", "organisation_number": "556016-0681", "kind": "company"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_organisation_number_error"' in page and "not a valid organisation number" in page
    assert 'role="alert"' in page
    assert not Provider.objects.exists()

    response = client.post(
        reverse("providers:new"),
        {"name": "Rätt AB", "organisation_number": "5560160680", "kind": "company", "languages": "sv, ar"},
    )
    provider = Provider.objects.get()
    assert response.status_code == 302 and response.url == reverse("providers:detail", args=[provider.pk])
    assert provider.organisation_number == "556016-0680" and provider.languages == ["sv", "ar"]


def test_only_administrators_register_providers(client, provider):
    client.force_login(provider_user(provider))
    assert client.get(reverse("providers:new")).status_code == 403
    assert client.get(reverse("providers:list")).status_code == 200


def test_the_admin_validates_the_organisation_number(client, municipality):
    superuser = UserFactory(administrator=True, is_superuser=True, municipality=municipality)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:providers_provider_add"),
        {
            "municipality": municipality.pk,
            "name": "Admin AB",
            "organisation_number": "556016-0681",
            "kind": "company",
            "languages": "[]",
            "active": "on",
        },
    )
    assert response.status_code == 200 and "not a valid organisation number" in response.content.decode()
    response = client.post(
        reverse("admin:providers_provider_add"),
        {
            "municipality": municipality.pk,
            "name": "Admin AB",
            "organisation_number": "5560160680",
            "kind": "company",
            "languages": "[]",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Provider.objects.get().organisation_number == "556016-0680"


def test_the_detail_page_lists_contracts_with_their_price_list(client, admin_user, provider, coaching):
    contract = Contract.objects.create(
        provider=provider,
        reference="LOU-2026-7",
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=365),
        volume=40,
    )
    contract.intervention_types.add(coaching)
    ContractPrice.objects.create(
        contract=contract, intervention_type=coaching, unit="month", amount="4500.00"
    )
    client.force_login(admin_user)
    page = client.get(reverse("providers:detail", args=[provider.pk])).content.decode()
    assert "LOU-2026-7" in page and "40 participants" in page
    assert re.search(r"4\D?500[.,]00", page)  # the price, in the UI language's number format
    assert provider.organisation_number in page


# Authorisation ----------------------------------------------------------------------------------------------


def test_provider_staff_apply_with_the_checklist(client, provider, coaching, checklist):
    staff = provider_user(provider)
    client.force_login(staff)
    page = client.get(reverse("providers:apply"), {"intervention_type": coaching.pk}).content.decode()
    assert "F-skattsedel och inga skulder" in page and "Coacher med utbildning" in page

    incomplete = client.post(
        reverse("providers:apply"), {"intervention_type": coaching.pk, f"fulfilled_{checklist[0].pk}": "yes"}
    )
    assert incomplete.status_code == 400 and not Application.objects.exists()

    response = _apply(client, provider, coaching, checklist, fulfilled=("yes", "no"))
    assert response.status_code == 302
    application = Application.objects.get()
    answers = {a.requirement_id: (a.fulfilled, a.comment) for a in application.answers.all()}
    assert answers == {checklist[0].pk: (True, ""), checklist[1].pk: (False, "Se bilaga")}
    page = client.get(reverse("providers:applications")).content.decode()
    assert coaching.display_name in page

    # Staff of another provider see nothing of it.
    client.force_login(provider_user(ProviderFactory(municipality=provider.municipality)))
    assert coaching.display_name not in client.get(reverse("providers:applications")).content.decode()


def test_provider_staff_cannot_decide(client, provider, coaching, checklist, admin_user):
    staff = provider_user(provider)
    client.force_login(staff)
    _apply(client, provider, coaching, checklist)
    application = Application.objects.get()
    url = reverse("providers:application_decide", args=[application.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "approve", "reason": "Ja", "version": 0}).status_code == 403
    authorisation = services.application_decide(
        application=application, approve=True, reason="Ok", by=admin_user
    )
    response = client.post(
        reverse("providers:authorisation_revoke", args=[authorisation.pk]),
        {
            f"revoke-{authorisation.pk}-on": TODAY().isoformat(),
            f"revoke-{authorisation.pk}-reason": "x",
            f"revoke-{authorisation.pk}-version": 0,
        },
    )
    assert response.status_code == 403
    authorisation.refresh_from_db()
    assert authorisation.revoked_from is None


def test_an_unfulfilled_requirement_blocks_approval_but_not_rejection(
    client, provider, coaching, checklist, admin_user
):
    client.force_login(provider_user(provider))
    _apply(client, provider, coaching, checklist, fulfilled=("yes", "no"))
    application = Application.objects.get()
    client.force_login(admin_user)
    url = reverse("providers:application_decide", args=[application.pk])
    page = client.get(url).content.decode()
    assert "1 requirement is not fulfilled" in page
    response = client.post(url, {"decision": "approve", "reason": "Bra", "version": application.lock_version})
    assert response.status_code == 400
    assert "Every requirement must be fulfilled" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and not Authorisation.objects.exists()

    no_reason = client.post(url, {"decision": "reject", "reason": "", "version": application.lock_version})
    assert no_reason.status_code == 400 and 'id="id_reason_error"' in no_reason.content.decode()
    response = client.post(
        url, {"decision": "reject", "reason": "Utbildning saknas", "version": application.lock_version}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_a_decider_approves_suspends_reinstates_and_revokes(
    client, provider, coaching, checklist, admin_user
):
    client.force_login(provider_user(provider))
    _apply(client, provider, coaching, checklist)
    application = Application.objects.get()

    client.force_login(admin_user)
    pending = client.get(reverse("providers:applications")).content.decode()
    assert reverse("providers:application_decide", args=[application.pk]) in pending
    response = client.post(
        reverse("providers:application_decide", args=[application.pk]),
        {
            "decision": "approve",
            "reason": "Uppfyller kraven",
            "valid_from": TODAY().isoformat(),
            "capacity": "25",
            "version": application.lock_version,
        },
    )
    assert response.status_code == 302
    authorisation = Authorisation.objects.get()
    assert authorisation.capacity == 25
    detail = reverse("providers:detail", args=[provider.pk])
    page = client.get(detail).content.decode()
    assert "In force" in page and "Uppfyller kraven" in page

    prefix = f"suspend-{authorisation.pk}"
    response = client.post(
        reverse("providers:authorisation_suspend", args=[authorisation.pk]),
        {
            f"{prefix}-start_date": TODAY().isoformat(),
            f"{prefix}-reason": "Brister i uppföljningen",
            f"{prefix}-version": authorisation.lock_version,
        },
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "until further notice" in page and "Brister i uppföljningen" in page

    authorisation.refresh_from_db()
    prefix = f"reinstate-{authorisation.pk}"
    response = client.post(
        reverse("providers:authorisation_reinstate", args=[authorisation.pk]),
        {
            f"{prefix}-on": TODAY().isoformat(),
            f"{prefix}-reason": "Åtgärdat",
            f"{prefix}-version": authorisation.lock_version,
        },
    )
    assert response.status_code == 302
    assert "In force" in client.get(detail).content.decode()

    authorisation.refresh_from_db()
    prefix = f"revoke-{authorisation.pk}"
    response = client.post(
        reverse("providers:authorisation_revoke", args=[authorisation.pk]),
        {
            f"{prefix}-on": TODAY().isoformat(),
            f"{prefix}-reason": "",
            f"{prefix}-version": authorisation.lock_version,
        },
    )
    assert response.status_code == 400 and f'id="id_{prefix}-reason_error"' in response.content.decode()
    response = client.post(
        reverse("providers:authorisation_revoke", args=[authorisation.pk]),
        {
            f"{prefix}-on": TODAY().isoformat(),
            f"{prefix}-reason": "Avtalsbrott",
            f"{prefix}-version": authorisation.lock_version,
        },
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert f"Revoked from {TODAY().isoformat()}" in page
    assert reverse("providers:authorisation_suspend", args=[authorisation.pk]) not in page


def test_a_stale_version_is_a_conflict_and_nothing_is_written(client, provider, coaching, admin_user):
    application = services.application_submit(
        provider=provider, intervention_type=coaching, answers={}, by=provider_user(provider)
    )
    authorisation = services.application_decide(
        application=application, approve=True, reason="Ok", by=admin_user
    )
    stale = authorisation.lock_version
    services.authorisation_suspend(
        authorisation=authorisation,
        start_date=TODAY() + datetime.timedelta(days=30),
        end_date=None,
        reason="Planerad",
        by=admin_user,
    )
    client.force_login(admin_user)
    prefix = f"revoke-{authorisation.pk}"
    response = client.post(
        reverse("providers:authorisation_revoke", args=[authorisation.pk]),
        {
            f"{prefix}-on": TODAY().isoformat(),
            f"{prefix}-reason": "Avtalsbrott",
            f"{prefix}-version": stale,
        },
        follow=True,
    )
    assert "Someone else changed" in " ".join(str(m) for m in response.context["messages"])
    authorisation.refresh_from_db()
    assert authorisation.revoked_from is None


def test_a_unit_head_decides_and_a_coach_may_not(client, provider, coaching, unit_head, coach):
    application = services.application_submit(
        provider=provider, intervention_type=coaching, answers={}, by=provider_user(provider)
    )
    url = reverse("providers:application_decide", args=[application.pk])
    client.force_login(coach)
    assert client.get(url).status_code == 403
    assert client.get(reverse("providers:applications")).status_code == 403
    client.force_login(unit_head)
    assert client.get(url).status_code == 200


def test_another_municipalitys_provider_is_not_found(client, admin_user):
    elsewhere = MunicipalityFactory(code="1480", name="Annanstad")
    foreign = ProviderFactory(municipality=elsewhere, organisation_number=make_organisation_number(9999))
    client.force_login(admin_user)
    assert client.get(reverse("providers:detail", args=[foreign.pk])).status_code == 404
    assert foreign.name not in client.get(reverse("providers:list")).content.decode()


def test_the_admin_pages_for_contracts_requirements_and_offerings_render(client, municipality, provider):
    from ..factories import OfferingFactory

    superuser = UserFactory(administrator=True, is_superuser=True, municipality=municipality)
    client.force_login(superuser)
    for name in (
        "providers_contract_add",
        "providers_requirement_add",
        "providers_provider_changelist",
        "interventions_offering_add",
    ):
        assert client.get(reverse(f"admin:{name}")).status_code == 200, name
    offering = OfferingFactory(municipality=municipality, provider=provider, capacity=5)
    offering.__class__.objects.filter(pk=offering.pk).update(booked_count=3)
    url = reverse("admin:interventions_offering_change", args=[offering.pk])
    assert client.get(url).status_code == 200
    data = {
        "municipality": municipality.pk,
        "intervention_type": offering.intervention_type_id,
        "name": "Ändrad",
        "delivered_by": "provider",
        "provider": provider.pk,
        "start_date": offering.start_date.isoformat(),
        "hours_per_week": "20",
        "capacity": "2",
        "languages": "[]",
        "target_groups": "[]",
        "active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "3 places are already booked" in response.content.decode()
    assert client.post(url, {**data, "capacity": "4"}).status_code == 302
    offering.refresh_from_db()
    assert (offering.name, offering.capacity, offering.booked_count) == ("Ändrad", 4, 3)


def test_the_remaining_pages_render(client, admin_user, provider):
    client.force_login(admin_user)
    coaching = InterventionType.objects.get(code="individual_coaching")
    for url in (
        reverse("interventions:offering_new"),
        reverse("interventions:type_new"),
        reverse("interventions:type_edit", args=[coaching.pk]),
        reverse("providers:list"),
        reverse("providers:applications"),
        reverse("interventions:offerings"),
    ):
        assert client.get(url).status_code == 200, url
