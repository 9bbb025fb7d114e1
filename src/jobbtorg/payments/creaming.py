"""The creaming and parking check (issue 6; DOMAIN.md, Money): per provider and period, by distance tier
A (near the labour market) … C (far), against the average of all providers of the municipality.

Figures per provider and tier:
- intake: people whose assignment to the provider started in the period;
- early exits: of those, assignments that ended — or an exit recorded as interrupted — within
  EARLY_EXIT_DAYS of the start (refusals and early drop-outs);
- results: exits to work (not a municipal labour-market job) or studies with evidence, in the period;
  sustained: of those, how many had no assistance in the SUSTAINED_MONTHS months after the exit month
  (only counted once those months are imported);
- participant-months: the calendar months of the period in which each person was assigned to the provider;
- meetings: attended appointments with the provider (attendance.Appointment, outcome attended) plus days
  reported present in the provider's interventions; per participant-month.

Flags:
- "results only from people near the labour market" (creaming): the share of results from tier A is at
  least SHARE_MARGIN above the provider's tier-A share of intake (with at least MIN_RESULTS results), or
  the provider had at least MIN_FAR_PARTICIPANTS tier B/C participants in the period and results only from
  tier A;
- "parked": tier C participants (at least MIN_PARKED_PARTICIPANTS) had fewer than PARKED_RATIO times the
  average meetings per participant-month of tier C at all providers.

Set-based: five queries for the whole municipality, whatever the number of providers or people. Outside
finance and unit heads (analysts), counts are withheld by the rule of utils.suppression.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.utils.translation import gettext_lazy as _

from jobbtorg.attendance.models import Appointment, AttendanceReport
from jobbtorg.followup.constants import ExitReason
from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit
from jobbtorg.providers.models import Assignment, Provider
from jobbtorg.utils import suppression

from .constants import TIERS
from .selectors import add_months, month_end

EARLY_EXIT_DAYS = 30
SUSTAINED_MONTHS = 3
SHARE_MARGIN = 0.25
MIN_RESULTS = 3
MIN_FAR_PARTICIPANTS = 5
PARKED_RATIO = 0.5
MIN_PARKED_PARTICIPANTS = 3

CREAMING = "creaming"
PARKED = "parked"
FLAG_LABELS = {
    CREAMING: _("Results only from people near the labour market"),
    PARKED: _("People far from the labour market are not met (parked)"),
}
COUNTS = ("intake", "early_exits", "results", "sustained", "participants", "participant_months", "meetings")


@dataclass
class Figures:
    intake: int = 0
    early_exits: int = 0
    results: int = 0
    sustained: int = 0
    participants: int = 0
    participant_months: int = 0
    meetings: int = 0

    @property
    def meetings_per_month(self) -> float | None:
        if not self.participant_months:
            return None
        return round(self.meetings / self.participant_months, 2)

    @property
    def early_exit_share(self) -> float | None:
        return round(self.early_exits / self.intake, 3) if self.intake else None

    def add(self, other: "Figures") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ProviderCheck:
    provider_id: int
    name: str
    tiers: dict[str, Figures] = field(default_factory=lambda: {t: Figures() for t in TIERS})
    total: Figures = field(default_factory=Figures)
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def share(self, figure: str, tier: str) -> float | None:
        whole = getattr(self.total, figure)
        return round(getattr(self.tiers[tier], figure) / whole, 3) if whole else None


@dataclass
class CreamingReport:
    start: datetime.date
    end: datetime.date
    providers: list[ProviderCheck]
    average: ProviderCheck  # all providers pooled
    suppressed: bool = False


def _tier(value) -> str | None:
    return value if value in TIERS else None


def creaming_check(
    *, municipality_id: int, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> CreamingReport:
    providers = {
        p.pk: ProviderCheck(p.pk, p.name)
        for p in Provider.objects.filter(municipality_id=municipality_id).only("id", "name").order_by("name")
    }

    def cell(provider_id, tier) -> Figures | None:
        check = providers.get(provider_id)
        tier = _tier(tier)
        return check.tiers[tier] if check and tier else None

    # 1. intake and early exits
    interrupted_early = Exit.objects.filter(
        referral_id=OuterRef("referral_id"),
        provider_id=OuterRef("provider_id"),
        reason=ExitReason.INTERRUPTED,
        exit_date__lte=OuterRef("start_date") + datetime.timedelta(days=EARLY_EXIT_DAYS),
    )
    intake = (
        Assignment.objects.filter(
            provider__municipality_id=municipality_id, start_date__gte=start, start_date__lte=end
        )
        .annotate(
            early=ExpressionWrapper(
                Q(end_date__lte=F("start_date") + datetime.timedelta(days=EARLY_EXIT_DAYS))
                | Q(Exists(interrupted_early)),
                output_field=BooleanField(),
            )
        )
        .values("provider_id", "referral__mapping__tier")
        .annotate(
            n=Count("participant_id", distinct=True),
            early_n=Count("participant_id", distinct=True, filter=Q(early=True)),
        )
        .order_by()
    )
    for row in intake:
        target = cell(row["provider_id"], row["referral__mapping__tier"])
        if target:
            target.intake += row["n"]
            target.early_exits += row["early_n"]

    # 2. results, and whether they lasted
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
    imported = set(
        AssistanceImport.objects.filter(month__gte=start.replace(day=1)).values_list("month", flat=True)
    )
    results = (
        Exit.objects.filter(
            provider__municipality_id=municipality_id, exit_date__gte=start, exit_date__lte=end
        )
        # A job not (yet) said to be a municipal labour-market job counts, as in the payment rules.
        .filter(
            (Q(reason=ExitReason.WORK) & ~Q(municipal_labour_market_job=True)) | Q(reason=ExitReason.STUDIES)
        )
        .exclude(evidence="")
        .annotate(first_paid_after=Subquery(first_paid, output_field=DateField()))
        .values_list("provider_id", "referral__mapping__tier", "exit_date", "first_paid_after")
    )
    for provider_id, tier, exit_date, first_paid_after in results:
        target = cell(provider_id, tier)
        if not target:
            continue
        target.results += 1
        months = [add_months(exit_date.replace(day=1), k) for k in range(1, SUSTAINED_MONTHS + 1)]
        if all(m in imported for m in months) and (first_paid_after is None or first_paid_after > months[-1]):
            target.sustained += 1

    # 3. participant-months: calendar months of the period in which a person was assigned to the provider
    person_months: dict[tuple[int, str], set] = defaultdict(set)
    active = (
        Assignment.objects.filter(provider__municipality_id=municipality_id, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("provider_id", "referral__mapping__tier", "participant_id", "start_date", "end_date")
    )
    for provider_id, tier, participant_id, a_start, a_end in active:
        tier = _tier(tier)
        if provider_id not in providers or not tier:
            continue
        month = max(a_start, start).replace(day=1)
        last = min(a_end or end, end)
        while month <= last:
            person_months[(provider_id, tier)].add((participant_id, month))
            month = add_months(month, 1)
    for (provider_id, tier), pairs in person_months.items():
        target = providers[provider_id].tiers[tier]
        target.participant_months = len(pairs)
        target.participants = len({p for p, _m in pairs})

    # 4. meetings: attended appointments with the provider, and days present in its interventions
    starts = datetime.datetime.combine(start, datetime.time.min)
    ends = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    appointments = (
        Appointment.objects.filter(
            provider__municipality_id=municipality_id,
            outcome="attended",
            starts_at__gte=timezone.make_aware(starts, tz),
            starts_at__lt=timezone.make_aware(ends, tz),
        )
        .values("provider_id", "referral__mapping__tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in appointments:
        target = cell(row["provider_id"], row["referral__mapping__tier"])
        if target:
            target.meetings += row["n"]
    present = (
        AttendanceReport.objects.filter(
            booking__offering__provider__municipality_id=municipality_id,
            status="present",
            date__gte=start,
            date__lte=end,
        )
        .values("booking__offering__provider_id", "booking__referral__mapping__tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in present:
        target = cell(row["booking__offering__provider_id"], row["booking__referral__mapping__tier"])
        if target:
            target.meetings += row["n"]

    average = ProviderCheck(0, str(_("All providers")))
    for check in providers.values():
        for tier in TIERS:
            check.total.add(check.tiers[tier])
            average.tiers[tier].add(check.tiers[tier])
        average.total.add(check.total)
    checks = [c for c in providers.values() if c.total.participants or c.total.intake or c.total.results]
    for check in checks:
        _flag(check, average)
    return CreamingReport(start, end, checks, average)


def _flag(check: ProviderCheck, average: ProviderCheck) -> None:
    a_results, a_intake = check.share("results", "A"), check.share("intake", "A")
    far = check.tiers["B"].participants + check.tiers["C"].participants
    far_results = check.tiers["B"].results + check.tiers["C"].results
    if check.total.results >= MIN_RESULTS and a_intake is not None and a_results - a_intake >= SHARE_MARGIN:
        check.flags.append(CREAMING)
        check.reasons.append(
            str(
                _("%(results)d %% of the results come from tier A, against %(intake)d %% of the intake.")
                % {"results": round(a_results * 100), "intake": round(a_intake * 100)}
            )
        )
    elif far >= MIN_FAR_PARTICIPANTS and far_results == 0 and check.tiers["A"].results > 0:
        check.flags.append(CREAMING)
        check.reasons.append(
            str(
                _("No result from tiers B and C although %(n)d such people were with the provider.")
                % {"n": far}
            )
        )
    own, pooled = check.tiers["C"], average.tiers["C"]
    if (
        own.participants >= MIN_PARKED_PARTICIPANTS
        and pooled.meetings_per_month
        and (own.meetings_per_month or 0) < PARKED_RATIO * pooled.meetings_per_month
    ):
        check.flags.append(PARKED)
        check.reasons.append(
            str(
                _("Tier C: %(own)s meetings per person and month, against %(avg)s on average.")
                % {"own": own.meetings_per_month or 0, "avg": pooled.meetings_per_month}
            )
        )


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve whole months."""
    this_month = today.replace(day=1)
    return add_months(this_month, -12), month_end(add_months(this_month, -1))


def _withheld(report: CreamingReport) -> dict:
    """(provider id or AVERAGE, tier or TOTAL, count) → text, by the rule of utils.suppression: the small
    counts, and those that would let one be worked out from the tier and provider totals."""
    checks = [*report.providers, report.average]
    values, lines = {}, []
    for name in COUNTS:
        for check in checks:
            key = check.provider_id if check is not report.average else AVERAGE
            for tier in TIERS:
                values[(key, tier, name)] = getattr(check.tiers[tier], name)
            values[(key, TOTAL, name)] = getattr(check.total, name)
            lines.append(([(key, tier, name) for tier in TIERS], (key, TOTAL, name)))
        for column in (*TIERS, TOTAL):
            lines.append(([(c.provider_id, column, name) for c in report.providers], (AVERAGE, column, name)))
    return suppression.withhold(values, lines)


AVERAGE, TOTAL = "all", "total"


def _figures(figures: Figures, *, withheld: dict | None) -> dict:
    data = {name: getattr(figures, name) for name in COUNTS}
    data["meetings_per_month"] = figures.meetings_per_month
    data["early_exit_share"] = figures.early_exit_share
    if withheld is not None:
        if "participants" in withheld:
            data["meetings_per_month"] = suppression.HIDDEN
        if {"intake", "early_exits"} & set(withheld) or not suppression.share_is_shown(
            figures.early_exits, figures.intake
        ):
            data["early_exit_share"] = suppression.HIDDEN
        data.update(withheld)
    return data


def _check_dict(check: ProviderCheck, *, withheld: dict | None) -> dict:
    key = check.provider_id or AVERAGE

    def cell(column):
        if withheld is None:
            return None
        return {name: text for (k, c, name), text in withheld.items() if k == key and c == column}

    return {
        "provider": check.provider_id or None,
        "name": check.name,
        "tiers": {tier: _figures(check.tiers[tier], withheld=cell(tier)) for tier in TIERS},
        "total": _figures(check.total, withheld=cell(TOTAL)),
        "flags": [{"code": flag, "label": str(FLAG_LABELS[flag])} for flag in check.flags],
        "reasons": check.reasons,
    }


def report_as_dict(report: CreamingReport, *, suppress: bool) -> dict:
    """The report for a page or the API; with `suppress` (analysts) the counts and rates are withheld by the
    rule of utils.suppression ("<5", "–"; the API gives null)."""
    withheld = _withheld(report) if suppress else None
    return {
        "start": report.start,
        "end": report.end,
        "suppressed": suppress,
        "providers": [_check_dict(c, withheld=withheld) for c in report.providers],
        "average": _check_dict(report.average, withheld=withheld),
    }
