"""``POST /api/v1/establishments/import``: the web's establishment import over the API — the
same file (.xlsx or .csv, the template of the import page), the same checks and row errors
(row numbers as the spreadsheet shows them), all or nothing; ``dry_run=true`` checks only."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from khuyencong.accounts import policy
from khuyencong.registry import services as registry_services

from . import problems
from .filters import YesNoField
from .parsers import SpreadsheetParser


class ImportRowError(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Số dòng như trong bảng tính.")
    column = serializers.CharField(allow_null=True, help_text="Tên cột của mẫu.")
    message = serializers.CharField()


class ImportOutcomeSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    total_rows = serializers.IntegerField()
    imported = serializers.IntegerField(help_text="Số cơ sở đã nhập (0 khi thử hoặc có lỗi).")
    would_import = serializers.IntegerField(help_text="Khi thử: số cơ sở sẽ được nhập.")
    row_errors = ImportRowError(many=True, help_text="Lỗi theo dòng, như trang nhập.")


class EstablishmentImportView(APIView):
    """Nhập danh sách cơ sở từ tệp .xlsx/.csv (mẫu của trang nhập): kiểm tra mọi dòng; chỉ
    khi không dòng nào có lỗi mới nhập, tất cả một lần. Có lỗi: 400 với danh sách lỗi theo
    dòng và cột, không nhập gì."""

    resource = "establishments"
    parser_classes = [SpreadsheetParser]

    @extend_schema(
        request={"text/csv": OpenApiTypes.BINARY, "application/octet-stream": OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter(
                "dry_run", OpenApiTypes.BOOL, description="true: chỉ kiểm tra, không lưu."
            ),
            OpenApiParameter("filename", str, description="Tên tệp (ghi vào nhật ký)."),
        ],
        responses={200: ImportOutcomeSerializer, 201: ImportOutcomeSerializer},
    )
    def post(self, request: Request) -> Response:
        decision = policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT)
        if not decision:  # before the file is read, as the import page
            raise PermissionDenied(decision.reason)
        dry_run = _dry_run(request)
        outcome = registry_services.import_establishments(
            actor=request.user,
            content=request.data.get("content", b""),
            filename=request.query_params.get("filename", "")[:100],
            dry_run=dry_run,
        )
        body = ImportOutcomeSerializer(
            {
                "dry_run": dry_run,
                "total_rows": outcome.total_rows,
                "imported": outcome.imported,
                "would_import": outcome.would_import,
                "row_errors": [e.as_dict() for e in outcome.errors],
            }
        ).data
        if outcome.errors:
            detail = _("Chưa nhập cơ sở nào: tệp có %(n)s lỗi, xem danh sách row_errors.") % {
                "n": len(outcome.errors)
            }
            return problems.problem(400, detail, **body)
        return Response(body, status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)


def _dry_run(request: Request) -> bool:
    """``dry_run``: true or false (1/0, yes/no …); anything else is refused, since a mistyped
    "true" read as false would import the file for real."""
    try:
        return bool(YesNoField(required=False).clean(request.query_params.get("dry_run", "")))
    except forms.ValidationError as refused:
        raise ValidationError({"dry_run": refused.messages}) from None
