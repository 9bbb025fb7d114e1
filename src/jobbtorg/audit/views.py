"""The read log for unit heads: who looked at which person's record, and when."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.decorators import role_required
from jobbtorg.participants.models import Participant

from .forms import ReadLogFilterForm
from .selectors import read_log_search

PAGE_SIZE = 50


@role_required(Role.UNIT_HEAD)
def reads(request):
    """GET lists the latest reads; the filter form is POSTed (it may carry a personal identity number)
    and so is its pagination, so no filter value ever appears in a URL."""
    if not request.user.has_perm("audit.view_readlog"):
        raise PermissionDenied
    form = ReadLogFilterForm(request.POST if request.method == "POST" else None, user=request.user)
    filters = {}
    page_number = request.GET.get("page")
    if form.is_bound:
        if not form.is_valid():
            return render(
                request, "audit/reads.html", {"form": form, "page": None, "staff": _unit_staff(request)}
            )
        data = form.cleaned_data
        filters = {
            "participant": data["participant"],
            "actor": data["actor"],
            "since": data["since"],
            "until": data["until"],
        }
        page_number = data["page"]
    entries = read_log_search(user=request.user, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(page_number)
    people = Participant.objects.visible_to(request.user).in_bulk({entry.participant_id for entry in page})
    rows = [{"entry": entry, "person": people.get(entry.participant_id)} for entry in page]
    return render(
        request,
        "audit/reads.html",
        {"form": form, "page": page, "rows": rows, "filtered": form.is_bound, "staff": _unit_staff(request)},
    )


def _unit_staff(request):
    """Usernames of the unit's staff, offered as suggestions in the user field."""
    return get_user_model().objects.filter(unit_id=request.user.unit_id).order_by("username")
