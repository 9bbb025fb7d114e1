"""The shipped SSYK 2012 taxonomy is loaded in every database and searchable."""

import pytest
from django.urls import reverse

from jobbtorg.taxonomy import selectors
from jobbtorg.taxonomy.models import OccupationGroup, OccupationName, Skill

pytestmark = pytest.mark.django_db


def test_the_data_migration_loaded_the_shipped_copy():
    assert OccupationGroup.objects.count() == 603
    levels = OccupationGroup.objects.values_list("level", flat=True)
    assert {lv: list(levels).count(lv) for lv in (1, 2, 3, 4)} == {1: 10, 2: 46, 3: 147, 4: 400}
    assert OccupationName.objects.count() == 3238
    assert Skill.objects.count() == 5669
    group = OccupationGroup.objects.get(pk="5321")
    assert group.parent_id == "532" and group.parent.parent_id == "53"
    assert Skill.objects.filter(groups=group).exists()


def test_search_as_you_type_finds_occupation_names():
    hits = selectors.occupation_search(q="undersköt")
    assert any(h["code"] == "5321" and h["name"].startswith("Undersköterska, hemtjänst") for h in hits)
    assert selectors.occupation_search(q="u") == []
    by_code = [h["code"] for h in selectors.occupation_search(q="532")]
    assert "5321" in by_code and all(code.startswith("532") for code in by_code)


def test_skill_search_puts_related_skills_first():
    hits = selectors.skill_search(q="vård", codes=["5321"])
    assert hits and Skill.objects.filter(pk=hits[0].pk, groups="5321").exists()


def test_unknown_codes_and_skills():
    assert selectors.unknown_occupation_codes(["5321", "5331", "53"]) == ["5331", "53"]
    known = Skill.objects.order_by("pk").values_list("pk", flat=True).first()
    assert selectors.unknown_skill_ids([known, 10**9, "x", True]) == [10**9, "x", True]


def test_api_search(api_client, coach, caseworker):
    api_client.force_authenticate(coach)
    response = api_client.get("/api/taxonomy/occupations/", {"q": "undersköt"})
    assert response.status_code == 200 and any(h["code"] == "5321" for h in response.json())
    assert api_client.get("/api/taxonomy/skills/", {"q": "truck"}).status_code == 200
    assert api_client.get("/api/taxonomy/groups/5321/").json()["parent"] == "532"
    api_client.force_authenticate(caseworker)
    assert api_client.get("/api/taxonomy/occupations/", {"q": "undersköt"}).status_code == 403


def test_htmx_endpoint_needs_unit_staff(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("taxonomy:occupation_options"), {"q": "undersköt"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_taxonomy_back():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)  # the test suite's flush keeps the taxonomy
    assert OccupationGroup.objects.count() == 603 and Skill.objects.count() == 5669
    links = Skill.groups.through.objects.count()

    Skill.groups.through.objects.all().delete()  # a test that wrote to the taxonomy: the flush reloads it
    Skill.objects.filter(pk=Skill.objects.order_by("pk").first().pk).delete()
    OccupationName.objects.all().delete()
    call_command("flush", interactive=False, verbosity=0)
    assert OccupationGroup.objects.count() == 603 and Skill.objects.count() == 5669
    assert OccupationName.objects.count() == 3238 and Skill.groups.through.objects.count() == links


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_adds_to_the_taxonomy_leaks_nothing():
    Skill.objects.create(name="Ett tillagt kompetensord", concept_id="test-only")


@pytest.mark.django_db(transaction=True)
def test_the_next_test_sees_the_shipped_taxonomy_only():
    assert not Skill.objects.filter(concept_id="test-only").exists()
    assert Skill.objects.count() == 5669
