"""Reads for customer choice: which providers may be chosen, and how they compare."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from jobbtorg.interventions.models import InterventionType
from jobbtorg.referrals.constants import CloseReason, ReferralStatus
from jobbtorg.utils.languages import language_names

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
            None
            if authorisation.capacity is None
            else max(authorisation.capacity - provider.current_participants, 0)
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
        Assignment.objects.filter(
            provider__in=providers,
            intervention_type=intervention_type,
            referral__status=ReferralStatus.CLOSED,
        )
        .values("provider")
        .annotate(
            finished=Count("referral", distinct=True),
            to_work_or_studies=Count(
                "referral",
                distinct=True,
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
            "work_or_studies": Result(
                finished, row["to_work_or_studies"] / finished if finished >= minimum else None
            ),
            "self_supporting_6m": Result(0, None),
        }
    return results


# The register and authorisation pages -----------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorisationState:
    """How an authorisation stands on a day, for display (`code`: in_force, not_yet, suspended, revoked)."""

    code: str
    since: datetime.date | None = None
    until: datetime.date | None = None
    planned_suspension: object = None
    revoked_later: datetime.date | None = None

    @property
    def in_force(self) -> bool:
        return self.code == "in_force"


def authorisation_state(authorisation: Authorisation, on: datetime.date) -> AuthorisationState:
    revoked = authorisation.revoked_from
    if revoked and revoked <= on:
        return AuthorisationState("revoked", since=revoked)
    suspensions = list(authorisation.suspensions.all())
    running = next(
        (s for s in suspensions if s.start_date <= on and (s.end_date is None or s.end_date >= on)), None
    )
    later = {"revoked_later": revoked}
    if running is not None:
        return AuthorisationState("suspended", since=running.start_date, until=running.end_date, **later)
    planned = min((s for s in suspensions if s.start_date > on), key=lambda s: s.start_date, default=None)
    if authorisation.valid_from > on:
        return AuthorisationState(
            "not_yet", since=authorisation.valid_from, planned_suspension=planned, **later
        )
    return AuthorisationState("in_force", since=authorisation.valid_from, planned_suspension=planned, **later)


# Customer choice pages (coach side and participant view) ----------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    """One authorised provider in the comparison the person chooses from."""

    provider: Provider
    work_or_studies: Result
    self_supporting_6m: Result

    @property
    def languages(self) -> list[str]:
        return language_names(self.provider.languages)

    @property
    def can_choose(self) -> bool:
        """Only a provider with a free place (or no set capacity) can be chosen."""
        return self.provider.free_places is None or self.provider.free_places > 0


def choice_comparison(*, municipality, intervention_type, on: datetime.date) -> list[ComparisonRow]:
    """The providers a person may choose among for the type on the day — only those whose authorisation is
    in force — with capacity, free places and results ('not enough data' below the minimum count)."""
    providers = authorised_providers(municipality=municipality, intervention_type=intervention_type, on=on)
    results = provider_results(providers=providers, intervention_type=intervention_type)
    return [
        ComparisonRow(
            provider=provider,
            work_or_studies=results[provider.pk]["work_or_studies"],
            self_supporting_6m=results[provider.pk]["self_supporting_6m"],
        )
        for provider in providers
    ]


def choosable_providers(*, municipality, intervention_type, on: datetime.date) -> list[Provider]:
    """Authorised providers with a free place: the ones a choice or a change of provider may go to."""
    return [
        row.provider
        for row in choice_comparison(municipality=municipality, intervention_type=intervention_type, on=on)
        if row.can_choose
    ]


def choice_intervention_types(*, municipality, on: datetime.date):
    """Intervention types that have at least one provider authorised (in force) in the municipality."""
    authorised = Authorisation.objects.in_force(on).filter(provider__municipality=municipality)
    return InterventionType.objects.filter(
        active=True, pk__in=authorised.values("intervention_type")
    ).order_by("sort_order", "name")


def assignment_history(*, participant):
    """Every provider assignment of the person, current first, then newest first (history is never edited)."""
    from django.db.models import F

    return (
        Assignment.objects.filter(participant=participant)
        .select_related("provider", "intervention_type", "referral", "created_by")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date", "-created_at")
    )
