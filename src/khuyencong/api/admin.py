from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(SimpleHistoryAdmin):
    """Read-only here: clients are issued, rotated and revoked through the services (the
    ``api_client`` command, the administrators' page), which check the policy and log."""

    list_display = ["name", "unit", "role", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["role"]
    search_fields = ["name", "unit__name"]
    readonly_fields = [f.name for f in ApiClient._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
