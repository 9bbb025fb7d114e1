import pytest

from jobbtorg.partners.constants import PartnerKind

from ..factories import ActionPlanFactory, PartnerOrganisationFactory, partner_user


@pytest.fixture
def insurance(unit):
    """Försäkringskassan in the unit's municipality."""
    return PartnerOrganisationFactory(
        municipality=unit.municipality, name="Försäkringskassan Stockholm", kind=PartnerKind.SOCIAL_INSURANCE
    )


@pytest.fixture
def employment_service(unit):
    return PartnerOrganisationFactory(
        municipality=unit.municipality, name="Arbetsförmedlingen Järva", kind=PartnerKind.EMPLOYMENT_SERVICE
    )


@pytest.fixture
def fk_user(insurance):
    return partner_user(insurance, username="fk")


@pytest.fixture
def af_user(employment_service):
    return partner_user(employment_service, username="af")


@pytest.fixture
def plan(accepted_referral):
    return ActionPlanFactory(referral=accepted_referral, goals="Deltid inom vården (MÅLTEXT)")
