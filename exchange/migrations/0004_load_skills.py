"""Load the curated skills list, so a fresh database has it."""

from django.db import migrations

from exchange.reference_data import load_skills


def load(apps, schema_editor):
    load_skills(apps.get_model("exchange", "Skill"))


class Migration(migrations.Migration):
    dependencies = [("exchange", "0003_skill")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
