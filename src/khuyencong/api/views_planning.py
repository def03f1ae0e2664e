"""/api/v1/ reads of planning and norms: registration rounds, registrations, annual plans (the
planning app's selectors, scoped by the policy), the norm table and the support-limit
calculator (the same ``norms.selectors.support_limit`` as the calculator page)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from khuyencong.core import bounds
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.norms import rules as norm_rules
from khuyencong.norms import selectors as norm_selectors
from khuyencong.norms.models import SupportNorm
from khuyencong.planning import selectors as planning_selectors

from . import examples, filters, serializers, writes_planning
from .idempotency import idempotent
from .schema import IDEMPOTENCY_KEY, IF_MATCH
from .views import FIELDS, Filtered, ReadOnly, _pk


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]), retrieve=extend_schema(parameters=[FIELDS])
)
class RoundViewSet(ReadOnly):
    """Đợt đăng ký nhu cầu hỗ trợ: của đơn vị mình, các cấp trên và các đơn vị bên dưới."""

    resource = "registrations"
    serializer_class = serializers.RoundSerializer
    cursor_ordering = ("-plan_year", "-pk")

    def get_queryset(self) -> QuerySet[Any]:
        return planning_selectors.visible_rounds(self.request.user).prefetch_related(
            "content_groups"
        )

    def get_object(self) -> Any:
        return planning_selectors.round_for_view(self.request.user, _pk(self.kwargs))


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]),
    retrieve=extend_schema(parameters=[FIELDS]),
    create=extend_schema(
        request=serializers.RegistrationInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.RegistrationSerializer},
    ),
)
class RegistrationViewSet(Filtered):
    """Phiếu đăng ký nhu cầu hỗ trợ trong phạm vi (bộ lọc như trang danh sách phiếu)."""

    resource = "registrations"
    serializer_class = serializers.RegistrationSerializer
    cursor_ordering = ("-updated_at", "-pk")
    filterset_class = filters.RegistrationFilterSet

    def get_object(self) -> Any:
        return planning_selectors.registration_for_view(self.request.user, _pk(self.kwargs))

    @idempotent
    def create(self, request: Request) -> Response:
        """Lập phiếu (nháp) như trang lập phiếu: cùng kiểm tra, cùng thông báo."""
        return writes_planning.create_registration(request)

    @extend_schema(
        request=serializers.StepInput,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: serializers.RegistrationSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<step>[a-z0-9-]{1,64})")
    @idempotent
    def transitions(self, request: Request, pk: str, step: str) -> Response:
        """Một bước của phiếu (gui, tra-lai, gui-lai, chap-nhan, tu-choi) như trang phiếu."""
        return writes_planning.transition_registration(request, _pk(self.kwargs), step)


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]), retrieve=extend_schema(parameters=[FIELDS])
)
class PlanViewSet(Filtered):
    """Kế hoạch khuyến công năm của các tỉnh trong phạm vi; chi tiết có các đề án của kế hoạch."""

    resource = "plans"
    cursor_ordering = ("-year", "-pk")
    filterset_class = filters.PlanFilterSet

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.PlanDetailSerializer
        return serializers.PlanSerializer

    def get_object(self) -> Any:
        return planning_selectors.plan_for_view(self.request.user, _pk(self.kwargs))


@extend_schema_view(list=extend_schema(parameters=[FIELDS]))
class NormViewSet(viewsets.GenericViewSet):
    """Bảng định mức hỗ trợ (dữ liệu pháp lý công khai: mọi người dùng đều đọc), đánh dấu
    định mức đang áp dụng hôm nay."""

    resource = "norms"
    serializer_class = serializers.NormSerializer
    pagination_class = None
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.NormFilterSet
    queryset = SupportNorm.objects.none()  # (the schema's filters read its model)

    def list(self, request: Request) -> Response:
        values = filters.NormFilterSet.values(request)
        rows = norm_selectors.norm_table(
            on=timezone.localdate(),
            content=values.get("noi_dung", ""),
            fund=values.get("nguon", ""),
        )
        statuses = {row.norm.pk: row.status for row in rows}
        context = {**self.get_serializer_context(), "statuses": statuses}
        data = serializers.NormSerializer([row.norm for row in rows], many=True, context=context)
        return Response(data.data)


class SupportLimitView(APIView):
    """Tính mức hỗ trợ tối đa: cùng quy tắc và cùng câu giải thích như trang tính định mức.
    Chỉ tính, không ghi gì (phạm vi quyền norms:read)."""

    resource = "norms"
    read_only_post = True

    @extend_schema(
        request=serializers.SupportLimitInput,
        responses={200: serializers.SupportLimitOutput},
        examples=examples.SUPPORT_LIMIT,
    )
    def post(self, request: Request) -> Response:
        asked = serializers.SupportLimitInput(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        try:
            bounds.MONEY.check(data["eligible_cost"], _("Chi phí hợp lý cho một đơn vị hỗ trợ"))
        except bounds.OutOfBounds as exc:
            raise ValidationError({"eligible_cost": [str(exc)]}) from None
        if not norm_selectors.content_exists(data["content"]):
            raise ValidationError({"content": [_("Không có nội dung hỗ trợ mã này.")]})
        province = _province(data.get("province", ""))
        on = data.get("on") or timezone.localdate()
        result = norm_selectors.support_limit(
            content=data["content"],
            fund=data["fund"],
            eligible_cost=data["eligible_cost"],
            on=on,
            province=province,
            priority=data["priority"],
        )
        if result is None:
            raise ValidationError(
                {"content": [_("Không có định mức nào áp dụng cho nội dung, nguồn và ngày này.")]}
            )
        ceiling = norm_selectors.advance_ceiling(
            content=data["content"], fund=data["fund"], on=on, province=province
        )
        answer = {
            "maximum": result.maximum,
            "norm": result.norm_id,
            "legal_basis": result.legal_basis,
            "sentence": result.sentence,
            "needs_verification": result.needs_verification,
            "advance_ceiling": ceiling,
            "advance_maximum": norm_rules.floor_dong(result.maximum * ceiling),
            "on": on,
        }
        return Response(serializers.SupportLimitOutput(answer).data)


def _province(code: str) -> AdministrativeUnit | None:
    if not code:
        return None
    found = AdministrativeUnit.objects.current().filter(code=code, level=UnitLevel.PROVINCE).first()
    if found is None:
        raise ValidationError({"province": [_("Không có tỉnh, thành phố mã này.")]})
    return found
