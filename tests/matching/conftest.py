import pytest

from tests.factories import MappingFactory, UserFactory

from .factories import EmployerFactory, VacancyFactory


@pytest.fixture
def matcher(unit):
    return UserFactory(matcher=True, unit=unit, username="matchare")


@pytest.fixture
def other_unit_matcher(db):
    return UserFactory(matcher=True, username="matchare-annan")


@pytest.fixture
def mapping(accepted_referral):
    return MappingFactory(
        referral=accepted_referral,
        wanted_occupations=["5321"],
        swedish_level="sfi_d",
        driving_licence="none",
        work_capacity=100,
    )


@pytest.fixture
def employer(unit):
    return EmployerFactory(municipality=unit.municipality)


@pytest.fixture
def vacancy(employer):
    return VacancyFactory(employer=employer)


@pytest.fixture
def skill_ids(db):
    """Two real skill ids (ids are not fixed: a flushed test database reloads the taxonomy)."""
    from jobbtorg.taxonomy.models import Skill

    return list(Skill.objects.order_by("pk").values_list("pk", flat=True)[:2])
