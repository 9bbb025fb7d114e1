"""Real compensation schemes expressed in the model language, used by the tests as fixtures, by the demo
and by the bench. Sources and which figures are published — see docs/payments.md.

- Nacka "jobbpeng" (customer choice with authorisation, LOV, since 2010; issue 6 / DOMAIN.md): a monthly
  fee per participant at two levels, basic 3,686 SEK and reinforced 4,858 SEK, paid once the intervention
  has run 14 days; a bonus only when the person has been self-supporting for at least 6 months
  (employment of at least 6 months or full-time hourly work, or studies with student finance; subsidised
  jobs count). Published: the two monthly levels and the 14 days. The bonus amount is not in our sources:
  BONUS below is a parameter to set from Nacka's current decision. Tier A pays basic, B and C reinforced.
- Arbetsförmedlingen "Rusta och matcha" (shape): three levels by distance to the labour market, a low base
  payment per month and a high result payment for work or studies that lasts, at most 12 months in the
  service. The SEK figures below are illustrative (not in our sources), chosen to keep the shape: the
  result payment is several times the base and rises with the distance.
- UK Work Programme (DWP, 2011–2017; House of Commons note SN/EP/6340, 2013; Recruiter 2012): an
  attachment fee ("low hundreds of pounds", phased out), a job-outcome fee after 13 or 26 weeks in work
  depending on the payment group, then up to 26 four-weekly sustainment payments; total per person from
  about £3,500 (JSA 18–24) to £14,000 (incapacity benefit). Converted to SEK and mapped to our tiers as
  payment groups (A: 13 weeks, B and C: 26 weeks); per-payment figures illustrative.
"""

import datetime
from decimal import Decimal

from .constants import Outcome, RuleKind
from .models import CompensationModel, CompensationModelVersion, CompensationRule, RuleRate

NACKA_BASIC = Decimal("3686")
NACKA_REINFORCED = Decimal("4858")
NACKA_WAITING_DAYS = 14
NACKA_BONUS = Decimal("20000")  # not published in our sources: set from the municipality's decision


def _rule(version, code, kind, label, *, rates=None, multipliers=None, order=0, **params):
    rule = CompensationRule.objects.create(
        version=version, code=code, kind=kind, label=label, order=order, **params
    )
    for tier, amount in (rates or {}).items():
        RuleRate.objects.create(rule=rule, tier=tier, amount=Decimal(amount))
    for tier, multiplier in (multipliers or {}).items():
        RuleRate.objects.update_or_create(rule=rule, tier=tier, defaults={"multiplier": Decimal(multiplier)})
    return rule


def nacka_jobbpeng(*, municipality, valid_from: datetime.date, name="Nacka jobbpeng", bonus=NACKA_BONUS):
    model, _created = CompensationModel.objects.get_or_create(
        municipality=municipality,
        name=name,
        defaults={
            "description": (
                "Kundval (LOV): månadsersättning per deltagare, bonus vid egen försörjning i 6 månader."
            ),
            "source": (
                "Nacka kommun, kundval arbetsmarknadsinsatser (jobbpeng): 3 686 kr grund, 4 858 kr förstärkt."
            ),
        },
    )
    version = CompensationModelVersion.objects.create(model=model, valid_from=valid_from)
    _rule(
        version,
        "monthly",
        RuleKind.MONTHLY_FEE,
        "Jobbpeng per månad",
        amount=NACKA_BASIC,
        rates={"A": NACKA_BASIC, "B": NACKA_REINFORCED, "C": NACKA_REINFORCED},
        waiting_days=NACKA_WAITING_DAYS,
        order=1,
    )
    _rule(
        version,
        "bonus",
        RuleKind.RESULT_FEE,
        "Bonus vid egen försörjning i 6 månader",
        amount=bonus,
        outcome=Outcome.SELF_SUPPORT,
        months_without_assistance=6,
        count_subsidised=True,
        order=2,
    )
    return model


def rusta_och_matcha(*, municipality, valid_from: datetime.date, name="Rusta och matcha (form)"):
    model, _created = CompensationModel.objects.get_or_create(
        municipality=municipality,
        name=name,
        defaults={
            "description": (
                "Tre nivåer efter avstånd till arbetsmarknaden, låg "
                "grundersättning, hög resultatersättning, högst 12 månader."
            ),
            "source": "Arbetsförmedlingen, Rusta och matcha (formen). Beloppen är illustrativa.",
        },
    )
    version = CompensationModelVersion.objects.create(model=model, valid_from=valid_from)
    _rule(
        version,
        "base",
        RuleKind.MONTHLY_FEE,
        "Grundersättning per månad",
        amount=Decimal("1500"),
        rates={"A": "1000", "B": "1500", "C": "2000"},
        max_months_in_service=12,
        order=1,
    )
    _rule(
        version,
        "result",
        RuleKind.RESULT_FEE,
        "Resultatersättning arbete eller studier",
        amount=Decimal("15000"),
        rates={"A": "10000", "B": "15000", "C": "22000"},
        outcome=Outcome.WORK_OR_STUDIES,
        min_hours_per_week=20,
        min_weeks=13,
        order=2,
    )
    return model


def uk_work_programme(*, municipality, valid_from: datetime.date, name="Work Programme (UK form)"):
    """Payment groups: A = 13 weeks to a job outcome, B and C = 26 weeks; sustainment every 4 weeks after
    the outcome, at most 26 times; rates rise with the group."""
    model, _created = CompensationModel.objects.get_or_create(
        municipality=municipality,
        name=name,
        defaults={
            "description": (
                "Anslutningsavgift, jobbresultat efter 13 eller 26 "
                "veckor, upp till 26 fyraveckorsersättningar."
            ),
            "source": (
                "DWP Work Programme 2011–2017 (House of Commons SN/EP/6340; "
                "Recruiter 2012). Beloppen illustrativa."
            ),
        },
    )
    version = CompensationModelVersion.objects.create(model=model, valid_from=valid_from)
    _rule(
        version, "attachment", RuleKind.ATTACHMENT_FEE, "Anslutningsavgift", amount=Decimal("4000"), order=1
    )
    _rule(
        version,
        "outcome13",
        RuleKind.JOB_OUTCOME_FEE,
        "Jobbresultat efter 13 veckor",
        amount=Decimal("12000"),
        tiers="A",
        outcome=Outcome.WORK,
        min_weeks=13,
        order=2,
    )
    _rule(
        version,
        "outcome26",
        RuleKind.JOB_OUTCOME_FEE,
        "Jobbresultat efter 26 veckor",
        amount=Decimal("14000"),
        rates={"B": "14000", "C": "40000"},
        tiers="BC",
        outcome=Outcome.WORK,
        min_weeks=26,
        order=3,
    )
    _rule(
        version,
        "sustain13",
        RuleKind.SUSTAINMENT_FEE,
        "Fortsatt arbete, var fjärde vecka",
        amount=Decimal("1700"),
        tiers="A",
        outcome=Outcome.WORK,
        min_weeks=13,
        interval_weeks=4,
        max_occurrences=26,
        order=4,
    )
    _rule(
        version,
        "sustain26",
        RuleKind.SUSTAINMENT_FEE,
        "Fortsatt arbete, var fjärde vecka",
        amount=Decimal("2300"),
        rates={"B": "2300", "C": "4000"},
        tiers="BC",
        outcome=Outcome.WORK,
        min_weeks=26,
        interval_weeks=4,
        max_occurrences=26,
        order=5,
    )
    return model
