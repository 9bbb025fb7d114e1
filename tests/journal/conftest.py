import pytest
from django.utils import timezone

from jobbtorg.interventions.models import InterventionType
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.providers.models import Assignment
from tests.factories import ReferralFactory


def assign(referral, provider, by):
    """The person is currently assigned to `provider` on `referral`, with the consent Jobbtorg ↔ provider."""
    consent_record(
        participant=referral.participant, status="given", scope=ConsentScope.JOBBTORG_PROVIDER, by=by
    )
    return Assignment.objects.create(
        participant=referral.participant,
        referral=referral,
        provider=provider,
        intervention_type=InterventionType.objects.get(code="language_internship"),
        source="procurement",
        start_date=timezone.localdate(),
        created_by=by,
    )


def case_on(places):
    """An accepted referral of the own side's person to the own unit, assigned to the own provider."""
    own = places.own
    referral = ReferralFactory(
        accepted=True, participant=own.participant, district=own.district, unit=own.unit
    )
    assign(referral, own.provider, referral.caseworker)
    return referral


@pytest.fixture
def case(places):
    return case_on(places)
