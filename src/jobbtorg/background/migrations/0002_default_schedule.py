from django.db import migrations


def install(apps, schema_editor):
    from jobbtorg.background.schedule import schedule_install

    schedule_install(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("background", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
