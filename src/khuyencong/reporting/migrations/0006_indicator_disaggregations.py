"""An indicator declares several breakdowns (phân tổ), not one: ``disaggregations`` is a list.
The default sets' indicators get the breakdowns of the seed; any other keeps its one."""

from typing import Any

from django.db import migrations, models

import khuyencong.reporting.models


def forwards(apps: Any, schema_editor: Any) -> None:
    from khuyencong.reporting import seed

    indicator = apps.get_model("reporting", "Indicator")
    for row in indicator.objects.select_related("indicator_set"):
        default = seed.declared_breakdowns(
            row.indicator_set.code, row.code, row.indicator_set.version
        )
        if default is not None:
            row.disaggregations = list(default)
        else:
            row.disaggregations = [row.disaggregation] if row.disaggregation else []
        row.save(update_fields=["disaggregations"])
    historical = apps.get_model("reporting", "HistoricalIndicator")
    past = list(historical.objects.exclude(disaggregation=""))
    for entry in past:
        entry.disaggregations = [entry.disaggregation]
    historical.objects.bulk_update(past, ["disaggregations"], batch_size=500)


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("reporting", "Indicator")
    for row in indicator.objects.all():
        row.disaggregation = (row.disaggregations or [""])[0]
        row.save(update_fields=["disaggregation"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0005_summary_fresh_index")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="disaggregations",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Chỉ các phân tổ khai báo ở đây được tính, lưu và hiển thị; trống: chỉ tổng số.",
                validators=[khuyencong.reporting.models.validate_disaggregations],
                verbose_name="phân tổ",
            ),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="disaggregations",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Chỉ các phân tổ khai báo ở đây được tính, lưu và hiển thị; trống: chỉ tổng số.",
                validators=[khuyencong.reporting.models.validate_disaggregations],
                verbose_name="phân tổ",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="indicator", name="disaggregation"),
        migrations.RemoveField(model_name="historicalindicator", name="disaggregation"),
    ]
