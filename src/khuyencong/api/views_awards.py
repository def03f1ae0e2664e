"""/api/v1/awards/: typical-product selection (bình chọn sản phẩm tiêu biểu) read through the
awards app's selectors — rounds read from below, results as the reader may see them (the
result page's own table), products and certificates following the establishment."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.awards.selectors import certificates as certificate_selectors
from khuyencong.awards.selectors import jury as jury_selectors
from khuyencong.awards.selectors import products as product_selectors
from khuyencong.awards.selectors import results as result_selectors
from khuyencong.awards.selectors import rounds as round_selectors

from . import examples, writes_awards
from . import serializers_awards as s
from .filters import EntryFilterSet, ProductFilterSet
from .idempotency import idempotent
from .schema import IDEMPOTENCY_KEY, IF_MATCH
from .views import FIELDS, Filtered, ReadOnly, _pk

READ = extend_schema_view(
    list=extend_schema(parameters=[FIELDS]), retrieve=extend_schema(parameters=[FIELDS])
)


@READ
class SelectionRoundViewSet(ReadOnly):
    """Kỳ bình chọn: của đơn vị mình, các cấp trên và bên dưới (thành viên hội đồng: kỳ mình
    ngồi); kết quả như trang kết quả."""

    resource = "awards"
    lookup_field = "code"
    serializer_class = s.SelectionRoundSerializer
    cursor_ordering = ("-year", "-pk")

    def get_queryset(self) -> QuerySet[Any]:
        return round_selectors.visible_rounds(self.request.user)

    def get_object(self) -> Any:
        return round_selectors.round_for_view(self.request.user, str(self.kwargs["code"])[:64])

    @extend_schema(responses={200: s.ResultRowSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request: Request, code: str) -> Response:
        """Kết quả: điểm trung bình, xếp hạng, đạt hay không, giấy chứng nhận; tổng điểm của
        từng giám khảo khi người đọc được xem phiếu chấm. Trống khi chưa có kết quả người đọc
        được xem."""
        table = result_selectors.result_table(request.user, self.get_object())
        return Response(s.ResultRowSerializer(table.rows, many=True).data)


@READ
class ProductViewSet(Filtered):
    """Sản phẩm của các cơ sở trong phạm vi."""

    resource = "awards"
    serializer_class = s.ProductSerializer
    cursor_ordering = ("name_sort", "pk")
    filterset_class = ProductFilterSet

    def get_object(self) -> Any:
        return product_selectors.product_for_view(self.request.user, _pk(self.kwargs))


@READ
class CertificateViewSet(ReadOnly):
    """Giấy chứng nhận sản phẩm tiêu biểu của các cơ sở trong phạm vi."""

    resource = "awards"
    serializer_class = s.CertificateSerializer
    cursor_ordering = ("-issued_on", "-pk")

    def get_queryset(self) -> QuerySet[Any]:
        return certificate_selectors.visible_certificates(self.request.user)

    def get_object(self) -> Any:
        return result_selectors.certificate_for_view(self.request.user, _pk(self.kwargs))


@READ
class EntryViewSet(Filtered):
    """Hồ sơ tham gia bình chọn của các cơ sở trong phạm vi (như trang hồ sơ); điểm, xếp hạng:
    xem kết quả của kỳ."""

    resource = "awards"
    serializer_class = s.EntrySerializer
    cursor_ordering = ("-pk",)
    filterset_class = EntryFilterSet

    def get_object(self) -> Any:
        return round_selectors.entry_for_view(self.request.user, _pk(self.kwargs))


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]),
    retrieve=extend_schema(parameters=[FIELDS]),
    update=extend_schema(
        request=s.ScoreSheetInput,
        parameters=[IF_MATCH],
        examples=examples.SHEET_SAVE,
    ),
    partial_update=extend_schema(
        request=s.ScoreSheetInput, parameters=[IF_MATCH], examples=examples.SHEET_PATCH
    ),
)
class ScoreSheetViewSet(ReadOnly):
    """Phiếu chấm điểm như chính sách cho xem trên trang phiếu: giám khảo thấy phiếu của
    chính mình (của người khác: 404); sau khi khóa chấm, những vai trò được xem điểm (xã,
    Sở Công Thương, trung ương) đọc phiếu của các kỳ trong phạm vi. Máy khách API đọc như vai
    trò của nó trên web (không bao giờ là giám khảo: không chấm, không mở lại phiếu).

    Giám khảo (đăng nhập) chấm phiếu của mình như trên trang phiếu: PUT gửi cả phiếu, PATCH
    chỉ điều sửa; ``"submit": true`` là nộp phiếu (đủ mọi mục); phiếu đã nộp chỉ sửa được sau
    khi mở lại (``POST …/reopen`` kèm lý do), trước khi ban giám khảo khóa chấm."""

    resource = "awards"
    serializer_class = s.ScoreSheetSerializer
    cursor_ordering = ("-pk",)

    def get_queryset(self) -> QuerySet[Any]:
        return jury_selectors.visible_sheets(self.request.user)

    def get_object(self) -> Any:
        return jury_selectors.sheet_for_view(self.request.user, _pk(self.kwargs))

    def update(self, request: Request, pk: str) -> Response:
        return writes_awards.save_sheet(request, _pk(self.kwargs), partial=False)

    def partial_update(self, request: Request, pk: str) -> Response:
        return writes_awards.save_sheet(request, _pk(self.kwargs), partial=True)

    @extend_schema(
        request=s.ReopenInput,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: s.ScoreSheetSerializer},
        examples=examples.SHEET_REOPEN,
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def reopen(self, request: Request, pk: str) -> Response:
        """Mở lại phiếu đã nộp để sửa (trước khi khóa chấm; lý do được ghi nhật ký)."""
        return writes_awards.reopen_sheet(request, _pk(self.kwargs))
