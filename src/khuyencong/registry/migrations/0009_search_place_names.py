"""The establishments' search text carries their commune's and province's names
(``models.place_names``): a search is then one trigram-index condition on PostgreSQL, which the
planner combines with the scope's index, instead of ORs over the units' ids (issue 11)."""

from django.db import migrations

from khuyencong.core.text import fold


def add_place_names(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # One statement for the national registry (300,000 rows); a unit's name_folded is
        # fold(name), as models.place_names writes it.
        schema_editor.execute(
            "UPDATE registry_establishment e "
            "SET search_folded = e.search_folded || ' | ' || c.name_folded "
            "|| COALESCE(' | ' || p.name_folded, '') "
            "FROM geo_administrativeunit c "
            "LEFT JOIN geo_administrativeunit p ON p.id = c.parent_id "
            "WHERE c.id = e.commune_id"
        )
        return
    Establishment = apps.get_model("registry", "Establishment")
    batch = []
    for establishment in Establishment.objects.select_related("commune__parent").iterator(
        chunk_size=2000
    ):
        commune = establishment.commune
        places = [commune.name] + ([commune.parent.name] if commune.parent_id else [])
        establishment.search_folded = " | ".join(
            [establishment.search_folded, *(fold(name) for name in places)]
        )
        batch.append(establishment)
        if len(batch) == 2000:
            Establishment.objects.bulk_update(batch, ["search_folded"])
            batch = []
    Establishment.objects.bulk_update(batch, ["search_folded"])


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0001_initial"),
        ("registry", "0008_artisan_version_and_search"),
    ]

    # Backwards: the names stay (a search then finds what the unit branches found).
    operations = [migrations.RunPython(add_place_names, migrations.RunPython.noop)]
