"""Demo data for the key indicators: one assignment (uppdrag) on Järva's offerings, then the rollups."""

import datetime
from decimal import Decimal

from jobbtorg.interventions.models import Offering

from .constants import Funder
from .models import Assignment
from .services import indicators_refresh


def seed_reporting(*, municipality, rng, today: datetime.date) -> None:
    unit = (
        municipality.units.order_by("name").filter(name__icontains="Järva").first()
        or municipality.units.first()
    )
    assignment = Assignment.objects.create(
        municipality=municipality,
        unit=unit,
        name="Unga vuxna i arbete (ESF)",
        funder=Funder.ESF,
        funder_reference="ESF-2024-0042",
        start_date=(today - datetime.timedelta(days=300)).replace(day=1),
        end_date=today - datetime.timedelta(days=10),
        budget=Decimal("4800000"),
        target_group="",
        goal_participants=120,
        goal_work_or_studies_percent=40,
        cost_per_participant=Decimal("3500"),
        description="40 % till arbete eller studier, 120 deltagare.",
    )
    assignment.offerings.set(Offering.objects.filter(municipality=municipality)[: 4 + rng.randint(0, 2)])
    indicators_refresh()
