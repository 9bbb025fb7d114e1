"""Employers, vacancies and the match flow: validation, scoping and every state change."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobbtorg.matching import selectors, services
from jobbtorg.matching.constants import MatchStatus, VacancyStatus
from jobbtorg.matching.models import Match, MatchEvent
from jobbtorg.plans.constants import PlanStatus
from jobbtorg.plans.models import ActionPlan
from jobbtorg.utils.errors import ConflictError, TransitionNotAllowed
from tests.factories import MappingFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def test_employer_organisation_number_is_validated(matcher):
    with pytest.raises(ValidationError) as exc:
        services.employer_save(by=matcher, organisation_number="556000-0000", name="Fel AB", sector="private")
    assert "organisation_number" in exc.value.message_dict
    employer = services.employer_save(
        by=matcher,
        organisation_number="5560000019",
        name="Rätt AB",
        sector="private",
        postal_code="16364",
        contacts=[{"name": "Anna", "role": "Chef", "email": "anna@example.org", "phone": ""}],
    )
    assert employer.organisation_number == "556000-0019"
    assert employer.municipality_id == matcher.municipality_id
    assert employer.contacts.get().name == "Anna"


def test_employer_postal_code_must_have_five_digits(matcher):
    with pytest.raises(ValidationError) as exc:
        services.employer_save(by=matcher, organisation_number="5560000019", name="X", postal_code="1636")
    assert "postal_code" in exc.value.message_dict


def test_a_coach_cannot_manage_employers(coach):
    with pytest.raises(PermissionDenied):
        services.employer_save(by=coach, organisation_number="5560000019", name="X")


def _vacancy_values(**kw):
    values = dict(
        title="Undersköterska", kind="job", occupation="5321", postal_code="16364", hours_per_week=40
    )
    values.update(kw)
    return values


def test_vacancy_needs_a_known_four_digit_occupation(matcher, employer, skill_ids):
    with pytest.raises(ValidationError) as exc:
        services.vacancy_save(by=matcher, employer=employer, **_vacancy_values(occupation=""))
    assert "occupation" in exc.value.message_dict
    for bad in ("9999", "532", "abcd"):
        with pytest.raises(ValidationError) as exc:
            services.vacancy_save(by=matcher, employer=employer, **_vacancy_values(occupation=bad))
        assert "Unknown SSYK" in exc.value.message_dict["occupation"][0]
    vacancy = services.vacancy_save(
        by=matcher,
        employer=employer,
        skills=[{"skill": skill_ids[0], "required": True}, skill_ids[1]],
        **_vacancy_values(),
    )
    assert vacancy.occupation_id == "5321"
    assert sorted(vacancy.skill_links.values_list("skill_id", "required")) == [
        (skill_ids[0], True),
        (skill_ids[1], False),
    ]


def test_vacancy_unknown_skill_is_refused(matcher, employer):
    with pytest.raises(ValidationError) as exc:
        services.vacancy_save(by=matcher, employer=employer, skills=[10**9], **_vacancy_values())
    assert "skills" in exc.value.message_dict


def test_propose_outside_the_unit_is_refused(other_unit_matcher, mapping, vacancy):
    with pytest.raises(PermissionDenied):
        services.match_propose(participant=mapping.participant, vacancy=vacancy, by=other_unit_matcher)


def test_propose_a_person_filtered_by_a_hard_requirement_is_refused(matcher, mapping, vacancy):
    vacancy.driving_licence_required = True
    vacancy.save()
    with pytest.raises(ValidationError) as exc:
        services.match_propose(participant=mapping.participant, vacancy=vacancy, by=matcher)
    assert "vacancy" in exc.value.message_dict


def test_propose_keeps_the_explanation_and_refuses_a_duplicate(matcher, mapping, vacancy):
    match = services.match_propose(participant=mapping.participant, vacancy=vacancy, by=matcher)
    assert match.status == MatchStatus.PROPOSED
    assert match.explanation["eligible"] and match.score > Decimal("60")
    assert [c["key"] for c in match.explanation["components"]][0] == "occupation"
    assert MatchEvent.objects.filter(match=match, to_status="proposed").count() == 1
    with pytest.raises(ValidationError):
        services.match_propose(participant=mapping.participant, vacancy=vacancy, by=matcher)


@pytest.fixture
def proposed(matcher, mapping, vacancy):
    return services.match_propose(participant=mapping.participant, vacancy=vacancy, by=matcher)


def test_participant_declines(matcher, proposed):
    services.match_participant_answer(match=proposed, by=matcher, agreed=False, version=0)
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.PARTICIPANT_DECLINED
    with pytest.raises(TransitionNotAllowed):
        services.match_employer_contacted(match=proposed, by=matcher)


def test_employer_cannot_be_contacted_before_the_participant_agrees(matcher, proposed):
    with pytest.raises(TransitionNotAllowed):
        services.match_employer_contacted(match=proposed, by=matcher)


def test_stale_version_is_a_conflict(matcher, proposed):
    services.match_participant_answer(match=proposed, by=matcher, agreed=True, version=0)
    stale = Match.objects.get(pk=proposed.pk)
    stale.lock_version = 0
    with pytest.raises(ConflictError):
        services.match_employer_contacted(match=stale, by=matcher, version=0)


def _to_contacted(match, by):
    services.match_participant_answer(match=match, by=by, agreed=True)
    services.match_employer_contacted(match=match, by=by)


def test_interview_then_rejected_needs_a_reason(matcher, proposed):
    _to_contacted(proposed, matcher)
    services.match_outcome(match=proposed, by=matcher, outcome="interview")
    assert proposed.status == MatchStatus.INTERVIEW
    with pytest.raises(ValidationError) as exc:
        services.match_outcome(match=proposed, by=matcher, outcome="rejected")
    assert "rejection_reason" in exc.value.message_dict
    services.match_outcome(match=proposed, by=matcher, outcome="rejected", rejection_reason="no_show")
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.REJECTED and proposed.rejection_reason == "no_show"
    assert list(proposed.events.values_list("to_status", flat=True)) == [
        "proposed",
        "participant_agreed",
        "employer_contacted",
        "interview",
        "rejected",
    ]


def test_hire_needs_start_hours_and_form(matcher, proposed):
    _to_contacted(proposed, matcher)
    with pytest.raises(ValidationError) as exc:
        services.match_outcome(match=proposed, by=matcher, outcome="hired")
    assert {"start_date", "hours_per_week", "employment_form"} <= set(exc.value.message_dict)


def test_hire_updates_the_plan_and_is_a_hire_for_the_exit_record(matcher, proposed, vacancy):
    plan = ActionPlan.objects.create(
        referral=proposed.participant.referrals.get(),
        participant=proposed.participant,
        status=PlanStatus.APPROVED,
    )
    _to_contacted(proposed, matcher)
    start = datetime.date(2026, 12, 1)
    services.match_outcome(
        match=proposed,
        by=matcher,
        outcome="hired",
        start_date=start,
        hours_per_week=30,
        employment_form="fixed_term",
        supported_employment=True,
        support_hours_per_week=Decimal("4"),
    )
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.HIRED
    assert (proposed.start_date, proposed.hours_per_week, proposed.employment_form) == (
        start,
        30,
        "fixed_term",
    )
    assert proposed.supported_employment and proposed.support_hours_per_week == Decimal("4.0")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # an approved plan becomes a revision draft
    activity = plan.activities.get()
    assert activity.intervention_type.code == "supported_employment"
    assert activity.start_date == start and activity.hours_per_week == Decimal("30")
    assert proposed.plan_activity_id == activity.pk
    assert list(selectors.hires_for_participant(proposed.participant)) == [proposed]
    assert list(selectors.job_hires_for_participant(proposed.participant)) == [proposed]
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED  # one place


def test_internship_start_adds_an_internship_activity(matcher, mapping, employer):
    from tests.matching.factories import VacancyFactory

    place = VacancyFactory(employer=employer, kind="internship", internship_level="language", places=2)
    match = services.match_propose(participant=mapping.participant, vacancy=place, by=matcher)
    _to_contacted(match, matcher)
    services.match_outcome(
        match=match,
        by=matcher,
        outcome="internship_started",
        start_date=datetime.date(2026, 12, 1),
        hours_per_week=20,
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.INTERNSHIP_STARTED and match.employment_form == "internship"
    assert match.plan_activity.intervention_type.code == "language_internship"
    assert list(selectors.job_hires_for_participant(match.participant)) == []
    place.refresh_from_db()
    assert place.status == VacancyStatus.OPEN  # two places


def test_withdraw_is_final(matcher, proposed):
    services.match_withdraw(match=proposed, by=matcher)
    with pytest.raises(TransitionNotAllowed):
        services.match_participant_answer(match=proposed, by=matcher, agreed=True)


def test_ranking_for_a_vacancy_covers_the_unit_only_and_says_why_not(matcher, mapping, vacancy, caseworker):
    low = MappingFactory(
        referral=ReferralFactory(
            accepted=True, district=caseworker.district, participant__district=caseworker.district
        ),
        wanted_occupations=["5321"],
        swedish_level="none",
    )
    elsewhere = MappingFactory(wanted_occupations=["5321"], swedish_level="native")  # another unit
    ranked, filtered = selectors.rank_participants_for_vacancy(vacancy=vacancy, user=matcher)
    assert [r["participant"] for r in ranked] == [mapping.participant]
    assert [f["participant"] for f in filtered] == [low.participant]
    assert filtered[0]["explanation"]["filtered_by"][0]["key"] == "swedish"
    assert elsewhere.participant not in [r["participant"] for r in ranked + filtered]


def test_query_counts_do_not_grow_with_the_data(
    matcher, mapping, vacancy, employer, django_assert_max_num_queries
):
    from tests.matching.factories import VacancyFactory

    selectors.engine_taxonomy()  # static, cached per process
    for _ in range(5):
        VacancyFactory(employer=employer)
    with django_assert_max_num_queries(6):
        ranked = selectors.rank_vacancies_for_participant(participant=mapping.participant, user=matcher)
    assert len(ranked) == 6
    with django_assert_max_num_queries(3):
        selectors.rank_participants_for_vacancy(vacancy=vacancy, user=matcher)


def test_mapping_rejects_unknown_codes_and_skills(coach, accepted_referral, skill_ids):
    from jobbtorg.plans.services import mapping_save

    with pytest.raises(ValidationError) as exc:
        mapping_save(referral=accepted_referral, by=coach, wanted_occupations=["5339"], skills=[10**9])
    assert "wanted_occupations" in exc.value.message_dict and "skills" in exc.value.message_dict
    saved = mapping_save(
        referral=accepted_referral,
        by=coach,
        wanted_occupations=["5321", "5331"],
        skills=[skill_ids[0]],
        wanted_kinds=["job"],
    )
    assert (
        saved.wanted_occupations == ["5321", "5343"]
        and saved.skills == [skill_ids[0]]
        and saved.wanted_kinds == ["job"]
    )
