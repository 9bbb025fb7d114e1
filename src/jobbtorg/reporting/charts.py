"""Plotly figures as JSON-ready dicts (rendered in the browser by static/reporting/charts.js from a
<script type="application/json"> block: no inline script, so the Content-Security-Policy holds).

plotly is imported inside each function: the URL conf imports this module (tests/test_startup.py)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from jobbtorg.utils.numbers import percent
from jobbtorg.utils.suppression import numeric

from .indicators import Table

if TYPE_CHECKING:
    import plotly.graph_objects as go

LAYOUT = {"margin": {"l": 60, "r": 20, "t": 40, "b": 60}, "height": 340, "font": {"size": 13}}


def _json(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def trend(table: Table) -> dict:
    """Lines over the months, one per indicator of the section (shares in %, others as they are)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    x = [m.strftime("%Y-%m") for m, _row in table.months]
    for column in table.columns:
        values = [numeric(row.get(column.key)) for _m, row in table.months]
        if all(v is None for v in values):
            continue
        if column.kind == "share":
            values = [percent(v) for v in values]
        fig.add_trace(go.Scatter(x=x, y=values, mode="lines+markers", name=str(column.label)))
    fig.update_layout(title=table.title, **LAYOUT)
    return _json(fig)


def bars(table: Table, column_key: str) -> dict:
    import plotly.graph_objects as go

    column = next(c for c in table.columns if c.key == column_key)
    labels = [str(g) for g, _row in table.groups]
    values = [numeric(row.get(column_key)) for _g, row in table.groups]
    if column.kind == "share":
        values = [percent(v) for v in values]
    fig = go.Figure(go.Bar(x=labels, y=values, name=str(column.label)))
    fig.update_layout(title=str(column.label), **LAYOUT)
    return _json(fig)


def funnel(stages: list[tuple[str, int | None]]) -> dict:
    import plotly.graph_objects as go

    fig = go.Figure(go.Funnel(y=[s for s, _v in stages], x=[numeric(v) or 0 for _s, v in stages]))
    fig.update_layout(**{**LAYOUT, "margin": {"l": 220, "r": 20, "t": 20, "b": 20}})
    return _json(fig)


def comparison(rows: list[dict], title: str) -> dict:
    """Observed − expected in percentage points with the 95 % interval as error bars."""
    import plotly.graph_objects as go

    shown = [r for r in rows if r["difference"] is not None and not r.get("small") and not r.get("withheld")]
    fig = go.Figure(
        go.Bar(
            x=[r["label"] for r in shown],
            y=[percent(r["difference"]) for r in shown],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [percent(r["high"] - r["difference"]) for r in shown],
                "arrayminus": [percent(r["difference"] - r["low"]) for r in shown],
            },
        )
    )
    fig.update_layout(title=title, yaxis_title="pp", **LAYOUT)
    return _json(fig)
