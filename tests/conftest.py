import pytest
from django.apps import apps
from django.core.management.commands import flush
from django.utils import translation
from rest_framework.test import APIClient

from .factories import DistrictFactory, ReferralFactory, UnitFactory, UserFactory


def _taxonomy_tables() -> dict[str, object]:
    config = apps.get_app_config("taxonomy")
    return {m._meta.db_table: m for m in config.get_models(include_auto_created=True)}


def _taxonomy_is_as_shipped(connection) -> bool:
    """Each taxonomy table holds the shipped number of rows, and its highest key is where the last load put it
    (no test wrote to the taxonomy)."""
    from jobbtorg.taxonomy.loading import shipped_counts

    expected = shipped_counts()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, model in _taxonomy_tables().items():
            pk = quote(model._meta.pk.column)
            cursor.execute(f"SELECT COUNT(*), MAX({pk}) FROM {quote(table)}")  # noqa: S608 — names from _meta
            count, highest = cursor.fetchone()
            if count != expected[model._meta.label_lower]:
                return False
            if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
                _taxonomy_is_as_shipped.highest.setdefault(table, highest)
                if highest != _taxonomy_is_as_shipped.highest[table]:
                    return False
    return True


_taxonomy_is_as_shipped.highest = {}


def _sql_flush_keeping_the_taxonomy(style, connection, reset_sequences=True, allow_cascade=False):
    """Django's sql_flush for the test suite's flushes (after each transactional test), leaving out the
    taxonomy's tables while they hold the shipped taxonomy: the post_migrate handler then finds it there
    instead of loading ~10,000 rows again. A test that wrote to the taxonomy gets it flushed and reloaded."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if _taxonomy_is_as_shipped(connection):
        tables = [t for t in tables if t not in _taxonomy_tables()]
    else:
        _taxonomy_is_as_shipped.highest.clear()  # the reload gives new keys: the next check records them
    return connection.ops.sql_flush(
        style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
    )


@pytest.fixture(scope="session", autouse=True)
def _keep_the_taxonomy_across_flushes():
    original = flush.sql_flush
    flush.sql_flush = _sql_flush_keeping_the_taxonomy
    yield
    flush.sql_flush = original


@pytest.fixture
def unit(db):
    return UnitFactory(name="Jobbtorg Järva")


@pytest.fixture
def district(unit):
    return DistrictFactory(unit=unit, name="Rinkeby-Kista")


@pytest.fixture
def caseworker(district):
    return UserFactory(caseworker=True, district=district, username="socsek")


@pytest.fixture
def coach(unit):
    return UserFactory(coach=True, unit=unit, username="coach")


@pytest.fixture
def unit_head(unit):
    return UserFactory(unit_head=True, unit=unit, username="chef")


@pytest.fixture
def other_unit_coach(db):
    return UserFactory(coach=True, username="coach-annan")


@pytest.fixture
def other_caseworker(db):
    return UserFactory(caseworker=True, username="socsek-annan")


@pytest.fixture
def analyst(db):
    return UserFactory(analyst=True, username="analytiker")


@pytest.fixture
def accepted_referral(caseworker, coach):
    return ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(autouse=True)
def _english_messages_outside_requests():
    """Service messages are checked in English (the source language); pages choose their own language."""
    with translation.override("en"):
        yield


from .perms_table import places  # noqa: E402, F401  (a fixture: the organisation around an object)
