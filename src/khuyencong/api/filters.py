"""Bộ lọc của các danh sách /api/v1/ (django-filter): the web list pages' parameter names and
meaning, read and checked by a FilterSet (shown in the OpenAPI schema; a wrong value answers
400 problem+json naming the parameter, not silently no filter), then applied by the SAME
selector as the web page, on the user's scope from the policy: what a filter means lives in one
place, the app's selector, for the page, its export and the API.
"""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_field

from khuyencong.awards.models import EntryStatus
from khuyencong.awards.selectors import products as product_selectors
from khuyencong.awards.selectors import rounds as round_selectors
from khuyencong.norms.models import SupportNorm
from khuyencong.planning import selectors as planning_selectors
from khuyencong.planning.models import PlanFund, RegistrationStatus
from khuyencong.programs import selectors as programme_selectors
from khuyencong.programs.models import Fund, ProgrammeLevel
from khuyencong.projects import selectors as project_selectors
from khuyencong.projects.models import ProjectFund, ProjectStatus
from khuyencong.registry import selectors as registry_selectors
from khuyencong.registry.models import ArtisanTitle, LegalForm, ProductGroup
from khuyencong.reporting import selectors as report_selectors
from khuyencong.reporting.models import ReportStatus
from khuyencong.reporting.periods import Period, PeriodError

CHOICE = {"invalid_choice": _("Không có giá trị “%(value)s”: chọn một giá trị trong danh sách.")}
NUMBER = {
    "invalid": _("Phải là một số nguyên."),
    "min_value": _("Phải từ %(limit_value)s trở lên."),
    "max_value": _("Phải không quá %(limit_value)s."),
}
TEXT = {"max_length": _("Dài quá: tối đa %(limit_value)d ký tự.")}
#: The web list's "yes" (registry.selectors), and its "no".
YES, NO = {"1", "co", "true", "on", "yes"}, {"0", "khong", "false", "off", "no"}


class YesNoField(forms.Field):
    """true/false (or the web's 1/co/on, 0/khong/off); anything else is an error."""

    default_error_messages = {"invalid": _("Chỉ nhận true hoặc false.")}

    def to_python(self, value: Any) -> bool | None:
        word = str(value or "").strip().lower()
        if not word:
            return None
        if word not in YES | NO:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return word in YES


class YesNoFilter(df.BooleanFilter):
    field_class = YesNoField


class WholeNumberFilter(df.NumberFilter):
    field_class = forms.IntegerField


def _choice(label: str, choices: Any) -> df.ChoiceFilter:
    return df.ChoiceFilter(label=label, choices=choices, error_messages=CHOICE)


def _number(label: str, low: int, high: int) -> df.NumberFilter:
    found = WholeNumberFilter(label=label, min_value=low, max_value=high, error_messages=NUMBER)
    # An integer with its bounds in the schema (drf-spectacular reads a NumberFilter as any number).
    schema = {"type": "integer", "minimum": low, "maximum": high, "description": label}
    return extend_schema_field(schema)(found)


def _text(label: str, length: int) -> df.CharFilter:
    found = df.CharFilter(label=label, max_length=length, error_messages=TEXT)
    return extend_schema_field({"type": "string", "maxLength": length, "description": label})(found)


def _year(label: str) -> df.NumberFilter:
    return _number(label, 1900, 2200)


def _commune(label: str) -> df.CharFilter:
    return _text(label, 16)


class SelectorFilterSet(df.FilterSet):
    """A FilterSet whose checked values go to the app's selector (``select``) instead of being
    applied field by field: the selector scopes by the policy and filters as the web page
    (the queryset handed in is the same selector unfiltered: the view's ``get_queryset``)."""

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        raise NotImplementedError

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        values = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        return self.select(self.request.user, values)


def _whole(value: Any) -> int | None:
    return None if value is None else int(value)


class EstablishmentFilterSet(SelectorFilterSet):
    q = _text("Tìm theo tên, sản phẩm, chủ cơ sở, mã số thuế, tên xã/tỉnh.", 100)
    xa = _commune("Mã xã/phường.")
    loai = _choice("Loại hình.", LegalForm.choices)
    nhom = _choice("Nhóm sản phẩm.", ProductGroup.choices)
    chu_nu = YesNoFilter(label="Chủ cơ sở là nữ.")
    chu_dttt = YesNoFilter(label="Chủ cơ sở là người dân tộc thiểu số.")

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        filters = registry_selectors.EstablishmentFilter(
            search=values.get("q", "").strip(),
            commune=values.get("xa", "").strip(),
            legal_form=values.get("loai", ""),
            product_group=values.get("nhom", ""),
            woman_owned=bool(values.get("chu_nu")),
            minority_owned=bool(values.get("chu_dttt")),
        )
        return registry_selectors.establishments_for(user, filters).select_related("province")


class ArtisanFilterSet(SelectorFilterSet):
    """The artisans page's filters (registry:artisan_list)."""

    q = _text("Tìm theo họ tên, nghề (không dấu cũng được).", 100)
    xa = _commune("Mã xã/phường.")
    danh_hieu = _choice("Danh hiệu.", ArtisanTitle.choices)

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        return registry_selectors.artisans_for(
            user,
            search=values.get("q", ""),
            commune=values.get("xa", "").strip(),
            title=values.get("danh_hieu", ""),
        )


PROJECT_STATUSES = [
    *ProjectStatus.choices,
    (project_selectors.SUPPORTED_STATUS, "Đã duyệt trở lên (trừ đã hủy)"),
]


class ProjectFilterSet(SelectorFilterSet):
    trang_thai = _choice("Trạng thái đề án (hoặc da-duyet-tro-len).", PROJECT_STATUSES)
    nguon = _choice("Nguồn kinh phí.", ProjectFund.choices)
    nam = _year("Năm kế hoạch.")
    xa = _commune("Mã xã/phường nơi thực hiện.")
    q = _text("Tìm trong tên đề án.", 100)
    dong = _number("Mã (id) dòng nội dung chương trình mà đề án có sản phẩm.", 1, 10**18 - 1)

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        return project_selectors.projects(
            user,
            status=values.get("trang_thai", ""),
            fund=values.get("nguon", ""),
            year=_whole(values.get("nam")),
            commune_code=values.get("xa", "").strip(),
            search=values.get("q", ""),
            line_id=_whole(values.get("dong")),
        )


class RegistrationFilterSet(SelectorFilterSet):
    dot = _number("Mã (id) đợt đăng ký.", 1, 10**18 - 1)
    trang_thai = _choice("Trạng thái phiếu.", RegistrationStatus.choices)
    xa = _commune("Mã xã/phường.")
    nam = _year("Năm kế hoạch.")

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        return planning_selectors.registrations(
            user,
            round_id=_whole(values.get("dot")),
            status=values.get("trang_thai", ""),
            commune_code=values.get("xa", "").strip(),
            year=_whole(values.get("nam")),
        )


class ProductFilterSet(SelectorFilterSet):
    q = _text("Tìm theo tên sản phẩm (không dấu cũng được).", 100)
    nhom = _choice("Nhóm sản phẩm.", ProductGroup.choices)
    xa = _commune("Mã xã/phường.")

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        return product_selectors.products(
            user,
            search=values.get("q", ""),
            group=values.get("nhom", ""),
            commune_code=values.get("xa", "").strip(),
        )


class EntryFilterSet(SelectorFilterSet):
    ky_binh_chon = _text("Mã kỳ bình chọn (như trong địa chỉ trang kỳ).", 64)
    trang_thai = _choice("Trạng thái hồ sơ.", EntryStatus.choices)
    xa = _commune("Mã xã/phường của cơ sở.")

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        found = round_selectors.visible_entries(user)
        if values.get("ky_binh_chon"):
            found = found.filter(round__code=values["ky_binh_chon"].strip())
        if values.get("trang_thai"):
            found = found.filter(status=values["trang_thai"])
        if values.get("xa"):
            found = found.filter(commune__code=values["xa"].strip())
        return found


class ProgrammeFilterSet(SelectorFilterSet):
    cap = _choice("Cấp chương trình.", ProgrammeLevel.choices)
    don_vi = _text("Mã đơn vị sở hữu chương trình (ví dụ 14).", 16)
    nam = _year("Năm nằm trong thời kỳ chương trình.")

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        return programme_selectors.visible_programmes(
            user,
            level=values.get("cap", ""),
            unit_code=values.get("don_vi", "").strip(),
            year=_whole(values.get("nam")),
        )


class PlanFilterSet(SelectorFilterSet):
    nam = _year("Năm kế hoạch.")
    nguon = _choice("Nguồn kinh phí.", PlanFund.choices)

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        return planning_selectors.plans(
            user, year=_whole(values.get("nam")), fund=values.get("nguon", "")
        )


class PeriodField(forms.CharField):
    """A reporting period as the report pages write it (2026, 2026-H1, 2026-Q3), with the
    periods module's own sentence for anything else."""

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "").strip()
        if not text:
            return ""
        try:
            return Period.parse(text).code
        except PeriodError as refused:
            raise forms.ValidationError(str(refused), code="invalid") from None


class PeriodFilter(df.CharFilter):
    field_class = PeriodField


class ReportFilterSet(SelectorFilterSet):
    ky = extend_schema_field(
        {
            "type": "string",
            "maxLength": 8,
            "description": "Kỳ báo cáo (2026, 2026-H1, 2026-Q3).",
        }
    )(PeriodFilter(label="Kỳ báo cáo.", max_length=8, error_messages=TEXT))
    trang_thai = _choice("Trạng thái báo cáo.", ReportStatus.choices)

    @classmethod
    def select(cls, user: Any, values: dict[str, Any]) -> QuerySet[Any]:
        return report_selectors.reports(
            user, period=values.get("ky", ""), status=values.get("trang_thai", "")
        )


class NormFilterSet(df.FilterSet):
    """The norm table's filters. The table is rows marked by their status, not a queryset: the
    view reads the values checked by :meth:`values` and asks the table's selector."""

    noi_dung = _text("Mã nội dung hỗ trợ (ví dụ may-moc-thiet-bi).", 64)
    nguon = _choice("Nguồn kinh phí.", Fund.choices)

    @classmethod
    def values(cls, request: Any) -> dict[str, str]:
        """The checked values, or 400 as DjangoFilterBackend answers."""
        found = cls(request.query_params, queryset=SupportNorm.objects.none(), request=request)
        if not found.is_valid():
            raise translate_validation(found.errors)
        return {k: v.strip() for k, v in found.form.cleaned_data.items() if v}
