"""The list's order indexes, nationwide and per province, hold the folded title (issue 11,
growth): a title search walks the order for its page's ids from the index alone
(``selectors.PagedRows``) instead of visiting the table for every title it skips. SQLite, the
embedded default, has no ``INCLUDE``: its indexes stay as they were."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0012_title_folded_no_btree'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='project',
            name='projects_order',
        ),
        migrations.RemoveIndex(
            model_name='project',
            name='projects_unit_order',
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['-plan_year', '-updated_at', '-id'], include=('title_folded',), name='projects_order'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['unit', '-plan_year', '-updated_at', '-id'], include=('title_folded',), name='projects_unit_order'),
        ),
    ]
