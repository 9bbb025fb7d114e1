"""The plans data migration turns legacy wanted occupations into SSYK 2012 codes and keeps what it drops."""

import importlib

import pytest
from django.apps import apps

from tests.factories import MappingFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("jobbtorg.plans.migrations.0002_mapping_taxonomy")


def test_legacy_wanted_occupations_are_converted():
    keep = MappingFactory(wanted_occupations=["5321"])
    legacy = MappingFactory(
        wanted_occupations=["Undersköterska, hemtjänst, äldreboende och habilitering", "5331"]
    )
    unknown = MappingFactory(wanted_occupations=["9999", "Drömyrke"], needs="Vill jobba nära hemmet.")
    prefix = MappingFactory(wanted_occupations=["lagerarbetare"])
    migration.convert(apps, None)
    for m in (keep, legacy, unknown, prefix):
        m.refresh_from_db()
    assert keep.wanted_occupations == ["5321"]
    assert legacy.wanted_occupations == ["5321", "5343"]
    assert unknown.wanted_occupations == []
    assert unknown.needs.startswith("Vill jobba nära hemmet.") and "9999, Drömyrke" in unknown.needs
    assert prefix.wanted_occupations == ["4322"]
