"""Schedules and indicator sets are data kept by the system administrator here; reports are
read-only (they move only through the services: policy, locking, snapshots)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Disaggregation,
    Indicator,
    IndicatorSet,
    Report,
    Schedule,
    ScheduleException,
    TargetKeyAlias,
)


class IndicatorForm(forms.ModelForm[Indicator]):
    """The breakdowns as check boxes (stored as a list); ``Indicator.clean`` refuses one the
    indicator's computation cannot give."""

    disaggregations = forms.MultipleChoiceField(
        label=_("phân tổ"),
        choices=Disaggregation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "label",
            "unit_of_measure",
            "order",
            "rule",
            "source",
            "computation",
            "disaggregations",
            "target_key",
            "is_money",
        ]


class IndicatorInline(admin.TabularInline[Indicator, IndicatorSet]):
    model = Indicator
    form = IndicatorForm
    extra = 0


@admin.register(IndicatorSet)
class IndicatorSetAdmin(SimpleHistoryAdmin):
    list_display = ["code", "version", "name", "reporter", "province", "valid_from_year"]
    list_filter = ["reporter"]
    inlines = [IndicatorInline]


@admin.register(TargetKeyAlias)
class TargetKeyAliasAdmin(SimpleHistoryAdmin):
    """A province's own key of a national target (checked by ``programme check``)."""

    list_display = ["key", "target_key", "note"]
    search_fields = ["key", "target_key"]


@admin.register(Schedule)
class ScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "reporter", "period_kind", "due_day", "province", "is_active"]
    list_filter = ["reporter", "period_kind", "is_active"]


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(SimpleHistoryAdmin):
    """Read-only: extensions are granted on /bao-cao/gia-han/ (policy, who granted it)."""

    list_display = ["schedule", "unit", "period", "due_until", "lock_until", "granted_by"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    """Read-only: a report moves only through its lifecycle (``services.transition``)."""

    list_display = ["unit", "schedule", "period", "status", "due_on", "submitted_at"]
    list_filter = ["status", "period"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
