"""The dashboards' read index extended (issue 11, item 2): the lower units' totals of the
indicator shown as one range, and which lower units have a total from the index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0010_indicator_description_sets_v3_trainees'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='summaryfigure',
            name='reporting_summary_read',
        ),
        migrations.AddIndex(
            model_name='summaryfigure',
            index=models.Index(fields=['period', 'level', 'province', 'key', 'basis', 'indicator_code'], include=('unit',), name='reporting_summary_read'),
        ),
    ]
