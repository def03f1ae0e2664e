"""Link the Sơn La seed lines to the support norms they clearly fall under.

Only lines still named as the seed transcribes them and not yet linked are touched, so a
programme a province has edited keeps its own choices. Fresh loads get the same mapping from
``services.SEED_NORM_CONTENTS``.
"""

from django.db import migrations

CODE = "son-la-2026-2030"
NORM_CONTENTS = {
    1: "mo-hinh-trinh-dien",
    2: "nhan-rong-mo-hinh",
    3: "san-xuat-sach-hon",
    4: "may-moc-thiet-bi",
    5: "day-chuyen-cong-nghe",
    11: "hoi-cho-trong-nuoc",
    13: "ve-may-bay-nuoc-ngoai",
    14: "nhan-hieu",
    15: "tu-van-thiet-ke",
    16: "xu-ly-moi-truong-ccn",
    18: "thanh-lap-doanh-nghiep",
}


def link(apps, schema_editor):
    from khuyencong.programs.seeds import son_la

    ActivityLine = apps.get_model("programs", "ActivityLine")
    names = {line.order: line.name for line in son_la.LINES}
    for line in ActivityLine.objects.filter(
        programme__code=CODE, order__in=NORM_CONTENTS, norm_content__isnull=True
    ):
        if line.name == names.get(line.order):
            line.norm_content_id = NORM_CONTENTS[line.order]
            line.save(update_fields=["norm_content"])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_activityline_norm_content"),
        ("norms", "0002_national_norms"),
    ]
    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
