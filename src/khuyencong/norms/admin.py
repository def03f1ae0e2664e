from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import NormContent, SupportNorm


@admin.register(NormContent)
class NormContentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "group", "order"]
    list_filter = ["group"]
    search_fields = ["code", "name"]


@admin.register(SupportNorm)
class SupportNormAdmin(SimpleHistoryAdmin):
    """Read-only here: rows are edited on /dinh-muc/ (policy, locking, activity log)."""

    list_display = ["content", "fund", "jurisdiction", "max_percent", "cap_per_unit"]
    list_filter = ["fund", "needs_verification"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
