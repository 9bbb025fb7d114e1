"""The caseworker's notices (facts to acknowledge) and the open three-party meetings of their people."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbtorg.audit.services import read_records
from jobbtorg.utils.listing import sorted_page
from jobbtorg.utils.views import rule_required

from .. import perms, selectors, services

PAGE_SIZE = 25
# The columns of the notice list that sort (utils.listing): key in the URL → fields.
NOTICE_SORTS = {
    "date": ("date",),
    "kind": ("kind",),
    "acknowledged": ("acknowledged_at",),
    "received": ("created_at",),  # the default: newest first
}


@rule_required(perms.can_view_notices)
def notices(request):
    """Facts reported about people in the caseworker's district, from the Jobbtorg and providers."""
    show_all = request.GET.get("alla") == "1"
    listing = sorted_page(
        request,
        selectors.notices_for(request.user, open_only=not show_all),
        sorts=NOTICE_SORTS,
        default="-received",
        per_page=PAGE_SIZE,
    )
    page = listing.page
    meetings = list(selectors.open_meetings_for(request.user))
    read_records(
        user=request.user,
        participants={n.participant for n in page} | {m.participant for m in meetings},
        view="notices",
    )
    return render(
        request,
        "attendance/notices.html",
        {"page": page, "listing": listing, "show_all": show_all, "meetings": meetings},
    )


@require_POST
@rule_required(perms.can_view_notices)
def notice_acknowledge(request, pk):
    """One click: the notice is acknowledged (HTMX swaps the row; without JS the page reloads)."""
    notice = get_object_or_404(selectors.notices_for(request.user).select_related("acknowledged_by"), pk=pk)
    notice = services.notice_acknowledge(notice=notice, by=request.user)
    if request.htmx:
        return render(request, "attendance/_notice_row.html", {"notice": notice, "just_acknowledged": True})
    messages.success(request, _("Acknowledged."))
    url = reverse("attendance:notices")
    return redirect(f"{url}?alla=1" if request.POST.get("alla") == "1" else url)
