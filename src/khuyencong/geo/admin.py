from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AdministrativeUnit


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit_type", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "unit_type"]
    search_fields = ["code", "name", "name_folded"]
    readonly_fields = ["path"]
    raw_id_fields = ["parent", "successor"]
