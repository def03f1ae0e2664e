"""The round list's count of a commune's sent registrations reads (round, commune, status):
the (round, status) index it replaces served the national count, now kept on the round
(0009). Built before the old one goes, so no moment is without an index on the round."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0001_initial'),
        ('norms', '0003_bounds'),
        ('planning', '0009_round_sent_count'),
        ('programs', '0006_bounds'),
        ('registry', '0009_search_place_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='supportregistration',
            index=models.Index(fields=['round', 'commune', 'status'], name='planning_reg_round_comm'),
        ),
        migrations.RemoveIndex(
            model_name='supportregistration',
            name='planning_su_round_i_4d101a_idx',
        ),
    ]
