"""The coach's worklist and the caseworker's inbox: the start pages of the plans area."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.decorators import role_required
from jobbtorg.audit.services import read_records
from jobbtorg.referrals.deadline import deadline_state

from ..selectors import caseworker_inbox, coach_worklist

WORKLIST_ROLES = (Role.JOB_COACH, Role.CAREER_COUNSELLOR, Role.MATCHER, Role.UNIT_HEAD)
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
@role_required(*WORKLIST_ROLES)
def worklist(request):
    today = timezone.localdate()
    data = coach_worklist(user=request.user, today=today)
    sections = {name: [_row(referral, today) for referral in data[name]] for name in WORKLIST_SECTIONS}
    read_records(
        user=request.user, participants=_people(*(data[name] for name in WORKLIST_SECTIONS)), view="worklist"
    )
    deadline = data["deadline"]
    percent = round(deadline["share"] * 100) if deadline["share"] is not None else None
    return render(
        request,
        "plans/worklist.html",
        {"sections": sections, "deadline": deadline, "deadline_percent": percent, "today": today},
    )


@require_GET
@role_required(Role.CASEWORKER)
def inbox(request):
    data = caseworker_inbox(user=request.user)
    read_records(
        user=request.user,
        participants=_people(data["plans_to_decide"], data["referrals_open"], data["referrals_returned"]),
        view="inbox",
    )
    today = timezone.localdate()
    overdue = {
        plan.pk
        for plan in data["plans_to_decide"]
        if deadline_state(due=plan.referral.plan_due_date, approved_at=None, today=today).overdue
    }
    return render(request, "plans/inbox.html", {**data, "today": today, "overdue": overdue})
