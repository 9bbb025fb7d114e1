"""Reads of the occupation taxonomy: search-as-you-type and validation of codes and skill ids."""

from django.db.models import Q

from .models import OccupationGroup, OccupationName, Skill


def occupation_search(*, q: str, limit: int = 15) -> list[dict]:
    """Occupation names matching the text (any word start, case-insensitive), or 4-digit groups by code
    prefix. "undersköt" finds "Undersköterska, hemtjänst, äldreboende och habilitering" → 5321."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    if q.isdigit():
        groups = OccupationGroup.objects.filter(level=4, code__startswith=q).order_by("code")[:limit]
        return [{"code": g.code, "name": g.label, "group_label": g.label, "field": ""} for g in groups]
    names = (
        OccupationName.objects.filter(
            Q(name__istartswith=q) | Q(name__icontains=f" {q}") | Q(name__icontains=q)
        )
        .select_related("group")
        .order_by("name")[: limit * 3]
    )
    folded = q.casefold()
    ranked = sorted(names, key=lambda n: (not n.name.casefold().startswith(folded), n.name))[:limit]
    return [
        {"code": n.group_id, "name": n.name, "group_label": n.group.label, "field": n.field} for n in ranked
    ]


def skill_search(*, q: str, limit: int = 15, codes: list[str] | None = None) -> list[Skill]:
    """Skills whose name contains the text; those related to `codes` (4-digit groups) first."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    found = list(Skill.objects.filter(name__icontains=q).order_by("name")[: limit * 4])
    if codes:
        related = set(
            Skill.groups.through.objects.filter(
                skill_id__in=[s.pk for s in found], occupationgroup_id__in=codes
            ).values_list("skill_id", flat=True)
        )
    else:
        related = set()
    folded = q.casefold()
    found.sort(key=lambda s: (s.pk not in related, not s.name.casefold().startswith(folded), s.name))
    return found[:limit]


def unknown_occupation_codes(codes) -> list[str]:
    """The codes that are not 4-digit SSYK 2012 unit groups."""
    wanted = [str(c) for c in codes or []]
    known = set(OccupationGroup.objects.filter(level=4, code__in=wanted).values_list("code", flat=True))
    return [c for c in wanted if c not in known]


def unknown_skill_ids(ids) -> list:
    values = list(ids or [])
    ints = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    known = set(Skill.objects.filter(pk__in=ints).values_list("pk", flat=True))
    return [v for v in values if v not in known or isinstance(v, bool)]


def groups_by_code(codes) -> dict[str, OccupationGroup]:
    return {g.code: g for g in OccupationGroup.objects.filter(code__in=list(codes or []))}


def skills_by_id(ids) -> dict[int, Skill]:
    return {s.pk: s for s in Skill.objects.filter(pk__in=[i for i in ids or [] if isinstance(i, int)])}
