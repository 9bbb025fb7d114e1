"""Reads for the payment run and its pages: the facts the rules need, fetched set-based (a few queries per
run, none per participant)."""

import datetime
from collections import defaultdict

from django.db.models import Count, DateField, Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Cast, TruncMonth

from jobbtorg.attendance.models import AttendanceReport
from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit
from jobbtorg.providers.models import Assignment, Contract

from .constants import ASSIGNMENT_KINDS, DisputeStatus, ReviewDecision, ReviewStatus, RuleKind, RunStatus
from .models import (
    CompensationModelVersion,
    CreamingReview,
    Dispute,
    ModelAssignment,
    PaymentLine,
    PaymentRun,
)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(a: datetime.date, b: datetime.date) -> int:
    """Whole calendar months from the month of a to the month of b."""
    return (b.year - a.year) * 12 + b.month - a.month


class ModelLookup:
    """Which compensation model pays for (provider, intervention type) on a day, and which version of it."""

    def __init__(self, municipality_id: int):
        self.by_authorisation: dict[tuple[int, int], int] = {}
        self.by_contract: dict[tuple[int, int], list[tuple[datetime.date, datetime.date, int]]] = defaultdict(
            list
        )
        rows = ModelAssignment.objects.filter(model__municipality_id=municipality_id).values_list(
            "model_id", "authorisation__provider_id", "authorisation__intervention_type_id", "contract_id"
        )
        contract_models = {}
        for model_id, a_provider, a_type, contract_id in rows:
            if a_provider is not None:
                self.by_authorisation[(a_provider, a_type)] = model_id
            else:
                contract_models[contract_id] = model_id
        if contract_models:
            for contract_id, provider_id, type_id, start, end in Contract.objects.filter(
                id__in=contract_models
            ).values_list("id", "provider_id", "intervention_types", "start_date", "end_date"):
                if type_id is not None:
                    self.by_contract[(provider_id, type_id)].append(
                        (start, end, contract_models[contract_id])
                    )
        self.versions: dict[int, list[CompensationModelVersion]] = defaultdict(list)
        for version in (
            CompensationModelVersion.objects.filter(model__municipality_id=municipality_id)
            .prefetch_related("rules__rates")
            .order_by("model_id", "-valid_from")
        ):
            self.versions[version.model_id].append(version)
        self.provider_ids = {p for p, _t in self.by_authorisation} | {p for p, _t in self.by_contract}

    def model_for(self, provider_id: int, type_id: int | None, on: datetime.date) -> int | None:
        model_id = self.by_authorisation.get((provider_id, type_id))
        if model_id is not None:
            return model_id
        for start, end, contract_model in self.by_contract.get((provider_id, type_id), ()):
            if start <= on <= end:
                return contract_model
        return None

    def version(self, model_id: int, on: datetime.date) -> CompensationModelVersion | None:
        for version in self.versions.get(model_id, ()):
            if version.valid_from <= on:
                return version
        return None


def assignments_for_run(*, municipality_id: int, provider_ids, start: datetime.date, end: datetime.date):
    """Provider assignments active at some point in [start, end], with the person's tier."""
    return list(
        Assignment.objects.filter(provider_id__in=provider_ids, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list(
            "id",
            "participant_id",
            "referral_id",
            "provider_id",
            "intervention_type_id",
            "start_date",
            "end_date",
            "referral__mapping__tier",
        )
    )


def exits_for_run(*, provider_ids, since: datetime.date, reasons=None):
    """Exits with a provider since a date, with the tier, the intervention type of the provider's
    assignment, the first month after the exit month in which assistance was paid, whether any assistance
    was paid up to the exit and the referral's caseworker (none for an intake at the unit, ADR 0020)."""
    paid_after = (
        AssistanceMonth.objects.filter(
            participant_id=OuterRef("participant_id"),
            is_current=True,
            paid=True,
            month__gt=OuterRef("exit_date"),
        )
        .order_by()
        .values("participant_id")
        .annotate(first=Min("month"))
        .values("first")
    )
    assignment_type = (
        Assignment.objects.filter(referral_id=OuterRef("referral_id"), provider_id=OuterRef("provider_id"))
        .order_by("-start_date")
        .values("intervention_type_id")[:1]
    )
    paid_up_to_exit = AssistanceMonth.objects.filter(
        participant_id=OuterRef("participant_id"),
        is_current=True,
        paid=True,
        month__lte=OuterRef("exit_date"),
    )
    qs = Exit.objects.filter(provider_id__in=provider_ids, exit_date__gte=since)
    if reasons is not None:
        qs = qs.filter(reason__in=reasons)
    return list(
        qs.annotate(
            first_paid_after=Subquery(paid_after, output_field=DateField()),
            assignment_type=Subquery(assignment_type),
            assistance_before_exit=Exists(paid_up_to_exit),
        ).values(
            "id",
            "participant_id",
            "referral_id",
            "provider_id",
            "exit_date",
            "reason",
            "work_hours_per_week",
            "employment_form",
            "subsidised",
            "municipal_labour_market_job",
            "work_start_date",
            "studies_with_student_finance",
            "evidence",
            "referral__mapping__tier",
            "first_paid_after",
            "assignment_type",
            "assistance_before_exit",
            "referral__caseworker_id",
        )
    )


def imported_months() -> set[datetime.date]:
    return set(AssistanceImport.objects.values_list("month", flat=True).distinct())


def late_attendance_counts(*, provider_ids, start: datetime.date, end: datetime.date, late_after_days: int):
    """(provider, type, participant, referral, month) -> number of attendance reports filed more than
    `late_after_days` days after the day they concern."""
    rows = (
        AttendanceReport.objects.filter(
            booking__offering__provider_id__in=provider_ids, date__gte=start, date__lte=end
        )
        .annotate(reported_day=Cast("reported_at", DateField()))
        .filter(reported_day__gt=F("date") + datetime.timedelta(days=late_after_days))
        .annotate(month=TruncMonth("date"))
        .values(
            "booking__offering__provider_id",
            "booking__offering__intervention_type_id",
            "participant_id",
            "booking__referral_id",
            "month",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        (
            r["booking__offering__provider_id"],
            r["booking__offering__intervention_type_id"],
            r["participant_id"],
            r["booking__referral_id"],
            r["month"],
            r["n"],
        )
        for r in rows
    ]


def paid_keys(*, municipality_id: int, since: datetime.date, exclude_run_id: int | None):
    qs = PaymentLine.objects.filter(run__municipality_id=municipality_id, period_month__gte=since)
    if exclude_run_id is not None:
        qs = qs.exclude(run_id=exclude_run_id)
    return set(qs.values_list("provider_id", "participant_id", "model_id", "rule_code", "period"))


def paid_sums(*, municipality_id: int, model_ids, exclude_run_id: int | None):
    """(provider, participant, model) -> {rule_code: SEK paid} for models with caps."""
    from django.db.models import Sum

    qs = PaymentLine.objects.filter(run__municipality_id=municipality_id, model_id__in=model_ids)
    if exclude_run_id is not None:
        qs = qs.exclude(run_id=exclude_run_id)
    sums: dict = defaultdict(dict)
    for provider_id, participant_id, model_id, code, total in (
        qs.values_list("provider_id", "participant_id", "model_id", "rule_code")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        sums[(provider_id, participant_id, model_id)][code] = total
    return sums


def assignment_lines_to_recheck(*, municipality_id: int, before: datetime.date, since: datetime.date) -> list:
    """Paid start, attachment and monthly fee lines (of approved runs before `before`, for months from
    `since`) of a referral whose assignment with the provider ended in or before the month the line pays
    for: the lines a late exit may have taken the ground from (the caller decides,
    `calculation.assignment_clawback_candidates`). Each line gets `assignments`: the (start, end) of every
    assignment of its referral with its provider, and `paid_in_month`: the month of the run that paid it.
    Lines already reversed, and reversals themselves, are left out. Two queries; about one line per exit
    in the period is re-checked (the one of the exit month)."""
    ended_by_then = (
        Assignment.objects.filter(
            referral_id=OuterRef("referral_id"), provider_id=OuterRef("provider_id"), end_date__isnull=False
        )
        .annotate(end_month=TruncMonth("end_date", output_field=DateField()))
        .filter(end_month__lte=OuterRef("period_month"))
    )
    lines = list(
        PaymentLine.objects.filter(
            run__municipality_id=municipality_id,
            run__status=RunStatus.APPROVED,
            run__month__lt=before,
            period_month__gte=since,
            kind__in=ASSIGNMENT_KINDS,
            reverses__isnull=True,
            amount__gt=0,
            referral_id__isnull=False,
        )
        .filter(Exists(ended_by_then))
        .exclude(reversals__isnull=False)
        .annotate(paid_in_month=F("run__month"))
        .select_related("rule")
        .order_by()  # the model's ordering joins the person and the provider for nothing
    )
    spans: dict = defaultdict(list)
    for referral_id, provider_id, start, end in Assignment.objects.filter(
        referral_id__in={line.referral_id for line in lines}
    ).values_list("referral_id", "provider_id", "start_date", "end_date"):
        spans[(referral_id, provider_id)].append((start, end))
    for line in lines:
        line.assignments = spans[(line.referral_id, line.provider_id)]
    return lines


def lines_to_claw_back(*, municipality_id: int, before: datetime.date) -> list:
    """Paid lines (of approved runs before `before`) whose evidence rested on months without assistance
    and no longer holds: the current assistance data now shows assistance paid in a month after the exit,
    up to the month the line relied on. Lines already reversed, and reversals themselves, are left out.
    One query; the comparison with the month relied on is done by the caller."""
    exit_date = Exit.objects.filter(referral_id=OuterRef("referral_id")).values("exit_date")[:1]
    first_paid = (
        AssistanceMonth.objects.filter(
            participant_id=OuterRef("participant_id"),
            is_current=True,
            paid=True,
            month__gt=OuterRef("exit_date"),
        )
        .order_by()
        .values("participant_id")
        .annotate(first=Min("month"))
        .values("first")
    )
    depends_on_assistance = (
        Q(rule__months_without_assistance__isnull=False)
        | Q(rule__min_weeks__gt=0)
        | Q(rule__interval_weeks__isnull=False)
    )
    return list(
        PaymentLine.objects.filter(
            run__municipality_id=municipality_id,
            run__status=RunStatus.APPROVED,
            run__month__lt=before,
            kind__in=[RuleKind.RESULT_FEE, RuleKind.JOB_OUTCOME_FEE, RuleKind.SUSTAINMENT_FEE],
            reverses__isnull=True,
            amount__gt=0,
            referral_id__isnull=False,
        )
        .filter(depends_on_assistance)
        .exclude(reversals__isnull=False)
        .annotate(exit_date=Subquery(exit_date, output_field=DateField()))
        .annotate(first_paid_after=Subquery(first_paid, output_field=DateField()))
        .filter(first_paid_after__isnull=False)
        .select_related("rule", "run")
    )


def released_lines_to_pay(*, municipality_id: int, before: datetime.date) -> list:
    """Lines held by a creaming review in a month since approved (so not paid then), whose review was
    released: to be paid by the next run, unless already paid (`…:rel`). Two queries."""
    lines = list(
        PaymentLine.objects.filter(
            run__municipality_id=municipality_id,
            run__status=RunStatus.APPROVED,
            run__month__lt=before,
            held_by__decision=ReviewDecision.RELEASE,
        ).select_related("rule")
    )
    if not lines:
        return []
    paid = set(
        PaymentLine.objects.filter(
            run__municipality_id=municipality_id,
            participant_id__in={line.participant_id for line in lines},
            period__endswith=":rel",
        ).values_list("provider_id", "participant_id", "model_id", "rule_code", "period")
    )
    return [
        line
        for line in lines
        if (line.provider_id, line.participant_id, line.model_id, line.rule_code, f"{line.period}:rel")
        not in paid
    ]


def paid_lines_of_rejected_reviews(*, municipality_id: int, before: datetime.date) -> list:
    """Lines paid (approved runs before `before`, not held) for the people and months of a rejected
    creaming review — to be clawed back. Claw-backs, lines already reversed and negative lines are left out.
    One query per rejected review; each line gets `rejected_by_review` (its id)."""
    out = []
    reviews = CreamingReview.objects.filter(municipality_id=municipality_id, decision=ReviewDecision.REJECT)
    for review in reviews:
        first, last = review.months
        lines = PaymentLine.objects.filter(
            run__municipality_id=municipality_id,
            run__status=RunStatus.APPROVED,
            run__month__lt=before,
            provider_id=review.provider_id,
            participant_id__in=review.participants.values("pk"),
            period_month__gte=first,
            period_month__lte=last,
            held_by__isnull=True,
            reverses__isnull=True,
            reversals__isnull=True,
            amount__gt=0,
        ).select_related("rule", "run")
        for line in lines:
            line.rejected_by_review = review.pk
            out.append(line)
    return out


def finance_waiting(*, user) -> dict:
    """What waits for finance on the administration start page: open disputes, open creaming reviews and
    payment runs still in draft (one count each, scoped to the user's municipality)."""
    return {
        "open_disputes": Dispute.objects.visible_to(user).filter(status=DisputeStatus.OPEN).count(),
        "open_reviews": CreamingReview.objects.visible_to(user).filter(status=ReviewStatus.OPEN).count(),
        "draft_runs": PaymentRun.objects.visible_to(user).filter(status=RunStatus.DRAFT).count(),
    }
