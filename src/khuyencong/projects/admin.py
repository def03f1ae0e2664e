from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import CoSignRule, Project


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "fund", "plan_year", "status"]
    list_filter = ["fund", "status", "plan_year"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Project._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # projects are created and changed through the services only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CoSignRule)
class CoSignRuleAdmin(SimpleHistoryAdmin):
    """Ngưỡng đồng ký của Sở Tài chính: legal data kept by the technical administrators, with
    its basis and effective dates (a new threshold is a new row, the old one gets an end)."""

    list_display = ["fund", "stage", "min_amount", "province", "effective_from", "effective_to"]
    list_filter = ["fund", "stage"]
    autocomplete_fields = ["province"]
