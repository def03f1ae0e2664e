"""Load the content-group catalogue and the provinces' letterings (data, kept in code)."""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.programs import programme_data as pd

    ContentGroup = apps.get_model("programs", "ContentGroup")
    ContentGroupAlias = apps.get_model("programs", "ContentGroupAlias")
    groups = {}
    for group in pd.CONTENT_GROUPS:
        groups[group.code], _ = ContentGroup.objects.update_or_create(
            code=group.code,
            defaults={"number": group.number, "name": group.name, "short_name": group.short_name},
        )
    for scheme, mapping in pd.GROUP_LABEL_MAPPINGS.items():
        for label, code in mapping.items():
            ContentGroupAlias.objects.update_or_create(
                scheme=scheme, label=label, defaults={"group": groups[code]}
            )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
