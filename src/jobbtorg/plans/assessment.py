"""Distance to the labour market: a tier (A near, B, C far) with the reasons that make it up.

Plain rules a coach can check by hand, each adding points; the reasons are shown next to the tier. Later
work (planning, paying providers more for people far from the labour market) reads the tier.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .constants import EducationLevel, SwedishLevel, Tier

TIER_B_FROM = 3
TIER_C_FROM = 6


@dataclass(frozen=True)
class Reason:
    factor: str
    points: int
    text: str

    def as_dict(self) -> dict:
        return {"factor": self.factor, "points": self.points, "text": str(self.text)}


def assess(
    *,
    education_level: str,
    swedish_level: str,
    months_without_work: int | None,
    work_capacity: int | None,
    obstacles: list[str],
    months_on_assistance: int | None,
) -> tuple[str, list[Reason]]:
    reasons: list[Reason] = []

    if education_level == EducationLevel.NONE:
        reasons.append(Reason("education", 2, _("No completed compulsory school")))
    elif education_level == EducationLevel.COMPULSORY:
        reasons.append(Reason("education", 1, _("Compulsory school only")))

    if swedish_level in (SwedishLevel.NONE, SwedishLevel.SFI_A, SwedishLevel.SFI_B):
        reasons.append(Reason("swedish", 2, _("Swedish at beginner level (SFI A–B or none)")))
    elif swedish_level in (SwedishLevel.SFI_C, SwedishLevel.SFI_D):
        reasons.append(Reason("swedish", 1, _("Swedish at SFI C–D level")))

    if months_without_work is None or months_without_work >= 24:
        text = _("No work experience") if months_without_work is None else _("Two years or more without work")
        reasons.append(Reason("time_without_work", 2, text))
    elif months_without_work >= 12:
        reasons.append(Reason("time_without_work", 1, _("One to two years without work")))

    if months_on_assistance is not None and months_on_assistance >= 24:
        reasons.append(Reason("time_on_assistance", 1, _("Two years or more on social assistance")))

    if work_capacity is not None and work_capacity <= 50:
        reasons.append(Reason("work_capacity", 2, _("Work capacity 50 % or less")))
    elif work_capacity == 75:
        reasons.append(Reason("work_capacity", 1, _("Work capacity 75 %")))

    if obstacles:
        points = min(len(obstacles), 2)
        reasons.append(
            Reason("obstacles", points, _("Obstacles to work: %(count)d") % {"count": len(obstacles)})
        )

    total = sum(r.points for r in reasons)
    tier = Tier.C if total >= TIER_C_FROM else Tier.B if total >= TIER_B_FROM else Tier.A
    return tier, reasons
