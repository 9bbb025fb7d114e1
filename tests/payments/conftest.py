import datetime as dt

import pytest

from jobbtorg.payments import schemes
from tests.factories import MunicipalityFactory, UserFactory


@pytest.fixture
def municipality(db):
    return MunicipalityFactory()


@pytest.fixture
def finance(municipality):
    return UserFactory(administrator=True, municipality=municipality, username="ekonomi")


@pytest.fixture
def nacka(municipality):
    return schemes.nacka_jobbpeng(municipality=municipality, valid_from=dt.date(2020, 1, 1))
