"""Version 2 of the default indicator sets (issue 14): money advanced (tạm ứng) and money paid
(thanh toán) as two indicators instead of the combined "Kinh phí đã giải ngân". The default
schedules move to version 2; reports made with version 1 keep it and their frozen snapshot."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from khuyencong.reporting import seed

    seed.load(apps, upto=2)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0008_value_entered_by")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
