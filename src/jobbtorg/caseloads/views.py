"""The unit head's caseload page (with the bulk reassignment) and the substitutes of the unit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobbtorg.audit.services import read_records
from jobbtorg.referrals import perms as referral_perms
from jobbtorg.referrals import services as referral_services
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.views import rule_required

from . import perms, selectors
from .forms import CaseloadQueryForm, ReassignForm


def _page(request, *, reassign_form=None, status=200):
    user = request.user
    query = CaseloadQueryForm(request.GET)
    if not query.is_valid():
        return render(request, "caseloads/caseloads.html", {"query": query}, status=400)
    today = timezone.localdate()
    weeks = query.cleaned_data["weeks"] or selectors.lost_weeks_default()
    coach_id = query.cleaned_data["coach"]
    lost = list(selectors.lost_people(user=user, today=today, weeks=weeks))
    chosen = list(selectors.people_of(user=user, coach_id=coach_id)) if coach_id else []
    read_records(user=user, participants={r.participant for r in lost + chosen}, view="caseloads")
    loads = selectors.staff_loads(user=user, today=today, weeks=weeks)
    history = selectors.caseload_over_time(unit_id=user.unit_id, today=today)
    context = {
        "query": query,
        "weeks": weeks,
        "loads": loads,
        "unassigned": selectors.unassigned_count(user=user),
        "lost": lost,
        "chosen": chosen,
        "chosen_coach": next((row.user for row in loads if row.user.pk == coach_id), None),
        "history": history,
        "reassign_form": reassign_form or ReassignForm(unit_id=user.unit_id),
    }
    return render(request, "caseloads/caseloads.html", context, status=status)


@require_GET
@rule_required(perms.can_view_caseloads)
def caseloads(request):
    """Active people per coach (and per counsellor/matcher), overdue plans per coach, people not met for N
    weeks (`?weeks=`, default from the settings), a coach's people (`?coach=`), and the caseload per coach
    over time. The people listed are read-logged."""
    return _page(request)


@require_POST
@rule_required(referral_perms.can_reassign_cases)
def reassign(request):
    """Move the chosen people to another coach, all or none: a person changed meanwhile (a stale version)
    undoes the whole move."""
    form = ReassignForm(request.POST, unit_id=request.user.unit_id)
    if form.is_valid():
        try:
            changes = referral_services.referrals_reassign(
                versions=form.versions(),
                to_coach=form.cleaned_data["coach"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ConflictError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return _page(request, reassign_form=form, status=400)
        else:
            messages.success(
                request,
                _("%(n)s people moved to %(coach)s.")
                % {"n": len(changes), "coach": form.cleaned_data["coach"]},
            )
        return redirect("caseloads:caseloads")
    return _page(request, reassign_form=form, status=400)
