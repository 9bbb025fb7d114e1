"""The matching engine: every score component, the hard filters, and the fast paths against the reference."""

import random

import numpy as np
import pytest

from jobbtorg.matching import scoring
from jobbtorg.matching.scoring import PersonFeatures, VacancyFeatures

# A tiny taxonomy: groups 5321 and 5322 share 3 digits, 5311 shares 2, 9111 unrelated; skill 1 shared by
# 5321 and 2512 (related by skills), skills otherwise own.
GROUP_SKILLS = {
    "5321": {1, 2, 3},
    "5322": {4},
    "5311": {5},
    "2512": {1, 6, 7},
    "9111": {8},
}


@pytest.fixture(scope="module")
def tax():
    return scoring.Taxonomy(GROUP_SKILLS)


def person(**kw):
    base = dict(wanted=("5321",), swedish=4, capacity_hours=40.0, licence=True, postal_code=16364)
    base.update(kw)
    return PersonFeatures(**base)


def vacancy(**kw):
    base = dict(occupation="5321", swedish=3, hours=40, postal_code=16364)
    base.update(kw)
    return VacancyFeatures(**base)


def component(result, key):
    return next(c for c in result["components"] if c["key"] == key)


def test_occupation_same_4_beats_3_beats_2_beats_related_beats_nothing(tax):
    p = person()
    points = {
        code: component(scoring.explain(p, vacancy(occupation=code), tax), "occupation")["points"]
        for code in GROUP_SKILLS
    }
    assert points["5321"] == 40.0
    assert points["5322"] == 40.0 * 0.6
    assert points["5311"] == 40.0 * 0.3
    # 5321 and 2512 share skill 1 of 5 in their union: Jaccard 0.2 → 0.25 × 0.2.
    assert points["2512"] == pytest.approx(40.0 * 0.25 * 0.2)
    assert points["9111"] == 0.0
    assert points["5321"] > points["5322"] > points["5311"] > points["2512"] > points["9111"]
    detail = component(scoring.explain(p, vacancy(occupation="2512"), tax), "occupation")["detail"]
    assert detail == {"relation": "related_skills", "wanted": "5321", "occupation": "2512"}


def test_occupation_takes_the_closest_of_several_wishes(tax):
    result = scoring.explain(person(wanted=("9111", "5322")), vacancy(occupation="5321"), tax)
    assert component(result, "occupation")["points"] == 24.0
    assert component(result, "occupation")["detail"]["wanted"] == "5322"


def test_no_wish_gives_no_occupation_points(tax):
    result = scoring.explain(person(wanted=()), vacancy(), tax)
    assert component(result, "occupation")["points"] == 0.0
    assert component(result, "occupation")["detail"]["relation"] == "none"


def test_skills_required_count_twice(tax):
    v = vacancy(required_skills=frozenset({1}), merit_skills=frozenset({2, 3}))
    assert (
        component(scoring.explain(person(skills=frozenset({1})), v, tax), "skills")["points"] == 20.0 * 2 / 4
    )
    assert (
        component(scoring.explain(person(skills=frozenset({2})), v, tax), "skills")["points"] == 20.0 * 1 / 4
    )
    assert component(scoring.explain(person(skills=frozenset({1, 2, 3})), v, tax), "skills")["points"] == 20.0
    assert component(scoring.explain(person(), v, tax), "skills")["points"] == 0.0
    assert (
        component(scoring.explain(person(skills=frozenset({1})), vacancy(), tax), "skills")["points"] == 0.0
    )


def test_swedish_meets_one_below_and_hard_filter(tax):
    meets = scoring.explain(person(swedish=4), vacancy(swedish=4), tax)
    one_below = scoring.explain(person(swedish=3), vacancy(swedish=4), tax)
    two_below = scoring.explain(person(swedish=2), vacancy(swedish=4), tax)
    assert component(meets, "swedish")["points"] == 10.0
    assert component(one_below, "swedish")["points"] == 3.0 and one_below["eligible"]
    assert not two_below["eligible"] and two_below["score"] is None
    assert [f["key"] for f in two_below["filtered_by"]] == ["swedish"]


def test_hours_against_work_capacity(tax):
    full = scoring.explain(person(capacity_hours=40.0), vacancy(hours=40), tax)
    shorter = scoring.explain(person(capacity_hours=40.0), vacancy(hours=20), tax)
    over = scoring.explain(person(capacity_hours=20.0), vacancy(hours=30), tax)
    way_over = scoring.explain(person(capacity_hours=10.0), vacancy(hours=40), tax)
    assert component(full, "hours")["points"] == 10.0
    assert component(shorter, "hours")["points"] == 10.0 * (1 - 0.5 * 20 / 40)
    assert component(over, "hours")["points"] == 10.0 * (1 - 10 / 20)
    assert not way_over["eligible"] and way_over["filtered_by"][0]["key"] == "hours"


def test_capacity_hours_from_percent():
    assert scoring.capacity_hours(50) == 20.0
    assert scoring.capacity_hours(None) == 40.0


def test_driving_licence_hard_requirement(tax):
    assert not scoring.explain(person(licence=False), vacancy(licence_required=True), tax)["eligible"]
    held = scoring.explain(person(licence=True), vacancy(licence_required=True), tax)
    assert held["eligible"] and component(held, "licence")["points"] == 5.0
    assert component(scoring.explain(person(licence=False), vacancy(), tax), "licence")["points"] == 5.0


@pytest.mark.parametrize(
    ("home", "work", "points", "relation"),
    [
        (16364, 16371, 10.0, "same_area_3"),
        (16364, 16440, 6.0, "same_area_2"),
        (16364, 11122, 2.0, "same_region"),
        (16364, 41318, 0.0, "far"),
        (None, 41318, 5.0, "unknown"),
    ],
)
def test_distance_by_postal_code(tax, home, work, points, relation):
    result = scoring.explain(person(postal_code=home), vacancy(postal_code=work), tax)
    assert component(result, "distance")["points"] == points
    assert component(result, "distance")["detail"]["relation"] == relation


def test_own_wishes(tax):
    wished = scoring.explain(person(wished_kinds=frozenset({"internship"})), vacancy(kind="internship"), tax)
    other = scoring.explain(person(wished_kinds=frozenset({"internship"})), vacancy(kind="job"), tax)
    none = scoring.explain(person(), vacancy(kind="job"), tax)
    assert component(wished, "wishes")["points"] == 5.0
    assert component(other, "wishes")["points"] == 0.0
    assert component(none, "wishes")["points"] == 0.0


def test_score_is_the_sum_of_the_components(tax):
    result = scoring.explain(person(skills=frozenset({1})), vacancy(merit_skills=frozenset({1, 2})), tax)
    assert result["score"] == pytest.approx(sum(c["points"] for c in result["components"]))
    assert result["max"] == 100.0


def test_postal_int():
    assert scoring.postal_int("163 64") == 16364
    assert scoring.postal_int("1636") is None
    assert scoring.postal_int("") is None


def _random_data(tax, rng, n_people=60, n_vac=400):
    codes = tax.codes
    vacs = []
    for i in range(n_vac):
        code = rng.choice(codes)
        pool = sorted(GROUP_SKILLS[code])
        chosen = rng.sample(pool, k=rng.randint(0, len(pool)))
        vacs.append(
            (
                i,
                VacancyFeatures(
                    occupation=code,
                    required_skills=frozenset(chosen[:1]),
                    merit_skills=frozenset(chosen[1:]),
                    swedish=rng.randint(0, 6),
                    hours=rng.choice([10, 20, 30, 40]),
                    licence_required=rng.random() < 0.2,
                    postal_code=rng.choice([16364, 16371, 16440, 11122, 41318, None]),
                    kind=rng.choice(scoring.KINDS),
                ),
            )
        )
    people = [
        PersonFeatures(
            wanted=tuple(rng.sample(codes, k=rng.randint(0, 2))),
            skills=frozenset(rng.sample(range(1, 9), k=rng.randint(0, 3))),
            swedish=rng.randint(0, 6),
            capacity_hours=scoring.capacity_hours(rng.choice([25, 50, 75, 100])),
            licence=rng.random() < 0.5,
            postal_code=rng.choice([16364, 16440, 41318, None]),
            wished_kinds=frozenset(rng.sample(scoring.KINDS, k=rng.randint(0, 2))),
        )
        for _ in range(n_people)
    ]
    return scoring.VacancyTable.build(tax, vacs), people


def test_vectorised_scores_equal_the_explanation_exactly(tax):
    table, people = _random_data(tax, random.Random(3))
    for p in people[:20]:
        fast = scoring.score_all(p, table)
        for row, feats in enumerate(table.features):
            ref = scoring.explain(p, feats, tax)
            if ref["eligible"]:
                assert fast[row] == ref["score"]
            else:
                assert fast[row] == -np.inf


@pytest.mark.parametrize("block_digits", [2, 3, 4])
def test_batch_top_k_equals_a_full_scan(tax, block_digits):
    table, people = _random_data(tax, random.Random(block_digits))
    people = people + people[:5]  # identical features are scored once and still answered for each
    batch = scoring.batch_top_k(people, table, k=10, block_digits=block_digits, chunk=7)
    for p, rows in zip(people, batch, strict=True):
        expected = scoring.top_k_rows(scoring.score_all(p, table), 10)
        assert list(rows) == list(expected)


def test_rank_vacancies_best_first_and_ties_by_row(tax):
    items = [(f"v{i}", vacancy()) for i in range(3)] + [("far", vacancy(occupation="9111"))]
    table = scoring.VacancyTable.build(tax, items)
    ranked = scoring.rank_vacancies(person(), table, k=3)
    assert [key for key, _ in ranked] == ["v0", "v1", "v2"]
    assert ranked[0][1] == scoring.explain(person(), vacancy(), tax)["score"]
