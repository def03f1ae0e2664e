from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import WorkingDayOverride


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(SimpleHistoryAdmin):
    """Ngày nghỉ, ngày làm bù the government announces after the ``holidays`` library's
    release: entered here by the administrator, read by ``core.workdays`` at once."""

    list_display = ["day", "is_working_day", "reason", "legal_basis"]
    list_filter = ["is_working_day"]
    search_fields = ["reason", "legal_basis"]
    date_hierarchy = "day"
