"""The reporting SQL is tied to the code: no table name and no stored value is typed into it. Tables come
from the models (`_meta.db_table`), statuses and other stored values from their TextChoices
(reporting.sql.literal), so renaming a table or a status cannot leave the SQL silently counting nothing."""

import ast
import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

import jobbtorg.reporting
from jobbtorg.reporting import assignments, comparison, research, selectors, services
from jobbtorg.reporting.constants import Breakdown
from jobbtorg.reporting.sql import Dialect, literal, literals

# Quoted literals that are SQL syntax, not stored values: date parts and formats, intervals, SQLite date
# modifiers, the empty string (blank text columns) and a memory setting.
SYNTAX = re.compile(
    r"^(|month|year|YYYY-MM|start of month|UTC|\d+MB|[+-]|[+-]?\d+ (day|days|month|months)| days"
    r"|\{[^}]*\}( months?)?)$"
)
QUOTED = re.compile(r"'([^']*)'")
SQL_WORDS = re.compile(r"\b(SELECT|FROM|WHERE|FILTER|JOIN|INSERT INTO|CASE WHEN)\b")
DIALECTS = [Dialect.of("postgresql"), Dialect.of("sqlite")]


def _sql_strings_in_source():
    """Every string in the reporting package's source that reads as SQL (f-string parts included)."""
    root = Path(jobbtorg.reporting.__file__).parent
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and SQL_WORDS.search(node.value)
            ):
                yield path.name, node.lineno, node.value


def test_the_source_types_no_stored_value_and_no_table_name_into_the_sql():
    tables = {model._meta.db_table for model in apps.get_models()}
    tables |= {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.many_to_many
    }
    seen = 0
    for name, line, text in _sql_strings_in_source():
        seen += 1
        for quoted in QUOTED.findall(text):
            assert SYNTAX.match(quoted), f"{name}:{line}: the literal '{quoted}' belongs in a TextChoices"
        for word in re.findall(r"\b[a-z]+_[a-z_]+\b", text):
            assert word not in tables, f"{name}:{line}: table {word} is named by hand; use table(Model)"
    assert seen > 20


def _enum_values() -> set[str]:
    """The values of every TextChoices of the project (the apps' constants modules)."""
    found: set[str] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("jobbtorg."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.constants")
        except ModuleNotFoundError:
            continue
        for item in vars(module).values():
            if (
                isinstance(item, type)
                and issubclass(item, models.Choices)
                and item.__module__ == module.__name__
            ):
                found |= {str(v) for v in item.values}
    return found


def _built_sql(monkeypatch) -> list[str]:
    """The SQL of every reporting query, as built for PostgreSQL and for SQLite."""
    built: list[str] = []

    def record(sql, params):
        built.append(sql)
        return []

    for d in DIALECTS:
        built += [services.case_sql(d), services.attendance_sql(d), research.extract_sql(d)]
        built += [comparison.exits_sql(d), assignments.follow_sql(d), assignments.end_sql(d)]
        built.append(assignments.payments_sql(d, "payment_lines"))
        monkeypatch.setattr(selectors, "_dialect", lambda d=d: d)
        monkeypatch.setattr(selectors, "_run", record)
        monkeypatch.setattr(selectors.Dialect, "of", classmethod(lambda cls, vendor, d=d: d))
        scope = selectors.Scope(
            start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), today=dt.date(2026, 1, 1)
        )
        for dimension in [None, *Breakdown.values]:
            selectors.dashboard(scope, dimension)
        monkeypatch.undo()
    return built


@pytest.mark.django_db
def test_every_literal_in_the_built_sql_is_a_value_of_its_enum_or_sql_syntax(monkeypatch):
    values = _enum_values()
    statements = _built_sql(monkeypatch)
    assert len(statements) > 40
    checked = set()
    for sql in statements:
        for quoted in QUOTED.findall(sql):
            assert SYNTAX.match(quoted) or quoted in values, f"'{quoted}' is not a value of any TextChoices"
            checked.add(quoted)
    # The statuses and reasons the indicators count by are there, from their enums.
    assert {"booked", "ended", "present", "work", "studies", "moved", "male", "16-24"} <= checked


def test_literal_takes_enum_members_only():
    from jobbtorg.interventions.constants import BookingStatus

    assert literal(BookingStatus.BOOKED) == "'booked'"
    assert literals(BookingStatus.BOOKED, BookingStatus.ENDED) == "('booked', 'ended')"
    with pytest.raises(TypeError):
        literal("booked")


@pytest.mark.django_db
def test_the_tables_named_through_the_models_exist():
    from django.db import connection

    existing = set(connection.introspection.table_names())
    ctes = {"rr", "ex", "fb", "fu", "p", "last"}
    for sql in (services.case_sql(DIALECTS[0]), research.extract_sql(DIALECTS[0])):
        named = set(re.findall(r"\b(?:FROM|JOIN|INTO)\s+([a-z_]+)", sql)) - ctes
        assert named and named <= existing, named - existing
