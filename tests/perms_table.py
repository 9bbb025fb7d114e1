"""Helpers for the table-driven tests of the `perms.py` functions (tests/<app>/test_perms.py).

Each rule is tested for every role on every side of the object: the user works at the object's own unit,
district and provider ("own"), at another one of the same municipality ("other"), or in another
municipality ("elsewhere"). The objects are unsaved model instances attached to the "own" side, so a rule is
exercised on its inputs alone; the users are saved (the role's permissions come from its group)."""

import itertools
from dataclasses import dataclass

import pytest

from jobbtorg.accounts.constants import Role

from .factories import (
    DistrictFactory,
    MunicipalityFactory,
    ParticipantFactory,
    PartnerOrganisationFactory,
    ProviderFactory,
    UnitFactory,
    UserFactory,
)

ROLES = tuple(Role)
SIDES = ("own", "other", "elsewhere")
UNIT_ROLES = {Role.JOB_COACH, Role.CAREER_COUNSELLOR, Role.MATCHER, Role.UNIT_HEAD}
_codes = itertools.count(2001)


@dataclass
class Side:
    municipality: object
    unit: object
    district: object
    provider: object
    participant: object
    partner: object


class Places:
    """The organisation around an object: its own side, and lazily the other ones."""

    def __init__(self):
        municipality = MunicipalityFactory()
        self.sides = {"own": self._side(municipality)}

    def _side(self, municipality) -> Side:
        unit = UnitFactory(municipality=municipality)
        district = DistrictFactory(municipality=municipality, unit=unit)
        provider = ProviderFactory(municipality=municipality)
        participant = ParticipantFactory(district=district)
        partner = PartnerOrganisationFactory(municipality=municipality)
        return Side(municipality, unit, district, provider, participant, partner)

    def side(self, name: str) -> Side:
        if name not in self.sides:
            if name == "other":
                municipality = self.own.municipality
            else:
                code = str(next(_codes))
                municipality = MunicipalityFactory(code=code, name=f"Kommun {code}")
            self.sides[name] = self._side(municipality)
        return self.sides[name]

    @property
    def own(self) -> Side:
        return self.sides["own"]

    def user(self, role: str, side: str = "own", **extra):
        """A user of `role`, attached where the role is (unit, district, provider, person), on `side`."""
        place = self.side(side)
        attachment = {"municipality": place.municipality}
        if role in UNIT_ROLES:
            attachment["unit"] = place.unit
        elif role in (Role.CASEWORKER, Role.DISTRICT_HEAD):
            attachment["district"] = place.district
        elif role == Role.PROVIDER_STAFF:
            attachment["provider"] = place.provider
        elif role == Role.PARTICIPANT:
            attachment = {"participant": place.participant}
        elif role == Role.PARTNER_STAFF:
            attachment["partner_organisation"] = place.partner
        return UserFactory(role=role, **{**attachment, **extra})


@pytest.fixture
def places(db) -> Places:
    return Places()


def table(allowed: set[tuple[str, str]], *, sides=SIDES, roles=ROLES):
    """Every (role, side) cell with its expected answer: True for the cells in `allowed`."""
    return pytest.mark.parametrize(
        "role, side, expected",
        [
            pytest.param(role, side, (role, side) in allowed, id=f"{role}-{side}")
            for role in roles
            for side in sides
        ],
    )


def cells(roles, sides=SIDES) -> set[tuple[str, str]]:
    """The cells of `roles` on `sides`."""
    return {(role, side) for role in roles for side in sides}


def by_role(roles):
    """For a rule about the user alone (no object): every role, with its expected answer."""
    return pytest.mark.parametrize(
        "role, side, expected",
        [pytest.param(role, "own", role in roles, id=str(role)) for role in ROLES],
    )
