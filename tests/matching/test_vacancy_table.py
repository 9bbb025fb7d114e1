"""The precomputed vacancy table (matching/vacancy_table.py, ADR 0013): a ranking never uses a table older
than the last committed vacancy change, in this process or in another one, and a warm ranking does not read
the municipality's vacancies again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobbtorg.matching import selectors, services, vacancy_table
from jobbtorg.matching.constants import VacancyStatus
from jobbtorg.matching.models import Vacancy, VacancyChange, VacancyStamp
from tests.factories import MunicipalityFactory

from .factories import VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process():
    vacancy_table.forget_tables()
    yield
    vacancy_table.forget_tables()


def ranked_pks(mapping, user) -> list:
    return [
        r["vacancy"].pk
        for r in selectors.rank_vacancies_for_participant(participant=mapping.participant, user=user)
    ]


def other_process(change):
    """Run `change` as another worker process would: this process's tables stay as they were before it."""
    kept = dict(vacancy_table._tables)
    change()
    vacancy_table._tables.clear()
    vacancy_table._tables.update(kept)


def test_a_change_is_in_the_next_ranking_of_this_process(matcher, mapping, employer, skill_ids):
    first = VacancyFactory(employer=employer, hours_per_week=40)
    assert ranked_pks(mapping, matcher) == [first.pk]
    second = services.vacancy_save(
        by=matcher,
        employer=employer,
        title="Vårdbiträde",
        kind="job",
        occupation="5321",
        postal_code="16364",
        hours_per_week=40,
        skills=[{"skill": skill_ids[0], "required": True}],
    )
    assert set(ranked_pks(mapping, matcher)) == {first.pk, second.pk}
    services.vacancy_save(by=matcher, vacancy=second, status=VacancyStatus.FILLED)
    assert ranked_pks(mapping, matcher) == [first.pk]
    services.vacancy_save(by=matcher, vacancy=first, hours_per_week=10)
    explanation = selectors.rank_vacancies_for_participant(participant=mapping.participant, user=matcher)[0][
        "explanation"
    ]
    assert next(c for c in explanation["components"] if c["key"] == "hours")["detail"]["hours"] == 10


def test_a_change_made_by_another_process_is_in_the_next_ranking(matcher, mapping, employer, skill_ids):
    first = VacancyFactory(employer=employer)
    second = VacancyFactory(employer=employer)
    assert set(ranked_pks(mapping, matcher)) == {first.pk, second.pk}
    built = vacancy_table._tables[employer.municipality_id]

    other_process(lambda: services.vacancy_save(by=matcher, vacancy=second, status=VacancyStatus.CLOSED))
    assert vacancy_table._tables[employer.municipality_id] is built  # this process still holds the old table
    assert ranked_pks(mapping, matcher) == [first.pk]
    patched = vacancy_table._tables[employer.municipality_id]
    assert patched.stamp[1] > built.stamp[1]

    # The patched table equals one built from the database by a process that starts now (only the stamp
    # survives a restart).
    vacancy_table.forget_tables()
    assert ranked_pks(mapping, matcher) == [first.pk]
    rebuilt = vacancy_table._tables[employer.municipality_id]
    assert rebuilt.stamp == patched.stamp
    assert rebuilt.table.keys == patched.table.keys and rebuilt.features == patched.features


def test_a_vacancy_filled_by_a_hire_leaves_the_table(matcher, mapping, employer):
    vacancy = VacancyFactory(employer=employer, places=1)
    assert ranked_pks(mapping, matcher) == [vacancy.pk]
    # The hire closes the vacancy with a queryset update (no post_save): the service raises the stamp itself.
    services._fill_vacancy(vacancy)
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.FILLED
    assert ranked_pks(mapping, matcher) == []


def test_the_table_is_served_from_memory_until_the_stamp_moves(matcher, mapping, employer):
    vacancy = VacancyFactory(employer=employer)
    assert ranked_pks(mapping, matcher) == [vacancy.pk]
    # A write that goes around the stamp is not seen: the table really is kept (and this is why every write
    # path raises the stamp).
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.CLOSED)
    with CaptureQueriesContext(connection) as ctx:
        assert ranked_pks(mapping, matcher) == [vacancy.pk]
    tables = [q["sql"] for q in ctx.captured_queries if "matching_vacancyskill" in q["sql"]]
    assert not tables, tables
    vacancy_table.vacancies_changed(municipality_id=employer.municipality_id, vacancy_ids=[vacancy.pk])
    assert ranked_pks(mapping, matcher) == []


def test_a_bulk_change_or_a_pruned_log_rebuilds_the_table(matcher, mapping, employer):
    first = VacancyFactory(employer=employer)
    assert ranked_pks(mapping, matcher) == [first.pk]
    Vacancy.objects.filter(pk=first.pk).update(status=VacancyStatus.CLOSED)
    vacancy_table.all_vacancies_changed()  # e.g. after generate_dataset
    assert ranked_pks(mapping, matcher) == []
    second = VacancyFactory(employer=employer)
    VacancyChange.objects.all().delete()  # pruned: the log no longer reaches back to this process's table
    vacancy_table.vacancies_changed(municipality_id=employer.municipality_id, vacancy_ids=[first.pk])
    assert ranked_pks(mapping, matcher) == [second.pk]


def test_a_new_stamp_row_is_never_taken_for_the_old_one(matcher, mapping, employer):
    """A restored database (or a rolled-back test) can bring the same version number back: the token
    differs."""
    vacancy = VacancyFactory(employer=employer)
    assert ranked_pks(mapping, matcher) == [vacancy.pk]
    version = VacancyStamp.objects.get(pk=employer.municipality_id).version
    VacancyStamp.objects.all().delete()
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.CLOSED)
    VacancyStamp.objects.create(municipality_id=employer.municipality_id, version=version)
    assert ranked_pks(mapping, matcher) == []


def test_other_municipalities_keep_their_tables(matcher, mapping, employer):
    VacancyFactory(employer=employer)
    ranked_pks(mapping, matcher)
    stamp = vacancy_table._tables[employer.municipality_id].stamp
    VacancyFactory(employer__municipality=MunicipalityFactory(code="1480", name="Göteborg"))
    assert vacancy_table.current_stamp(employer.municipality_id) == stamp
