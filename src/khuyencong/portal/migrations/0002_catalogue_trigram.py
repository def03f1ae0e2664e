"""On PostgreSQL, trigram indexes for the catalogue's accent-insensitive search: ``LIKE
'%word%'`` on the folded names of products and of their holders becomes an index lookup
instead of a scan (as the registry's ``search_folded``, registry migration 0005). The tables
are the selection's and the registry's; the indexes serve only the portal's search, so they
live in the portal's migrations (no collision with those apps' migration numbers)."""

from django.db import migrations

INDEXES = {
    "portal_product_name_trgm": "awards_product",
    "portal_holder_name_trgm": "registry_establishment",
}


def create(apps, schema_editor):
    # SQLite, the embedded default, scans; pg_trgm is a trusted extension (PostgreSQL 13+).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (name_folded gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_publication_consent"),
        ("registry", "0005_search_folded"),
    ]

    operations = [migrations.RunPython(create, drop)]
