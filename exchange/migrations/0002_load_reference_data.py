"""Load ISCO-08 occupations and the regions, so a fresh database has them."""

from django.db import migrations

from exchange.reference_data import load_occupations, load_regions


def load(apps, schema_editor):
    load_occupations(apps.get_model("exchange", "Occupation"))
    load_regions(apps.get_model("exchange", "Region"))


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
