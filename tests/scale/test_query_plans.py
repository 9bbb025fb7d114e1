"""No full scan of a large table on a per-person or per-unit page: every SELECT of the query-count pages
(`test_query_counts.checks` and `api_checks`) is explained and the test fails naming the page, the table and
the statement when a table that is large at `national` scale is read whole.

How the plan is made to tell on a small test database:
- PostgreSQL: `EXPLAIN (FORMAT JSON)` with `enable_seqscan = off`. The planner then avoids a sequential scan
  wherever an index can serve the query, so a `Seq Scan` left in the plan means no index serves it, and an
  index scan with no index condition (the whole index walked to avoid the sequential scan) means the same.
- SQLite: `EXPLAIN QUERY PLAN`. Without statistics SQLite assumes every table is large and uses an index
  wherever one fits; a bare `SCAN <table>` (no index at all) is a full scan. (SQLite also walks a covering
  index to build the list of an `IN (SELECT …)` — `visible_to`'s people — which PostgreSQL turns into a join;
  those are not counted.)
`test_a_missing_index_is_caught` drops the indexes the coach's meetings page needs and expects the failure.
The few scans known and not fixed yet are listed in `KNOWN` with the reason; a listed scan that is gone fails
too, so the list only shrinks.
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_query_counts import World, api_checks, api_client, checks, page_client

pytestmark = pytest.mark.django_db

# Tables with more than 10,000 rows in the `national` data set (bench/generate.py --scale national), and the
# read log and sessions, which grow with use.
LARGE_TABLES = frozenset(
    {
        "attendance_appointment",
        "attendance_attendancereport",
        "audit_readlog",
        "audit_changelog",
        "django_session",
        "followup_assistancemonth",
        "followup_exit",
        "interventions_booking",
        "matching_vacancy",
        "matching_vacancyskill",
        "participants_consent",
        "participants_participant",
        "plans_actionplan",
        "plans_mapping",
        "plans_planactivity",
        "plans_planversion",
        "providers_assignment",
        "referrals_referral",
        "referrals_referralevent",
        "reporting_attendancemonth",
        "reporting_case",
    }
)

# (page, table, vendor or None for both): full scans known and not fixed yet.
KNOWN = {
    # The read log of the unit's people, newest first, and its count for the pager: the rows of all the unit's
    # people are read (PostgreSQL walks the index on `at`). Needs a unit column on the read log.
    ("unit head: read log", "audit_readlog", None),
    ("API unit head: read log", "audit_readlog", None),
    # SQLite runs the unit's EXISTS per participant; PostgreSQL joins from the unit's referrals.
    ("API coach: participants", "participants_participant", "sqlite"),
}

_TABLE_ALIAS = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"(?:\s+(?:AS\s+)?"?([A-Z]\d+)"?)?')


def full_scans(sql: str) -> list[str]:
    """The large tables the statement reads whole, by the database's own plan."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            try:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
            finally:
                cursor.execute("RESET enable_seqscan")
        if isinstance(plan, str):
            plan = json.loads(plan)
        found = []
        stack = [plan[0]["Plan"]]
        while stack:
            node = stack.pop()
            stack.extend(node.get("Plans", ()))
            table = node.get("Relation Name")
            if table not in LARGE_TABLES:
                continue
            kind = node["Node Type"]
            if kind == "Seq Scan" or (kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node):
                found.append(
                    f"{table} ({kind}{' using ' + node['Index Name'] if 'Index Name' in node else ''})"
                )
        return found
    aliases = {}
    for table, alias in _TABLE_ALIAS.findall(sql):
        aliases[alias or table] = table
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        details = [row[-1] for row in cursor.fetchall()]
    found = []
    for detail in details:
        match = re.fullmatch(r"SCAN (\w+)", detail.strip())
        if match and aliases.get(match.group(1), match.group(1)) in LARGE_TABLES:
            found.append(f"{aliases.get(match.group(1), match.group(1))} ({detail})")
    return found


def page_queries(client, url: str) -> list[str]:
    client.get(url)  # warm, as the query counts do
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]


def scans_of_pages(world: World, only: str | None = None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    pages = [(name, page_client(u), url) for name, u, url in checks(world)]
    pages += [(name, api_client(u), url) for name, u, url in api_checks(world)]
    for name, client, url in pages:
        if only and name != only:
            continue
        for sql in page_queries(client, url):
            for scan in full_scans(sql):
                problems.setdefault(name, []).append(f"{scan}: {sql[:400]}")
    return problems


@pytest.fixture
def world(caseworker, coach, unit_head):
    built = World(caseworker=caseworker, coach=coach, unit_head=unit_head)
    built.add_people(2)
    return built


def known(name: str, line: str) -> tuple | None:
    for page, table, vendor in KNOWN:
        if page == name and line.startswith(table + " ") and vendor in (None, connection.vendor):
            return (page, table, vendor)
    return None


def test_no_page_reads_a_large_table_whole(world):
    problems = scans_of_pages(world)
    unexpected = [
        f"{name}: {line}" for name, lines in problems.items() for line in lines if not known(name, line)
    ]
    assert not unexpected, "full scans of large tables:\n" + "\n".join(unexpected)
    seen = {known(name, line) for name, lines in problems.items() for line in lines}
    gone = {k for k in KNOWN if k[2] in (None, connection.vendor)} - seen
    assert not gone, f"no longer a full scan: take these out of KNOWN: {gone}"


def test_a_missing_index_is_caught(world):
    """Without the meetings' indexes (dropped inside the test's transaction) the coach's meetings page is
    named; with them it is not (the test above)."""
    table = "attendance_appointment"
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            if info["index"] and not info["primary_key"] and not info["unique"]:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    problems = scans_of_pages(world, only="coach: appointments")
    assert any("attendance_appointment" in line for line in problems.get("coach: appointments", ())), problems
