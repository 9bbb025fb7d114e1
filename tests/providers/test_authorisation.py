import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobbtorg.interventions.models import InterventionType
from jobbtorg.providers import services
from jobbtorg.providers.models import Authorisation, Requirement
from jobbtorg.providers.selectors import authorised_providers
from jobbtorg.providers.validators import organisation_number_normalize

from ..factories import ProviderFactory, UserFactory, provider_user

D = dt.date


@pytest.fixture
def coaching(db):
    return InterventionType.objects.get(code="individual_coaching")


@pytest.fixture
def admin_user(db):
    return UserFactory(administrator=True)


@pytest.fixture
def checklist(coaching):
    from ..factories import MunicipalityFactory

    municipality = MunicipalityFactory()
    return [
        Requirement.objects.create(municipality=municipality, text="F-skattsedel och inga skulder"),
        Requirement.objects.create(
            municipality=municipality, intervention_type=coaching, text="Coacher med utbildning"
        ),
    ]


def _apply(provider, coaching, checklist, fulfilled=True):
    staff = provider_user(provider)
    answers = {r.pk: (fulfilled, "") for r in checklist}
    return services.application_submit(
        provider=provider, intervention_type=coaching, answers=answers, by=staff
    )


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("556016-0680", True),
        ("5560160680", True),
        ("556016-0681", False),
        ("202100-5489", True),
        ("12345", False),
        ("", False),
    ],
)
def test_organisation_numbers_are_validated(raw, ok):
    if ok:
        assert organisation_number_normalize(raw)[6] == "-"
    else:
        with pytest.raises(ValidationError):
            organisation_number_normalize(raw)


def test_provider_registration_refuses_bad_numbers(admin_user):
    from ..factories import MunicipalityFactory

    with pytest.raises(ValidationError) as exc:
        services.provider_create(
            municipality=MunicipalityFactory(), name="X AB", organisation_number="556016-0681", by=admin_user
        )
    assert "organisation_number" in exc.value.message_dict


def test_lifecycle_apply_approve_suspend_reinstate_revoke(coaching, checklist, admin_user):
    provider = ProviderFactory(municipality=checklist[0].municipality)
    application = _apply(provider, coaching, checklist)
    assert application.answers.count() == 2
    authorisation = services.application_decide(
        application=application,
        approve=True,
        reason="Uppfyller kraven",
        by=admin_user,
        valid_from=D(2026, 1, 1),
        capacity=20,
    )

    def in_force(day):
        found = authorised_providers(municipality=provider.municipality, intervention_type=coaching, on=day)
        return [p.pk for p in found]

    assert in_force(D(2025, 12, 31)) == [] and in_force(D(2026, 2, 1)) == [provider.pk]

    services.authorisation_suspend(
        authorisation=authorisation,
        start_date=D(2026, 3, 1),
        end_date=None,
        reason="Brister i uppföljning",
        by=admin_user,
    )
    assert in_force(D(2026, 3, 15)) == []
    services.authorisation_reinstate(
        authorisation=authorisation, on=D(2026, 4, 1), reason="Åtgärdat", by=admin_user
    )
    assert in_force(D(2026, 3, 31)) == [] and in_force(D(2026, 4, 1)) == [provider.pk]

    services.authorisation_revoke(
        authorisation=authorisation, on=D(2026, 6, 1), reason="Avtalsbrott", by=admin_user
    )
    assert in_force(D(2026, 5, 31)) == [provider.pk] and in_force(D(2026, 6, 1)) == []
    assert list(authorisation.events.values_list("kind", flat=True)) == [
        "granted",
        "suspended",
        "reinstated",
        "revoked",
    ]
    with pytest.raises(ValidationError):
        services.authorisation_revoke(
            authorisation=authorisation, on=D(2026, 7, 1), reason="x", by=admin_user
        )


def test_rejection_needs_a_reason_and_unfulfilled_checklists_cannot_be_approved(
    coaching, checklist, admin_user
):
    provider = ProviderFactory(municipality=checklist[0].municipality)
    application = _apply(provider, coaching, checklist, fulfilled=False)
    with pytest.raises(ValidationError):
        services.application_decide(application=application, approve=True, reason="ok", by=admin_user)
    application.refresh_from_db()
    with pytest.raises(ValidationError):
        services.application_decide(application=application, approve=False, reason=" ", by=admin_user)
    application.refresh_from_db()
    assert (
        services.application_decide(
            application=application, approve=False, reason="Saknar F-skatt", by=admin_user
        )
        is None
    )
    application.refresh_from_db()
    assert application.status == "rejected" and not Authorisation.objects.exists()


def test_every_requirement_must_be_answered(coaching, checklist):
    provider = ProviderFactory(municipality=checklist[0].municipality)
    with pytest.raises(ValidationError):
        services.application_submit(
            provider=provider,
            intervention_type=coaching,
            answers={checklist[0].pk: (True, "")},
            by=provider_user(provider),
        )


def test_only_the_providers_staff_apply_and_only_deciders_decide(coaching, checklist, coach):
    provider, other = ProviderFactory(municipality=checklist[0].municipality), ProviderFactory()
    with pytest.raises(PermissionDenied):
        services.application_submit(
            provider=provider,
            intervention_type=coaching,
            answers={r.pk: (True, "") for r in checklist},
            by=provider_user(other),
        )
    application = _apply(provider, coaching, checklist)
    with pytest.raises(PermissionDenied):
        services.application_decide(application=application, approve=True, reason="ok", by=coach)
