"""250 values of the folded title in PostgreSQL's statistics, not 1,000 (0015): the planner
matches a ``LIKE '%…%'`` against every kept value to estimate it, and each title search is
planned at every execution (``plan_cache_mode=force_custom_plan``): with 1,000 the national
search 'tho cam' at scale 1.0 spent ~1 ms more on its count and ~0.4 ms more on its page's ids
than with 100 (median of 60 requests, client side), more than the count's index change saved
(issue 11). With 250 ANALYZE samples 75,000 rows, the whole table at national size (60,000
projects): the estimate no longer changes from one ANALYZE to the next (717 for 1,184; the
page's ids walk the list's order), and planning costs ~0.4 ms instead of ~1.1."""

from django.db import migrations


def statistics_250(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE projects_project ALTER COLUMN title_folded SET STATISTICS 250"
    )
    schema_editor.execute("ANALYZE projects_project (title_folded)")


def statistics_1000(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE projects_project ALTER COLUMN title_folded SET STATISTICS 1000"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0015_title_statistics"),
    ]

    operations = [migrations.RunPython(statistics_250, statistics_1000)]
