"""Search-as-you-type over the taxonomy for forms: HTMX fragments of <option>s for a <datalist>."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobbtorg.plans.forms import split_list

from . import selectors


def _query(request, *names) -> str:
    for name in ("q", *names):
        value = request.GET.get(name)
        if value:
            return value
    return ""


def _require_staff(user) -> None:
    if not user.is_unit_staff:
        raise PermissionDenied


@require_GET
@login_required
def occupation_options(request):
    """'undersköt' → <option value="5321 Undersköterska, hemtjänst, äldreboende och habilitering">."""
    _require_staff(request.user)
    results = selectors.occupation_search(q=_query(request, "add_occupation", "occupation_search"))
    return render(request, "taxonomy/_occupation_options.html", {"results": results})


@require_GET
@login_required
def skill_options(request):
    _require_staff(request.user)
    codes = [c for c in split_list(request.GET.get("wanted_occupations", "")) if c.isdigit()]
    if request.GET.get("occupation"):
        codes.append(request.GET["occupation"][:4])
    results = selectors.skill_search(q=_query(request, "add_skill", "skill_search"), codes=codes)
    return render(request, "taxonomy/_skill_options.html", {"results": results})
