"""The holders' consent to publish, read-only here: it changes only on the consent screen
(``portal.services.set_publication_consent``: policy, version check, activity log)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import PublicationConsent


@admin.register(PublicationConsent)
class PublicationConsentAdmin(SimpleHistoryAdmin):
    list_display = [
        "product",
        "publish",
        "publish_address",
        "publish_phone",
        "publish_email",
        "updated_at",
    ]
    list_filter = ["publish", "publish_address", "publish_phone", "publish_email"]
    search_fields = ["product__name"]
    list_select_related = ["product"]
    readonly_fields = [f.name for f in PublicationConsent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
