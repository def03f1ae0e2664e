"""The read side of /api/v1/: thin views over the apps' selectors (scoped by the policy)."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from khuyencong.accounts import policy
from khuyencong.core import http
from khuyencong.core import views as core_views
from khuyencong.programs import selectors as programme_selectors
from khuyencong.projects import selectors as project_selectors
from khuyencong.registry import selectors as registry_selectors

from . import examples, feed, filters, problems, serializers, writes
from .etags import with_etag
from .idempotency import idempotent
from .schema import IDEMPOTENCY_KEY, IF_MATCH

API_ROOT = "/api/v1/"
FIELDS = OpenApiParameter(
    "fields", str, description="Chỉ trả các trường này, cách nhau bởi dấu phẩy (id,name,…)."
)


def _text(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, description=description)


def _pk(kwargs: dict[str, Any]) -> int:
    """The id in the URL: a number of at most 18 digits, else no such object."""
    value = str(kwargs.get("pk", ""))
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    """A scoped list (cursor pages) and one object with its ``ETag``."""

    resource = ""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        return with_etag(Response(self.get_serializer(obj).data), obj)


class Filtered(ReadOnly):
    """A list filtered as its web page (``api.filters``): the FilterSet checks the parameters,
    its selector scopes and filters; unfiltered, the same selector is the queryset."""

    filter_backends = [DjangoFilterBackend]
    filterset_class: type[filters.SelectorFilterSet]

    def get_queryset(self) -> QuerySet[Any]:
        return self.filterset_class.select(self.request.user, {})


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]), retrieve=extend_schema(parameters=[FIELDS])
)
class UnitViewSet(ReadOnly):
    """Đơn vị hành chính trong phạm vi của người dùng (hoặc máy khách)."""

    resource = "units"
    serializer_class = serializers.UnitSerializer
    cursor_ordering = ("pk",)

    def get_queryset(self) -> QuerySet[Any]:
        return policy.visible_units(self.request.user).select_related("parent")


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]), retrieve=extend_schema(parameters=[FIELDS])
)
class ProgrammeViewSet(Filtered):
    """Chương trình khuyến công: của đơn vị mình và các cấp trên (bộ lọc như trang danh sách
    chương trình); chi tiết có dòng nội dung, ô năm × nguồn và chỉ tiêu."""

    resource = "programmes"
    lookup_field = "code"
    cursor_ordering = ("pk",)
    filterset_class = filters.ProgrammeFilterSet

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.ProgrammeDetailSerializer
        return serializers.ProgrammeSerializer

    def get_object(self) -> Any:
        return programme_selectors.programme_for_view(self.request.user, self.kwargs["code"])


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]),
    retrieve=extend_schema(parameters=[FIELDS]),
    create=extend_schema(
        request=serializers.EstablishmentInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.EstablishmentSerializer},
        examples=examples.ESTABLISHMENT_CREATE,
    ),
    update=extend_schema(request=serializers.EstablishmentInput, parameters=[IF_MATCH]),
    partial_update=extend_schema(request=serializers.EstablishmentInput, parameters=[IF_MATCH]),
)
class EstablishmentViewSet(Filtered, viewsets.GenericViewSet):
    """Cơ sở công nghiệp nông thôn trong phạm vi (bộ lọc như trang danh sách cơ sở)."""

    resource = "establishments"
    serializer_class = serializers.EstablishmentSerializer
    cursor_ordering = ("name_sort", "pk")
    filterset_class = filters.EstablishmentFilterSet

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.EstablishmentDetailSerializer
        return serializers.EstablishmentSerializer

    def get_object(self) -> Any:
        return registry_selectors.establishment_for_view(self.request.user, _pk(self.kwargs))

    @idempotent
    def create(self, request: Request) -> Response:
        return writes.ESTABLISHMENTS.create_from(request)

    def update(self, request: Request, pk: str) -> Response:
        return writes.ESTABLISHMENTS.update_from(request, self.get_object())

    def partial_update(self, request: Request, pk: str) -> Response:
        return writes.ESTABLISHMENTS.update_from(request, self.get_object())


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]),
    retrieve=extend_schema(parameters=[FIELDS]),
    create=extend_schema(
        request=serializers.ArtisanInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.ArtisanSerializer},
        examples=examples.ARTISAN_CREATE,
    ),
    update=extend_schema(request=serializers.ArtisanInput, parameters=[IF_MATCH]),
    partial_update=extend_schema(
        request=serializers.ArtisanInput, parameters=[IF_MATCH], examples=examples.ARTISAN_PATCH
    ),
)
class ArtisanViewSet(Filtered, viewsets.GenericViewSet):
    """Nghệ nhân trong phạm vi (bộ lọc như trang danh sách nghệ nhân). Ai sửa được cơ sở thì
    thêm, sửa được nghệ nhân (cùng phạm vi quyền ``establishments`` của máy khách)."""

    # An artisan is part of the establishment's record (read nested in it): the same client
    # scopes, so a client that may read establishments never half-reads them.
    resource = "establishments"
    serializer_class = serializers.ArtisanSerializer
    cursor_ordering = ("name_sort", "pk")
    filterset_class = filters.ArtisanFilterSet

    def get_object(self) -> Any:
        return registry_selectors.artisan_for_view(self.request.user, _pk(self.kwargs))

    @idempotent
    def create(self, request: Request) -> Response:
        return writes.ARTISANS.create_from(request)

    def update(self, request: Request, pk: str) -> Response:
        return writes.ARTISANS.update_from(request, self.get_object())

    def partial_update(self, request: Request, pk: str) -> Response:
        return writes.ARTISANS.update_from(request, self.get_object())


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS]), retrieve=extend_schema(parameters=[FIELDS])
)
class ProjectViewSet(Filtered):
    """Đề án khuyến công trong phạm vi (cơ sở thụ hưởng: đề án của cơ sở mình)."""

    resource = "projects"
    serializer_class = serializers.ProjectSerializer
    cursor_ordering = ("-updated_at", "-pk")
    filterset_class = filters.ProjectFilterSet

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.ProjectDetailSerializer
        return serializers.ProjectSerializer

    def get_object(self) -> Any:
        return project_selectors.project_page(self.request.user, _pk(self.kwargs))

    @extend_schema(
        request=serializers.StepInput,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: serializers.StepOutcome},
        examples=examples.TRANSITION,
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<step>[a-z0-9-]{1,64})")
    @idempotent
    def transitions(self, request: Request, pk: str, step: str) -> Response:
        """Một bước của đề án (trình, thẩm định, phê duyệt…): cùng kiểm tra và thông báo như
        trang đề án; trường của bước như biểu mẫu bước trên trang."""
        return writes.transition_project(request, _pk(self.kwargs), step)

    @extend_schema(responses={200: serializers.SignOffSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def signoffs(self, request: Request, pk: str) -> Response:
        """Ý kiến, chữ ký của các cơ quan ở các bước (cơ sở thụ hưởng không xem: nội bộ)."""
        project = self.get_object()
        return Response(serializers.SignOffSerializer(project.signoffs.all(), many=True).data)

    @extend_schema(responses={200: serializers.DisbursementSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def disbursements(self, request: Request, pk: str) -> Response:
        """Tạm ứng và thanh toán của đề án, theo ngày chi (số tiền: đồng)."""
        project = self.get_object()
        rows = sorted(
            [*_disbursements(project.advances.all()), *_disbursements(project.payments.all())],
            key=lambda row: (row["paid_on"], row["kind"], row["id"]),
        )
        return Response(serializers.DisbursementSerializer(rows, many=True).data)

    @extend_schema(responses={200: serializers.DocumentSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def documents(self, request: Request, pk: str) -> Response:
        """Tài liệu đính kèm mà người dùng được đọc, mỗi tệp có đường dẫn tải."""
        project = self.get_object()
        return Response(serializers.DocumentSerializer(project.attachments.all(), many=True).data)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        parameters=[OpenApiParameter("document", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        url_path=r"documents/(?P<document>[0-9]{1,18})/file",
        url_name="document-file",
    )
    def document_file(self, request: Request, pk: str, document: str) -> FileResponse:
        """Tải một tệp đính kèm (cùng kiểm tra phạm vi như trang đề án)."""
        found = project_selectors.attachment_for_download(
            request.user, _pk(self.kwargs), int(document)
        )
        return http.stored_file(found.file, found.original_name, found.content_type)


def _disbursements(rows: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": "payment" if hasattr(row, "cosign_status") else "advance",
            "id": row.pk,
            "fund": row.fund,
            "amount": row.amount,
            "paid_on": row.paid_on,
            "note": row.note,
            "stage": getattr(row, "stage", ""),
            "cosign_status": getattr(row, "cosign_status", ""),
            "disbursed": getattr(row, "is_disbursed", True),
        }
        for row in rows
    ]


class ChangeFeedView(APIView):
    """Luồng thay đổi: cơ sở (hoặc đề án, nghệ nhân) được thêm, sửa, xóa trong phạm vi, hoặc
    chuyển ra khỏi phạm vi (moved_out: hãy xóa bản sao), theo thứ tự; đọc tiếp bằng ``since`` =
    ``cursor`` của trang trước (đồng bộ lại từ đầu: since=0)."""

    resource = "changes"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "resource",
                str,
                enum=list(feed.FEEDS),
                description="Loại đối tượng (mặc định establishments); mỗi loại một con trỏ.",
            ),
            OpenApiParameter(
                "since",
                {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
                description="Con trỏ đã đọc đến (0: từ đầu).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
                description=f"Số mục tối đa (trên {feed.MAX_LIMIT} thì lấy {feed.MAX_LIMIT}).",
            ),
        ],
        responses={200: serializers.ChangePage},
        examples=examples.CHANGES,
    )
    def get(self, request: Request) -> Response:
        since, limit = _number(request, "since", 0), _number(request, "limit", 500)
        resource = request.query_params.get("resource", "establishments")
        if resource not in feed.FEEDS:
            raise ValidationError(
                {"resource": [_("Chọn một trong: %(known)s.") % {"known": ", ".join(feed.FEEDS)}]}
            )
        entries = feed.changes(request.user, resource=resource, since=since, limit=limit)
        cursor = entries[-1].cursor if entries else since
        more = len(entries) >= max(1, min(limit, feed.MAX_LIMIT))
        url = request.build_absolute_uri(request.path)
        page = {
            # One serializer for the page (one per entry costs 90% of a page of 1,000).
            "results": serializers.ChangeSerializer(entries, many=True).data,
            "cursor": cursor,
            "next": f"{url}?resource={resource}&since={cursor}&limit={limit}" if more else None,
        }
        return Response(page)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 404: under /api/v1/ a problem+json (a client reads no HTML page), elsewhere
    the web's page."""
    if not request.path.startswith(API_ROOT):
        return core_views.page_not_found(request, exception)
    detail = _("Không có địa chỉ %(path)s trong API: xem danh sách tại %(schema)s.") % {
        "path": request.path[:200],
        "schema": f"{API_ROOT}schema/",
    }
    return JsonResponse(problems.body(404, detail), status=404, content_type=problems.PROBLEM_JSON)


def _number(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name, "")
    if not value:
        return default
    if not value.isdigit() or len(value) > 18:
        raise ValidationError({name: [_("Phải là một số nguyên không âm.")]})
    return int(value)


# Swagger UI and Redoc build their page with inline styles (Redoc's styled-components insert
# <style> elements, Swagger UI styles elements as it draws them): these two pages, and only
# they, allow inline *styles*. Scripts stay 'self' only (the split view serves Swagger's init
# script as a file; our Redoc page has no inline script), and nothing comes from a CDN.
DOCS_CSP = {"style-src": ["'unsafe-inline'"]}


@method_decorator(csp_update(DOCS_CSP), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    pass


@method_decorator(csp_update(DOCS_CSP), name="dispatch")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
