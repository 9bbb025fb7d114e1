"""Small-group suppression, one rule (utils.suppression) for every table that shows counts of people outside
the unit: no count of fewer than five people is shown, and none can be worked out by subtracting the shown
cells of a line (months, groups, categories) from its shown total."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbtorg.followup.models import Exit
from jobbtorg.utils import suppression
from tests.factories import DistrictFactory, ReferralFactory, UnitFactory, UserFactory

WITHHELD = {"<5", "–"}
MONTH = re.compile(r"^\d{4}-\d{2}$")


def test_a_line_never_keeps_exactly_one_withheld_cell():
    values = {"a": 12, "b": 7, "c": 2, "total": 21}
    withheld = suppression.withhold(values, [(["a", "b", "c"], "total")])
    assert withheld == {"c": "<5", "b": "–"}  # the next-smallest goes too
    # Only one cell besides the small one: the total goes.
    assert suppression.withhold({"a": 9, "b": 3, "t": 12}, [(["a", "b"], "t")]) == {
        "b": "<5",
        "a": "–",
    }
    # Lines that cross: withholding in a row may call for more in a column.
    grid = {("r1", "x"): 2, ("r1", "y"): 10, ("r1", "t"): 12, ("r2", "x"): 8, ("r2", "y"): 9, ("r2", "t"): 17}
    grid |= {("t", "x"): 10, ("t", "y"): 19, ("t", "t"): 29}
    lines = [([(r, "x"), (r, "y")], (r, "t")) for r in ("r1", "r2", "t")]
    lines += [([("r1", c), ("r2", c)], ("t", c)) for c in ("x", "y", "t")]
    hidden = suppression.withhold(grid, lines)
    assert_no_line_gives_one_away(grid, lines, hidden)
    assert hidden[("r1", "x")] == "<5"


def assert_no_line_gives_one_away(values, lines, hidden):
    for cells, total in lines:
        line = [*cells, total]
        assert sum(1 for cell in line if cell in hidden) != 1, (line, hidden)


def test_zero_is_withheld_and_shares_resting_on_few_people_are_withheld():
    assert [suppression.count(n) for n in (0, 1, 4, 5)] == ["<5", "<5", "<5", 5]
    assert suppression.share_is_shown(5, 10) and not suppression.share_is_shown(4, 10)
    assert not suppression.share_is_shown(7, 10)  # 3 without the trait
    assert not suppression.share_is_shown(0, 12) and not suppression.share_is_shown(3, 4)


@pytest.fixture
def city(db):
    """Three units: 12, 7 and 2 referrals in 2025, spread over January–March so that the months are all
    large but the smallest unit is small; ten of the first unit's people left in March, five for work and
    five for studies."""
    first = UnitFactory(name="Jobbtorg Ett")
    second = UnitFactory(municipality=first.municipality, name="Jobbtorg Två")
    third = UnitFactory(municipality=first.municipality, name="Jobbtorg Tre")
    plan = [(first, dt.date(2025, 1, 15), 6), (first, dt.date(2025, 2, 14), 6)]
    plan += [(second, dt.date(2025, 3, 14), 7), (third, dt.date(2025, 1, 20), 2)]
    made = []
    for unit, day, n in plan:
        district = DistrictFactory(unit=unit)
        for _ in range(n):
            made.append(
                ReferralFactory(
                    district=district,
                    participant__district=district,
                    referral_date=day,
                    accepted=True,
                    accepted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
                )
            )
    for k, referral in enumerate(made[:10]):
        reason = "work" if k < 5 else "studies"
        Exit.objects.create(
            referral=referral,
            participant=referral.participant,
            exit_date=dt.date(2025, 3, 20),
            reason=reason,
            studies_with_student_finance=reason == "studies",
            studies_eligible_for_student_finance=True if reason == "studies" else None,
            municipal_labour_market_job=False if reason == "work" else None,
            work_lasted_one_month=True if reason == "work" else None,
        )
    return UserFactory(analyst=True, municipality=first.municipality)


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"
    return client


def _rows(response) -> tuple[list[str], list[list[str]]]:
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=";")]
    rows = rows[: rows.index([])] if [] in rows else rows  # the footer: an empty row, then "as of"
    return rows[0], rows[1:]


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return None


SECTIONS = ("flow", "guarantee", "results", "lockin", "money", "attendance")


def test_no_count_under_five_is_shown_or_recoverable_by_subtraction_in_any_export(client, city):
    client.force_login(city)
    query = "?start=2025-01&end=2025-03&breakdown=unit"
    tried = 0
    for name in SECTIONS:
        header, body = _rows(client.get(reverse("reporting:export", args=[name, "csv"]) + query))
        total = next(row for row in body if row[0] == "Total")
        months = [row for row in body if MONTH.match(row[0])]
        groups = [row for row in body if row is not total and row not in months]
        assert groups, name  # the breakdown by unit is there
        for column in range(1, len(header)):
            shown_total = _number(total[column])
            for family in (months, groups):
                cells = [row[column] for row in family]
                if shown_total is None or not cells:
                    continue
                tried += 1
                hidden = [cell for cell in cells if cell in WITHHELD]
                remainder = shown_total - sum(_number(cell) or 0 for cell in cells if cell not in WITHHELD)
                # Exactly one withheld cell would be `remainder`: never allowed.
                assert len(hidden) != 1, (name, header[column], cells, total[column], remainder)
    assert tried >= 10
    # The counts of people shown are never 0–4.
    header, body = _rows(client.get(reverse("reporting:export", args=["flow", "csv"]) + query))
    for row in body:
        for cell in row[1:]:
            value = _number(cell)
            assert value is None or value >= 5, (row, cell)
    assert ["Jobbtorg Tre", "<5", "<5", "<5", "<5", "<5"] in [row[:6] for row in body]
    assert any(row[0] == "Jobbtorg Två" and row[1] == "–" for row in body)  # protects Tre's 2
    # Five of ten left for work: the share is shown where both halves are five or more.
    header, body = _rows(client.get(reverse("reporting:export", args=["results", "csv"]) + query))
    shares = {row[0]: row[header.index("Exits to work")] for row in body}
    assert shares["Total"] == "50.0" and shares["Jobbtorg Ett"] == "50.0" and shares["Jobbtorg Tre"] == "–"


def test_the_funnel_and_kolada_exports_follow_the_same_rule(client, city):
    client.force_login(city)
    query = "?start=2025-01&end=2025-03&breakdown=unit"
    _header, funnel = _rows(client.get(reverse("reporting:export", args=["funnel", "csv"]) + query))
    values = dict((row[0], row[1]) for row in funnel)
    assert values["Referred"] == "21" and values["Plan approved"] == "<5"
    _header, kolada = _rows(client.get(reverse("reporting:export", args=["kolada", "csv"]) + query))
    by_id = {row[0]: row[2] for row in kolada}
    assert by_id["U40803"] == "21" and by_id["U40450"] == "5" and by_id["U40406"] == "50.0"
    assert by_id["U40455"] == "–"  # all ten left for work or studies: 100 % would say so about each
    # Exits C, D and E are none: withheld, and so each of them cannot be worked out from the ten exits.
    assert [by_id[f] for f in ("U40452", "U40453", "U40454")] == ["<5", "<5", "<5"]
    assert by_id["U40811"] == "–"  # nobody is 24 or younger: 0 % would say so about all 21
