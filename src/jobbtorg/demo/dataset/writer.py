"""Fast loading of generated rows: COPY on PostgreSQL, batched INSERTs elsewhere (SQLite).

Rows bypass the ORM on purpose (millions of rows; the generator itself keeps the domain rules), but the
column list, the defaults of columns left out and the value conversion all come from the model's own
fields, so a new field with a default never breaks the generator, and a new required field fails loudly.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connections, models
from django.utils import timezone
from tqdm import tqdm

SQLITE_BATCH = 2_000
# Column types loaded with binary COPY (PostgreSQL's type → the name psycopg knows it by). Binary COPY spares
# both sides the text form: measured on attendance rows, 35–40 % less Python CPU and wall time than text
# COPY. A table with any other column type (JSON, arrays, …) is loaded with text COPY as before.
BINARY_TYPES = {
    "bigint": "int8",
    "integer": "int4",
    "smallint": "int2",
    "date": "date",
    "timestamp with time zone": "timestamptz",
    "varchar": "varchar",
    "text": "text",
    "numeric": "numeric",
    "boolean": "bool",
    "uuid": "uuid",
    "double precision": "float8",
    "time": "time",
}
BIG_TABLE = 50_000  # rows expected: load without secondary indexes, build them afterwards in one pass


class RawJSON(str):
    """A value already serialised as JSON (generators reuse the same JSON for many rows)."""


class MissingColumn(Exception):
    """A required column was not generated (a model gained a field the generator does not know)."""


@dataclass
class TableStat:
    table: str
    rows: int = 0
    seconds: float = 0.0


def _sqlite_prep(f: models.Field, connection):
    def prep(value):
        return value if isinstance(value, RawJSON) else f.get_db_prep_save(value, connection)

    return prep


@dataclass
class Loader:
    """Loads rows table by table and keeps the figures: rows per table, seconds, overall rate."""

    using: str = "default"
    progress: bool = True
    stream = sys.stderr
    stats: list[TableStat] = field(default_factory=list)
    now: datetime.datetime = field(default_factory=timezone.now)
    keys_deferred: bool = False
    models_loaded: list = field(default_factory=list)

    @property
    def connection(self):
        return connections[self.using]

    @property
    def uses_copy(self) -> bool:
        return self.connection.vendor == "postgresql"

    # -- columns ------------------------------------------------------------------------------------------
    def _columns(self, model: type[models.Model], names: Sequence[str]) -> tuple[list, list]:
        """The model's concrete fields in table order: the generated ones, then constant defaults."""
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [n for n in names if n not in by_attname]
        if unknown:
            raise MissingColumn(f"{model._meta.label}: unknown columns {unknown}")
        fields_given = [by_attname[n] for n in names]
        fill: list[tuple[models.Field, object]] = []
        for f in model._meta.concrete_fields:
            if f.attname in names:
                continue
            if f.primary_key and not isinstance(f, models.AutoField):
                raise MissingColumn(f"{model._meta.label}.{f.attname}: generate the keys (deterministically)")
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.now if isinstance(f, models.DateTimeField) else timezone.localdate(self.now)
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.blank and f.empty_strings_allowed and isinstance(f, (models.CharField, models.TextField)):
                value = ""
            elif f.primary_key and isinstance(f, models.AutoField):
                continue  # the sequence numbers it
            else:
                raise MissingColumn(f"{model._meta.label}.{f.attname} is required and was not generated")
            fill.append((f, value))
        return fields_given, fill

    def _binary_types(self, all_fields: Sequence[models.Field]) -> list[str] | None:
        """The psycopg type names of the columns when all of them can go in binary COPY, else None."""
        names = []
        for f in all_fields:
            db_type = re.sub(r"\(.*?\)", "", f.db_type(self.connection) or "").strip()
            if db_type not in BINARY_TYPES:
                return None
            names.append(BINARY_TYPES[db_type])
        return names

    def _pg_value(self, f: models.Field):
        if isinstance(f, models.JSONField):
            return lambda v: v if v is None or isinstance(v, RawJSON) else json.dumps(v, ensure_ascii=False)
        return None

    # -- loading ------------------------------------------------------------------------------------------
    def load(
        self,
        model: type[models.Model],
        names: Sequence[str],
        rows: Iterable[Sequence],
        *,
        total: int | None = None,
    ) -> int:
        """Insert `rows` (tuples in the order of `names`, attnames) into the model's table; returns the
        count."""
        fields_given, fill = self._columns(model, names)
        rebuild = self._drop_secondary_indexes(model) if self.uses_copy and (total or 0) >= BIG_TABLE else []
        all_fields = fields_given + [f for f, _v in fill]
        table = model._meta.db_table
        qn = self.connection.ops.quote_name
        cols = ", ".join(qn(f.column) for f in all_fields)
        bar = tqdm(
            total=total,
            desc=f"{table:<34}",
            unit=" rows",
            unit_scale=True,
            file=self.stream,
            disable=not self.progress,
            mininterval=0.5,
            leave=False,
        )
        started = time.perf_counter()
        count = 0
        with self.connection.cursor() as cursor:
            if self.uses_copy:
                converters = [self._pg_value(f) for f in all_fields]
                constants = tuple((conv(v) if (conv := self._pg_value(f)) else v) for f, v in fill)
                given_convs = list(enumerate(converters[: len(fields_given)]))
                convert = [(i, c) for i, c in given_convs if c is not None]
                types = self._binary_types(all_fields)
                binary = " (FORMAT BINARY)" if types else ""
                with cursor.cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN{binary}") as copy:
                    if types:
                        copy.set_types(types)
                    write = copy.write_row
                    for row in rows:
                        if convert:
                            row = list(row)
                            for i, c in convert:
                                row[i] = c(row[i])
                        write((*row, *constants))
                        count += 1
                        if count % 20_000 == 0:
                            bar.update(20_000)
            else:
                preps = [_sqlite_prep(f, self.connection) for f in fields_given]
                constants = tuple(f.get_db_prep_save(v, self.connection) for f, v in fill)
                sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({', '.join(['%s'] * len(all_fields))})"
                batch: list[tuple] = []
                for row in rows:
                    batch.append((*(p(v) for p, v in zip(preps, row, strict=True)), *constants))
                    if len(batch) >= SQLITE_BATCH:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        bar.update(len(batch))
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        if rebuild:
            with self.connection.cursor() as cursor:
                for statement in rebuild:
                    cursor.execute(statement)
        bar.close()
        self.models_loaded.append(model)
        self.stats.append(TableStat(table, count, time.perf_counter() - started))
        return count

    def _drop_secondary_indexes(self, model: type[models.Model]) -> list[str]:
        """Drop the table's secondary indexes and its unique constraints that no foreign key depends on; they
        are rebuilt in one sort after the load (much faster than maintaining them row by row, and the rebuild
        checks uniqueness again). Returns the statements that rebuild them. Inside the load's transaction: a
        failure leaves everything as it was."""
        qn = self.connection.ops.quote_name
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(
                """SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
                   WHERE c.conrelid = %s::regclass AND c.contype = 'u'
                   AND NOT EXISTS (
                       SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
                   )""",
                [table],
            )
            constraints = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.tablename = %s AND i.schemaname = current_schema()
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {qn(name)}")
        return [definition for _name, definition in indexes] + [
            f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
            for name, definition in constraints
        ]

    def update_column(self, model: type[models.Model], attname: str, pairs: Sequence[tuple]) -> None:
        """Set one column for many rows: (primary key, value) pairs, set-based on PostgreSQL."""
        conn = self.connection
        qn = conn.ops.quote_name
        table = qn(model._meta.db_table)
        pk = model._meta.pk
        column = qn(model._meta.get_field(attname.removesuffix("_id")).column)
        with conn.cursor() as cursor:
            if self.uses_copy:
                cursor.execute(f"CREATE TEMP TABLE _pairs (k {pk.db_type(conn)}, v bigint)")
                with cursor.cursor.copy("COPY _pairs (k, v) FROM STDIN") as copy:
                    for pair in pairs:
                        copy.write_row(pair)
                cursor.execute(f"UPDATE {table} SET {column} = p.v FROM _pairs p WHERE {qn(pk.column)} = p.k")
                cursor.execute("DROP TABLE _pairs")
            else:
                cursor.executemany(
                    f"UPDATE {table} SET {column} = %s WHERE {qn(pk.column)} = %s",
                    [(v, pk.get_db_prep_value(k, conn)) for k, v in pairs],
                )

    def defer_key_checks(self) -> bool:
        """On PostgreSQL, when we may (superuser), skip the per-row foreign-key triggers for this transaction
        and check every key set-based afterwards (`check_keys`): one anti-join per foreign key instead of one
        lookup per row at commit. Returns whether it did; elsewhere the database checks as usual."""
        if not self.uses_copy:
            return False
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            (superuser,) = cursor.fetchone()
            if superuser:
                cursor.execute("SET LOCAL session_replication_role = replica")
        self.keys_deferred = bool(superuser)
        return self.keys_deferred

    def check_keys(self, model_list: Iterable[type[models.Model]]) -> int:
        """Every foreign key of the loaded tables points at an existing row; raises if one does not. Returns
        the number of keys checked."""
        qn = self.connection.ops.quote_name
        checked = 0
        with self.connection.cursor() as cursor:
            for model in model_list:
                for f in model._meta.concrete_fields:
                    if not f.is_relation or not f.db_constraint:
                        continue
                    target = f.target_field
                    sql = (
                        f"SELECT count(*) FROM {qn(model._meta.db_table)} c "
                        f"LEFT JOIN {qn(target.model._meta.db_table)} p "
                        f"ON p.{qn(target.column)} = c.{qn(f.column)} "
                        f"WHERE c.{qn(f.column)} IS NOT NULL AND p.{qn(target.column)} IS NULL"
                    )
                    cursor.execute(sql)
                    (orphans,) = cursor.fetchone()
                    if orphans:
                        raise MissingColumn(f"{model._meta.label}.{f.name}: {orphans} rows point at nothing")
                    checked += 1
        if self.keys_deferred:
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
        return checked

    def analyse(self, model_list: Iterable[type[models.Model]]) -> None:
        """Give the planner statistics of the loaded tables (PostgreSQL `ANALYZE`, a sample of each table).
        A bulk load leaves none until autovacuum gets round to it, and without them the planner guesses one
        row per table: measured on `national`, a provider's start page took 25 s instead of 0.1 s."""
        if not self.uses_copy:
            return
        qn = self.connection.ops.quote_name
        tables = sorted({m._meta.db_table for m in model_list})
        with self.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {qn(table)}")

    def reset_sequences(self, model_list: Iterable[type[models.Model]]) -> None:
        """After explicit ids were written, move the id sequences past them (PostgreSQL)."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(model_list))
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # -- figures ------------------------------------------------------------------------------------------
    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.stats)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.stats)
