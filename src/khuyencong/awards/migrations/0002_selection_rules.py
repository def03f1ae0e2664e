"""The level rules (legal numbers with their basis) and the regions of DOMAIN.md §6, from
``khuyencong.awards.legal`` (also loaded by ``services.legal_data.load_selection_rules``)."""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.awards.services.legal_data import load_selection_rules

    load_selection_rules(
        apps.get_model("awards", "LevelRule"),
        apps.get_model("awards", "Region"),
        apps.get_model("awards", "RegionProvince"),
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
