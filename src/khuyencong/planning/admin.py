from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnnualPlan,
    DeadlineExtension,
    PlanItem,
    PlanTransition,
    RegistrationRound,
    RegistrationTransition,
    SupportRegistration,
)


class ExtensionInline(admin.TabularInline[DeadlineExtension, RegistrationRound]):
    model = DeadlineExtension
    extra = 0
    raw_id_fields = ["unit", "granted_by"]


@admin.register(RegistrationRound)
class RegistrationRoundAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "plan_year", "fund", "commune_deadline", "province_deadline"]
    list_filter = ["fund", "plan_year", "is_demo"]
    search_fields = ["title"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [ExtensionInline]


class RegistrationTransitionInline(
    admin.TabularInline[RegistrationTransition, SupportRegistration]
):
    model = RegistrationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_state", "to_state", "actor", "at", "comment"]


@admin.register(SupportRegistration)
class SupportRegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "activity", "establishment", "commune", "status", "total_cost"]
    list_filter = ["status", "round"]
    search_fields = ["activity", "establishment__name"]
    raw_id_fields = ["round", "establishment", "commune", "author"]
    inlines = [RegistrationTransitionInline]


class PlanItemInline(admin.TabularInline[PlanItem, AnnualPlan]):
    model = PlanItem
    extra = 0
    raw_id_fields = ["registration", "establishment", "commune"]
    fields = ["order", "name", "content_group", "total_cost", "support_kcqg", "support_kcdp"]


class PlanTransitionInline(admin.TabularInline[PlanTransition, AnnualPlan]):
    model = PlanTransition
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_state", "to_state", "actor", "at", "comment"]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "unit", "year", "fund", "revision", "status"]
    list_filter = ["fund", "year", "status"]
    raw_id_fields = ["unit", "previous", "created_by"]
    inlines = [PlanItemInline, PlanTransitionInline]
