"""On PostgreSQL, a trigram index of the folded title: the project list's search
(``title_folded LIKE '%words%'``) becomes an index lookup instead of a scan of every project in
scope (issue 11, item 4; SQLite, the embedded default, scans)."""

from django.db import migrations

TRIGRAM_INDEX = "projects_project_title_trgm"


def create_trigram_index(apps, schema_editor):
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON projects_project "
        "USING gin (title_folded gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_finance_cosign"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
