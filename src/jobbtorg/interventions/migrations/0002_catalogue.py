from django.db import migrations


def load_catalogue(apps, schema_editor):
    from jobbtorg.interventions.catalogue import CATALOGUE

    InterventionType = apps.get_model("interventions", "InterventionType")
    for order, (code, name, name_en, category, flags) in enumerate(CATALOGUE):
        InterventionType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "category": category, "sort_order": order,
                      **{flag: True for flag in flags}},
        )


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_initial")]
    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
