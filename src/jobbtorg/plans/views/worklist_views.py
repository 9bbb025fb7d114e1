"""The coach's worklist and the caseworker's inbox: the start pages of the plans area."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jobbtorg.attendance.models import Appointment
from jobbtorg.attendance.selectors import own_appointments
from jobbtorg.audit.services import read_records
from jobbtorg.followup.models import Exit
from jobbtorg.followup.selectors import active_job_supports
from jobbtorg.referrals import perms as perms_referrals
from jobbtorg.referrals.constants import CaseScope
from jobbtorg.referrals.deadline import deadline_state
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.selectors import case_scope, in_scope
from jobbtorg.utils.listing import sorted_page
from jobbtorg.utils.views import rule_required

from .. import perms
from ..selectors import caseworker_inbox, coach_worklist, plans_to_decide

WORKLIST_SECTIONS = ("new_referrals", "due_today", "overdue", "returned")


def _people(*lists):
    """Each person once, whatever list they appear in (for the read log)."""
    seen = {}
    for items in lists:
        for item in items:
            seen.setdefault(item.participant_id, item.participant)
    return list(seen.values())


def _row(referral, today) -> dict:
    """A worklist row: the referral and how its plan (not in force yet) stands against the deadline."""
    state = deadline_state(due=referral.plan_due_date, approved_at=None, today=today)
    return {"referral": referral, "overdue_days": state.overdue_days, "overdue": state.overdue}


@require_GET
@rule_required(perms.can_view_worklist)
def worklist(request):
    """A coach's own cases by default ("my cases": responsible coach, or substitute today); `?scope=unit`
    shows the whole unit. Other Jobbtorg staff see the unit."""
    today = timezone.localdate()
    user = request.user
    scope = case_scope(user, request.GET.get("scope"))
    data = coach_worklist(user=user, today=today, scope=scope)
    sections = {name: [_row(referral, today) for referral in data[name]] for name in WORKLIST_SECTIONS}
    exits = Exit.objects.visible_to(user)
    mine = None
    if scope == CaseScope.MINE:
        mine = in_scope(Referral.objects.all(), user=user, scope=scope, on=today).values("pk")
        exits = exits.filter(referral__in=mine)
    job_supports = list(active_job_supports(user=user, on=today, referrals=mine)[:100])
    followups = list(
        exits.work_followup_due(today)
        .select_related("participant", "referral")
        .order_by("work_start_date")[:50]
    )
    meetings = Appointment.objects.visible_to(user)
    if scope == CaseScope.MINE:
        meetings = own_appointments(meetings, user)
    interpreters = list(
        meetings.lacking_interpreter(timezone.now()).select_related("participant").order_by("starts_at")[:50]
    )
    read_records(
        user=request.user,
        participants=_people(
            *(data[name] for name in WORKLIST_SECTIONS), followups, interpreters, job_supports
        ),
        view="worklist",
    )
    deadline = data["deadline"]
    percent = round(deadline["share"] * 100) if deadline["share"] is not None else None
    return render(
        request,
        "plans/worklist.html",
        {
            "sections": sections,
            "followups": followups,
            "job_supports": job_supports,
            "interpreters": interpreters,
            "deadline": deadline,
            "deadline_percent": percent,
            "today": today,
            "scope": scope,
            "can_choose_scope": perms_referrals.has_own_cases(user),
        },
    )


# The inbox's plans to decide are paged and sorted in the URL (utils.listing, issue 16): key → fields.
INBOX_SORTS = {
    "due": ("referral__plan_due_date",),
    "unit": ("referral__unit__name",),
    "agreed": ("-participant_agreed",),  # ascending: those the participant agreed to first
}


@require_GET
@rule_required(perms.can_view_inbox)
def inbox(request):
    data = caseworker_inbox(user=request.user)
    listing = sorted_page(request, plans_to_decide(user=request.user), sorts=INBOX_SORTS, default="due")
    plans = list(listing.page.object_list)
    read_records(
        user=request.user,
        participants=_people(plans, data["referrals_open"], data["referrals_returned"]),
        view="inbox",
    )
    today = timezone.localdate()
    overdue = {
        plan.pk
        for plan in plans
        if deadline_state(due=plan.referral.plan_due_date, approved_at=None, today=today).overdue
    }
    return render(
        request,
        "plans/inbox.html",
        {
            **data,
            "plans_to_decide": plans,
            "listing": listing,
            "today": today,
            "overdue": overdue,
            "show_referrals": perms.shows_district_referrals(request.user),
        },
    )
