"""DRF's authtoken app is gone (staff tokens made with a password alone, issue 13): drop its table, whose
keys would otherwise lie around unused. Integration accounts have tokens of their own (ApiToken)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop)]
