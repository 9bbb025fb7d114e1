"""Reads for customer choice: which providers may be chosen, and how they compare."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from jobbtorg.referrals.constants import CloseReason, ReferralStatus

from .models import Assignment, Authorisation, Provider


def authorised_providers(*, municipality, intervention_type, on: datetime.date) -> list[Provider]:
    """Providers whose authorisation for the type is in force on the day, each with `free_places` (None when
    the authorisation sets no capacity) from the people currently assigned to it for that type."""
    authorisations = list(
        Authorisation.objects.in_force(on)
        .filter(provider__municipality=municipality, intervention_type=intervention_type)
        .select_related("provider")
    )
    counts = dict(
        Assignment.objects.current(on)
        .filter(intervention_type=intervention_type, provider__in=[a.provider_id for a in authorisations])
        .values_list("provider")
        .annotate(n=Count("pk"))
    )
    providers = []
    for authorisation in authorisations:
        provider = authorisation.provider
        provider.capacity = authorisation.capacity
        provider.current_participants = counts.get(provider.pk, 0)
        provider.free_places = (
            None if authorisation.capacity is None else max(authorisation.capacity - provider.current_participants, 0)
        )
        providers.append(provider)
    return sorted(providers, key=lambda p: p.name)


@dataclass(frozen=True)
class Result:
    count: int
    share: float | None  # None: not enough data to show

    @property
    def enough(self) -> bool:
        return self.share is not None


def provider_results(*, providers: list[Provider], intervention_type) -> dict[int, dict[str, Result]]:
    """Per provider: the share of finished participants who left for work or studies, and the share still
    self-supporting 6 months later. Below the minimum count a result is 'not enough data'; the second needs
    the monthly assistance data (imported with the compensation work) and is 'not enough data' until then."""
    minimum = settings.JOBBTORG_COMPARISON_MIN_COUNT
    rows = (
        Assignment.objects.filter(provider__in=providers, intervention_type=intervention_type,
                                  referral__status=ReferralStatus.CLOSED)
        .values("provider")
        .annotate(
            finished=Count("referral", distinct=True),
            to_work_or_studies=Count(
                "referral", distinct=True,
                filter=Q(referral__close_reason__in=[CloseReason.WORK, CloseReason.STUDIES]),
            ),
        )
    )
    by_provider = {row["provider"]: row for row in rows}
    results = {}
    for provider in providers:
        row = by_provider.get(provider.pk, {"finished": 0, "to_work_or_studies": 0})
        finished = row["finished"]
        results[provider.pk] = {
            "work_or_studies": Result(finished, row["to_work_or_studies"] / finished if finished >= minimum else None),
            "self_supporting_6m": Result(0, None),
        }
    return results
