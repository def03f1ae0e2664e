"""On PostgreSQL, covering indexes for the reporting roll-up by period (issue 14: the roll-up
within 10× of DuckDB; at scale 1.0 it was 12.8×, every query a full scan of the projects).
The reporting computations read the projects approved in a period (``decision_date`` in the
window: status, unit, fund, content and the four money columns) and the money paid in it
(advances and payments by ``paid_on``, joined to their project's unit and content): each of
these is then a range of an index holding exactly those columns, read without the table once
it is vacuumed. ``INCLUDE`` is PostgreSQL-only, hence SQL (as 0009); SQLite scans."""

from django.db import migrations

INDEXES = {
    "projects_decided": "projects_project (decision_date) INCLUDE (status, id, unit_id, "
    "location_id, fund, content, approved_kcqg, approved_kcdp, counterpart, other)",
    "projects_advance_paid": "projects_advance (paid_on) INCLUDE (project_id, fund, amount)",
    "projects_payment_paid": "projects_payment (paid_on) INCLUDE (project_id, fund, amount, "
    "cosign_status)",
    "projects_unit_content": "projects_project (id) INCLUDE (unit_id, location_id, content)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_rollup_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
