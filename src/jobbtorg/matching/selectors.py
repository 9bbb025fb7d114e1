"""Reads for matching: the engine fed from the database, rankings both ways, and hires for the exit record.

Query counts do not grow with the data: a ranking of vacancies for a person costs a fixed handful of
queries (mapping, the vacancy table's stamp, the top vacancies with their employers; the table itself is
precomputed per municipality, vacancy_table.py); a ranking of a
unit's participants for a vacancy costs one query for the people with their mappings.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet

from jobbtorg.plans.constants import PlacementKind

from . import scoring, vacancy_table
from .constants import MatchStatus
from .models import Match, Vacancy
from .querysets import vacancy_municipality_id
from .vacancy_table import engine_taxonomy

HIRE_STATUSES = (MatchStatus.HIRED, MatchStatus.INTERNSHIP_STARTED)


def person_features(*, participant, mapping) -> scoring.PersonFeatures:
    """The engine's view of a person: the mapping (wishes, skills, language, capacity, licence) and the
    participant's postal code. Work capacity is a percentage of full time (mapping, else participant)."""
    capacity = mapping.work_capacity if mapping is not None else participant.work_capacity
    if mapping is None:
        return scoring.PersonFeatures(
            capacity_hours=scoring.capacity_hours(capacity),
            postal_code=scoring.postal_int(participant.postal_code),
        )
    return scoring.PersonFeatures(
        wanted=tuple(str(c) for c in mapping.wanted_occupations or ()),
        skills=frozenset(int(s) for s in mapping.skills or ()),
        swedish=scoring.SWEDISH_RANK.get(mapping.swedish_level, 0),
        capacity_hours=scoring.capacity_hours(capacity),
        licence=mapping.driving_licence not in ("", "none"),
        postal_code=scoring.postal_int(participant.postal_code),
        wished_kinds=frozenset(mapping.wanted_kinds or ()),
    )


def vacancy_features(
    vacancy: Vacancy, links: list[tuple[int, bool]] | None = None
) -> scoring.VacancyFeatures:
    if links is None:
        links = list(vacancy.skill_links.values_list("skill_id", "required"))
    return scoring.VacancyFeatures(
        occupation=vacancy.occupation_id,
        required_skills=frozenset(s for s, req in links if req),
        merit_skills=frozenset(s for s, req in links if not req),
        swedish=scoring.SWEDISH_RANK.get(vacancy.swedish_level, 0),
        hours=vacancy.hours_per_week,
        licence_required=vacancy.driving_licence_required,
        postal_code=scoring.postal_int(vacancy.postal_code),
        kind=vacancy.kind,
    )


def open_vacancy_table(*, user) -> vacancy_table.CachedTable:
    """Every open vacancy the user can see, as an engine table: the municipality's precomputed table, checked
    against the committed stamp (one query; a few more only after a vacancy changed: vacancy_table.py)."""
    return vacancy_table.table_for(vacancy_municipality_id(user))


def current_mapping(participant):
    Mapping = apps.get_model("plans", "Mapping")
    return Mapping.objects.filter(participant=participant).order_by("-created_at").first()


def rank_vacancies_for_participant(*, participant, user, k: int = 20) -> list[dict]:
    """The k best open vacancies for a person: [{"vacancy", "score", "explanation"}], best first."""
    person = person_features(participant=participant, mapping=current_mapping(participant))
    cached = open_vacancy_table(user=user)
    table = cached.table
    if not len(table):
        return []
    ranked = scoring.rank_vacancies(person, table, k=k)
    by_pk = Vacancy.objects.select_related("employer", "occupation").in_bulk([key for key, _s in ranked])
    taxonomy = engine_taxonomy()
    out = []
    for key, score in ranked:
        explanation = scoring.explain(person, table.features[cached.row_of[key]], taxonomy)
        out.append({"vacancy": by_pk[key], "score": score, "explanation": explanation})
    return out


def unit_candidates(*, user) -> QuerySet:
    """Mappings of the people with an accepted referral to the user's unit that the user may see."""
    Mapping = apps.get_model("plans", "Mapping")
    Participant = apps.get_model("participants", "Participant")
    if not getattr(user, "unit_id", None):
        return Mapping.objects.none()
    return (
        Mapping.objects.filter(
            referral__unit_id=user.unit_id,
            referral__status="accepted",
            participant__in=Participant.objects.visible_to(user).values("pk"),
        )
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def rank_participants_for_vacancy(*, vacancy: Vacancy, user, k: int = 50) -> tuple[list[dict], list[dict]]:
    """People of the matcher's unit ranked for one vacancy, and those filtered out with the reason ("why
    not"). Returns (ranked[:k], filtered), each item {"participant", "mapping", "score", "explanation"}."""
    taxonomy = engine_taxonomy()
    feats = vacancy_features(vacancy)
    ranked, filtered = [], []
    seen = set()
    for mapping in unit_candidates(user=user):
        participant = mapping.participant
        if participant.pk in seen:
            continue
        seen.add(participant.pk)
        person = person_features(participant=participant, mapping=mapping)
        explanation = scoring.explain(person, feats, taxonomy)
        item = {
            "participant": participant,
            "mapping": mapping,
            "score": explanation["score"],
            "explanation": explanation,
        }
        (ranked if explanation["eligible"] else filtered).append(item)
    ranked.sort(key=lambda it: (-it["score"], it["participant"].last_name, str(it["participant"].pk)))
    return ranked[:k], filtered


def explain_pair(*, participant, vacancy: Vacancy) -> dict:
    person = person_features(participant=participant, mapping=current_mapping(participant))
    return scoring.explain(person, vacancy_features(vacancy), engine_taxonomy())


def hires_for_participant(participant) -> QuerySet:
    """The person's hires and internship starts (for the exit record): each Match carries the vacancy
    (employer, kind, occupation), start date, hours per week, form of employment and Supported Employment."""
    return (
        Match.objects.filter(participant=participant, status__in=HIRE_STATUSES)
        .select_related("vacancy__employer", "vacancy__occupation")
        .order_by("-start_date", "-proposed_at")
    )


def job_hires_for_participant(participant) -> QuerySet:
    """Only hires into work (not internships or work training): what an exit 'to work' is built from."""
    return (
        hires_for_participant(participant)
        .filter(status=MatchStatus.HIRED)
        .exclude(vacancy__kind__in=[PlacementKind.INTERNSHIP, PlacementKind.WORK_TRAINING])
    )


def matches_for_participant(*, participant, user) -> QuerySet:
    return (
        Match.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("vacancy__employer", "vacancy__occupation")
        .order_by("-proposed_at")
    )
