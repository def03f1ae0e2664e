"""PostgreSQL keeps 1,000 values of the folded title in its statistics (default 100): the
planner's estimate of how many titles hold a phrase (``LIKE '%…%'``) is the share of those
values that hold it. With 100 the national search 'tho cam' at scale 1.0 was estimated at 6
matches after one ANALYZE and 1,818 after another (1,184 in fact): at 6 the planner read and
sorted every match for a page's ids (4.2 ms, 1,075 heap pages) instead of walking the list's
order until 51 (0.6 ms, index-only). With 1,000: 1,187, the walk; a rare word is still looked
up in the trigram index (issue 11). ANALYZE then samples the whole 60,000-row table (~1 s)."""

from django.db import migrations


def more_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE projects_project ALTER COLUMN title_folded SET STATISTICS 1000"
    )
    schema_editor.execute("ANALYZE projects_project (title_folded)")


def default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE projects_project ALTER COLUMN title_folded SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0014_scoped_title_search"),
    ]

    operations = [migrations.RunPython(more_statistics, default_statistics)]
