"""Municipal key figures as Kolada (RKA's national municipal database) defines them, for the annual report,
computed from the same rollup rows as the dashboard. Each definition as implemented is in docs/indicators.md.
Titles: Kolada's official short titles (catalogue snapshot in shared/data/kolada/)."""

from __future__ import annotations

from dataclasses import dataclass

from jobbtorg.utils import suppression
from jobbtorg.utils.numbers import percent

RESULT = "Resultat vid avslut i kommunens arbetsmarknadsverksamhet, deltagare som "
PARTICIPANTS = "Deltagare inom arbetsmarknadsverksamheten "
TITLES = {
    "U40450": RESULT + "A. Börjat arbeta, antal",
    "U40451": RESULT + "B. Börjat studera, antal",
    "U40452": RESULT + "C. Överförts till annan myndighet, antal",
    "U40453": RESULT + "D. Slutförda uppdrag, antal",
    "U40454": RESULT + "E. Övrigt, antal",
    "U40406": RESULT + "A. Börjat arbeta, andel (%)",
    "U40409": RESULT + "B. Börjat studera, andel (%)",
    "U40412": RESULT + "C. Överförts till annan myndighet, andel (%)",
    "U40415": RESULT + "D. Slutförda uppdrag, andel (%)",
    "U40418": RESULT + "E. Övrigt, andel (%)",
    "U40455": RESULT + "börjat arbeta eller studera, andel (%)",
    "U40800": "Deltagare i kommunala arbetsmarknadsåtgärder, antal",
    "U40803": "Deltagare som har anvisats till kommunala arbetsmarknadsåtgärder, antal",
    "U40809": "Anvisningar inom arbetsmarknadsverksamheten som initierats av socialtjänst, andel (%)",
    "U40811": PARTICIPANTS + "som är 24 år eller yngre, andel (%)",
    "U40812": PARTICIPANTS + "som är 25 år eller äldre, andel (%)",
    "U40813": PARTICIPANTS + "med eftergymnasial utbildning, andel (%)",
    "U40814": PARTICIPANTS + "med gymnasial utbildning, andel (%)",
    "U40815": PARTICIPANTS + "med högst grundskoleutbildning, andel (%)",
    "U40816": PARTICIPANTS + "med icke fullgjord grundskoleutbildning, andel (%)",
    "U40827": PARTICIPANTS + "där utbildningsnivå saknas, andel (%)",
    "U40817": PARTICIPANTS + "som varit utan arbete kortare än 6 månader innan inskrivning, andel (%)",
    "U40818": PARTICIPANTS + "som varit utan arbete mellan 6-24 månader innan inskrivning, andel (%)",
    "U40819": PARTICIPANTS + "som varit utan arbete mer än 24 månader innan inskrivning, andel (%)",
    "U40820": PARTICIPANTS + "vars insatser avslutats inom 3 månader, andel (%)",
    "U40821": PARTICIPANTS + "vars insatser har avslutats efter mellan 3 och 6 månader, andel (%)",
    "U40822": PARTICIPANTS + "vars insatser har avslutats efter mellan 6 och 24 månader, andel (%)",
    "U40823": PARTICIPANTS + "vars insatser har avslutats efter mer än 24 månader, andel (%)",
    "U31462": (
        "Ej återaktualiserade vuxna personer med försörjningsstöd ett år efter avslutat försörjningsstöd, "
        "andel (%)"
    ),
}


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    value: float | int | str | None  # a suppression.Withheld text when withheld
    unit: str  # "%" or "antal"
    base: int  # how many people the figure rests on (for suppression)

    @property
    def withheld(self) -> bool:
        return suppression.is_withheld(self.value)


def _pct(num, den) -> float | None:
    return percent(num / den) if den else None


# The categories that add up to a whole (for secondary suppression): each list of figures' counts sums to the
# base named after it — the exits by kind (A–E) and by time in the programme, the people by age, education
# and time without work.
PARTS = {
    "exits": (["U40450", "U40451", "U40452", "U40453", "U40454"], ["U40820", "U40821", "U40822", "U40823"]),
    "served": (
        ["U40811", "U40812"],
        ["U40813", "U40814", "U40815", "U40816", "U40827"],
        ["U40817", "U40818", "U40819"],
    ),
}


# The shares of exits A–E rest on the same counts as the numbers of exits A–E.
SAME_COUNT = {
    "U40406": "U40450",
    "U40409": "U40451",
    "U40412": "U40452",
    "U40415": "U40453",
    "U40418": "U40454",
}


def figures(total: dict, *, suppress: bool = False) -> list[Figure]:
    """The figures from a merged total row (indicators.merge(dashboard)["total"]); with `suppress`, withheld
    by the rule of utils.suppression (counts of the categories that add up to the exits or the people served
    protected against subtraction, shares withheld with their counts)."""
    t = {k: (v or 0) for k, v in total.items()}
    exits = t.get("exits", 0)
    a, b = t.get("work_kolada", 0), t.get("studies_kolada", 0)
    c, d = t.get("other_support", 0), t.get("completed", 0)
    e = exits - a - b - c - d
    served, referred = t.get("served", 0), t.get("referred", 0)
    fu12 = t.get("fu12_n", 0)
    # id, count of people with the trait (None: no such count), unit, base name, base
    rows = [
        ("U40450", a, "antal", "exits", exits),
        ("U40451", b, "antal", "exits", exits),
        ("U40452", c, "antal", "exits", exits),
        ("U40453", d, "antal", "exits", exits),
        ("U40454", e, "antal", "exits", exits),
        ("U40406", a, "%", "exits", exits),
        ("U40409", b, "%", "exits", exits),
        ("U40412", c, "%", "exits", exits),
        ("U40415", d, "%", "exits", exits),
        ("U40418", e, "%", "exits", exits),
        ("U40455", a + b, "%", "exits", exits),
        ("U40800", t.get("served_people", 0), "antal", "served", served),
        ("U40803", referred, "antal", "referred", referred),
        # Every referral comes from a district caseworker (social services): 100 % by construction.
        ("U40809", None, "%", "referred", referred),
        ("U40811", t.get("age_le24", 0), "%", "served", served),
        ("U40812", t.get("age_ge25", 0), "%", "served", served),
        ("U40813", t.get("edu_post_secondary", 0), "%", "served", served),
        ("U40814", t.get("edu_upper_secondary", 0), "%", "served", served),
        ("U40815", t.get("edu_compulsory", 0), "%", "served", served),
        ("U40816", t.get("edu_none", 0), "%", "served", served),
        ("U40827", t.get("edu_unknown", 0), "%", "served", served),
        ("U40817", t.get("nowork_lt6", 0), "%", "served", served),
        ("U40818", t.get("nowork_6_24", 0), "%", "served", served),
        ("U40819", t.get("nowork_gt24", 0), "%", "served", served),
        ("U40820", t.get("dur_lt3", 0), "%", "exits", exits),
        ("U40821", t.get("dur_3_6", 0), "%", "exits", exits),
        ("U40822", t.get("dur_6_24", 0), "%", "exits", exits),
        ("U40823", t.get("dur_gt24", 0), "%", "exits", exits),
        ("U31462", t.get("not_back_12", 0), "%", "fu12_n", fu12),
    ]
    withheld = _withheld(rows) if suppress else {}
    out = []
    for figure_id, count, unit, base_name, base in rows:
        key = SAME_COUNT.get(figure_id, figure_id)
        if unit == "antal":
            value = count
        elif count is None:
            value = _pct(base, base)
        else:
            value = _pct(count, base)
        if unit == "antal" and key in withheld:
            value = withheld[key]
        elif base_name in withheld or (unit == "%" and (key in withheld or f"{key}:without" in withheld)):
            value = suppression.HIDDEN
        out.append(Figure(id=figure_id, title=TITLES[figure_id], value=value, unit=unit, base=base))
    return out


def _withheld(rows) -> dict:
    values: dict = {}
    for figure_id, count, unit, base_name, base in rows:
        values[base_name] = base
        if count is None:
            continue
        key = SAME_COUNT.get(figure_id, figure_id)
        values[key] = count
        if unit == "%":  # a share reveals the people without the trait too
            values[f"{key}:without"] = base - count
    lines = [(parts, base_name) for base_name, groups in PARTS.items() for parts in groups]
    return suppression.withhold(values, lines)
