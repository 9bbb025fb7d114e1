"""Reads for mappings and plans: weekly hours against work capacity, the coach's worklist, the inbox."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jobbtorg.referrals.constants import OPEN_STATUSES, CaseScope, ReferralStatus
from jobbtorg.referrals.deadline import due_on, past_due, share_in_time
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.querysets import responsible_for
from jobbtorg.referrals.selectors import case_scope

from . import perms
from .constants import FULL_TIME_HOURS, OtherPlanKind, PlanStatus, VersionStatus
from .models import ActionPlan, PlanAgreement, PlanComment, PlanVersion


@dataclass(frozen=True)
class WeekLoad:
    week_start: datetime.date
    planned_hours: Decimal
    required_hours: Decimal
    work_capacity: int

    @property
    def is_full(self) -> bool:
        return self.planned_hours >= self.required_hours

    @property
    def is_over(self) -> bool:
        """More hours than the person's work capacity allows: shown as over, never as "full time", and
        approving it needs a stated reason (services.plan_approve)."""
        return self.planned_hours > self.required_hours

    @property
    def over_hours(self) -> Decimal:
        return max(self.planned_hours - self.required_hours, Decimal(0))

    @property
    def missing_hours(self) -> Decimal:
        return max(self.required_hours - self.planned_hours, Decimal(0))


def work_capacity_of(plan: ActionPlan) -> int:
    mapping = getattr(plan.referral, "mapping", None)
    if mapping is not None:
        return mapping.work_capacity
    return plan.participant.work_capacity or 100


def week_load(*, activities, work_capacity: int, week_start: datetime.date) -> WeekLoad:
    """Hours planned in the week starting `week_start` (activities overlapping it) against a full day for
    the person's work capacity (40 h × capacity)."""
    week_end = week_start + datetime.timedelta(days=6)
    planned = sum(
        (
            Decimal(a["hours_per_week"] if isinstance(a, dict) else a.hours_per_week)
            for a in activities
            if _overlaps(a, week_start, week_end)
        ),
        Decimal(0),
    )
    required = Decimal(FULL_TIME_HOURS * work_capacity) / 100
    return WeekLoad(week_start, planned, required, work_capacity)


def _overlaps(activity, week_start, week_end) -> bool:
    get = activity.get if isinstance(activity, dict) else lambda k: getattr(activity, k)
    start, end = get("start_date"), get("end_date")
    if isinstance(start, str):
        start = datetime.date.fromisoformat(start)
    if isinstance(end, str) and end:
        end = datetime.date.fromisoformat(end)
    return start <= week_end and (not end or end >= week_start)


def plan_week_load(plan: ActionPlan, week_start: datetime.date | None = None) -> WeekLoad:
    """The load of the plan's first planned week (or the given one), Monday-based."""
    activities = list(plan.activities.all())
    if week_start is None:
        first = min((a.start_date for a in activities), default=timezone.localdate())
        week_start = first - datetime.timedelta(days=first.weekday())
    return week_load(activities=activities, work_capacity=work_capacity_of(plan), week_start=week_start)


def _without_plan_in_force(referrals):
    return referrals.filter(Q(plan__isnull=True) | Q(plan__current_version__isnull=True))


def worklist_referrals(*, user, scope: str, today: datetime.date):
    """The referrals a worklist is about: the unit's (`unit`), or the user's own cases with the unit's new
    referrals, which have no responsible coach yet (`mine`). The two of `mine` are gathered apart and united
    (the coach index; the unit's new referrals), not one OR: with the OR the planner expected thousands of
    rows and read every action plan to join them (issue 15)."""
    unit_referrals = Referral.objects.visible_to(user)
    if scope != CaseScope.MINE:
        return unit_referrals
    own = unit_referrals.filter(responsible_for(user, today)).order_by().values("pk")
    new = unit_referrals.filter(status=ReferralStatus.RECEIVED).order_by().values("pk")
    return unit_referrals.filter(pk__in=own.union(new))


def coach_worklist(*, user, today: datetime.date | None = None, scope: str = CaseScope.UNIT) -> dict:
    """New referrals, plans due today, overdue plans, plans returned, and the share approved in time — of
    the whole unit, or of the user's own cases (`scope="mine"`: responsible coach or substitute today). New
    referrals have no responsible coach yet: they count in both scopes, so someone accepts them."""
    today = today or timezone.localdate()
    referrals = worklist_referrals(user=user, scope=scope, today=today).select_related(
        "participant", "district", "coach"
    )
    open_referrals = referrals.filter(status__in=OPEN_STATUSES)
    without_plan_in_force = _without_plan_in_force(open_referrals).select_related("plan")
    return {
        "new_referrals": list(
            open_referrals.filter(status=ReferralStatus.RECEIVED).order_by("referral_date")[:50]
        ),
        "due_today": list(without_plan_in_force.filter(due_on(today)).order_by("referral_date")[:50]),
        "overdue": list(without_plan_in_force.filter(past_due(today)).order_by("plan_due_date")[:50]),
        "returned": list(
            open_referrals.filter(plan__status=PlanStatus.RETURNED).order_by("plan_due_date")[:50]
        ),
        "deadline": plan_deadline_share(referrals=referrals, today=today),
    }


DEADLINE_WINDOW_DAYS = 365


def plan_deadline_share(
    *, referrals, today: datetime.date | None = None, window_days: int | None = None
) -> dict:
    """Of the referrals of the last `window_days` (default a year) that count for the deadline (plan approved
    or due date passed; referrals.deadline): the share approved in time. Bounded, so the figure and its cost
    do not grow with the years."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=window_days or DEADLINE_WINDOW_DAYS)
    return share_in_time(referrals.filter(referral_date__gte=since), today=today)


# The participant has agreed to the proposed version (an agreement in effect to a version not yet decided).
_agreed_to_proposed = Exists(
    PlanAgreement.objects.filter(
        plan=OuterRef("pk"), voided_at__isnull=True, version__status=VersionStatus.PROPOSED
    )
)


def plans_to_decide(*, user):
    """The proposed plans waiting for the user's decision (`perms.approvable_plans`: a caseworker's district,
    a unit head's intakes), each with whether the participant has agreed to the proposed version (unordered:
    the inbox pages and sorts them; the API takes 100)."""
    return (
        ActionPlan.objects.visible_to(user)
        .filter(perms.approvable_plans(user), status=PlanStatus.PROPOSED)
        .annotate(participant_agreed=_agreed_to_proposed)
        .select_related("participant", "referral__unit")
    )


def caseworker_inbox(*, user) -> dict:
    referrals = Referral.objects.visible_to(user).select_related("participant", "unit")
    if not perms.shows_district_referrals(user):
        referrals = referrals.none()
    return {
        "plans_to_decide": list(plans_to_decide(user=user).order_by("referral__plan_due_date", "pk")[:100]),
        "referrals_open": list(referrals.filter(status__in=OPEN_STATUSES).order_by("-referral_date")[:100]),
        "referrals_returned": list(
            referrals.filter(status=ReferralStatus.RETURNED).order_by("-updated_at")[:50]
        ),
    }


# The menu's counts of what waits (issue 16): one COUNT each, run on every page of the roles that see them.


def overdue_plan_count(*, user, today: datetime.date | None = None) -> int:
    """Open referrals of the worklist whose plan is past its due date and not in force (the worklist's
    "overdue" section, counted, in the scope the worklist opens with: a coach's own cases, the unit for the
    others). It runs on every page (the menu's badge): for a coach it reads their cases, not the unit's."""
    today = today or timezone.localdate()
    referrals = worklist_referrals(user=user, scope=case_scope(user, None), today=today)
    return _without_plan_in_force(referrals.filter(status__in=OPEN_STATUSES)).filter(past_due(today)).count()


def plans_to_decide_count(*, user) -> int:
    """Proposed plans waiting for the user's decision (the inbox's first section, counted)."""
    return plans_to_decide(user=user).count()


def content_week_load(content: dict | None) -> WeekLoad | None:
    """The week load frozen in a proposed version's content (None when it has none)."""
    week = (content or {}).get("week")
    if not week:
        return None
    try:
        return WeekLoad(
            datetime.date.fromisoformat(week["week_start"]),
            Decimal(week["planned_hours"]),
            Decimal(week["required_hours"]),
            int(week["work_capacity"]),
        )
    except (KeyError, ValueError, ArithmeticError):
        return None


@dataclass(frozen=True)
class AgreementState:
    """Where the participant's agreement stands: the version that needs it (the proposed one, else the one
    in force), the agreement in effect for that version, and the last agreement that a change voided."""

    version: PlanVersion | None
    agreement: PlanAgreement | None
    voided: PlanAgreement | None

    @property
    def agreed(self) -> bool:
        return self.agreement is not None

    @property
    def waiting(self) -> bool:
        """A proposed version the participant has not agreed to yet."""
        return self.version is not None and self.version.status == VersionStatus.PROPOSED and not self.agreed


def plan_agreement_state(plan: ActionPlan | None) -> AgreementState:
    if plan is None:
        return AgreementState(None, None, None)
    version = None
    if plan.status == PlanStatus.PROPOSED:
        version = plan.versions.filter(status=VersionStatus.PROPOSED).order_by("-number").first()
    if version is None and plan.current_version_id:
        version = plan.current_version
    agreements = PlanAgreement.objects.filter(plan=plan).select_related("version", "agreed_by")
    agreement = None
    if version is not None:
        agreement = next((a for a in agreements if a.version_id == version.pk and a.in_effect), None)
    voided = None
    if agreement is None:
        voided = next((a for a in agreements if not a.in_effect), None)
    return AgreementState(version, agreement, voided)


def plan_comments(plan: ActionPlan | None) -> list[PlanComment]:
    if plan is None:
        return []
    return list(plan.comments.select_related("written_by", "intervention_type", "version"))


def participant_plan(*, participant) -> ActionPlan | None:
    """The person's plan on their open referral that is proposed to them or in force (the newest)."""
    return (
        ActionPlan.objects.filter(participant=participant, referral__status__in=OPEN_STATUSES)
        .filter(Q(status=PlanStatus.PROPOSED) | Q(current_version__isnull=False))
        .select_related("current_version", "referral__unit", "referral__coach", "referral__caseworker")
        .order_by("-created_at")
        .first()
    )


def content_for_display(content: dict) -> dict:
    """A frozen plan version's content with labels for display, and its week load as a WeekLoad."""
    kinds = dict(OtherPlanKind.choices)
    shown = dict(content)
    shown["other_plans"] = [
        {**link, "kind_label": kinds.get(link.get("kind"), link.get("kind"))}
        for link in content.get("other_plans", [])
    ]
    shown["week_load"] = content_week_load(content)
    return shown


@dataclass(frozen=True)
class PlanDocument:
    """What the printed plan and its PDF show: one frozen version with who proposed, agreed and decided."""

    plan: ActionPlan
    version: PlanVersion
    content: dict
    week: WeekLoad | None
    agreement: AgreementState
    in_force: bool


def plan_document(plan: ActionPlan, number: int | None = None) -> PlanDocument | None:
    """The version to print: the given number, else the version in force, else the proposed one (None when
    the plan has no version yet)."""
    versions = plan.versions.select_related("proposed_by", "decided_by")
    if number is not None:
        version = versions.filter(number=number).first()
    else:
        version = (
            versions.filter(pk=plan.current_version_id).first()
            or versions.filter(status=VersionStatus.PROPOSED).order_by("-number").first()
        )
    if version is None:
        return None
    state = plan_agreement_state(plan)
    if state.version is None or state.version.pk != version.pk:
        agreement = version.agreements.filter(voided_at__isnull=True).select_related("agreed_by").first()
        state = AgreementState(version, agreement, None)
    content = content_for_display(version.content)
    return PlanDocument(
        plan=plan,
        version=version,
        content=content,
        week=content["week_load"],
        agreement=state,
        in_force=plan.current_version_id == version.pk,
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def agreement_lines(document: PlanDocument) -> list[tuple[str, str]]:
    """Who agreed when, one (party, text) line each for the coach, the participant and the caseworker — the
    three parties of the plan, as the printed plan and the PDF show them (in the active language)."""
    version, state = document.version, document.agreement
    coach = _("Proposed by %(name)s on %(when)s.") % {
        "name": version.proposed_by.get_full_name() or version.proposed_by.username,
        "when": _when(version.proposed_at),
    }
    if state.agreement is not None:
        participant = _(
            "Agreed to version %(number)s on %(when)s by %(name)s, signed in with %(method)s."
        ) % {
            "number": version.number,
            "when": _when(state.agreement.agreed_at),
            "name": document.plan.participant.full_name,
            "method": state.agreement.get_sign_in_method_display() or _("an unknown method"),
        }
    else:
        participant = _("Has not agreed to this version.")
    if version.decided_at and version.status == VersionStatus.APPROVED:
        caseworker = _("Approved by %(name)s on %(when)s.") % {
            "name": version.decided_by.get_full_name() or version.decided_by.username,
            "when": _when(version.decided_at),
        }
        if version.decision_comment:
            caseworker += " " + _("Comment: %(comment)s") % {"comment": version.decision_comment}
    elif version.decided_at:
        caseworker = _("Returned by %(name)s on %(when)s.") % {
            "name": version.decided_by.get_full_name() or version.decided_by.username,
            "when": _when(version.decided_at),
        }
    else:
        caseworker = _("Not decided yet.")
    return [
        (_("Job coach"), coach),
        (_("Participant"), participant),
        (_("Caseworker (social services)"), caseworker),
    ]
