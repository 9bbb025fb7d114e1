"""Municipal key figures as Kolada (RKA's national municipal database) defines them, for the annual survey of
municipal labour-market statistics. Each figure is defined once, here: its numerator and denominator
(counts of `selectors.kolada`), the period, the counting unit and what is included, beside its code.
docs/indicators.md has the same table for readers; `tests/reporting/test_kolada.py` builds a small population
by hand for each.

Common to every figure:
- **Period**: the period chosen (the calendar year of the survey for the survey export), by local dates.
- **Counting unit**: a person. A person referred twice in the period counts once — for the exit-based figures
  by their last programme exit of the period, for the people served by their latest referral. The shares of
  referrals by source (U40806–U40810) count referrals, as Kolada's title says ("anvisningar").
- **Population**: every participant of the municipal labour-market unit, whatever the referral source.
- **A programme exit** is an exit of an accepted referral (an exit recorded when a referral closes before it
  was accepted is not one). Its result, A–E, is decided by `result_sql` and stored in the rollup
  (`reporting_case.kolada_result`), so every reader counts the same thing.

Titles: Kolada's official short titles (catalogue snapshot in shared/data/kolada/)."""

from __future__ import annotations

from dataclasses import dataclass

from jobbtorg.followup.constants import ExitReason
from jobbtorg.referrals.constants import ReferralSource
from jobbtorg.utils import suppression
from jobbtorg.utils.numbers import percent

from .constants import KoladaResult
from .sql import Dialect, literal

RESULT = "Resultat vid avslut i kommunens arbetsmarknadsverksamhet, deltagare som "
PARTICIPANTS = "Deltagare inom arbetsmarknadsverksamheten "
REFERRALS = "Anvisningar inom arbetsmarknadsverksamheten som initierats av "


def result_sql(d: Dialect, ex: str = "ex", referral: str = "r") -> str:
    """The Kolada result of an exit (KoladaResult), as SQL over the exit row `ex` and its referral `referral`
    (the rollup stores it). Kolada's description of U40455 (SKR through Kolada): participants who ended their
    participation in the programmes of the municipal labour-market unit during the year and then started
    - A **work**: unsubsidised or subsidised employment on the regular labour market that has lasted at least
      one continuous month; municipal labour-market employment (OSA, extratjänst-like city jobs) does not
      count. Not yet known (the one-month follow-up or the municipal-job question unanswered): pending.
    - B **studies**: Komvux, folkhögskola, university or other education eligible for student finance
      (studiemedelsberättigad). Eligibility not answered: pending.
    - C transferred to another authority (other support, e.g. Försäkringskassan; referred elsewhere);
      D completed; E everything else (moved, interrupted, other, a municipal job, work that did not last a
      month, studies without eligibility).
    Not a programme exit (blank): no exit, or the referral was never accepted."""
    work, studies = literal(ExitReason.WORK), literal(ExitReason.STUDIES)
    municipal, lasted = f"{ex}.municipal_labour_market_job", f"{ex}.work_lasted_one_month"
    eligible = f"{ex}.studies_eligible_for_student_finance"
    return f"""CASE
        WHEN {ex}.reason IS NULL OR {referral}.accepted_at IS NULL THEN {literal(KoladaResult.NONE)}
        WHEN {ex}.reason = {work} AND ({municipal} OR NOT {lasted}) THEN {literal(KoladaResult.OTHER)}
        WHEN {ex}.reason = {work} AND {municipal} IS NOT NULL AND {lasted} IS NOT NULL
            THEN {literal(KoladaResult.WORK)}
        WHEN {ex}.reason = {work} THEN {literal(KoladaResult.WORK_PENDING)}
        WHEN {ex}.reason = {studies} AND {eligible} THEN {literal(KoladaResult.STUDIES)}
        WHEN {ex}.reason = {studies} AND {eligible} IS NULL THEN {literal(KoladaResult.STUDIES_PENDING)}
        WHEN {ex}.reason = {literal(ExitReason.OTHER_SUPPORT)} THEN {literal(KoladaResult.OTHER_AUTHORITY)}
        WHEN {ex}.reason = {literal(ExitReason.COMPLETED)} THEN {literal(KoladaResult.COMPLETED)}
        ELSE {literal(KoladaResult.OTHER)}
    END"""


# The counts of selectors.kolada that are the people with each result (one row per person).
RESULT_COUNTS = {
    KoladaResult.WORK: "work",
    KoladaResult.WORK_PENDING: "work_pending",
    KoladaResult.STUDIES: "studies",
    KoladaResult.STUDIES_PENDING: "studies_pending",
    KoladaResult.OTHER_AUTHORITY: "other_authority",
    KoladaResult.COMPLETED: "completed",
    KoladaResult.OTHER: "other",
}
SOURCE_COUNTS = {source: f"source_{source.value}" for source in ReferralSource}

EXITS = "programme exits of the period (people, last exit of each)"
SERVED = "people taking part in the period (accepted by its end, not ended before its start; latest referral)"
ASK_EXIT = "the exit's reason (staff record the exit)"
ASK_WORK = (
    "at exit: is it a municipal labour-market job (asked explicitly); a month after the work started: has it "
    "lasted a continuous month (the one-month follow-up on the exit page or API)"
)
ASK_STUDIES = "at exit: are the studies eligible for student finance (asked explicitly)"
ASK_MAPPING = "the mapping (kartläggning)"


@dataclass(frozen=True)
class KPI:
    id: str
    title: str
    unit: str  # "%" or "antal"
    numerator: str  # a count of selectors.kolada
    denominator: str | None  # a count of selectors.kolada; None for a count
    definition: str
    asks: str  # what the product asks of staff to know it
    source: str = "exits"  # where the facts come from (docs)
    # Counts that, when above zero, make the figure preliminary (facts not yet known).
    pending: tuple[str, ...] = ()


RESULTS_PENDING = ("pending",)
K = KPI
KPIS: list[KPI] = [
    K(
        "U40450",
        RESULT + "A. Börjat arbeta, antal",
        "antal",
        "work",
        "exits",
        f"A: work that lasted a month, not a municipal job; of {EXITS}",
        ASK_WORK,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40451",
        RESULT + "B. Börjat studera, antal",
        "antal",
        "studies",
        "exits",
        f"B: studies eligible for student finance; of {EXITS}",
        ASK_STUDIES,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40452",
        RESULT + "C. Överförts till annan myndighet, antal",
        "antal",
        "other_authority",
        "exits",
        f"C: other support (e.g. Försäkringskassan) or referred elsewhere; of {EXITS}",
        ASK_EXIT,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40453",
        RESULT + "D. Slutförda uppdrag, antal",
        "antal",
        "completed",
        "exits",
        f"D: completed without work or studies; of {EXITS}",
        ASK_EXIT,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40454",
        RESULT + "E. Övrigt, antal",
        "antal",
        "other",
        "exits",
        f"E: the rest (moved, interrupted, other, municipal jobs, work under a month, studies without "
        f"eligibility); of {EXITS}",
        ASK_EXIT,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40406",
        RESULT + "A. Börjat arbeta, andel (%)",
        "%",
        "work",
        "exits",
        f"A / {EXITS}",
        ASK_WORK,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40409",
        RESULT + "B. Börjat studera, andel (%)",
        "%",
        "studies",
        "exits",
        f"B / {EXITS}",
        ASK_STUDIES,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40412",
        RESULT + "C. Överförts till annan myndighet, andel (%)",
        "%",
        "other_authority",
        "exits",
        f"C / {EXITS}",
        ASK_EXIT,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40415",
        RESULT + "D. Slutförda uppdrag, andel (%)",
        "%",
        "completed",
        "exits",
        f"D / {EXITS}",
        ASK_EXIT,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40418",
        RESULT + "E. Övrigt, andel (%)",
        "%",
        "other",
        "exits",
        f"E / {EXITS}",
        ASK_EXIT,
        pending=RESULTS_PENDING,
    ),
    K(
        "U40455",
        RESULT + "börjat arbeta eller studera, andel (%)",
        "%",
        "work_or_studies",
        "exits",
        f"(A + B) / {EXITS}",
        f"{ASK_WORK}; {ASK_STUDIES}",
        pending=RESULTS_PENDING,
    ),
    K(
        "U40800",
        "Deltagare i kommunala arbetsmarknadsåtgärder, antal",
        "antal",
        "served",
        None,
        SERVED,
        "the referral and its acceptance",
        "referrals",
    ),
    K(
        "U40803",
        "Deltagare som har anvisats till kommunala arbetsmarknadsåtgärder, antal",
        "antal",
        "referred_people",
        None,
        "people with a referral dated in the period, whatever its status (returned ones excepted)",
        "the referral",
        "referrals",
    ),
    K(
        "U40806",
        REFERRALS + "arbetsförmedlingen, andel (%)",
        "%",
        SOURCE_COUNTS[ReferralSource.EMPLOYMENT_SERVICE],
        "referrals",
        "referrals of the period (not returned) initiated by Arbetsförmedlingen / all of them",
        "who initiated the referral (asked with the referral; social services by default)",
        "referrals",
    ),
    K(
        "U40807",
        REFERRALS + "försäkringskassan, andel (%)",
        "%",
        SOURCE_COUNTS[ReferralSource.SOCIAL_INSURANCE],
        "referrals",
        "referrals of the period initiated by Försäkringskassan / all",
        "who initiated the referral",
        "referrals",
    ),
    K(
        "U40808",
        REFERRALS + "individen själv, andel (%)",
        "%",
        SOURCE_COUNTS[ReferralSource.SELF],
        "referrals",
        "referrals of the period initiated by the person / all",
        "who initiated the referral",
        "referrals",
    ),
    K(
        "U40809",
        REFERRALS + "socialtjänst, andel (%)",
        "%",
        SOURCE_COUNTS[ReferralSource.SOCIAL_SERVICES],
        "referrals",
        "referrals of the period initiated by social services / all",
        "who initiated the referral",
        "referrals",
    ),
    K(
        "U40810",
        REFERRALS + "övrigt/annan instans, andel (%)",
        "%",
        SOURCE_COUNTS[ReferralSource.OTHER],
        "referrals",
        "referrals of the period initiated by another actor / all",
        "who initiated the referral",
        "referrals",
    ),
    K(
        "U40811",
        PARTICIPANTS + "som är 24 år eller yngre, andel (%)",
        "%",
        "age_le24",
        "served",
        f"aged 24 or younger at referral / {SERVED}",
        "the person's identity number",
        "referrals",
    ),
    K(
        "U40812",
        PARTICIPANTS + "som är 25 år eller äldre, andel (%)",
        "%",
        "age_ge25",
        "served",
        f"aged 25 or older at referral / {SERVED}",
        "the person's identity number",
        "referrals",
    ),
    K(
        "U40813",
        PARTICIPANTS + "med eftergymnasial utbildning, andel (%)",
        "%",
        "edu_post_secondary",
        "served",
        f"post-secondary or university / {SERVED}",
        ASK_MAPPING,
        "mapping",
    ),
    K(
        "U40814",
        PARTICIPANTS + "med gymnasial utbildning, andel (%)",
        "%",
        "edu_upper_secondary",
        "served",
        f"upper secondary / {SERVED}",
        ASK_MAPPING,
        "mapping",
    ),
    K(
        "U40815",
        PARTICIPANTS + "med högst grundskoleutbildning, andel (%)",
        "%",
        "edu_compulsory",
        "served",
        f"compulsory school / {SERVED}",
        ASK_MAPPING,
        "mapping",
    ),
    K(
        "U40816",
        PARTICIPANTS + "med icke fullgjord grundskoleutbildning, andel (%)",
        "%",
        "edu_none",
        "served",
        f"compulsory school not completed / {SERVED}",
        ASK_MAPPING,
        "mapping",
    ),
    K(
        "U40827",
        PARTICIPANTS + "där utbildningsnivå saknas, andel (%)",
        "%",
        "edu_unknown",
        "served",
        f"education unknown or not mapped / {SERVED}",
        ASK_MAPPING,
        "mapping",
    ),
    K(
        "U40817",
        PARTICIPANTS + "som varit utan arbete kortare än 6 månader innan inskrivning, andel (%)",
        "%",
        "nowork_lt6",
        "nowork_known",
        "under 6 months without work / people served whose time without work is known (mapped)",
        ASK_MAPPING,
        "mapping",
    ),
    K(
        "U40818",
        PARTICIPANTS + "som varit utan arbete mellan 6-24 månader innan inskrivning, andel (%)",
        "%",
        "nowork_6_24",
        "nowork_known",
        "6–24 months without work / people served with it known",
        ASK_MAPPING,
        "mapping",
    ),
    K(
        "U40819",
        PARTICIPANTS + "som varit utan arbete mer än 24 månader innan inskrivning, andel (%)",
        "%",
        "nowork_gt24",
        "nowork_known",
        "over 24 months (or never worked) / people served with it known; a person not mapped is not counted",
        ASK_MAPPING,
        "mapping",
    ),
    K(
        "U40820",
        PARTICIPANTS + "vars insatser avslutats inom 3 månader, andel (%)",
        "%",
        "dur_lt3",
        "exits",
        f"exit under 3 months after acceptance / {EXITS}",
        ASK_EXIT,
    ),
    K(
        "U40821",
        PARTICIPANTS + "vars insatser har avslutats efter mellan 3 och 6 månader, andel (%)",
        "%",
        "dur_3_6",
        "exits",
        f"3–6 months after acceptance / {EXITS}",
        ASK_EXIT,
    ),
    K(
        "U40822",
        PARTICIPANTS + "vars insatser har avslutats efter mellan 6 och 24 månader, andel (%)",
        "%",
        "dur_6_24",
        "exits",
        f"6–24 months after acceptance / {EXITS}",
        ASK_EXIT,
    ),
    K(
        "U40823",
        PARTICIPANTS + "vars insatser har avslutats efter mer än 24 månader, andel (%)",
        "%",
        "dur_gt24",
        "exits",
        f"24 months or more after acceptance / {EXITS}",
        ASK_EXIT,
    ),
    K(
        "U31462",
        "Ej återaktualiserade vuxna personer med försörjningsstöd ett år efter avslutat "
        "försörjningsstöd, andel (%)",
        "%",
        "assistance_not_back",
        "assistance_ended_known",
        "adults (18+) among the people of the unit whose assistance ended in the period (last paid month in "
        "the period, the next imported month unpaid; first such end of each person) and whose 12 following "
        "months are imported: the share with no paid month in those 12 months",
        "nothing: the monthly assistance import",
        "assistance",
        pending=("assistance_ended_pending",),
    ),
]
del K
BY_ID = {kpi.id: kpi for kpi in KPIS}
TITLES = {kpi.id: kpi.title for kpi in KPIS}


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    value: float | int | str | None  # a suppression.Withheld text when withheld
    unit: str  # "%" or "antal"
    base: int  # how many people the figure rests on (for suppression)
    numerator: int | str | None = None  # as shown (withheld like the value)
    denominator: int | str | None = None
    preliminary: bool = False

    @property
    def withheld(self) -> bool:
        return suppression.is_withheld(self.value)


# The counts that add up to a whole (for secondary suppression): each group's counts sum to the count named.
PARTS = {
    "exits": (
        ["work", "studies", "other_authority", "completed", "other", "pending"],
        ["dur_lt3", "dur_3_6", "dur_6_24", "dur_gt24"],
    ),
    "served": (
        ["age_le24", "age_ge25"],
        ["edu_post_secondary", "edu_upper_secondary", "edu_compulsory", "edu_none", "edu_unknown"],
    ),
    "nowork_known": (["nowork_lt6", "nowork_6_24", "nowork_gt24"],),
    "referrals": (list(SOURCE_COUNTS.values()),),
}


def complete(counts: dict) -> dict:
    """The derived counts: people with a pending result, work or studies."""
    c = {k: (v or 0) for k, v in counts.items()}
    c["pending"] = c.get("work_pending", 0) + c.get("studies_pending", 0)
    c["work_or_studies"] = c.get("work", 0) + c.get("studies", 0)
    return c


def figures(counts: dict, *, suppress: bool = False) -> list[Figure]:
    """The figures from the counts of selectors.kolada; with `suppress`, withheld by the rule of
    utils.suppression (counts that add up to a whole protected against subtraction, shares withheld with
    their counts)."""
    c = complete(counts)
    withheld = _withheld(c) if suppress else {}
    out = []
    for kpi in KPIS:
        num = c.get(kpi.numerator, 0)
        den = c.get(kpi.denominator, 0) if kpi.denominator else None
        if kpi.unit == "antal":
            value = num
        else:
            value = percent(num / den) if den else None
        shown_num, shown_den = num, den
        if suppress:
            shown_num = withheld.get(kpi.numerator, num)
            shown_den = withheld.get(kpi.denominator, den) if kpi.denominator else None
            if kpi.unit == "antal":
                value = shown_num
            elif kpi.denominator in withheld or (
                kpi.numerator in withheld or f"{kpi.numerator}:without" in withheld
            ):
                value = suppression.HIDDEN
        out.append(
            Figure(
                id=kpi.id,
                title=kpi.title,
                value=value,
                unit=kpi.unit,
                base=den if den is not None else num,
                numerator=shown_num,
                denominator=shown_den,
                preliminary=any(c.get(name, 0) > 0 for name in kpi.pending),
            )
        )
    return out


def pending(counts: dict, *, suppress: bool = False):
    """The programme exits whose result is not known yet (the figures A–E are preliminary while above zero),
    as shown."""
    c = complete(counts)
    return _withheld(c).get("pending", c["pending"]) if suppress else c["pending"]


def _withheld(c: dict) -> dict:
    values: dict = {}
    for kpi in KPIS:
        values[kpi.numerator] = c.get(kpi.numerator, 0)
        if kpi.denominator:
            values[kpi.denominator] = c.get(kpi.denominator, 0)
            if kpi.unit == "%":  # a share reveals the people without the trait too
                values[f"{kpi.numerator}:without"] = c.get(kpi.denominator, 0) - c.get(kpi.numerator, 0)
    values["pending"] = c.get("pending", 0)
    lines = [(parts, total) for total, groups in PARTS.items() for parts in groups]
    return suppression.withhold(values, lines)
