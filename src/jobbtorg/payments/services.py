"""Payment writes: the monthly run (compute the payment basis), approval (locks the month) and disputes."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Municipality
from jobbtorg.audit.services import change_record
from jobbtorg.followup.constants import ExitReason
from jobbtorg.utils.locking import version_claim

from . import calculation, creaming, perms, selectors
from .constants import TIERS, DisputeStatus, Outcome, ReviewDecision, ReviewStatus, RuleKind, RunStatus
from .models import (
    CompensationModel,
    CompensationModelVersion,
    CompensationRule,
    CreamingReview,
    Dispute,
    PaymentLine,
    PaymentRun,
    RuleRate,
)
from .querysets import PAID

# How far back a run looks for late evidence (monthly fees, one-off fees and results whose period lies in
# an earlier month become adjustment lines), and how far back exits can still earn result payments.
ADJUSTMENT_MONTHS = getattr(settings, "JOBBTORG_PAYMENT_ADJUSTMENT_MONTHS", 3)
EXIT_LOOKBACK_MONTHS = getattr(settings, "JOBBTORG_PAYMENT_EXIT_LOOKBACK_MONTHS", 36)


class DryRun(Exception):
    pass


@dataclass
class RunResult:
    run: PaymentRun | None
    lines: int
    total: Decimal
    adjustments: int
    municipality: Municipality
    month: datetime.date | None = None
    providers: list[dict] = field(default_factory=list)  # per provider: lines, total, adjustments


def _first_of_month(month) -> datetime.date:
    if isinstance(month, str):
        month = datetime.date.fromisoformat(month + "-01" if len(month) == 7 else month)
    return month.replace(day=1)


def _check_can_run(by) -> None:
    if by is not None and not perms.can_run_payments(by):
        raise PermissionDenied(_("You cannot compute the payment basis."))


def payment_run(
    *, month, by, municipality: Municipality | None = None, dry_run: bool = False
) -> list[RunResult]:
    """Compute the payment basis of `month` for every provider (of one municipality, or of all). One
    transaction per call: either every line is written or none. Running again recomputes the draft and
    never pays a line twice (unique idempotency key); an approved month is locked. `by=None` is the
    scheduler (management command)."""
    _check_can_run(by)
    month = _first_of_month(month)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("A month that has not begun cannot be paid.")})
    if municipality is None and by is not None and by.municipality_id:
        municipality = by.municipality
    municipalities = [municipality] if municipality is not None else list(Municipality.objects.all())
    results = []
    try:
        with transaction.atomic():
            for m in municipalities:
                results.append(_run_one(month=month, by=by, municipality=m))
            if dry_run:
                raise DryRun
    except DryRun:
        for r in results:
            r.run = None
    return results


@dataclass
class _Draft:
    """What the steps of one municipality's run share: the draft being computed, the compensation models
    (`lookup`) and the first month late evidence is looked for in."""

    run: PaymentRun
    month: datetime.date
    municipality: Municipality
    lookup: selectors.ModelLookup
    window_start: datetime.date

    def rules(self):
        return [r for vs in self.lookup.versions.values() for v in vs for r in v.rules.all()]


def _run_one(*, month, by, municipality) -> RunResult:
    """One municipality's run, in steps: open the draft → candidates per rule kind → dedupe → caps →
    persist → hold the lines under creaming review → summary."""
    draft = _open_draft(month=month, municipality=municipality)
    fresh = _dedupe(draft, _candidates(draft))
    fresh = _apply_caps(draft, fresh)
    _persist(draft, fresh)
    _hold_for_reviews(draft)
    return _summarise(draft, by=by)


def _open_draft(*, month, municipality) -> _Draft:
    """The month's run, locked for this transaction; refused once approved. Recomputing keeps the lines
    someone disputed and replaces the rest. Late evidence is looked for in the months before this one, but
    never before the first run (go-live)."""
    run, _created = PaymentRun.objects.select_for_update().get_or_create(
        municipality=municipality, month=month
    )
    if run.is_locked:
        raise ValidationError(
            {
                "month": _("The payment basis of %(month)s is approved and locked.")
                % {"month": f"{month:%Y-%m}"}
            }
        )
    PaymentLine.objects.filter(run=run, disputes__isnull=True).delete()
    lookup = selectors.ModelLookup(municipality.id)
    first_run = (
        PaymentRun.objects.filter(municipality=municipality)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    window_start = max(selectors.add_months(month, -ADJUSTMENT_MONTHS), min(first_run or month, month))
    return _Draft(run, month, municipality, lookup, window_start)


def _candidates(draft: _Draft) -> list:
    """Every line the rules would pay, kind by kind (a provider without a compensation model earns none).
    The order matters: the first candidate of a key is the one kept."""
    if not draft.lookup.provider_ids:
        return []
    return [
        *_assignment_candidates(draft),
        *_exit_candidates(draft),
        *_deduction_candidates(draft),
        *_clawback_candidates(draft),
        *_review_candidates(draft),
    ]


def _assignment_candidates(draft: _Draft) -> list:
    """Start, attachment and monthly fees from provider assignments."""
    if not {r.kind for r in draft.rules()} & {
        RuleKind.START_FEE,
        RuleKind.ATTACHMENT_FEE,
        RuleKind.MONTHLY_FEE,
    }:
        return []
    rows = selectors.assignments_for_run(
        municipality_id=draft.municipality.id,
        provider_ids=draft.lookup.provider_ids,
        start=draft.window_start,
        end=selectors.month_end(draft.month),
    )
    return calculation.assignment_candidates(
        rows, lookup=draft.lookup, window_start=draft.window_start, run_month=draft.month
    )


def _exit_candidates(draft: _Draft) -> list:
    """Result, job-outcome and sustainment fees from exits (within the exit lookback)."""
    outcomes = [r.outcome for r in draft.rules() if r.kind in calculation.EXIT_KINDS]
    if not outcomes:
        return []
    reasons = None if Outcome.NO_ASSISTANCE in outcomes else [ExitReason.WORK, ExitReason.STUDIES]
    exits = selectors.exits_for_run(
        provider_ids=draft.lookup.provider_ids,
        since=selectors.add_months(draft.month, -EXIT_LOOKBACK_MONTHS),
        reasons=reasons,
    )
    return calculation.exit_candidates(
        exits,
        lookup=draft.lookup,
        window_start=draft.window_start,
        run_month=draft.month,
        imported=selectors.imported_months(),
    )


def _deduction_candidates(draft: _Draft) -> list:
    """Deductions for attendance reported late (the earliest `late_after_days` of the deduction rules)."""
    deduction_rules = [r for r in draft.rules() if r.kind == RuleKind.DEDUCTION]
    if not deduction_rules:
        return []
    rows = selectors.late_attendance_counts(
        provider_ids=draft.lookup.provider_ids,
        start=draft.window_start,
        end=selectors.month_end(draft.month),
        late_after_days=min(r.late_after_days or 0 for r in deduction_rules),
    )
    return calculation.deduction_candidates(rows, lookup=draft.lookup)


def _clawback_candidates(draft: _Draft) -> list:
    """Negative adjustments of lines already paid whose ground is gone: corrected assistance data that breaks
    a result's evidence, and an assignment that ended before a month already paid (an exit recorded late)."""
    municipality_id, month = draft.municipality.id, draft.month
    return [
        *calculation.clawback_candidates(
            selectors.lines_to_claw_back(municipality_id=municipality_id, before=month), run_month=month
        ),
        *calculation.assignment_clawback_candidates(
            selectors.assignment_lines_to_recheck(
                municipality_id=municipality_id,
                before=month,
                since=selectors.add_months(month, -EXIT_LOOKBACK_MONTHS),
            ),
            run_month=month,
        ),
    ]


def _review_candidates(draft: _Draft) -> list:
    """What creaming-review decisions leave to pay or take back: a line held in an approved month and then
    released is paid now (period `…:rel`); a line paid for the people and months of a rejected review is
    clawed back (period `…:rev`, as every claw-back)."""
    municipality_id, month = draft.municipality.id, draft.month
    candidates = []
    released = selectors.released_lines_to_pay(municipality_id=municipality_id, before=month)
    for line in released:
        evidence = {"reason": "released_after_review", "review": line.held_by_id, "held_line": line.pk}
        candidates.append(
            _candidate_from(line, period=f"{line.period}:rel", amount=line.amount, evidence=evidence)
        )
    for line in selectors.paid_lines_of_rejected_reviews(municipality_id=municipality_id, before=month):
        evidence = {
            "reason": "rejected_after_review",
            "review": line.rejected_by_review,
            "reverses_line": line.pk,
            "paid_in_run": f"{line.run.month:%Y-%m}",
        }
        candidates.append(
            _candidate_from(
                line, period=f"{line.period}:rev", amount=-line.amount, evidence=evidence, reverses=line
            )
        )
    for c in candidates:
        c.due = month
    return candidates


def _candidate_from(line, *, period: str, amount, evidence: dict, reverses=None):
    return calculation.Candidate(
        line.provider_id,
        line.participant_id,
        line.referral_id,
        line.model_id,
        line.rule,
        period,
        line.period_month,
        line.tier,
        amount,
        evidence,
        None,
        reverses.pk if reverses is not None else None,
    )


def _dedupe(draft: _Draft, candidates: list) -> list:
    """Each idempotency key once: not paid before (in the window), not twice in this run."""
    already = selectors.paid_keys(
        municipality_id=draft.municipality.id, since=draft.window_start, exclude_run_id=None
    )
    fresh, seen = [], set()
    for c in candidates:
        if c.key in already or c.key in seen:
            continue
        seen.add(c.key)
        fresh.append(c)
    return fresh


def _apply_caps(draft: _Draft, fresh: list) -> list:
    """No rule or model version pays more than its cap per participant, what was paid before included."""
    capped_models = {
        mid
        for mid, vs in draft.lookup.versions.items()
        if any(
            v.cap_per_participant is not None or any(r.cap_per_participant is not None for r in v.rules.all())
            for v in vs
        )
    }
    if not capped_models:
        return fresh
    paid = selectors.paid_sums(
        municipality_id=draft.municipality.id, model_ids=capped_models, exclude_run_id=None
    )
    return calculation.apply_caps(fresh, lookup=draft.lookup, paid=paid)


def _persist(draft: _Draft, fresh: list) -> None:
    """Write the lines (inside the run's transaction: a failure leaves none)."""
    _insert_lines(draft.run, fresh, draft.month)


def _hold_for_reviews(draft: _Draft) -> None:
    """The lines of this run for the people and months of an open creaming review — or a rejected one —
    are held: not paid with the run (one UPDATE per review)."""
    reviews = CreamingReview.objects.filter(municipality=draft.municipality).filter(
        Q(status=ReviewStatus.OPEN) | Q(decision=ReviewDecision.REJECT)
    )
    for review in reviews:
        _hold_lines(review, PaymentLine.objects.filter(run=draft.run))


def _hold_lines(review: CreamingReview, lines) -> int:
    """Mark `lines` of the review's provider, people and months as held by it (claw-backs are never held:
    holding one would pay more)."""
    first, last = review.months
    return (
        lines.filter(
            provider_id=review.provider_id,
            participant_id__in=review.participants.values("pk"),
            period_month__gte=first,
            period_month__lte=last,
            held_by__isnull=True,
            reverses__isnull=True,
            amount__gt=0,
        )
        .exclude(run__status=RunStatus.APPROVED)
        .update(held_by=review)
    )


def _refresh_totals(runs) -> None:
    """A draft's stored total after lines were held or released (what the run pays: held lines left out)."""
    for run in runs:
        total = PaymentLine.objects.filter(run=run).aggregate(total=Sum("amount", filter=PAID))["total"]
        PaymentRun.objects.filter(pk=run.pk).update(total=total or Decimal("0"))


def _summarise(draft: _Draft, *, by) -> RunResult:
    """The run's totals stored and audited (held lines are not in the total); the figures per provider
    returned."""
    run, month = draft.run, draft.month
    totals = PaymentLine.objects.filter(run=run).aggregate(n=Count("id"), total=Sum("amount", filter=PAID))
    adjustments = PaymentLine.objects.filter(run=run, is_adjustment=True).count()
    run.line_count = totals["n"] or 0
    run.total = totals["total"] or Decimal("0")
    run.computed_at = timezone.now()
    run.computed_by = by
    run.lock_version += 1  # an approval based on an earlier computation is stale (409)
    run.save(update_fields=["line_count", "total", "computed_at", "computed_by", "lock_version"])
    if by is not None:
        change_record(
            action="payment_run_computed",
            obj=run,
            by=by,
            changes={"month": f"{month:%Y-%m}", "lines": run.line_count},
        )
    providers = list(
        PaymentLine.objects.filter(run=run)
        .values("provider_id", "provider__name")
        .annotate(
            lines=Count("id"),
            total=Sum("amount", filter=PAID),
            adjustments=Count("id", filter=Q(is_adjustment=True)),
            held=Count("id", filter=~PAID),
        )
        .order_by("provider__name")
    )
    return RunResult(run, run.line_count, run.total, adjustments, draft.municipality, month, providers)


COPY_COLUMNS = (
    "run_id",
    "provider_id",
    "participant_id",
    "referral_id",
    "model_id",
    "rule_id",
    "rule_code",
    "kind",
    "period",
    "period_month",
    "tier",
    "amount",
    "is_adjustment",
    "evidence",
    "reverses_id",
    "created_at",
)


def _insert_lines(run, candidates, month) -> None:
    """Write the new lines. On PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT DO
    NOTHING (the idempotency key decides; a line paid before is never written twice). Elsewhere:
    bulk_create with ignore_conflicts."""
    if connection.vendor != "postgresql":
        PaymentLine.objects.bulk_create(
            _lines(run, candidates, month), batch_size=5000, ignore_conflicts=True
        )
        return
    table = PaymentLine._meta.db_table
    columns = ", ".join(COPY_COLUMNS)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE payment_line_load (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        cursor.execute("ALTER TABLE payment_line_load ALTER COLUMN id DROP NOT NULL")
        with cursor.connection.cursor().copy(f"COPY payment_line_load ({columns}) FROM STDIN") as copy:
            for c in candidates:
                copy.write_row(
                    (
                        run.pk,
                        c.provider_id,
                        c.participant_id,
                        c.referral_id,
                        c.model_id,
                        c.rule.pk,
                        c.rule.code,
                        c.rule.kind,
                        c.period,
                        c.period_month,
                        c.tier,
                        c.amount,
                        c.period_month < month or c.reverses_id is not None,
                        json.dumps(c.evidence, cls=DjangoJSONEncoder),
                        c.reverses_id,
                        now,
                    )
                )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM payment_line_load ON CONFLICT DO NOTHING"
        )
        cursor.execute("DROP TABLE payment_line_load")


def _lines(run, candidates, month):
    for c in candidates:
        yield PaymentLine(
            run=run,
            provider_id=c.provider_id,
            participant_id=c.participant_id,
            referral_id=c.referral_id,
            model_id=c.model_id,
            rule=c.rule,
            rule_code=c.rule.code,
            kind=c.rule.kind,
            period=c.period,
            period_month=c.period_month,
            tier=c.tier,
            amount=c.amount,
            is_adjustment=c.period_month < month or c.reverses_id is not None,
            evidence=c.evidence,
            reverses_id=c.reverses_id,
        )


@transaction.atomic
def payment_run_approve(*, run: PaymentRun, by, version: int | None = None) -> PaymentRun:
    if not perms.can_approve_run(by, run):
        raise PermissionDenied(_("You cannot approve the payment basis."))
    run = PaymentRun.objects.select_for_update().get(pk=run.pk)
    if run.is_locked:
        raise ValidationError({"status": _("The payment basis is already approved.")})
    if run.computed_at is None:
        raise ValidationError({"status": _("Compute the payment basis before approving it.")})
    if Dispute.objects.filter(line__run=run, status=DisputeStatus.OPEN).exists():
        raise ValidationError({"status": _("Answer the open disputes before approving.")})
    version_claim(run, version)
    run.status = RunStatus.APPROVED
    run.approved_at = timezone.now()
    run.approved_by = by
    run.save(update_fields=["status", "approved_at", "approved_by"])
    change_record(action="payment_run_approved", obj=run, by=by, changes={"month": f"{run.month:%Y-%m}"})
    return run


@transaction.atomic
def dispute_create(*, line: PaymentLine, by, comment: str) -> Dispute:
    """Provider staff dispute a line of their own provider while the month is not approved."""
    if not perms.can_dispute_lines(by, line.provider):
        raise PermissionDenied(_("You can only dispute your own lines."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why you dispute the line.")})
    if PaymentRun.objects.get(pk=line.run_id).is_locked:
        raise ValidationError({"comment": _("The month is approved and locked.")})
    dispute = Dispute.objects.create(line=line, comment=comment.strip(), created_by=by)
    change_record(action="payment_line_disputed", obj=dispute, by=by, changes={"line": line.pk})
    return dispute


@transaction.atomic
def dispute_answer(*, dispute: Dispute, by, accept: bool, answer: str) -> Dispute:
    """Finance answers a dispute. Accepting removes the line from the draft (a corrected line comes with
    the next run once the evidence is right); rejecting keeps it."""
    if not perms.can_answer_dispute(by, dispute):
        raise PermissionDenied(_("You cannot answer disputes."))
    if dispute.status != DisputeStatus.OPEN:
        raise ValidationError({"answer": _("The dispute is already answered.")})
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write an answer.")})
    if PaymentRun.objects.get(pk=dispute.line.run_id).is_locked:
        raise ValidationError({"answer": _("The month is approved and locked.")})
    dispute.status = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
    dispute.answer = answer.strip()
    dispute.answered_by = by
    dispute.answered_at = timezone.now()
    dispute.save()
    change_record(action="payment_dispute_answered", obj=dispute, by=by, changes={"status": dispute.status})
    return dispute


# --- creaming reviews -----------------------------------------------------------------------------------


@transaction.atomic
def creaming_reviews_open(
    *, municipality: Municipality, start: datetime.date, end: datetime.date, by
) -> list[CreamingReview]:
    """Put every flag of the creaming check for the period under review (once per provider, flag and
    period): the flagged people are kept, and the provider's draft lines for them in the period's months are
    held — not paid — until the contract manager decides; later runs hold theirs too. `by=None`: the
    scheduler."""
    if by is not None and not perms.can_open_creaming_reviews(by):
        raise PermissionDenied(_("You cannot open creaming reviews."))
    if start > end:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    report = creaming.creaming_check(municipality_id=municipality.id, start=start, end=end)
    opened = []
    for check in report.providers:
        for finding in check.findings:
            review, created = CreamingReview.objects.get_or_create(
                provider_id=check.provider_id,
                rule=finding.code,
                start=start,
                end=end,
                defaults={
                    "municipality": municipality,
                    "tier": finding.tier,
                    "figures": {**finding.figures, "reason": creaming.reason_text(finding, suppress=False)},
                    "opened_by": by,
                },
            )
            if not created:
                continue
            review.participants.set(
                creaming.flagged_people(finding, provider_id=check.provider_id, start=start, end=end)
            )
            held = _hold_lines(review, PaymentLine.objects.filter(run__municipality=municipality))
            change_record(
                action="creaming_review_opened",
                obj=review,
                by=by,
                changes={"rule": review.rule, "people": review.participants.count(), "lines_held": held},
            )
            opened.append(review)
    if opened:
        _refresh_totals(PaymentRun.objects.filter(municipality=municipality, status=RunStatus.DRAFT))
    return opened


@transaction.atomic
def creaming_review_decide(
    *, review: CreamingReview, by, release: bool, reason: str, version: int | None = None
) -> CreamingReview:
    """The contract manager decides an open review, with a reason. Release: the held lines are paid — with
    their draft, or (held in an approved month) as adjustment lines of the next run. Reject: the held lines
    are never paid, and lines already paid for the flagged people and months are clawed back by the next
    run."""
    if not perms.can_decide_creaming_review(by, review):
        raise PermissionDenied(_("You cannot decide creaming reviews."))
    review = CreamingReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.OPEN:
        raise ValidationError({"decision": _("The review is already decided.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why you decide so.")})
    version_claim(review, version)
    review.status = ReviewStatus.DECIDED
    review.decision = ReviewDecision.RELEASE if release else ReviewDecision.REJECT
    review.reason = reason.strip()
    review.decided_by = by
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "decision", "reason", "decided_by", "decided_at"])
    drafts = PaymentRun.objects.filter(municipality_id=review.municipality_id, status=RunStatus.DRAFT)
    if release:
        PaymentLine.objects.filter(held_by=review, run__in=drafts).update(held_by=None)
    _refresh_totals(drafts)
    change_record(
        action="creaming_review_decided",
        obj=review,
        by=by,
        changes={"decision": review.decision, "held_lines": review.held_lines.count()},
    )
    return review


# --- compensation models ---------------------------------------------------------------------------------

RULE_FIELDS = (
    "code",
    "kind",
    "label",
    "amount",
    "tiers",
    "outcome",
    "min_hours_per_week",
    "min_weeks",
    "months_without_assistance",
    "waiting_days",
    "max_months_in_service",
    "interval_weeks",
    "max_occurrences",
    "count_subsidised",
    "cap_per_participant",
    "deduction_trigger",
    "late_after_days",
    "order",
)


def version_in_force(version: CompensationModelVersion, *, today: datetime.date | None = None) -> bool:
    """A version whose start date has come is in force (or was): it is never changed again."""
    return version.valid_from <= (today or timezone.localdate())


def _rule_errors(index: int, rule: CompensationRule, rates: list[dict]) -> dict:
    prefix = f"rules[{index}]"
    errors: dict[str, list[str]] = {}
    try:
        rule.full_clean(exclude=["version"], validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors[f"{prefix}.{name}"] = messages
    if rule.tiers and (set(rule.tiers) - set(TIERS) or len(set(rule.tiers)) != len(rule.tiers)):
        errors[f"{prefix}.tiers"] = [_("Name the tiers with the letters A, B and C, each once.")]
    if rule.kind == RuleKind.DEDUCTION and not (rule.deduction_trigger and rule.late_after_days is not None):
        errors[f"{prefix}.deduction_trigger"] = [
            _("A deduction needs what it is for and after how many days.")
        ]
    if rule.kind in calculation.EXIT_KINDS and not rule.outcome:
        errors[f"{prefix}.outcome"] = [_("A result rule needs the outcome it rewards.")]
    if rule.kind == RuleKind.SUSTAINMENT_FEE and not (rule.months_without_assistance or rule.interval_weeks):
        errors[f"{prefix}.months_without_assistance"] = [
            _("A sustainment fee needs months without assistance or a repeat interval.")
        ]
    if rule.interval_weeks and not rule.max_occurrences:
        errors[f"{prefix}.max_occurrences"] = [_("Repeating payments need a largest number of payments.")]
    seen = set()
    for k, rate in enumerate(rates):
        tier = rate.get("tier")
        if tier not in TIERS:
            errors[f"{prefix}.rates[{k}].tier"] = [_("The tier must be A, B or C.")]
        elif tier in seen:
            errors[f"{prefix}.rates[{k}].tier"] = [_("Each tier can have one rate.")]
        seen.add(tier)
        multiplier = rate.get("multiplier")
        if multiplier is not None and Decimal(multiplier) < 0:
            errors[f"{prefix}.rates[{k}].multiplier"] = [_("The multiplier cannot be negative.")]
    return errors


@transaction.atomic
def compensation_version_create(
    *,
    model: CompensationModel,
    by,
    valid_from: datetime.date,
    rules: list[dict] | None = None,
    cap_per_participant: Decimal | None = None,
    note: str = "",
) -> CompensationModelVersion:
    """Add a version to a compensation model. It applies only from `valid_from`, which must lie in the
    future (versions in force are immutable, so a month already paid cannot change). `rules`: dicts with
    the rule fields and an optional `rates` list of {tier, amount, multiplier}; without rules, the rules of
    the latest version are carried over unchanged."""
    if not perms.can_manage_compensation(by, model):
        raise PermissionDenied(_("You cannot change compensation models."))
    model = CompensationModel.objects.select_for_update().get(pk=model.pk)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if valid_from <= today:
        errors["valid_from"] = [
            _("A new version must start after today; versions in force cannot be changed.")
        ]
    elif model.versions.filter(valid_from=valid_from).exists():
        errors["valid_from"] = [_("The model already has a version starting that day.")]
    if cap_per_participant is not None and cap_per_participant < 0:
        errors["cap_per_participant"] = [_("The cap cannot be negative.")]
    if rules is None:
        latest = model.versions.order_by("-valid_from").prefetch_related("rules__rates").first()
        if latest is None:
            errors["rules"] = [_("The first version of a model needs its rules.")]
            rules = []
        else:
            rules = [
                {
                    **{name: getattr(rule, name) for name in RULE_FIELDS},
                    "rates": [
                        {"tier": r.tier, "amount": r.amount, "multiplier": r.multiplier}
                        for r in rule.rates.all()
                    ],
                }
                for rule in latest.rules.all()
            ]
    elif not rules:
        errors["rules"] = [_("A version needs at least one rule.")]
    built = []
    codes = set()
    for index, data in enumerate(rules):
        data = dict(data)
        rates = list(data.pop("rates", None) or [])
        unknown = set(data) - set(RULE_FIELDS)
        if unknown:
            errors[f"rules[{index}]"] = [
                _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            ]
            continue
        rule = CompensationRule(**{k: v for k, v in data.items() if v is not None or k in _NULLABLE_RULE})
        if rule.code in codes:
            errors[f"rules[{index}].code"] = [_("Each rule of a version needs its own code.")]
        codes.add(rule.code)
        errors.update(_rule_errors(index, rule, rates))
        built.append((rule, rates))
    if errors:
        raise ValidationError(errors)
    version = CompensationModelVersion.objects.create(
        model=model, valid_from=valid_from, cap_per_participant=cap_per_participant, note=note
    )
    for rule, rates in built:
        rule.version = version
        rule.save()
        RuleRate.objects.bulk_create(
            [
                RuleRate(
                    rule=rule,
                    tier=rate["tier"],
                    amount=rate.get("amount"),
                    multiplier=rate.get("multiplier") if rate.get("multiplier") is not None else Decimal("1"),
                )
                for rate in rates
            ]
        )
    change_record(
        action="compensation_version_created",
        obj=version,
        by=by,
        changes={"model": model.name, "valid_from": valid_from.isoformat(), "rules": len(built)},
    )
    return version


_NULLABLE_RULE = frozenset(
    {
        "min_hours_per_week",
        "min_weeks",
        "months_without_assistance",
        "max_months_in_service",
        "interval_weeks",
        "max_occurrences",
        "cap_per_participant",
        "late_after_days",
    }
)
