from django.db import models
from django.utils.translation import gettext_lazy as _

# Below this many exits, a unit's or provider's result is "too few to judge" in the fair comparison.
COMPARISON_MIN_EXITS = 30
# Days of follow-up after an exit that count as "no assistance after 3, 6 and 12 months".
FOLLOW_UP_MONTHS = (3, 6, 12)


class Breakdown(models.TextChoices):
    """What an indicator can be broken down by. The SQL expression of each lives in selectors.DIMENSIONS."""

    UNIT = "unit", _("Jobbtorg unit")
    DISTRICT = "district", _("District")
    PROVIDER = "provider", _("Provider")
    TARGET_GROUP = "target_group", _("Target group")
    INTERVENTION_TYPE = "intervention_type", _("Intervention type")
    TIER = "tier", _("Distance to the labour market")
    AGE_BAND = "age_band", _("Age band")
    GENDER = "gender", _("Gender")


class AgeBand(models.TextChoices):
    UNDER_25 = "16-24", "16–24"
    FROM_25 = "25-34", "25–34"
    FROM_35 = "35-44", "35–44"
    FROM_45 = "45-54", "45–54"
    FROM_55 = "55+", "55+"


class Gender(models.TextChoices):
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")


class AssistanceBand(models.TextChoices):
    """Months on social assistance at mapping, banded, as the fair comparison's model uses them."""

    UNDER_6 = "0-5", "0–5"
    UNDER_12 = "6-11", "6–11"
    UNDER_36 = "12-35", "12–35"
    FROM_36 = "36+", "36+"


class Missing(models.TextChoices):
    """What the fair comparison's model reads for a fact not recorded."""

    UNKNOWN = "unknown", _("Unknown")
    NOT_MAPPED = "-", _("Not mapped")


class Funder(models.TextChoices):
    MUNICIPALITY = "municipality", _("The municipality")
    ESF = "esf", _("European Social Fund")
    EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")
    SAMORDNINGSFORBUND = "finsam", _("Coordination association (Finsam)")
    OTHER = "other", _("Other funder")


class KoladaResult(models.TextChoices):
    """The result of an exit as Kolada's U404xx count it (decided once in kolada.result_sql and stored in the
    rollup, reporting_case.kolada_result). Blank: not an exit of the municipal labour-market unit's
    programme (no exit, or an exit recorded before the referral was accepted)."""

    NONE = "", _("Not a programme exit")
    WORK = "work", _("A. Started work (lasted a month, not a municipal labour-market job)")
    WORK_PENDING = "work_pending", _("Work, not yet known whether it counts (preliminary)")
    STUDIES = "studies", _("B. Started studies eligible for student finance")
    STUDIES_PENDING = "studies_pending", _("Studies, eligibility not answered (preliminary)")
    OTHER_AUTHORITY = "other_authority", _("C. Transferred to another authority")
    COMPLETED = "completed", _("D. Completed")
    OTHER = "other", _("E. Other")
