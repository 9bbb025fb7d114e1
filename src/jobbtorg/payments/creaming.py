"""The creaming and parking check (issues 6 and 21; DOMAIN.md, Money; docs/payments.md, "Creaming and
parking"): per provider and period, by distance tier A (near the labour market) … C (far).

Figures per provider and tier:
- intake: people whose assignment to the provider started in the period;
- early exits: of those, assignments that ended — or an exit recorded as interrupted — within
  `early_exit_days` of the start (refusals and early drop-outs, "sending the hardest back");
- results: exits to work (not a municipal labour-market job) or studies with evidence, in the period;
  sustained: of those, how many had no assistance in the `sustained_months` months after the exit month
  (only counted once those months are imported);
- participant-months: the calendar months of the period in which each person was assigned to the provider;
- meetings: attended appointments with the provider (attendance.Appointment, outcome attended) plus days
  reported present in the provider's interventions; per participant-month.
And for the municipality: its new participants of the period by tier (mapped referrals, by referral date).

Rules (each threshold a key of `settings.JOBBTORG_CREAMING`, defaults in DEFAULTS; `thresholds()`):
- CREAMING, "results only from people near the labour market": the share of results from tier A is at least
  `share_margin` above the provider's tier-A share of intake (with at least `min_results` results), or the
  provider had at least `min_far_participants` tier B/C participants and results only from tier A;
- SELECTION, "takes in mostly people near the labour market": the provider's tier-A share of intake — even
  at the low end of its sampling interval (Wilson, `confidence_z`) — is more than `selection_margin` above
  the municipality's tier-A share of new participants (with at least `min_intake` intake). The interval
  keeps small providers from being flagged by chance;
- EARLY_EXIT, "sends the people far from the labour market back": in a tier of `early_exit_tiers`, the
  provider's early-exit share — at the low end of its interval — is more than `early_exit_margin` above the
  early-exit share of that tier at the other providers (with at least `min_early_intake` intake in the tier);
- PARKED, "people far from the labour market are not met": tier-C participants (at least
  `min_parked_participants`) had fewer than `parked_ratio` times the meetings per participant-month of
  tier C at the other providers (leave-one-out: the provider is never in its own reference).

Every flag keeps the figures behind it (`Finding`); its text is written when shown, with counts under five
withheld for analysts and no percentage of a group under five for anybody (utils.suppression).

Set-based: six queries for the whole municipality, whatever the number of providers or people.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.attendance.constants import AppointmentOutcome, AttendanceStatus
from jobbtorg.attendance.models import Appointment, AttendanceReport
from jobbtorg.followup.constants import ExitReason
from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit
from jobbtorg.plans.models import Mapping
from jobbtorg.providers.models import Assignment, Provider
from jobbtorg.utils import suppression

from .constants import TIERS, CreamingFlag
from .selectors import add_months, month_end

DEFAULTS = {
    "early_exit_days": 30,  # an assignment that ends within this many days of its start is an early exit
    "sustained_months": 3,  # months without assistance after the exit that make a result last
    "share_margin": 0.25,  # CREAMING: tier-A share of results at least this much above the tier-A intake
    "min_results": 3,  # CREAMING: … with at least this many results
    "min_far_participants": 5,  # CREAMING: or this many tier B/C participants and no result from them
    "confidence_z": 1.96,  # sampling interval (Wilson) of a provider's shares: 1.96 ≈ 95 %
    "selection_margin": 0.10,  # SELECTION: tier-A intake share (low end) this much above the municipality's
    "min_intake": 5,  # SELECTION: … with at least this many taken in
    "early_exit_tiers": "BC",  # EARLY_EXIT: the tiers whose early exits are compared
    "early_exit_margin": 0.20,  # EARLY_EXIT: early-exit share (low end) this much above the other providers'
    "min_early_intake": 5,  # EARLY_EXIT: … with at least this many taken in in the tier
    "parked_ratio": 0.5,  # PARKED: fewer than this times the other providers' tier-C meetings per month
    "min_parked_participants": 3,  # PARKED: … with at least this many tier-C participants
    "review_months": 3,  # the monthly draft puts this many months of flags (ending with its) under review
}


def thresholds() -> dict:
    """The thresholds in force: DEFAULTS overridden by `settings.JOBBTORG_CREAMING`."""
    return {**DEFAULTS, **getattr(settings, "JOBBTORG_CREAMING", {})}


CREAMING = CreamingFlag.CREAMING.value
SELECTION = CreamingFlag.SELECTION.value
EARLY_EXIT = CreamingFlag.EARLY_EXIT.value
PARKED = CreamingFlag.PARKED.value
FLAGS = tuple(CreamingFlag.values)
FLAG_LABELS = dict(CreamingFlag.choices)
COUNTS = ("intake", "early_exits", "results", "sustained", "participants", "participant_months", "meetings")


def wilson(k: int, n: int, z: float) -> tuple[float, float]:
    """The Wilson score interval of the share k/n: what the share could be, given that only n people were
    seen (a provider with 4 people of tier A out of 6 may well take people in like everyone else)."""
    if not n:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Finding:
    """A flag and the figures behind it (counts and shares as numbers; the text is written when shown)."""

    code: str
    figures: dict
    tier: str = ""


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
    findings: list[Finding] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        return [f.code for f in self.findings]

    @property
    def reasons(self) -> list[str]:
        """The findings as text (counts as they are; no percentage of a group under five)."""
        return [reason_text(f, suppress=False) for f in self.findings]

    def share(self, figure: str, tier: str) -> float | None:
        whole = getattr(self.total, figure)
        return round(getattr(self.tiers[tier], figure) / whole, 3) if whole else None


@dataclass
class CreamingReport:
    start: datetime.date
    end: datetime.date
    providers: list[ProviderCheck]
    average: ProviderCheck  # all providers pooled
    new_participants: dict[str, int] = field(default_factory=dict)  # the municipality's, by tier
    thresholds: dict = field(default_factory=thresholds)
    suppressed: bool = False


def _tier(value) -> str | None:
    return value if value in TIERS else None


def creaming_check(
    *, municipality_id: int, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> CreamingReport:
    """The figures per provider and tier, in steps (one or two queries each), then pooled and flagged."""
    limits = thresholds()
    providers = _provider_checks(municipality_id)
    _count_intake(providers, municipality_id=municipality_id, start=start, end=end, limits=limits)
    _count_results(providers, municipality_id=municipality_id, start=start, end=end, limits=limits)
    _count_participant_months(providers, municipality_id=municipality_id, start=start, end=end)
    _count_meetings(providers, municipality_id=municipality_id, start=start, end=end)
    new_participants = _count_new_participants(municipality_id=municipality_id, start=start, end=end)
    average = _pool(providers)
    checks = [c for c in providers.values() if c.total.participants or c.total.intake or c.total.results]
    for check in checks:
        others = _others(check, average)
        for rule in RULES:
            finding = rule(check, others=others, new_participants=new_participants, limits=limits)
            if finding:
                check.findings.append(finding)
    return CreamingReport(start, end, checks, average, new_participants, limits)


def _provider_checks(municipality_id: int) -> dict[int, ProviderCheck]:
    """An empty check for every provider of the municipality, by name."""
    return {
        p.pk: ProviderCheck(p.pk, p.name)
        for p in Provider.objects.filter(municipality_id=municipality_id).only("id", "name").order_by("name")
    }


def _cell(providers: dict[int, ProviderCheck], provider_id, tier) -> Figures | None:
    """The figures of a provider's tier; None for another municipality's provider or a person without tier."""
    check = providers.get(provider_id)
    tier = _tier(tier)
    return check.tiers[tier] if check and tier else None


def _count_intake(
    providers, *, municipality_id: int, start: datetime.date, end: datetime.date, limits: dict
) -> None:
    """Intake: people whose assignment started in the period; early exits: of those, assignments that ended
    — or an exit recorded as interrupted — within `early_exit_days` of the start."""
    early_days = datetime.timedelta(days=limits["early_exit_days"])
    interrupted_early = Exit.objects.filter(
        referral_id=OuterRef("referral_id"),
        provider_id=OuterRef("provider_id"),
        reason=ExitReason.INTERRUPTED,
        exit_date__lte=OuterRef("start_date") + early_days,
    )
    intake = (
        Assignment.objects.filter(
            provider__municipality_id=municipality_id, start_date__gte=start, start_date__lte=end
        )
        .annotate(
            early=ExpressionWrapper(
                Q(end_date__lte=F("start_date") + early_days) | Q(Exists(interrupted_early)),
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
        target = _cell(providers, row["provider_id"], row["referral__mapping__tier"])
        if target:
            target.intake += row["n"]
            target.early_exits += row["early_n"]


def _count_results(
    providers, *, municipality_id: int, start: datetime.date, end: datetime.date, limits: dict
) -> None:
    """Results: exits to work (not a municipal labour-market job) or studies with evidence in the period;
    sustained: of those, no assistance paid in the `sustained_months` months after the exit month (counted
    once those months are imported)."""
    sustained_months = limits["sustained_months"]
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
        target = _cell(providers, provider_id, tier)
        if not target:
            continue
        target.results += 1
        months = [add_months(exit_date.replace(day=1), k) for k in range(1, sustained_months + 1)]
        if all(m in imported for m in months) and (first_paid_after is None or first_paid_after > months[-1]):
            target.sustained += 1


def _count_participant_months(
    providers, *, municipality_id: int, start: datetime.date, end: datetime.date
) -> None:
    """Participant-months: the calendar months of the period in which a person was assigned to the provider;
    participants: the distinct people among them."""
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


def _count_meetings(providers, *, municipality_id: int, start: datetime.date, end: datetime.date) -> None:
    """Meetings: attended appointments with the provider, and days present in its interventions."""
    tz = timezone.get_current_timezone()
    starts = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    ends = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz
    )
    appointments = (
        Appointment.objects.filter(
            provider__municipality_id=municipality_id,
            outcome=AppointmentOutcome.ATTENDED,
            starts_at__gte=starts,
            starts_at__lt=ends,
        )
        .values("provider_id", "referral__mapping__tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in appointments:
        target = _cell(providers, row["provider_id"], row["referral__mapping__tier"])
        if target:
            target.meetings += row["n"]
    present = (
        AttendanceReport.objects.filter(
            booking__offering__provider__municipality_id=municipality_id,
            status=AttendanceStatus.PRESENT,
            date__gte=start,
            date__lte=end,
        )
        .values("booking__offering__provider_id", "booking__referral__mapping__tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in present:
        target = _cell(
            providers, row["booking__offering__provider_id"], row["booking__referral__mapping__tier"]
        )
        if target:
            target.meetings += row["n"]


def _pool(providers: dict[int, ProviderCheck]) -> ProviderCheck:
    """Each provider's total over its tiers, and every provider pooled (the average to compare with)."""
    average = ProviderCheck(0, str(_("All providers")))
    for check in providers.values():
        for tier in TIERS:
            check.total.add(check.tiers[tier])
            average.tiers[tier].add(check.tiers[tier])
        average.total.add(check.total)
    return average


def _count_new_participants(*, municipality_id: int, start: datetime.date, end: datetime.date) -> dict:
    """The municipality's new participants of the period by tier: people referred in the period (referral
    date) whose mapping gave a tier — the mix a provider taking people in as they come would resemble."""
    rows = (
        Mapping.objects.filter(
            referral__district__municipality_id=municipality_id,
            referral__referral_date__gte=start,
            referral__referral_date__lte=end,
            tier__in=TIERS,
        )
        .values("tier")
        .annotate(n=Count("referral__participant_id", distinct=True))
        .order_by()
    )
    counts = dict.fromkeys(TIERS, 0)
    for row in rows:
        counts[row["tier"]] = row["n"]
    return counts


def _others(check: ProviderCheck, average: ProviderCheck) -> ProviderCheck:
    """Every provider but `check`, pooled: the reference a provider is compared with (leave-one-out, so that
    a large provider, or several behaving alike, do not lower the bar for themselves)."""
    others = ProviderCheck(0, str(_("The other providers")))
    for tier in TIERS:
        for name in COUNTS:
            value = getattr(average.tiers[tier], name) - getattr(check.tiers[tier], name)
            setattr(others.tiers[tier], name, value)
        others.total.add(others.tiers[tier])
    return others


def _share(k: int, n: int) -> float | None:
    return round(k / n, 3) if n else None


def _creaming(check: ProviderCheck, *, limits: dict, **_kw) -> Finding | None:
    """Results only from people near the labour market, against the provider's own intake."""
    a_results, a_intake = check.tiers["A"].results, check.tiers["A"].intake
    results, intake = check.total.results, check.total.intake
    far = check.tiers["B"].participants + check.tiers["C"].participants
    far_results = check.tiers["B"].results + check.tiers["C"].results
    if (
        results >= limits["min_results"]
        and intake
        and a_results / results - a_intake / intake >= limits["share_margin"]
    ):
        return Finding(
            CREAMING, {"a_results": a_results, "results": results, "a_intake": a_intake, "intake": intake}
        )
    if far >= limits["min_far_participants"] and far_results == 0 and a_results > 0:
        return Finding(CREAMING, {"far": far, "a_results": a_results})
    return None


def _selection(check: ProviderCheck, *, new_participants: dict, limits: dict, **_kw) -> Finding | None:
    """Intake mostly from tier A, against the municipality's new participants, beyond chance."""
    a_intake, intake = check.tiers["A"].intake, check.total.intake
    a_new, new = new_participants.get("A", 0), sum(new_participants.values())
    if intake < limits["min_intake"] or not new:
        return None
    low, _high = wilson(a_intake, intake, limits["confidence_z"])
    if low - a_new / new > limits["selection_margin"]:
        return Finding(
            SELECTION,
            {"a_intake": a_intake, "intake": intake, "low": round(low, 3), "a_new": a_new, "new": new},
        )
    return None


def _early_exit(check: ProviderCheck, *, others: ProviderCheck, limits: dict, **_kw) -> Finding | None:
    """Early exits of the far tiers, against the same tier at the other providers, beyond chance."""
    for tier in limits["early_exit_tiers"]:
        own, ref = check.tiers[tier], others.tiers[tier]
        if own.intake < limits["min_early_intake"] or not ref.intake:
            continue
        low, _high = wilson(own.early_exits, own.intake, limits["confidence_z"])
        if low - ref.early_exits / ref.intake > limits["early_exit_margin"]:
            figures = {
                "early": own.early_exits,
                "intake": own.intake,
                "low": round(low, 3),
                "ref_early": ref.early_exits,
                "ref_intake": ref.intake,
                "days": limits["early_exit_days"],
            }
            return Finding(EARLY_EXIT, figures, tier)
    return None


def _parked(check: ProviderCheck, *, others: ProviderCheck, limits: dict, **_kw) -> Finding | None:
    """Tier C met clearly less than at the other providers (leave-one-out)."""
    own, ref = check.tiers["C"], others.tiers["C"]
    if (
        own.participants >= limits["min_parked_participants"]
        and ref.meetings_per_month
        and (own.meetings_per_month or 0) < limits["parked_ratio"] * ref.meetings_per_month
    ):
        figures = {
            "participants": own.participants,
            "own": own.meetings_per_month or 0,
            "ref": ref.meetings_per_month,
            "ref_participants": ref.participants,
        }
        return Finding(PARKED, figures, "C")
    return None


RULES = (_creaming, _selection, _early_exit, _parked)


def rules_explained(limits: dict) -> list[dict]:
    """Each rule and its thresholds in force, in plain words (the page and the API show them)."""
    points = {
        key: round(100 * limits[key]) for key in ("share_margin", "selection_margin", "early_exit_margin")
    }
    confidence = round(100 * math.erf(limits["confidence_z"] / math.sqrt(2)))
    texts = {
        CREAMING: _(
            "The share of the provider's results that come from tier A is at least %(margin)s percentage "
            "points above the share of tier A among the people it took in (with at least %(min_results)s "
            "results); or it had at least %(min_far)s people in tiers B and C and results only from tier A."
        )
        % {
            "margin": points["share_margin"],
            "min_results": limits["min_results"],
            "min_far": limits["min_far_participants"],
        },
        SELECTION: _(
            "The share of tier A among the people the provider took in is more than %(margin)s percentage "
            "points above the share among the municipality's new participants of the period, even at the low "
            "end of what chance allows (a %(confidence)s %% interval), with at least %(min_intake)s people "
            "taken in. So a small provider is not flagged by chance."
        )
        % {
            "margin": points["selection_margin"],
            "confidence": confidence,
            "min_intake": limits["min_intake"],
        },
        EARLY_EXIT: _(
            "In tiers %(tiers)s, the share of the people taken in who left within %(days)s days is more than "
            "%(margin)s percentage points above the same share at the other providers, even at the low end "
            "of what chance allows, with at least %(min_intake)s people taken in in the tier."
        )
        % {
            "tiers": ", ".join(limits["early_exit_tiers"]),
            "days": limits["early_exit_days"],
            "margin": points["early_exit_margin"],
            "min_intake": limits["min_early_intake"],
        },
        PARKED: _(
            "The people in tier C (at least %(min)s) were met less than %(ratio)s times as often per month "
            "as the people in tier C at the other providers. A provider is never part of its own comparison."
        )
        % {"min": limits["min_parked_participants"], "ratio": limits["parked_ratio"]},
    }
    return [{"code": code, "label": str(FLAG_LABELS[code]), "text": str(texts[code])} for code in FLAGS]


def _percent(k, n, *, suppress: bool) -> str:
    """k/n as a whole percent, or "–" when the group is under five (or, for analysts, when the share would
    reveal a small count: utils.suppression.share_is_shown)."""
    shown = suppression.share_is_shown(k, n) if suppress else not suppression.is_small(n)
    return f"{round(100 * k / n)} %" if shown else str(suppression.HIDDEN)


def _low_percent(low: float, n) -> str:
    return f"{round(100 * low)} %" if not suppression.is_small(n) else str(suppression.HIDDEN)


def reason_text(finding: Finding, *, suppress: bool) -> str:
    """The figures behind a flag in plain words; `suppress`: counts under five as "<5" (analysts)."""
    f = finding.figures

    def n(value):
        return suppression.count(value, suppress=suppress)

    if finding.code == CREAMING and "far" in f:
        return str(
            _("No result from tiers B and C although %(n)s such people were with the provider.")
            % {"n": n(f["far"])}
        )
    if finding.code == CREAMING:
        return str(
            _(
                "%(a)s of %(results)s results (%(share)s) come from tier A, against %(a_in)s of %(intake)s "
                "taken in (%(in_share)s)."
            )
            % {
                "a": n(f["a_results"]),
                "results": n(f["results"]),
                "share": _percent(f["a_results"], f["results"], suppress=suppress),
                "a_in": n(f["a_intake"]),
                "intake": n(f["intake"]),
                "in_share": _percent(f["a_intake"], f["intake"], suppress=suppress),
            }
        )
    if finding.code == SELECTION:
        return str(
            _(
                "%(a)s of %(intake)s taken in (%(share)s, at least %(low)s allowing for chance) are in tier "
                "A, against %(new_share)s of the municipality's %(new)s new participants."
            )
            % {
                "a": n(f["a_intake"]),
                "intake": n(f["intake"]),
                "share": _percent(f["a_intake"], f["intake"], suppress=suppress),
                "low": _low_percent(f["low"], f["intake"]),
                "new_share": _percent(f["a_new"], f["new"], suppress=suppress),
                "new": n(f["new"]),
            }
        )
    if finding.code == EARLY_EXIT:
        return str(
            _(
                "Tier %(tier)s: %(early)s of %(intake)s taken in (%(share)s, at least %(low)s allowing for "
                "chance) left within %(days)s days, against %(ref_share)s at the other providers "
                "(%(ref_early)s of %(ref_intake)s)."
            )
            % {
                "tier": finding.tier,
                "early": n(f["early"]),
                "intake": n(f["intake"]),
                "share": _percent(f["early"], f["intake"], suppress=suppress),
                "low": _low_percent(f["low"], f["intake"]),
                "days": f["days"],
                "ref_share": _percent(f["ref_early"], f["ref_intake"], suppress=suppress),
                "ref_early": n(f["ref_early"]),
                "ref_intake": n(f["ref_intake"]),
            }
        )
    hidden = suppress and suppression.is_small(f["participants"])
    return str(
        _(
            "Tier C (%(n)s people): %(own)s meetings per person and month, against %(ref)s at the other "
            "providers."
        )
        % {
            "n": n(f["participants"]),
            "own": suppression.HIDDEN if hidden else f["own"],
            "ref": suppression.HIDDEN
            if suppress and suppression.is_small(f["ref_participants"])
            else f["ref"],
        }
    )


def flagged_people(
    finding: Finding,
    *,
    provider_id: int,
    start: datetime.date,
    end: datetime.date,
    limits: dict | None = None,
) -> list:
    """The people a flag is about, whose payment lines a review holds: tier-A results (creaming), tier-A
    intake (selection), the early exits of the tier (early send-back), the tier-C participants (parked)."""
    limits = limits or thresholds()
    if finding.code == CREAMING:
        exits = Exit.objects.filter(
            provider_id=provider_id, exit_date__gte=start, exit_date__lte=end, referral__mapping__tier="A"
        ).filter(Q(reason=ExitReason.WORK, municipal_labour_market_job=False) | Q(reason=ExitReason.STUDIES))
        return sorted(set(exits.exclude(evidence="").values_list("participant_id", flat=True)))
    assignments = Assignment.objects.filter(provider_id=provider_id)
    if finding.code == PARKED:
        active = assignments.filter(start_date__lte=end, referral__mapping__tier=finding.tier or "C").filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start)
        )
        return sorted(set(active.values_list("participant_id", flat=True)))
    intake = assignments.filter(start_date__gte=start, start_date__lte=end)
    if finding.code == SELECTION:
        return sorted(
            set(intake.filter(referral__mapping__tier="A").values_list("participant_id", flat=True))
        )
    early_days = datetime.timedelta(days=limits["early_exit_days"])
    interrupted_early = Exit.objects.filter(
        referral_id=OuterRef("referral_id"),
        provider_id=OuterRef("provider_id"),
        reason=ExitReason.INTERRUPTED,
        exit_date__lte=OuterRef("start_date") + early_days,
    )
    early = intake.filter(referral__mapping__tier=finding.tier).filter(
        Q(end_date__lte=F("start_date") + early_days) | Q(Exists(interrupted_early))
    )
    return sorted(set(early.values_list("participant_id", flat=True)))


def trend(*, municipality_id: int, end: datetime.date, periods: int = 4, months: int = 3) -> list[dict]:
    """The flags of each provider over the last `periods` periods of `months` months ending with `end`'s
    month, oldest first, so that a provider that changes behaviour shows it: [{"start", "end",
    "flags": {provider id: [flag codes]}}]."""
    last = end.replace(day=1)
    out = []
    for k in range(periods - 1, -1, -1):
        first = add_months(last, -(k + 1) * months + 1)
        stop = month_end(add_months(last, -k * months))
        report = creaming_check(municipality_id=municipality_id, start=first, end=stop)
        out.append({"start": first, "end": stop, "flags": {c.provider_id: c.flags for c in report.providers}})
    return out


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
        "reasons": [reason_text(f, suppress=withheld is not None) for f in check.findings],
    }


def report_as_dict(report: CreamingReport, *, suppress: bool) -> dict:
    """The report for a page or the API; with `suppress` (analysts) the counts and rates are withheld by the
    rule of utils.suppression ("<5", "–"; the API gives null)."""
    withheld = _withheld(report) if suppress else None
    new = {**report.new_participants, TOTAL: sum(report.new_participants.values())}
    if suppress:
        hidden = suppression.withhold(new, [(list(TIERS), TOTAL)])
        new = {key: hidden.get(key, value) for key, value in new.items()}
    return {
        "start": report.start,
        "end": report.end,
        "suppressed": suppress,
        "thresholds": report.thresholds,
        "rules": rules_explained(report.thresholds),
        "new_participants": new,
        "providers": [_check_dict(c, withheld=withheld) for c in report.providers],
        "average": _check_dict(report.average, withheld=withheld),
    }
