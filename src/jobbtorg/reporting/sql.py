"""Dialect helpers for the reporting SQL: each returns the same fragment PostgreSQL always ran, or an
equivalent for SQLite (the zero-set-up default). The SQL strings are built once per vendor (`Dialect.of`).

SQLite stores dates as 'YYYY-MM-DD' text, timestamps as UTC 'YYYY-MM-DD HH:MM:SS[.ffffff]' text, booleans
as 0/1 and decimals as NUMERIC (integer or real): the helpers compare and compute on those. No fragment uses a
bare `%` (every query runs with params, where `%` must be doubled).

The SQL is tied to the code: tables are named by their model (`table(Model)`, `_meta.db_table`) and every
stored value compared with is a member of its TextChoices (`literal(Status.X)`, `literals(…)`), never a
value typed into the SQL (tests/reporting/test_sql.py fails on one)."""

from __future__ import annotations

import datetime
import functools
import statistics
from decimal import Decimal

from django.db import models
from django.db.backends.signals import connection_created

from .constants import KoladaResult

POSTGRESQL = "postgresql"


def table(model) -> str:
    """The table of a model, as the ORM names it."""
    return model._meta.db_table


def literal(member: models.Choices) -> str:
    """A member of a TextChoices as a SQL string literal. Only enum members are accepted: a stored value the
    SQL compares with is always one the code defines."""
    if not isinstance(member, models.Choices) or not isinstance(member.value, str) or "'" in member.value:
        raise TypeError(f"Not a TextChoices member: {member!r}")
    return f"'{member.value}'"


def literals(*members: models.Choices) -> str:
    """Members of TextChoices as a parenthesised SQL list, for IN."""
    return "(" + ", ".join(literal(member) for member in members) + ")"


def work_or_studies(alias: str = "") -> str:
    """An exit to work or studies as Kolada U40455 counts it (a rollup row, `alias.` its table alias): the
    result kolada.result_sql decided and the rollup stores (A or B; a result not yet known is not one)."""
    return f"{alias}kolada_result IN {literals(KoladaResult.WORK, KoladaResult.STUDIES)}"


class Dialect:
    def __init__(self, vendor: str):
        self.vendor = vendor
        self.pg = vendor == POSTGRESQL

    @classmethod
    @functools.cache
    def of(cls, vendor: str) -> Dialect:
        return cls(vendor)

    # -- casts (a suffix on PostgreSQL; SQLite's values already have the type) -------------------------------

    @property
    def int(self) -> str:
        """Suffix for an integer result (counts, booleans): `::int` on PostgreSQL, nothing on SQLite."""
        return "::int" if self.pg else ""

    def cast(self, expr: str, type_: str) -> str:
        if self.pg:
            return f"{expr}::{type_}"
        if type_ in ("int", "bigint"):
            return f"CAST({expr} AS integer)"
        if type_ == "text":
            return f"CAST({expr} AS text)"
        if type_ == "date":
            return f"date({expr})"
        raise ValueError(type_)

    def as_int(self, expr: str) -> str:
        return f"({expr})::int" if self.pg else f"CAST({expr} AS integer)"

    def null(self, type_: str) -> str:
        return f"NULL::{type_}" if self.pg else "NULL"

    # -- dates -----------------------------------------------------------------------------------------------

    def month_start(self, expr: str) -> str:
        return f"date_trunc('month', {expr})::date" if self.pg else f"date({expr}, 'start of month')"

    def month_trunc(self, expr: str) -> str:
        """The month start as PostgreSQL's date_trunc gives it (a timestamp), for comparisons with dates."""
        return f"date_trunc('month', {expr})" if self.pg else f"date({expr}, 'start of month')"

    def add_months(self, expr: str, n: int) -> str:
        """`expr` + n calendar months, clamped to the month's last day like PostgreSQL's interval."""
        if self.pg:
            sign = "+" if n >= 0 else "-"
            return f"({expr} {sign} interval '{abs(n)} months')::date"
        day = f"CAST(substr({expr}, 9, 2) AS integer) - 1"
        return (
            f"min(date({expr}, 'start of month', '{n:+d} months', '+' || ({day}) || ' days'), "
            f"date({expr}, 'start of month', '{n + 1:+d} months', '-1 day'))"
        )

    def month_end(self, expr: str) -> str:
        """The last day of the month starting at `expr` (a month start)."""
        if self.pg:
            return f"({expr} + interval '1 month' - interval '1 day')::date"
        return f"date({expr}, '+1 month', '-1 day')"

    def local_date(self, ts: str, tz: str = "%(tz)s") -> str:
        """The date of a timestamp in the time zone `tz` (a parameter). SQLite: Django's own function (the
        one TruncDate uses), exact across daylight saving time."""
        if self.pg:
            return f"({ts} AT TIME ZONE {tz})::date"
        return f"django_datetime_cast_date({ts}, {tz}, 'UTC')"

    def days(self, a: str, b: str) -> str:
        """Whole days from date b to date a (an integer)."""
        return f"{a} - {b}" if self.pg else f"CAST(julianday({a}) - julianday({b}) AS integer)"

    def _ymd(self, expr: str) -> tuple[str, str, str]:
        return tuple(f"CAST(substr({expr}, {i}, {n}) AS integer)" for i, n in ((1, 4), (6, 2), (9, 2)))

    def age_years(self, a: str, b: str) -> str:
        """Full years from date b to date a (age at a of someone born on b)."""
        if self.pg:
            return f"date_part('year', age({a}, {b}))"
        (ya, _, _), (yb, _, _) = self._ymd(a), self._ymd(b)
        return f"({ya} - {yb} - (substr({a}, 6, 5) < substr({b}, 6, 5)))"

    def age_months(self, a: str, b: str) -> str:
        """Full months from date b to date a."""
        if self.pg:
            return f"(date_part('year', age({a}, {b})) * 12 + date_part('month', age({a}, {b})))::int"
        (ya, ma, da), (yb, mb, db) = self._ymd(a), self._ymd(b)
        return f"(({ya} - {yb}) * 12 + {ma} - {mb} - ({da} < {db}))"

    def month_label(self, expr: str) -> str:
        return f"to_char({expr}, 'YYYY-MM')" if self.pg else f"substr({expr}, 1, 7)"

    # -- aggregates and functions ----------------------------------------------------------------------------

    def bool_any(self, expr: str) -> str:
        return f"bool_or({expr})" if self.pg else f"max({expr})"

    def median(self, expr: str) -> str:
        """The median (continuous percentile 0.5) of the non-null values. SQLite: an aggregate registered on
        every connection (register_functions)."""
        if self.pg:
            return f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {expr})"
        return f"jobbtorg_median({expr})"

    def greatest(self, a: str, b: str) -> str:
        """GREATEST: the larger, ignoring a null (SQLite's max() of two is null if either is)."""
        return f"GREATEST({a}, {b})" if self.pg else f"COALESCE(max({a}, {b}), {a}, {b})"

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if self.pg else f"COALESCE(min({a}, {b}), {a}, {b})"

    def divide(self, a: str, b: str) -> str:
        """a / b without SQLite's integer division (decimals may be stored as integers there)."""
        return f"{a} / {b}" if self.pg else f"CAST({a} AS real) / {b}"

    def grouping_sets(
        self, keys: dict[str, str], sets: list[tuple[str, ...]], select: str, source: str
    ) -> str:
        """SELECT GROUPING(key) AS g_<alias> …, key AS alias …, <select> <source> GROUP BY GROUPING SETS (…).
        `keys`: alias → expression; `sets`: tuples of aliases. SQLite has no GROUPING SETS: one UNION ALL
        branch per set, the keys outside the set null and their g_ flag 1."""
        if self.pg:
            flags = ", ".join(f"GROUPING({expr}) AS g_{alias}" for alias, expr in keys.items())
            columns = ", ".join(
                expr if expr == alias else f"{expr} AS {alias}" for alias, expr in keys.items()
            )
            groups = ", ".join("(" + ", ".join(keys[a] for a in grouping) + ")" for grouping in sets)
            return f"SELECT {flags}, {columns},\n{select}\n{source}\nGROUP BY GROUPING SETS ({groups})"
        branches = []
        for grouping in sets:
            flags = ", ".join(f"{0 if a in grouping else 1} AS g_{a}" for a in keys)
            columns = ", ".join(f"{expr if a in grouping else 'NULL'} AS {a}" for a, expr in keys.items())
            group_by = ("\nGROUP BY " + ", ".join(keys[a] for a in grouping)) if grouping else ""
            branches.append(f"SELECT {flags}, {columns},\n{select}\n{source}{group_by}")
        return "\nUNION ALL\n".join(branches)

    # -- results ---------------------------------------------------------------------------------------------

    def dates(self, value):
        """A date read back (SQLite: 'YYYY-MM-DD' text) as a datetime.date."""
        if isinstance(value, str) and not self.pg:
            return datetime.date.fromisoformat(value[:10])
        return value

    def decimal(self, value):
        """A sum of decimals read back (SQLite: int or float) as a Decimal, without the float's binary noise
        (1582.8000000000002 → 1582.8)."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Decimal(repr(round(value, 9)))
        return value


class _Median:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return float(statistics.median(self.values)) if self.values else None


def register_functions(sender, connection, **kwargs) -> None:
    """On each new SQLite connection: the aggregates the reporting SQL needs there."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("jobbtorg_median", 1, _Median)


def connect() -> None:
    connection_created.connect(register_functions, dispatch_uid="jobbtorg.reporting.sql.register_functions")
