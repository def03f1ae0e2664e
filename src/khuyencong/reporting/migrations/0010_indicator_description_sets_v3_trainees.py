"""An indicator says how its figure is made (``description``), and version 3 of the default
sets computes "Học viên được đào tạo" from the projects' accepted outputs instead of a hand
entry (issue 14). The default schedules move to version 3; reports keep their version."""

from typing import Any

from django.db import migrations, models


def load(apps: Any, schema_editor: Any) -> None:
    from khuyencong.reporting import seed

    seed.load(apps, upto=3)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0009_sets_v2_advanced_and_paid'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalindicator',
            name='description',
            field=models.TextField(blank=True, help_text='Số liệu được tính hoặc nhập như thế nào (hiện cùng chỉ tiêu).', verbose_name='cách tính'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='description',
            field=models.TextField(blank=True, help_text='Số liệu được tính hoặc nhập như thế nào (hiện cùng chỉ tiêu).', verbose_name='cách tính'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
