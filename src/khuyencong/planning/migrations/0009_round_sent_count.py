"""Sent registrations kept on the round (issue 11: the round list reads a column instead of
counting each round's registrations): ``sent_count``, filled from the registrations in any
state but the draft, as ``planning.kept_counts`` keeps it from now on."""

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

# RegistrationStatus.DRAFT when this migration was written: every other state is "sent".
DRAFT = "nhap"


def backfill(apps, schema_editor):
    RegistrationRound = apps.get_model("planning", "RegistrationRound")
    SupportRegistration = apps.get_model("planning", "SupportRegistration")
    sent = (
        SupportRegistration.objects.filter(round=OuterRef("pk"))
        .exclude(status=DRAFT)
        .order_by()
        .values("round")
        .annotate(n=Count("*"))
        .values("n")
    )
    RegistrationRound.objects.filter(
        pk__in=SupportRegistration.objects.exclude(status=DRAFT).values("round")
    ).update(sent_count=Coalesce(Subquery(sent, output_field=IntegerField()), Value(0)))


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0008_registration_commune_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="registrationround",
            name="sent_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="số phiếu đã gửi"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
