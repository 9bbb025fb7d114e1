"""Municipal key figures as Kolada (RKA's national municipal database) defines them, for the annual report,
computed from the same rollup rows as the dashboard. Each definition as implemented is in docs/indicators.md.
Titles: Kolada's official short titles (catalogue snapshot in shared/data/kolada/)."""

from __future__ import annotations

from dataclasses import dataclass

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
    value: float | None
    unit: str  # "%" or "antal"
    base: int  # how many people the figure rests on (for suppression)


def _pct(num, den) -> float | None:
    return round(100 * num / den, 1) if den else None


def figures(total: dict) -> list[Figure]:
    """The figures from a merged total row (indicators.merge(dashboard)["total"])."""
    t = {k: (v or 0) for k, v in total.items()}
    exits = t.get("exits", 0)
    a, b = t.get("work_kolada", 0), t.get("studies_kolada", 0)
    c, d = t.get("other_support", 0), t.get("completed", 0)
    e = exits - a - b - c - d
    served, referred = t.get("served", 0), t.get("referred", 0)
    fu12 = t.get("fu12_n", 0)
    out = [
        ("U40450", a, "antal", exits),
        ("U40451", b, "antal", exits),
        ("U40452", c, "antal", exits),
        ("U40453", d, "antal", exits),
        ("U40454", e, "antal", exits),
        ("U40406", _pct(a, exits), "%", exits),
        ("U40409", _pct(b, exits), "%", exits),
        ("U40412", _pct(c, exits), "%", exits),
        ("U40415", _pct(d, exits), "%", exits),
        ("U40418", _pct(e, exits), "%", exits),
        ("U40455", _pct(a + b, exits), "%", exits),
        ("U40800", t.get("served_people", 0), "antal", served),
        ("U40803", referred, "antal", referred),
        # Every referral in Jobbtorg comes from a district caseworker (social services).
        ("U40809", _pct(referred, referred), "%", referred),
        ("U40811", _pct(t.get("age_le24", 0), served), "%", served),
        ("U40812", _pct(t.get("age_ge25", 0), served), "%", served),
        ("U40813", _pct(t.get("edu_post_secondary", 0), served), "%", served),
        ("U40814", _pct(t.get("edu_upper_secondary", 0), served), "%", served),
        ("U40815", _pct(t.get("edu_compulsory", 0), served), "%", served),
        ("U40816", _pct(t.get("edu_none", 0), served), "%", served),
        ("U40827", _pct(t.get("edu_unknown", 0), served), "%", served),
        ("U40817", _pct(t.get("nowork_lt6", 0), served), "%", served),
        ("U40818", _pct(t.get("nowork_6_24", 0), served), "%", served),
        ("U40819", _pct(t.get("nowork_gt24", 0), served), "%", served),
        ("U40820", _pct(t.get("dur_lt3", 0), exits), "%", exits),
        ("U40821", _pct(t.get("dur_3_6", 0), exits), "%", exits),
        ("U40822", _pct(t.get("dur_6_24", 0), exits), "%", exits),
        ("U40823", _pct(t.get("dur_gt24", 0), exits), "%", exits),
        ("U31462", _pct(t.get("not_back_12", 0), fu12), "%", fu12),
    ]
    return [Figure(id=i, title=TITLES[i], value=v, unit=u, base=n) for i, v, u, n in out]
