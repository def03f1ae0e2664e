"""The home page's "waiting for you" read from the index alone (issue 11, item 2): the pairs
(state, fund) of a province and of the nation in the section's order, with the round that the
sign-off check compares."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0010_period_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='project',
            name='projects_inbox',
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['unit', 'status', 'fund', 'updated_at', 'id'], include=('round',), name='projects_inbox'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['status', 'fund', 'updated_at', 'id'], include=('round',), name='projects_inbox_nation'),
        ),
    ]
