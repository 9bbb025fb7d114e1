"""The key indicators as named figures over the section rows of selectors.py, how the suppression rule
(utils.suppression) applies to them, and the labels of the breakdown groups. One definition per indicator,
used by the page, the exports and the bench."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from jobbtorg.participants.constants import TargetGroup
from jobbtorg.plans.constants import Tier
from jobbtorg.utils import suppression
from jobbtorg.utils.suppression import HIDDEN

from .constants import Breakdown, Gender


def _share(num: str, den: str) -> Callable[[dict], float | None]:
    def compute(row: dict) -> float | None:
        d = row.get(den) or 0
        return (row.get(num) or 0) / d if d else None

    return compute


def _field(name: str) -> Callable[[dict], object]:
    return lambda row: row.get(name)


def _ratio(num: Callable[[dict], object], den: Callable[[dict], object]) -> Callable[[dict], float | None]:
    def compute(row: dict) -> float | None:
        d = den(row) or 0
        return float(num(row) or 0) / float(d) if d else None

    return compute


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    kind: str  # count | share | days | money
    compute: Callable[[dict], object]
    base: str  # the count of people the figure rests on (for suppression); for counts, the figure itself
    section: str
    # The counts of people the figure reveals besides its base (with the base, from the figure): a share's
    # numerator (whose complement base − numerator is revealed too), a cost per result's results.
    counts: tuple[str, ...] = ()


I = Indicator  # noqa: E741 - short table below
INDICATORS: list[Indicator] = [
    # flow
    I("referrals", _("Referrals"), "count", _field("referrals"), "referrals", "flow"),
    I("accepted", _("Accepted"), "count", _field("accepted"), "accepted", "flow"),
    I("plans", _("Action plans approved"), "count", _field("plans"), "plans", "flow"),
    I("exits", _("Exits"), "count", _field("exits"), "exits", "flow"),
    I("active", _("Active at month end"), "count", _field("active"), "active", "flow"),
    # five-day guarantee
    I(
        "plan_in_time",
        _("Plans approved within five working days"),
        "share",
        _share("in_time", "due"),
        "due",
        "guarantee",
        ("in_time",),
    ),
    I(
        "median_days_to_plan",
        _("Median days to approved plan"),
        "days",
        _field("median_days_to_plan"),
        "approved",
        "guarantee",
    ),
    I(
        "median_days_to_intervention",
        _("Median days to first intervention"),
        "days",
        _field("median_days_to_intervention"),
        "started",
        "guarantee",
    ),
    # results
    I("work_share", _("Exits to work"), "share", _share("work", "exits"), "exits", "results", ("work",)),
    I(
        "studies_share",
        _("Exits to studies"),
        "share",
        _share("studies", "exits"),
        "exits",
        "results",
        ("studies",),
    ),
    I(
        "u40455",
        _("Exits to work or studies (U40455 result, per exit)"),
        "share",
        _ratio(lambda r: (r.get("work_kolada") or 0) + (r.get("studies_kolada") or 0), _field("exits")),
        "exits",
        "results",
        ("work_kolada", "studies_kolada"),
    ),
    I(
        "work_full_time",
        _("Of work: full time"),
        "share",
        _share("work_full_time", "work"),
        "work",
        "results",
        ("work_full_time",),
    ),
    I(
        "work_subsidised",
        _("Of work: subsidised"),
        "share",
        _share("work_subsidised", "work"),
        "work",
        "results",
        ("work_subsidised",),
    ),
    I(
        "no_assistance_3",
        _("No assistance 3 months after exit"),
        "share",
        _share("fu3_ok", "fu3_n"),
        "fu3_n",
        "results",
        ("fu3_ok",),
    ),
    I(
        "no_assistance_6",
        _("No assistance 6 months after exit"),
        "share",
        _share("fu6_ok", "fu6_n"),
        "fu6_n",
        "results",
        ("fu6_ok",),
    ),
    I(
        "no_assistance_12",
        _("No assistance 12 months after exit"),
        "share",
        _share("fu12_ok", "fu12_n"),
        "fu12_n",
        "results",
        ("fu12_ok",),
    ),
    I(
        # The product's own measure, counted from the programme exit (Kolada's U31462 counts from the month
        # assistance ended: kolada.py).
        "not_back_after_exit",
        _("Not back on assistance within a year of the programme exit"),
        "share",
        _share("not_back_12", "fu12_n"),
        "fu12_n",
        "results",
        ("not_back_12",),
    ),
    # lock-in
    I("served", _("People in the programme"), "count", _field("served"), "served", "lockin"),
    I(
        "median_days_in_programme",
        _("Median days in the programme"),
        "days",
        _field("median_days_in_programme"),
        "served",
        "lockin",
    ),
    I(
        "in_work_training",
        _("In internal work training at period end"),
        "count",
        _field("in_work_training"),
        "in_work_training",
        "lockin",
    ),
    I(
        "locked_6",
        _("In internal work training over 6 months without a next step"),
        "count",
        _field("locked_6"),
        "locked_6",
        "lockin",
    ),
    I(
        "locked_12",
        _("In internal work training over 12 months without a next step"),
        "count",
        _field("locked_12"),
        "locked_12",
        "lockin",
    ),
    # money
    I(
        "assistance_before",
        _("Assistance per person and month before exit (SEK)"),
        "money",
        _ratio(_field("assistance_before"), lambda r: 6 * (r.get("on_assistance") or 0)),
        "on_assistance",
        "money",
    ),
    I(
        "assistance_after",
        _("Assistance per person and month after exit (SEK)"),
        "money",
        _ratio(_field("assistance_after"), _field("months_after")),
        "on_assistance",
        "money",
    ),
    I("saved", _("Estimated assistance saved (SEK)"), "money", _field("saved"), "on_assistance", "money"),
    I("paid", _("Provider payments (SEK)"), "money", _field("paid"), "paid_people", "money"),
    I(
        "cost_per_participant",
        _("Provider cost per participant (SEK)"),
        "money",
        _ratio(_field("paid"), _field("paid_people")),
        "paid_people",
        "money",
    ),
    I(
        "cost_per_result",
        _("Provider cost per exit to work or studies (SEK)"),
        "money",
        _ratio(_field("paid"), lambda r: (r.get("work_kolada") or 0) + (r.get("studies_kolada") or 0)),
        "paid_people",
        "money",
        ("work_kolada", "studies_kolada"),
    ),
    # attendance
    I(
        "attendance_share",
        _("Share of planned hours attended"),
        "share",
        _share("hours_attended", "hours_planned"),
        "people",
        "attendance",
    ),
]
del I
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}

SECTIONS: list[tuple[str, str]] = [
    ("flow", _("Flow")),
    ("guarantee", _("The five-day guarantee")),
    ("results", _("Results")),
    ("lockin", _("Time in the programme and lock-in")),
    ("money", _("Money")),
    ("attendance", _("Attendance")),
]


def _with(indicator: Indicator) -> str:
    return f"{indicator.key}:with"


def _without(indicator: Indicator) -> str:
    return f"{indicator.key}:without"


def counts_of(row: dict) -> dict[str, int | None]:
    """The counts of people of a merged row that the indicators show or reveal: every base, every count an
    indicator reveals, and for each share the people with and without the trait."""
    counts: dict[str, int | None] = {}
    for indicator in INDICATORS:
        for name in (indicator.base, *indicator.counts):
            if name in row:
                counts[name] = row[name]
        if indicator.counts and indicator.base in row:
            with_trait = sum(row.get(name) or 0 for name in indicator.counts)
            counts[_with(indicator)] = with_trait
            if indicator.kind == "share":
                counts[_without(indicator)] = (row.get(indicator.base) or 0) - with_trait
    return counts


def withheld_cells(merged: dict) -> dict[tuple, suppression.Withheld]:
    """The counts to withhold in a merged {total, months, groups}: the small ones, and those that would let a
    small one be worked out from the total (months add up to the period, groups to the whole)."""
    values: dict[tuple, int | None] = {}
    rows = [("total", None, merged["total"])]
    rows += [("months", key, row) for key, row in merged["months"].items()]
    rows += [("groups", key, row) for key, row in merged["groups"].items()]
    for where, key, row in rows:
        for name, value in counts_of(row).items():
            values[(where, key, name)] = value
    names = {name for (_where, _key, name) in values}
    lines = []
    for name in names:
        for where in ("months", "groups"):
            cells = [(where, key, name) for key in merged[where] if (where, key, name) in values]
            if cells:
                lines.append((cells, ("total", None, name)))
    return suppression.withhold(values, lines)


def evaluate(row: dict, *, suppress: bool, withheld: dict[str, suppression.Withheld] | None = None) -> dict:
    """Every indicator of a merged row. With `suppress` (utils.suppression): a count withheld shows "<5" (or
    "–" when withheld so that another cannot be worked out); a figure whose base or revealed counts are
    withheld shows "–". `withheld`: name → text, for a row of a table (`withheld_cells`); by default the
    small counts of the row itself."""
    if suppress and withheld is None:
        withheld = suppression.withhold(counts_of(row))
    out: dict[str, object] = {}
    for indicator in INDICATORS:
        value = indicator.compute(row)
        if isinstance(value, Decimal):
            value = float(value)
        if suppress:
            if indicator.kind == "count" and indicator.base in withheld:
                value = withheld[indicator.base]
            elif indicator.base in withheld or any(
                name in withheld for name in (*indicator.counts, _with(indicator), _without(indicator))
            ):
                value = HIDDEN
        out[indicator.key] = value
    return out


def merge(data: dict) -> dict:
    """{section: {total, months, groups}} into one {total, months, groups} of merged rows."""
    merged: dict = {"total": {}, "months": {}, "groups": {}}
    for part in data.values():
        merged["total"].update(part.get("total") or {})
        for where in ("months", "groups"):
            for key, row in (part.get(where) or {}).items():
                merged[where].setdefault(key, {}).update(row)
    return merged


def group_labels(dimension: str | None, keys) -> dict:
    """Readable names of the breakdown groups (ids become names)."""
    keys = [k for k in keys if k is not None]
    labels: dict = {None: str(_("Unknown"))}
    if dimension == Breakdown.UNIT:
        from jobbtorg.accounts.models import Unit

        labels.update(
            {str(pk): name for pk, name in Unit.objects.filter(pk__in=keys).values_list("pk", "name")}
        )
    elif dimension == Breakdown.DISTRICT:
        from jobbtorg.accounts.models import District

        labels.update(
            {str(pk): name for pk, name in District.objects.filter(pk__in=keys).values_list("pk", "name")}
        )
    elif dimension == Breakdown.PROVIDER:
        from jobbtorg.providers.models import Provider

        labels.update(
            {str(pk): name for pk, name in Provider.objects.filter(pk__in=keys).values_list("pk", "name")}
        )
    elif dimension == Breakdown.INTERVENTION_TYPE:
        from jobbtorg.interventions.models import InterventionType

        labels.update({str(t.pk): t.display_name for t in InterventionType.objects.filter(pk__in=keys)})
    elif dimension == Breakdown.TARGET_GROUP:
        labels.update({k: str(TargetGroup(k).label) for k in keys if k in TargetGroup.values})
    elif dimension == Breakdown.TIER:
        labels.update({k: str(Tier(k).label) for k in keys if k in Tier.values})
    elif dimension == Breakdown.GENDER:
        labels.update({k: str(Gender(k).label) for k in keys if k in Gender.values})
    for k in keys:
        labels.setdefault(k, k)
    return labels


@dataclass
class Table:
    """One section as a table: rows (a month or a group) × the section's indicators."""

    key: str
    title: str
    columns: list[Indicator]
    total: dict
    months: list[tuple[datetime.date, dict]]
    groups: list[tuple[str, dict]]


def withheld_by_row(merged: dict, *, suppress: bool) -> dict:
    """{(where, key): {name: text}} of the counts withheld in each row (empty without suppression)."""
    rows: dict = {}
    if suppress:
        for (where, key, name), text in withheld_cells(merged).items():
            rows.setdefault((where, key), {})[name] = text
    return rows


def tables(data: dict, *, dimension: str | None, suppress: bool) -> list[Table]:
    merged = merge(data)
    withheld = withheld_by_row(merged, suppress=suppress)

    def shown(where, key, row):
        return evaluate(row, suppress=suppress, withheld=withheld.get((where, key), {}))

    total = shown("total", None, merged["total"])
    months = [(m, shown("months", m, row)) for m, row in sorted(merged["months"].items())]
    labels = group_labels(dimension, merged["groups"].keys())
    groups = sorted(
        ((labels.get(k, k), shown("groups", k, row)) for k, row in merged["groups"].items()),
        key=lambda item: str(item[0]),
    )
    out = []
    for key, title in SECTIONS:
        columns = [i for i in INDICATORS if i.section == key]
        keys = {i.key for i in columns}
        out.append(
            Table(
                key=key,
                title=str(title),
                columns=columns,
                total={k: v for k, v in total.items() if k in keys},
                months=[(m, {k: v for k, v in row.items() if k in keys}) for m, row in months],
                groups=[(g, {k: v for k, v in row.items() if k in keys}) for g, row in groups],
            )
        )
    return out
