"""Giải ngân kept on the project (issue 11: the national roll-up as one scan of projects):
``disbursed_kcqg`` / ``disbursed_kcdp``, backfilled from the advances and the payments that
count as disbursed (no co-signature needed, or co-signed), as ``projects.kept_money`` keeps
them from now on."""

from django.db import migrations, models
from django.db.models import BigIntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

# cosign.DISBURSED when this migration was written (NOT_REQUIRED, COSIGNED).
DISBURSED = ["", "da-dong-ky"]


def _sum(model, fund, **extra):
    rows = model.objects.filter(project=OuterRef("pk"), fund=fund, **extra)
    total = rows.order_by().values("project").annotate(total=Sum("amount")).values("total")[:1]
    return Coalesce(
        Subquery(total, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField()
    )


def backfill(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Advance = apps.get_model("projects", "Advance")
    Payment = apps.get_model("projects", "Payment")
    paid = Project.objects.filter(pk__in=Advance.objects.values("project")) | Project.objects.filter(
        pk__in=Payment.objects.values("project")
    )
    paid.update(
        **{
            f"disbursed_{fund.lower()}": _sum(Advance, fund)
            + _sum(Payment, fund, cosign_status__in=DISBURSED)
            for fund in ("KCQG", "KCDP")
        }
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_title_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="disbursed_kcdp",
            field=models.BigIntegerField(default=0, verbose_name="KCĐP đã giải ngân (đồng)"),
        ),
        migrations.AddField(
            model_name="project",
            name="disbursed_kcqg",
            field=models.BigIntegerField(default=0, verbose_name="KCQG đã giải ngân (đồng)"),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(("disbursed_kcqg__gte", 0), ("disbursed_kcqg__lte", 999999999999999)),
                name="projects_project_disbursed_kcqg_bound",
            ),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(("disbursed_kcdp__gte", 0), ("disbursed_kcdp__lte", 999999999999999)),
                name="projects_project_disbursed_kcdp_bound",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
