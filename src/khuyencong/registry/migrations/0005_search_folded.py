"""One folded search column (name, products, owner, tax code) and, on PostgreSQL, its trigram
index: ``LIKE '%word%'`` becomes an index lookup instead of a scan of every establishment."""

from django.db import migrations, models

from khuyencong.core.text import fold

TRIGRAM_INDEX = "registry_est_search_trgm"


def fill(apps, schema_editor):
    Establishment = apps.get_model("registry", "Establishment")
    batch = []
    fields = ("pk", "name", "main_products", "owner_name", "tax_code")
    for establishment in Establishment.objects.only(*fields).iterator(chunk_size=2000):
        values = (establishment.name, establishment.main_products)
        values += (establishment.owner_name, establishment.tax_code)
        establishment.search_folded = " | ".join(fold(v) for v in values if v)
        batch.append(establishment)
        if len(batch) == 2000:
            Establishment.objects.bulk_update(batch, ["search_folded"])
            batch = []
    Establishment.objects.bulk_update(batch, ["search_folded"])


def create_trigram_index(apps, schema_editor):
    # PostgreSQL only (SQLite, the embedded default, scans); pg_trgm is a trusted extension
    # (PostgreSQL 13+): the database owner may create it.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON registry_establishment "
        "USING gin (search_folded gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_bounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="establishment",
            name="search_folded",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="establishment",
            name="products_folded",
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
