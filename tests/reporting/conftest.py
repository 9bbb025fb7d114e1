"""The indicators are computed with PostgreSQL's SQL (reporting.services.reporting_supported): on SQLite the
tests of the figures are skipped, and test_sqlite.py checks that the pages say so instead of failing."""

import pytest
from django.conf import settings

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="the key indicators are computed with PostgreSQL")
    for item in items:
        if "tests/reporting/" in str(item.fspath) and not item.fspath.basename == "test_sqlite.py":
            if not ON_POSTGRESQL:
                item.add_marker(skip)
