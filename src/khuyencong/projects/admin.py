from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Project


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
