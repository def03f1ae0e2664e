from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed"]
    list_filter = ["kind", "emailed"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient", "unit"]
    date_hierarchy = "created_at"
