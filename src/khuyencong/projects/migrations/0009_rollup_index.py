"""On PostgreSQL, a covering index for the national roll-up (issue 11): ``national_rollup`` and
the bench's GROUP BY read only (unit, plan year, fund, status and the kept money columns) of
every project that counts, so an index holding exactly those columns in the group order is an
index-only scan a tenth the size of the table, with no sort (a province's roll-up is a range of
it). ``INCLUDE`` is PostgreSQL-only (Django's ``Index(include=…)`` warns on SQLite), hence SQL
here; SQLite, the embedded default, scans the table."""

from django.db import migrations

ROLLUP_INDEX = "projects_rollup"


def create_rollup_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {ROLLUP_INDEX} ON projects_project "
        "(unit_id, plan_year, fund) INCLUDE (status, id, approved_kcqg, approved_kcdp, "
        "disbursed_kcqg, disbursed_kcdp)"
    )


def drop_rollup_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {ROLLUP_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0008_kept_disbursed"),
    ]

    operations = [
        migrations.RunPython(create_rollup_index, drop_rollup_index),
    ]
