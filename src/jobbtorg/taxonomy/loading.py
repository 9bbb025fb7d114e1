"""Loading the shipped taxonomy (data/*.csv) with bulk inserts. Used by the data migration (with the
migration's historical models) and after a test-database flush (post_migrate), so the reference data is
always there."""

import csv
import functools
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def load(apps, schema_editor=None):
    OccupationGroup = apps.get_model("taxonomy", "OccupationGroup")
    OccupationName = apps.get_model("taxonomy", "OccupationName")
    Skill = apps.get_model("taxonomy", "Skill")
    if OccupationGroup.objects.exists():
        return
    groups = sorted(_rows("ssyk2012.csv"), key=lambda r: int(r["level"]))
    OccupationGroup.objects.bulk_create(
        [
            OccupationGroup(
                code=r["code"],
                level=int(r["level"]),
                parent_id=r["parent_code"] or None,
                label=r["label"],
                definition=r["definition"],
                concept_id=r["concept_id"],
            )
            for r in groups
        ],
        batch_size=1000,
    )
    unit_groups = {r["code"] for r in groups if r["level"] == "4"}
    OccupationName.objects.bulk_create(
        [
            OccupationName(name=r["label"], group_id=r["ssyk4"], field=r["occupation_field"] or "")
            for r in _rows("occupation_names.csv")
            if r["ssyk4"] in unit_groups
        ],
        batch_size=2000,
    )
    skill_rows = list(_rows("skills.csv"))
    skills = Skill.objects.bulk_create(
        [Skill(name=r["label"], concept_id=r["concept_id"]) for r in skill_rows], batch_size=2000
    )
    Through = Skill.groups.through
    links = []
    for skill, r in zip(skills, skill_rows, strict=True):
        for code in set((r["ssyk4_codes"] or "").split()):
            if code in unit_groups:
                links.append(Through(skill_id=skill.pk, occupationgroup_id=code))
    Through.objects.bulk_create(links, batch_size=5000)


@functools.cache
def shipped_counts() -> dict[str, int]:
    """The rows `load` inserts, per model label (the test suite checks that flushes may keep the taxonomy)."""
    groups = list(_rows("ssyk2012.csv"))
    unit_groups = {r["code"] for r in groups if r["level"] == "4"}
    skills = list(_rows("skills.csv"))
    return {
        "taxonomy.occupationgroup": len(groups),
        "taxonomy.occupationname": sum(r["ssyk4"] in unit_groups for r in _rows("occupation_names.csv")),
        "taxonomy.skill": len(skills),
        "taxonomy.skill_groups": sum(
            len({c for c in (r["ssyk4_codes"] or "").split() if c in unit_groups}) for r in skills
        ),
    }
