"""The default indicator sets (2646/QĐ-BCT) and schedules."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from khuyencong.reporting import seed

    seed.load(apps, upto=1)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
