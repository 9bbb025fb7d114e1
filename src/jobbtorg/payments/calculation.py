"""The rules of a compensation model applied to the facts: pure functions from rows to candidate lines.

Timing conventions (documented in docs/payments.md):
- The version of a model that applies is the one valid on the line's *anchor* date: the first day of the
  month for monthly fees and deductions, the assignment start for start/attachment fees, the exit date for
  result, job-outcome and sustainment fees. A new version therefore applies only from its start date.
- "Work lasting M weeks": the work start (or exit date) plus M weeks has passed and no assistance was paid
  in any month after the exit month up to that date.
- "N months without assistance after exit": the months after the exit month up to the N-th have all been
  imported and none of them shows assistance paid.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jobbtorg.followup.constants import FULL_TIME_HOURS, EmploymentForm, ExitReason

from .constants import Outcome, RuleKind
from .selectors import add_months, month_end, months_between

ONE_OFF_KINDS = (RuleKind.START_FEE, RuleKind.ATTACHMENT_FEE)
EXIT_KINDS = (RuleKind.RESULT_FEE, RuleKind.JOB_OUTCOME_FEE, RuleKind.SUSTAINMENT_FEE)
CENT = Decimal("0.01")


@dataclass
class Candidate:
    provider_id: int
    participant_id: int
    referral_id: object
    model_id: int
    rule: object
    period: str
    period_month: datetime.date
    tier: str
    amount: Decimal
    evidence: dict = field(default_factory=dict)
    due: datetime.date | None = None
    reverses_id: int | None = None

    @property
    def key(self):
        return (self.provider_id, self.participant_id, self.model_id, self.rule.code, self.period)


def rate_for(rule, tier: str) -> tuple[Decimal, Decimal]:
    """(amount, multiplier) of a rule for a tier: a tier rate's own amount overrides the base amount."""
    for rate in rule.rates.all():
        if rate.tier == tier:
            return (rate.amount if rate.amount is not None else rule.amount), rate.multiplier
    return rule.amount, Decimal("1")


def amount_for(rule, tier: str) -> tuple[Decimal, dict]:
    base, multiplier = rate_for(rule, tier)
    amount = (base * multiplier).quantize(CENT, rounding=ROUND_HALF_UP)
    return amount, {"rate": str(base), "multiplier": str(multiplier)}


def applies_to_tier(rule, tier: str) -> bool:
    return not rule.tiers or (tier or "") in rule.tiers


def _period_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _ref(referral_id) -> str:
    return "r:" + (referral_id.hex if hasattr(referral_id, "hex") else str(referral_id).replace("-", ""))


# --- assignment-based rules ------------------------------------------------------------------------------


def assignment_candidates(rows, *, lookup, window_start, run_month):
    """Start, attachment and monthly fees from provider assignments."""
    run_end = month_end(run_month)
    out = []
    for _aid, participant_id, referral_id, provider_id, type_id, start, end, tier in rows:
        tier = tier or ""
        model_id = lookup.model_for(provider_id, type_id, start)
        if model_id is None:
            continue
        # one-off fees at the start
        version = lookup.version(model_id, start)
        if version is not None:
            for rule in version.rules.all():
                if rule.kind not in ONE_OFF_KINDS or not applies_to_tier(rule, tier):
                    continue
                due = start + datetime.timedelta(days=rule.waiting_days)
                if due > run_end or due < window_start or (end is not None and end < due):
                    continue
                amount, rate = amount_for(rule, tier)
                out.append(
                    Candidate(
                        provider_id,
                        participant_id,
                        referral_id,
                        model_id,
                        rule,
                        _ref(referral_id),
                        _period_month(due),
                        tier,
                        amount,
                        {"assignment_start": start.isoformat(), "due": due.isoformat(), "tier": tier, **rate},
                        due,
                    )
                )
        # monthly fees, one per month the intervention ran
        month = max(_period_month(start), window_start)
        while month <= run_month:
            m_end = month_end(month)
            if end is not None and end < month:
                break
            model_id_m = lookup.model_for(provider_id, type_id, month) or model_id
            version = lookup.version(model_id_m, month)
            if version is not None:
                for rule in version.rules.all():
                    if rule.kind != RuleKind.MONTHLY_FEE or not applies_to_tier(rule, tier):
                        continue
                    ran_from = start + datetime.timedelta(days=rule.waiting_days)
                    due = max(month, ran_from)
                    if due > m_end or (end is not None and end < ran_from):
                        continue
                    index = months_between(start, month)
                    if rule.max_months_in_service is not None and index >= rule.max_months_in_service:
                        continue
                    amount, rate = amount_for(rule, tier)
                    out.append(
                        Candidate(
                            provider_id,
                            participant_id,
                            referral_id,
                            model_id_m,
                            rule,
                            f"m:{month:%Y-%m}",
                            month,
                            tier,
                            amount,
                            {
                                "assignment_start": start.isoformat(),
                                "assignment_end": end.isoformat() if end else None,
                                "paid_from": ran_from.isoformat(),
                                "month_in_service": index + 1,
                                "tier": tier,
                                **rate,
                            },
                            due,
                        )
                    )
            month = add_months(month, 1)
    return out


# --- exit-based rules ------------------------------------------------------------------------------------


def _counts_as_work(rule, exit) -> bool:
    if exit["reason"] != ExitReason.WORK or exit["municipal_labour_market_job"]:
        return False
    if exit["subsidised"] and not rule.count_subsidised:
        return False
    if rule.min_hours_per_week and (exit["work_hours_per_week"] or 0) < rule.min_hours_per_week:
        return False
    return True


def outcome_met(rule, exit) -> bool:
    if not (exit["evidence"] or "").strip() and exit["reason"] in (ExitReason.WORK, ExitReason.STUDIES):
        return False
    outcome = rule.outcome or Outcome.WORK_OR_STUDIES
    work = _counts_as_work(rule, exit)
    studies = exit["reason"] == ExitReason.STUDIES
    if outcome == Outcome.WORK:
        return work
    if outcome == Outcome.STUDIES:
        return studies
    if outcome == Outcome.WORK_OR_STUDIES:
        return work or studies
    if outcome == Outcome.SELF_SUPPORT:
        # Nacka: employment, or full-time hourly work, or studies with student finance (subsidised counts)
        if work:
            if exit["employment_form"] == EmploymentForm.HOURLY:
                return (exit["work_hours_per_week"] or 0) >= FULL_TIME_HOURS
            return True
        return studies and exit["studies_with_student_finance"]
    if outcome == Outcome.NO_ASSISTANCE:
        return exit["reason"] not in (ExitReason.MOVED, ExitReason.OTHER_SUPPORT)
    return False


def rests_on_no_assistance(rule) -> bool:
    """The rule pays for the absence of assistance alone: the outcome "no assistance after exit", or "N
    months without assistance"."""
    return rule.outcome == Outcome.NO_ASSISTANCE or bool(rule.months_without_assistance)


def never_on_assistance_intake(exit) -> bool:
    """An intake at the unit (no caseworker, ADR 0020) of a person paid no assistance up to the exit: the
    absence of assistance afterwards proves nothing about self-support, so the rules that rest on it alone
    pay nothing for them. District referrals are never affected."""
    is_intake = "referral__caseworker_id" in exit and exit["referral__caseworker_id"] is None
    return is_intake and not exit.get("assistance_before_exit", True)


def _no_assistance_through(exit, last_month: datetime.date, imported: set) -> bool:
    first_paid = exit["first_paid_after"]
    return first_paid is None or first_paid > last_month


def _months_clear(exit, n: int, imported: set) -> tuple[bool, list[str]]:
    exit_month = _period_month(exit["exit_date"])
    months = [add_months(exit_month, k) for k in range(1, n + 1)]
    ok = all(m in imported for m in months) and _no_assistance_through(exit, months[-1], imported)
    return ok, [f"{m:%Y-%m}" for m in months]


def exit_candidates(rows, *, lookup, window_start, run_month, imported):
    run_end = month_end(run_month)
    out = []
    for exit in rows:
        tier = exit["referral__mapping__tier"] or ""
        provider_id = exit["provider_id"]
        model_id = lookup.model_for(provider_id, exit["assignment_type"], exit["exit_date"])
        if model_id is None:
            continue
        version = lookup.version(model_id, exit["exit_date"])
        if version is None:
            continue
        started = exit["work_start_date"] or exit["exit_date"]
        exit_info = {
            "exit_id": str(exit["id"]),
            "exit_date": exit["exit_date"].isoformat(),
            "reason": exit["reason"],
            "work_start": exit["work_start_date"].isoformat() if exit["work_start_date"] else None,
            "hours_per_week": exit["work_hours_per_week"],
            "employment_form": exit["employment_form"],
            "subsidised": exit["subsidised"],
            "studies_with_student_finance": exit["studies_with_student_finance"],
            "evidence": exit["evidence"],
            "first_assistance_after_exit": (
                f"{exit['first_paid_after']:%Y-%m}" if exit["first_paid_after"] else None
            ),
            "tier": tier,
        }
        for rule in version.rules.all():
            if rule.kind not in EXIT_KINDS or not applies_to_tier(rule, tier) or not outcome_met(rule, exit):
                continue
            if rests_on_no_assistance(rule) and never_on_assistance_intake(exit):
                continue
            base = started + datetime.timedelta(weeks=rule.min_weeks or 0)
            extra = {}
            if rule.months_without_assistance:
                ok, months = _months_clear(exit, rule.months_without_assistance, imported)
                if not ok:
                    continue
                extra["months_without_assistance"] = months
                base = max(
                    base,
                    month_end(add_months(_period_month(exit["exit_date"]), rule.months_without_assistance)),
                )
            amount, rate = amount_for(rule, tier)
            if rule.interval_weeks:  # repeating payments after the base date
                for k in range(1, (rule.max_occurrences or 1) + 1):
                    due = base + datetime.timedelta(weeks=rule.interval_weeks * k)
                    if due > run_end:
                        break
                    if due < window_start or not _no_assistance_through(exit, _period_month(due), imported):
                        continue
                    out.append(
                        Candidate(
                            provider_id,
                            exit["participant_id"],
                            exit["referral_id"],
                            model_id,
                            rule,
                            f"{_ref(exit['referral_id'])}:n{k:02d}",
                            _period_month(due),
                            tier,
                            amount,
                            {**exit_info, **extra, **rate, "due": due.isoformat(), "payment": k},
                            due,
                        )
                    )
                continue
            due = base
            if due > run_end or due < window_start:
                continue
            if rule.min_weeks and not _no_assistance_through(exit, _period_month(due), imported):
                continue
            out.append(
                Candidate(
                    provider_id,
                    exit["participant_id"],
                    exit["referral_id"],
                    model_id,
                    rule,
                    _ref(exit["referral_id"]),
                    _period_month(due),
                    tier,
                    amount,
                    {**exit_info, **extra, **rate, "due": due.isoformat()},
                    due,
                )
            )
    return out


# --- deductions ------------------------------------------------------------------------------------------


def deduction_candidates(rows, *, lookup, rule_code_lookup=None):
    """rows: (provider, type, participant, referral, month, count) of late attendance reports."""
    out = []
    for provider_id, type_id, participant_id, referral_id, month, count in rows:
        month = month.date() if isinstance(month, datetime.datetime) else month
        model_id = lookup.model_for(provider_id, type_id, month)
        version = lookup.version(model_id, month) if model_id else None
        if version is None:
            continue
        for rule in version.rules.all():
            if rule.kind != RuleKind.DEDUCTION:
                continue
            amount = -(rule.amount * count).quantize(CENT)
            out.append(
                Candidate(
                    provider_id,
                    participant_id,
                    referral_id,
                    model_id,
                    rule,
                    f"m:{month:%Y-%m}",
                    month,
                    "",
                    amount,
                    {
                        "late_reports": count,
                        "late_after_days": rule.late_after_days,
                        "per_report": str(rule.amount),
                    },
                    month,
                )
            )
    return out


def apply_caps(candidates, *, lookup, paid):
    """Reduce lines so that no rule or model version pays more than its cap per participant (what was
    paid before counts). Lines reduced to nothing are dropped."""
    running: dict = {}
    kept = []
    for c in sorted(
        candidates, key=lambda c: (c.period_month, c.due or c.period_month, c.rule.order, c.rule.code)
    ):
        if c.amount <= 0:
            kept.append(c)
            continue
        version = c.rule.version
        rule_cap, total_cap = c.rule.cap_per_participant, version.cap_per_participant
        if rule_cap is None and total_cap is None:
            kept.append(c)
            continue
        key = (c.provider_id, c.participant_id, c.model_id)
        if key not in running:
            running[key] = dict(paid.get(key, {}))
        sums = running[key]
        allowed = c.amount
        if rule_cap is not None:
            allowed = min(allowed, rule_cap - sums.get(c.rule.code, Decimal("0")))
        if total_cap is not None:
            allowed = min(allowed, total_cap - sum(sums.values(), Decimal("0")))
        if allowed <= 0:
            continue
        if allowed < c.amount:
            c.evidence["capped_from"] = str(c.amount)
            c.amount = allowed
        sums[c.rule.code] = sums.get(c.rule.code, Decimal("0")) + c.amount
        kept.append(c)
    return kept


# --- claw-back -------------------------------------------------------------------------------------------


def clawback_candidates(lines, *, run_month):
    """A negative adjustment for each paid line whose evidence no longer holds: corrected assistance data
    shows assistance paid after the exit, in or before the month the line relied on (the month of its due
    date). `lines` come from `selectors.lines_to_claw_back` (annotated with `first_paid_after`)."""
    out = []
    for line in lines:
        due = line.evidence.get("due")
        relied_through = _period_month(datetime.date.fromisoformat(due)) if due else line.period_month
        if line.first_paid_after > relied_through:
            continue
        out.append(
            Candidate(
                line.provider_id,
                line.participant_id,
                line.referral_id,
                line.model_id,
                line.rule,
                f"{line.period}:rev",
                line.period_month,
                line.tier,
                -line.amount,
                {
                    "reason": "assistance_paid_after_correction",
                    "reverses_line": line.pk,
                    "paid_in_run": f"{line.run.month:%Y-%m}",
                    "exit_date": line.exit_date.isoformat() if line.exit_date else None,
                    "relied_on_no_assistance_through": f"{relied_through:%Y-%m}",
                    "assistance_paid_in": f"{line.first_paid_after:%Y-%m}",
                },
                run_month,
                line.pk,
            )
        )
    return out


def _relied_on_assignment(line) -> datetime.date:
    """The day a paid assignment-based line needed the assignment to be running: a one-off fee its due date,
    a monthly fee the first day of its month (or the day the waiting days ran out, if later)."""
    evidence = line.evidence or {}
    if line.kind in ONE_OFF_KINDS and evidence.get("due"):
        return datetime.date.fromisoformat(evidence["due"])
    paid_from = evidence.get("paid_from")
    if paid_from:
        return max(line.period_month, datetime.date.fromisoformat(paid_from))
    return line.period_month


def assignment_clawback_candidates(lines, *, run_month):
    """A negative adjustment for each paid start, attachment or monthly fee whose ground is gone: no
    assignment of the referral with the provider ran on the day the line relied on — typically an exit
    recorded after the month was paid, which ends the assignment on the (earlier) exit date. `lines` come
    from `selectors.assignment_lines_to_recheck` (each with `assignments`: [(start, end)])."""
    out = []
    for line in lines:
        day = _relied_on_assignment(line)
        if any(start <= day and (end is None or end >= day) for start, end in line.assignments):
            continue
        ends = [end for _start, end in line.assignments if end is not None]
        out.append(
            Candidate(
                line.provider_id,
                line.participant_id,
                line.referral_id,
                line.model_id,
                line.rule,
                f"{line.period}:rev",
                line.period_month,
                line.tier,
                -line.amount,
                {
                    "reason": "assignment_ended_before_the_period",
                    "reverses_line": line.pk,
                    "paid_in_run": f"{line.paid_in_month:%Y-%m}",
                    "assignment_end": max(ends).isoformat() if ends else None,
                    "relied_on_assignment_on": day.isoformat(),
                },
                run_month,
                line.pk,
            )
        )
    return out
