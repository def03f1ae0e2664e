from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LevelRule


@admin.register(LevelRule)
class LevelRuleAdmin(SimpleHistoryAdmin):
    """Quy định theo cấp bình chọn: the legal numbers of each level with their basis, and the
    lead time of the holders' report reminders, corrected here by the administrator (a round
    copies its numbers when created; the reminders read the lead time every day)."""

    list_display = [
        "level",
        "effective_from",
        "pass_mark",
        "council_min",
        "council_max",
        "report_due_day",
        "report_due_month",
        "report_reminder_days",
    ]
    list_filter = ["level"]
