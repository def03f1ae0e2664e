from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import kept_counts
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

    # An edit here may change a registration's state or round, a deletion remove a sent one:
    # the rounds' kept counts move with it (``kept_counts``), from the row as it is in the
    # database (locked), not as the form read it. Reverting to a past version comes here too.
    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = (
            SupportRegistration.objects.select_for_update()
            .filter(pk=obj.pk)
            .values_list("round_id", "status")
            .first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        kept_counts.moved(before, (obj.round_id, obj.status))

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        kept_counts.removed(SupportRegistration.objects.select_for_update().filter(pk=obj.pk))
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        kept_counts.removed(queryset.select_for_update())
        super().delete_queryset(request, queryset)


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
