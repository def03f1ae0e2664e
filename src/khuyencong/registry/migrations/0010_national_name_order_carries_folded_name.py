"""The national name order (``registry_est_name_sort``) carries the folded name (``INCLUDE``,
PostgreSQL; SQLite builds the index without it): a national search's page walks it for the names
holding the phrase without reading the table (``selectors.named_first_window``, issue 11).
Rebuilding it at scale 1.0 (300,000 establishments) took ~2 s."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0001_initial'),
        ('registry', '0009_search_place_names'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='establishment',
            name='registry_est_name_sort',
        ),
        migrations.AddIndex(
            model_name='establishment',
            index=models.Index(fields=['name_sort', 'id'], include=('name_folded',), name='registry_est_name_sort'),
        ),
    ]
