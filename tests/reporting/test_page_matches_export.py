"""Every figure of the dashboard's fair comparison, Kolada table and funnel is the figure of its download:
a template can no longer show something else (it once showed 0 % for every unit: `widthratio` with 0.1)."""

import csv
import datetime
import functools
import html as htmllib
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from jobbtorg.accounts.models import Municipality
from jobbtorg.reporting import comparison
from jobbtorg.utils.numbers import percent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
QUERY = "?start=2024-01&end=2026-10"


@pytest.fixture
def analyst(client, monkeypatch):
    # The demo data set has about 90 exits over five units: judge groups from 10 exits so that several get
    # figures (the model is fitted as always; only the "too few to judge" line moves).
    monkeypatch.setattr(comparison, "compare_many", functools.partial(comparison.compare_many, min_exits=10))
    call_command("generate_dataset", scale="demo", seed=7, today=TODAY, no_progress=True)
    user = UserFactory(analyst=True, municipality=Municipality.objects.get())
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return user


def _export(client, name):
    response = client.get(reverse("reporting:export", args=[name, "csv"]) + QUERY)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    rows = rows[: rows.index([])] if [] in rows else rows
    return rows[0], rows[1:]


def _cells(html: str, caption: str) -> list[tuple[str, list[str]]]:
    """The rows of the table with this caption: (row header, the other cells' text)."""
    table = re.search(r"<table><caption>" + re.escape(caption) + r"</caption>(.*?)</table>", html, re.S)
    assert table, caption
    rows = []
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table.group(1), re.S):
        head, _, rest = row.partition("</th>")
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)]
        rows.append((_text(head), cells))
    return rows


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _shown(text: str):
    """A page cell as a number (Swedish or English decimals), or the text itself ("–", "<5")."""
    try:
        return float(text.replace("\u00a0", "").replace(",", ".").replace(" %", ""))
    except ValueError:
        return text


def test_the_fair_comparison_on_the_page_is_the_export(client, analyst):
    html = client.get(reverse("reporting:dashboard") + QUERY).content.decode()
    compared = 0
    for by, caption in (("unit", "Units"), ("provider", "Providers")):
        page = _cells(html, caption)
        _header, rows = _export(client, f"comparison-{by}")
        assert len(page) == len(rows) > 0
        for (label, cells), row in zip(page, rows, strict=True):
            assert label == row[0]
            assert _shown(cells[0]) == _shown(row[1]), row  # exits
            if len(cells) < 5:  # too few / withheld: no figures on the page, none in the export
                assert all(c in ("", "–", "too few to judge") for c in row[2:]), row
                continue
            low, high = (_shown(c) for c in cells[4].split(" – "))
            shown = [_shown(c) for c in cells[1:4]] + [low, high]
            assert shown == [float(v) for v in row[2:7]], (label, cells, row)
            assert 0 < shown[0] <= 100 and 0 < shown[1] <= 100, (label, shown)  # percent, not a fraction or 0
            compared += 1
    assert compared >= 2, "the demo data set should give at least two groups with figures"


def test_the_kolada_table_and_the_funnel_on_the_page_are_the_exports(client, analyst):
    html = client.get(reverse("reporting:dashboard") + QUERY).content.decode()
    page = _cells(html, "Kolada key figures for the annual report")
    _header, rows = _export(client, "kolada")
    assert len(page) == len(rows) > 10
    numbers = 0
    for (kpi, cells), (code, title, value, _unit, numerator, denominator, status) in zip(
        page, rows, strict=True
    ):
        assert (kpi, cells[0]) == (code, title)
        assert _shown(cells[1]) == _shown(value), (kpi, cells, value)
        assert (_shown(cells[2]), _shown(cells[3])) == (_shown(numerator), _shown(denominator)), (kpi, cells)
        assert cells[4] == status, (kpi, cells, status)
        numbers += isinstance(_shown(value), float)
    assert numbers >= 5
    page = _cells(html, "From referral to self-support")
    _header, rows = _export(client, "funnel")
    assert [(stage, _shown(cells[0])) for stage, cells in page] == [(stage, _shown(v)) for stage, v in rows]


def test_shares_are_percent_with_one_decimal():
    assert percent(0.148) == 14.8 and percent(-0.0213) == -2.1 and percent(None) is None


def test_the_percent_filter_is_localised_and_never_rounds_to_zero():
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load numbers %}{{ share|percent }}|{{ none|percent }}")
    with translation.override("sv"):
        assert template.render(Context({"share": 0.4, "none": None})) == "40,0|–"
    with translation.override("en"):
        assert template.render(Context({"share": 0.0049, "none": None})) == "0.5|–"
