"""The content catalogue and the national rates of DOMAIN.md §4 (KCQG, in force 15/5/2018).

The data lives in ``khuyencong.norms.seed`` (pure data, also used by
``services.load_national_norms``). Only these rows are seeded: a later rate is a new row with a
later ``effective_from``, added by the system administrator.
"""

import django.utils.timezone
from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.norms import seed

    ContentGroup = apps.get_model("programs", "ContentGroup")
    NormContent = apps.get_model("norms", "NormContent")
    SupportNorm = apps.get_model("norms", "SupportNorm")
    HistoricalSupportNorm = apps.get_model("norms", "HistoricalSupportNorm")
    groups = {g.code: g for g in ContentGroup.objects.all()}
    contents = {}
    for code, name, group, order in seed.CONTENTS:
        contents[code], _ = NormContent.objects.update_or_create(
            code=code, defaults={"name": name, "group": groups.get(group), "order": order}
        )
    now = django.utils.timezone.now()
    for code, values in seed.national_rows():
        norm, created = SupportNorm.objects.get_or_create(
            content=contents[code],
            fund="KCQG",
            jurisdiction=None,
            effective_from=seed.IN_FORCE,
            defaults=values,
        )
        if created:
            # The first version in the history page (signals do not run in migrations).
            HistoricalSupportNorm.objects.create(
                **{
                    field.attname: getattr(norm, field.attname)
                    for field in SupportNorm._meta.concrete_fields
                },
                history_date=now,
                history_type="+",
                history_change_reason=seed.CHANGE_REASON,
            )


class Migration(migrations.Migration):
    dependencies = [("norms", "0001_initial"), ("programs", "0002_content_groups")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
