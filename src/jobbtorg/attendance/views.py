from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.decorators import role_required
from jobbtorg.audit.services import read_records

from . import selectors, services


@role_required(Role.CASEWORKER)
def notices(request):
    """The caseworker's notices from the Jobbtorg and providers: facts to acknowledge."""
    show_all = request.GET.get("alla") == "1"
    page = Paginator(selectors.notices_for(request.user, open_only=not show_all), 25).get_page(request.GET.get("page"))
    read_records(user=request.user, participants={n.participant for n in page}, view="notices")
    return render(request, "attendance/notices.html", {"page": page, "show_all": show_all})


@require_POST
@role_required(Role.CASEWORKER)
def notice_acknowledge(request, pk):
    notice = get_object_or_404(selectors.notices_for(request.user), pk=pk)
    services.notice_acknowledge(notice=notice, by=request.user)
    messages.success(request, _("Acknowledged."))
    return redirect("attendance:notices")
