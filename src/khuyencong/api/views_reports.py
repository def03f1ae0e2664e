"""/api/v1/reports: periodic reports (báo cáo định kỳ) up the hierarchy, read through the
reporting app's selectors — a unit's report is read by its unit and every level above; roles
without reports (an establishment, a council member) get 403 with the policy's reason."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.accounts import policy
from khuyencong.reporting import dashboard
from khuyencong.reporting import selectors as report_selectors
from khuyencong.reporting.models import Report
from khuyencong.reporting.periods import Period, PeriodError

from . import examples, filters
from .serializers import PickFields, UnitRef
from .views import FIELDS, Filtered, _pk


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


class FigureSerializer(serializers.Serializer):
    """A figure: ``value`` as shown (a ratio as %), its numerator and, for a ratio, the
    denominator."""

    value = serializers.DecimalField(max_digits=30, decimal_places=1, allow_null=True)
    numerator = serializers.DecimalField(max_digits=30, decimal_places=4)
    denominator = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True)


class CellSerializer(serializers.Serializer):
    reported = FigureSerializer(allow_null=True, help_text="Từ các báo cáo đã được chấp nhận.")
    live = FigureSerializer(allow_null=True, help_text="Từ dữ liệu hệ thống (trực tiếp).")


class RollupKeySerializer(CellSerializer):
    key = serializers.CharField(help_text="Phân tổ.")


class RollupUnitSerializer(CellSerializer):
    unit = serializers.CharField(source="unit.code", help_text="Mã đơn vị cấp dưới.")
    name = serializers.CharField(source="unit.name")


class RollupIndicatorSerializer(CellSerializer):
    code = serializers.CharField(source="indicator.code")
    label = serializers.CharField(source="indicator.label")
    unit_of_measure = serializers.CharField(source="indicator.unit_of_measure")
    target = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True)
    keys = RollupKeySerializer(many=True)
    units = RollupUnitSerializer(many=True, help_text="Từng đơn vị cấp dưới (tổng).")


class RollupSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.code")
    period_label = serializers.CharField(source="period.label")
    area = serializers.CharField(source="area.code", help_text="Đơn vị được tổng hợp.")
    area_name = serializers.CharField(source="area.name")
    refreshed = serializers.DateTimeField(
        allow_null=True, help_text="Lần làm mới số liệu tổng hợp gần nhất (null: chưa có)."
    )
    reports_expected = serializers.IntegerField(source="expected")
    reports_submitted = serializers.IntegerField(source="submitted")
    reports_on_time = serializers.IntegerField(source="on_time")
    indicators = RollupIndicatorSerializer(many=True)


def _rollup(board: dashboard.Board) -> dict[str, Any]:
    """The dashboard page's figures as data: per indicator the area's cell, its breakdowns
    and each lower unit's total (``dashboard.indicator_rows`` / ``by_unit``)."""
    indicators = [
        {
            "indicator": row.indicator,
            "target": row.target,
            **_cell(row.cell),
            "keys": [{"key": key, **_cell(cell)} for key, cell in row.keys],
            "units": [
                {"unit": unit, **_cell(cell)}
                for unit, cell in dashboard.by_unit(board, row.indicator.code)
            ],
        }
        for row in dashboard.indicator_rows(board)
    ]
    return {**vars(board), "indicators": indicators}


def _cell(cell: dashboard.Cell) -> dict[str, Any]:
    return {"reported": cell.reported, "live": cell.live}


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]), retrieve=extend_schema(parameters=[FIELDS])
)
class ReportViewSet(Filtered):
    """Báo cáo định kỳ của đơn vị mình và các đơn vị bên dưới; chi tiết có số liệu từng chỉ
    tiêu (tổng và các phân tổ)."""

    resource = "reports"
    cursor_ordering = ("-period", "-pk")
    filterset_class = filters.ReportFilterSet

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return ReportDetailSerializer
        return ReportSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        decision = policy.can(request.user, policy.Action.VIEW_REPORTS)
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().list(request, *args, **kwargs)

    def get_object(self) -> Any:
        return report_selectors.report_for_view(self.request.user, _pk(self.kwargs))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ky",
                {"type": "string", "maxLength": 8},
                description="Kỳ: năm (2026), nửa năm (2026-H1) hoặc quý (2026-Q3); mặc định "
                f"{dashboard.DEFAULT_PERIOD}.",
            ),
            OpenApiParameter(
                "don_vi",
                {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
                description="Mã (id) một đơn vị trong phạm vi (mặc định: phạm vi của bạn).",
            ),
        ],
        responses={200: RollupSerializer},
        examples=examples.ROLLUP,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def rollup(self, request: Request) -> Response:
        """Tổng hợp số liệu (như trang Tổng hợp) cho phạm vi của người gọi: cấp trung ương
        thấy cả nước và từng tỉnh, một tỉnh chỉ tỉnh mình và các xã; theo từng chỉ tiêu: số
        từ báo cáo đã chấp nhận và số trực tiếp, chỉ tiêu kế hoạch, phân tổ."""
        try:
            Period.parse(request.query_params.get("ky", dashboard.DEFAULT_PERIOD))
        except PeriodError as refused:
            raise ValidationError({"ky": [str(refused)]}) from refused
        unit = request.query_params.get("don_vi", "")
        if unit and (not unit.isdigit() or len(unit) > 18):
            raise ValidationError({"don_vi": [_("Phải là một số nguyên.")]})
        if unit and int(unit) < 1:
            raise ValidationError(
                {"don_vi": [_("Phải từ %(limit_value)s trở lên.") % {"limit_value": 1}]}
            )
        choice = dashboard.choose(request.user, request.query_params)
        board = dashboard.board(choice.area, choice.period, choice.indicators)
        return Response(RollupSerializer(_rollup(board)).data)
