"""Words for a score explanation (scoring.explain gives language-neutral data; this words it for people)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jobbtorg.plans.constants import PlacementKind, SwedishLevel

SWEDISH_BY_RANK = dict(enumerate(SwedishLevel))
COMPONENT_LABELS = {
    "occupation": gettext_lazy("Occupation"),
    "skills": gettext_lazy("Skills"),
    "swedish": gettext_lazy("Swedish"),
    "hours": gettext_lazy("Hours"),
    "licence": gettext_lazy("Driving licence"),
    "distance": gettext_lazy("Distance"),
    "wishes": gettext_lazy("Own wishes"),
}


def _swedish(rank: int) -> str:
    level = SWEDISH_BY_RANK.get(rank)
    return str(level.label) if level is not None else "?"


def _kind(value: str) -> str:
    try:
        return str(PlacementKind(value).label)
    except ValueError:
        return value


def _hours(value) -> str:
    return f"{float(value):g}"


def component_text(component: dict, labels: dict | None = None) -> str:
    key, d = component["key"], component["detail"]
    labels = labels or {}
    if key == "occupation":
        rel = d["relation"]
        wanted = d.get("wanted")
        group = f"{wanted} {labels.get(wanted, '')}".strip() if wanted else ""
        return {
            "same_4": _("The same occupation group as a wish (%(group)s)."),
            "same_3": _(
                "A closely related occupation group (same 3-digit SSYK group as the wish %(group)s)."
            ),
            "same_2": _("The same occupational area (same 2-digit SSYK group as the wish %(group)s)."),
            "related_skills": _("A related occupation: shares skills with the wish %(group)s."),
            "none": _("Not related to any wished occupation."),
        }[rel] % {"group": group}
    if key == "skills":
        if not d["required"] and not d["merits"]:
            return _("The vacancy lists no skills.")
        return _("%(req_hit)s of %(req)s required skills and %(merit_hit)s of %(merit)s merits match.") % {
            "req_hit": d["required_matched"],
            "req": d["required"],
            "merit_hit": d["merits_matched"],
            "merit": d["merits"],
        }
    if key == "swedish":
        gap = d["required"] - d["has"]
        params = {"required": _swedish(d["required"]), "has": _swedish(d["has"])}
        if gap <= 0:
            return _("Meets the requirement (%(required)s; has %(has)s).") % params
        if gap == 1:
            return (
                _("One level below the requirement (%(required)s; has %(has)s): possible with SFI alongside.")
                % params
            )
        return _("Below the requirement (%(required)s; has %(has)s).") % params
    if key == "hours":
        params = {"hours": _hours(d["hours"]), "capacity": _hours(d["capacity_hours"])}
        if d["hours"] <= d["capacity_hours"]:
            return _("%(hours)s h/week within a work capacity of %(capacity)s h/week.") % params
        if d["hours"] <= 2 * d["capacity_hours"]:
            return _("%(hours)s h/week is more than the work capacity of %(capacity)s h/week.") % params
        return _("%(hours)s h/week is more than twice the work capacity of %(capacity)s h/week.") % params
    if key == "licence":
        if not d["required"]:
            return _("No driving licence required.")
        return (
            _("Driving licence required and held.") if d["has"] else _("Driving licence required, not held.")
        )
    if key == "distance":
        return {
            "same_area_3": _("Same postal area (first three digits): close by."),
            "same_area_2": _("Same part of the city or town (first two digits of the postal code)."),
            "same_region": _("Same postal region (first digit): a longer commute."),
            "far": _("Another region."),
            "unknown": _("Postal code unknown."),
        }[d["relation"]]
    if key == "wishes":
        if not d["wished"]:
            return _("No wish recorded about the kind of placement.")
        if d["kind"] in d["wished"]:
            return _("The person wishes a %(kind)s.") % {"kind": _kind(d["kind"]).lower()}
        return _("The person wishes %(kinds)s, not this kind of placement.") % {
            "kinds": ", ".join(_kind(k).lower() for k in d["wished"])
        }
    return ""


def _unmet_requirements(explanation: dict) -> list[str]:
    """Requirements that lower the score without filtering the pair (a required skill the person lacks): a
    pair still ranked is never shown as a match without saying so (issue 16)."""
    out = []
    for component in explanation.get("components", []):
        detail = component.get("detail") or {}
        if component["key"] == "skills" and detail.get("required", 0) > detail.get("required_matched", 0):
            missing = detail["required"] - detail["required_matched"]
            out.append(
                f"{COMPONENT_LABELS['skills']}: "
                + ngettext(
                    "%(count)d required skill is missing.", "%(count)d required skills are missing.", missing
                )
                % {"count": missing}
            )
    return out


def describe(explanation: dict, labels: dict | None = None) -> dict:
    """{"score", "eligible", "rows": [{"label", "points", "max", "text"}], "why_not": [text]}."""
    rows = [
        {
            "key": c["key"],
            "label": COMPONENT_LABELS.get(c["key"], c["key"]),
            "points": round(c["points"], 1),
            "max": c["max"],
            "text": component_text(c, labels),
        }
        for c in explanation.get("components", [])
    ]
    texts = {r["key"]: r["text"] for r in rows}
    why_not = [
        f"{COMPONENT_LABELS.get(f['key'], f['key'])}: {texts.get(f['key'], '')}"
        for f in explanation.get("filtered_by", [])
    ]
    why_not += _unmet_requirements(explanation)
    score = explanation.get("score")
    return {
        "score": None if score is None else round(score, 1),
        "eligible": explanation.get("eligible", False),
        "rows": rows,
        "why_not": why_not,
    }
