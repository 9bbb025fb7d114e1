"""Load the shipped SSYK 2012 taxonomy (data/*.csv) with bulk inserts, so every database has it."""

from django.db import migrations

from jobbtorg.taxonomy.loading import load


def unload(apps, schema_editor):
    apps.get_model("taxonomy", "Skill").objects.all().delete()
    apps.get_model("taxonomy", "OccupationName").objects.all().delete()
    OccupationGroup = apps.get_model("taxonomy", "OccupationGroup")
    for level in (4, 3, 2, 1):
        OccupationGroup.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
