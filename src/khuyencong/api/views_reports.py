"""/api/v1/reports: periodic reports (báo cáo định kỳ) up the hierarchy, read through the
reporting app's selectors — a unit's report is read by its unit and every level above; roles
without reports (an establishment, a council member) get 403 with the policy's reason."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.accounts import policy
from khuyencong.reporting import selectors as report_selectors
from khuyencong.reporting.models import Report, ReportStatus

from .serializers import PickFields, UnitRef
from .views import FIELDS, ReadOnly, _pk, _text


class ReportSerializer(PickFields):
    unit = UnitRef()
    schedule = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "unit",
            "schedule",
            "period",
            "status",
            "due_on",
            "lock_on",
            "cutoff_on",
            "narrative",
            "submitted_at",
            "last_submitted_at",
            "accepted_at",
            "version",
            "updated_at",
        ]


class ReportFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Phân tổ (trống: tổng).")
    value = serializers.DecimalField(
        max_digits=30, decimal_places=1, allow_null=True, help_text="Số liệu (tỷ lệ: %)."
    )


class ReportLineSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    label = serializers.CharField(source="indicator.label")
    unit_of_measure = serializers.CharField(source="indicator.unit_of_measure")
    figures = serializers.SerializerMethodField()
    notes = serializers.CharField()

    @extend_schema_field(ReportFigureSerializer(many=True))
    def get_figures(self, line: Any) -> list[dict[str, Any]]:
        found = []
        for key in ["", *line.keys]:
            total = line.total(key)
            if total is not None:
                found.append({"key": key, "value": total.value})
        return ReportFigureSerializer(found, many=True).data


class ReportDetailSerializer(ReportSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "lines"]

    @extend_schema_field(ReportLineSerializer(many=True))
    def get_lines(self, report: Report) -> list[dict[str, Any]]:
        return ReportLineSerializer(report_selectors.lines(report), many=True).data


@extend_schema_view(
    list=extend_schema(
        parameters=[
            FIELDS,
            _text("ky", "Kỳ báo cáo (2026-H1, 2026 …)."),
            _text("trang_thai", "Trạng thái báo cáo."),
        ]
    ),
    retrieve=extend_schema(parameters=[FIELDS]),
)
class ReportViewSet(ReadOnly):
    """Báo cáo định kỳ của đơn vị mình và các đơn vị bên dưới; chi tiết có số liệu từng chỉ
    tiêu (tổng và các phân tổ)."""

    resource = "reports"
    cursor_ordering = ("-period", "-pk")

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return ReportDetailSerializer
        return ReportSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        decision = policy.can(request.user, policy.Action.VIEW_REPORTS)
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        params = self.request.query_params
        status = params.get("trang_thai", "")
        return report_selectors.reports(
            self.request.user,
            period=params.get("ky", "")[:8],
            status=status if status in ReportStatus.values else "",
        )

    def get_object(self) -> Any:
        return report_selectors.report_for_view(self.request.user, _pk(self.kwargs))
