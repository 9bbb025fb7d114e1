"""The read log for unit heads: who looked at which person's record, and when; and the unusual reads to follow
up."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render

from jobbtorg.participants.models import Participant
from jobbtorg.utils.views import rule_required

from .forms import ReadLogFilterForm
from .perms import can_review_reads
from .selectors import read_log_search, unusual_reads

PAGE_SIZE = 50
DAYS = 30  # the unusual reads of the last 30 days


@rule_required(can_review_reads)
def reads(request):
    """GET lists the latest reads; the filter form is POSTed (it may carry a personal identity number)
    and so is its pagination, so no filter value ever appears in a URL."""
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


@rule_required(can_review_reads)
def unusual(request):
    """Reads to follow up: outside the unit, of protected identities, many people in a short time."""
    found = unusual_reads(user=request.user, days=DAYS)
    ids = {entry.participant_id for key in ("outside", "protected") for entry in found[key]}
    people = Participant.objects.visible_to(request.user).in_bulk(ids)
    return render(
        request,
        "audit/unusual.html",
        {
            "days": DAYS,
            "outside": [{"entry": e, "person": people.get(e.participant_id)} for e in found["outside"]],
            "protected": [{"entry": e, "person": people.get(e.participant_id)} for e in found["protected"]],
            "bulk": found["bulk"],
            "bulk_count": settings.JOBBTORG_UNUSUAL_READS_COUNT,
            "bulk_minutes": settings.JOBBTORG_UNUSUAL_READS_MINUTES,
        },
    )
