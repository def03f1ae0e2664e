"""The public datasets: each a fixed list of typed fields and the rows, read through the
policy's public rules (``policy.public_queryset`` for rows, ``policy.public_aggregates`` for
counted ones). No personal data: establishments by name only, projects only as sums."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from khuyencong.accounts import policy
from khuyencong.awards import rules
from khuyencong.awards.models import Certificate
from khuyencong.programs.models import AllocationCell, Target
from khuyencong.registry.models import ProductGroup

from .. import versioning
from ..selectors import STATUS_LABELS, product_url


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, date
    title: StrOrPromise


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: StrOrPromise
    description: StrOrPromise
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[tuple[Any, ...]]]
    #: A text that changes whenever the rows may have changed (the files' ETag).
    version: Callable[[], str]
    #: DCAT ``modified``: the day the data last changed (or, for live sums, today).
    modified: Callable[[], datetime.date]


def _certificate_rows() -> Iterator[tuple[Any, ...]]:
    today = timezone.localdate()
    certificates = (
        policy.public_queryset(Certificate.objects.all())
        .select_related("round", "product__consent", "establishment", "commune", "province")
        .order_by("issued_on", "number")
    )
    for c in certificates.iterator(chunk_size=2000):
        consent = getattr(c.product, "consent", None)
        published = bool(consent and consent.publish)
        status = c.status_on(today)
        yield (
            c.number,
            c.code,
            c.level,
            c.round.year,
            c.issued_on,
            c.valid_until,
            str(STATUS_LABELS[status]),
            c.revoked_on if status == rules.CertificateStatus.REVOKED else None,
            c.product.name,
            str(ProductGroup(c.product.group).label),
            c.establishment.name,
            c.commune.code,
            c.commune.name,
            c.province.code if c.province else "",
            c.province.name if c.province else "",
            c.product.gtin if published else "",
            product_url(c.product_id, c.product.name) if published else "",
        )


def _certificates_version() -> str:
    stamp = versioning.current()
    return f"{stamp.counter}-{timezone.localdate().isoformat()}"


def _allocation_rows() -> Iterator[tuple[Any, ...]]:
    cells = (
        policy.public_queryset(AllocationCell.objects.all())
        .select_related("line__programme__unit", "line__group")
        .order_by("line__programme__code", "line__order", "year", "fund")
    )
    for cell in cells.iterator(chunk_size=2000):
        line, programme = cell.line, cell.line.programme
        yield (
            programme.code,
            programme.title,
            programme.unit.code,
            programme.unit.name,
            line.group.number,
            line.order,
            line.name,
            line.unit_of_measure,
            cell.year,
            cell.fund,
            cell.quantity,
            cell.amount,
        )


def _target_rows() -> Iterator[tuple[Any, ...]]:
    targets = (
        policy.public_queryset(Target.objects.all())
        .select_related("programme", "group")
        .order_by("programme__code", "order", "pk")
    )
    for t in targets:
        yield (
            t.programme.code,
            t.group.number if t.group else None,
            t.name,
            t.quantity,
            t.unit_of_measure,
            str(t.get_section_display()),
        )


def _project_statistics() -> list[tuple[Any, ...]]:
    """Approved projects by province × plan year × fund × content group: count and money."""
    from khuyencong.norms.models import NormContent
    from khuyencong.projects import kept_money
    from khuyencong.projects.models import Advance, Payment, Project

    counted = policy.public_aggregates(Project.objects.all())
    groups = {
        code: (number, name)
        for code, number, name in NormContent.objects.values_list(
            "code", "group__number", "group__short_name"
        )
    }
    keys = ("unit__code", "unit__name", "plan_year", "fund", "content")
    cells: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in (
        counted.values(*keys)
        .annotate(n=Count("pk"), approved=Sum(F("approved_kcqg") + F("approved_kcdp")))
        .order_by()
    ):
        cell = cells[tuple(row[k] for k in keys)]
        cell[0] += row["n"]
        cell[1] += int(row["approved"] or 0)
    for model in (Advance, Payment):
        for row in (
            kept_money.disbursed_rows(model)
            .filter(project__in=counted.values("pk"))
            .values(*(f"project__{k}" for k in keys))
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            cells[tuple(row[f"project__{k}"] for k in keys)][2] += int(row["total"] or 0)
    merged: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    for (code, name, year, fund, content), (n, approved, disbursed) in cells.items():
        number, group_name = groups.get(content, (None, ""))
        total = merged[(code, name, year, fund, number, group_name)]
        total[0] += n
        total[1] += approved
        total[2] += disbursed
    return sorted((*key, *values) for key, values in merged.items())


def _products_modified() -> datetime.date:
    return timezone.localtime(versioning.current().changed_at).date()


def _programmes_modified() -> datetime.date:
    from khuyencong.programs.models import Programme

    latest = policy.public_queryset(Programme.objects.all()).aggregate(m=Max("updated_at"))["m"]
    return timezone.localtime(latest).date() if latest else timezone.localdate()


def _hash_of(rows: Callable[[], Iterable[tuple[Any, ...]]]) -> Callable[[], str]:
    def version() -> str:
        import hashlib

        digest = hashlib.sha256()
        for row in rows():
            digest.update(repr(row).encode())
        return digest.hexdigest()[:24]

    return version


DATASETS = (
    Dataset(
        slug="san-pham-chung-nhan",
        title=_("Sản phẩm công nghiệp nông thôn tiêu biểu được chứng nhận"),
        description=_(
            "Mỗi dòng là một giấy chứng nhận sản phẩm tiêu biểu: cấp, kỳ bình chọn, ngày cấp, "
            "hiệu lực, tình trạng, sản phẩm, cơ sở, xã và tỉnh. Mã GTIN và trang sản phẩm chỉ "
            "có khi cơ sở đồng ý công khai."
        ),
        fields=(
            Field("so_giay_chung_nhan", "string", _("Số giấy chứng nhận")),
            Field("ma_tra_cuu", "string", _("Mã tra cứu (/c/<mã>)")),
            Field("cap", "string", _("Cấp chứng nhận")),
            Field("nam_binh_chon", "integer", _("Năm bình chọn")),
            Field("ngay_cap", "date", _("Ngày cấp")),
            Field("hieu_luc_den", "date", _("Hiệu lực đến")),
            Field("tinh_trang", "string", _("Tình trạng")),
            Field("ngay_thu_hoi", "date", _("Ngày thu hồi")),
            Field("san_pham", "string", _("Tên sản phẩm")),
            Field("nhom_san_pham", "string", _("Nhóm sản phẩm")),
            Field("co_so", "string", _("Cơ sở")),
            Field("ma_xa", "string", _("Mã xã, phường")),
            Field("xa", "string", _("Xã, phường")),
            Field("ma_tinh", "string", _("Mã tỉnh, thành phố")),
            Field("tinh", "string", _("Tỉnh, thành phố")),
            Field("gtin", "string", _("Mã GTIN-14")),
            Field("trang_san_pham", "string", _("Trang sản phẩm")),
        ),
        rows=_certificate_rows,
        version=_certificates_version,
        modified=_products_modified,
    ),
    Dataset(
        slug="chuong-trinh",
        title=_("Chương trình khuyến công: kinh phí và số lượng theo dòng, năm, nguồn"),
        description=_(
            "Phân bổ của các chương trình khuyến công đã phê duyệt: mỗi dòng là một nội dung "
            "của chương trình trong một năm và một nguồn kinh phí (đồng)."
        ),
        fields=(
            Field("ma_chuong_trinh", "string", _("Mã chương trình")),
            Field("chuong_trinh", "string", _("Tên chương trình")),
            Field("ma_don_vi", "string", _("Mã đơn vị ban hành")),
            Field("don_vi", "string", _("Đơn vị")),
            Field("nhom_noi_dung", "integer", _("Nhóm nội dung")),
            Field("thu_tu", "integer", _("Thứ tự dòng")),
            Field("noi_dung", "string", _("Nội dung")),
            Field("don_vi_tinh", "string", _("Đơn vị tính")),
            Field("nam", "integer", _("Năm")),
            Field("nguon", "string", _("Nguồn kinh phí")),
            Field("so_luong", "number", _("Số lượng")),
            Field("kinh_phi_dong", "integer", _("Kinh phí (đồng)")),
        ),
        rows=_allocation_rows,
        version=_hash_of(_allocation_rows),
        modified=_programmes_modified,
    ),
    Dataset(
        slug="chi-tieu-chuong-trinh",
        title=_("Chỉ tiêu của các chương trình khuyến công"),
        description=_("Chỉ tiêu nêu trong quyết định phê duyệt các chương trình khuyến công."),
        fields=(
            Field("ma_chuong_trinh", "string", _("Mã chương trình")),
            Field("nhom_noi_dung", "integer", _("Nhóm nội dung")),
            Field("chi_tieu", "string", _("Chỉ tiêu")),
            Field("so_luong", "number", _("Số lượng")),
            Field("don_vi_tinh", "string", _("Đơn vị tính")),
            Field("phan", "string", _("Phần")),
        ),
        rows=_target_rows,
        version=_hash_of(_target_rows),
        modified=_programmes_modified,
    ),
    Dataset(
        slug="thong-ke-de-an",
        title=_("Thống kê đề án khuyến công theo tỉnh, năm, nguồn và nhóm nội dung"),
        description=_(
            "Số đề án đã được phê duyệt (và các bước sau), kinh phí khuyến công được duyệt và "
            "đã giải ngân (tạm ứng + thanh toán), đồng. Số tổng hợp, không có dữ liệu cá nhân."
        ),
        fields=(
            Field("ma_tinh", "string", _("Mã tỉnh, thành phố")),
            Field("tinh", "string", _("Tỉnh, thành phố")),
            Field("nam", "integer", _("Năm kế hoạch")),
            Field("nguon", "string", _("Nguồn kinh phí")),
            Field("nhom_noi_dung", "integer", _("Nhóm nội dung")),
            Field("ten_nhom_noi_dung", "string", _("Tên nhóm nội dung")),
            Field("so_de_an", "integer", _("Số đề án")),
            Field("kinh_phi_duyet_dong", "integer", _("Kinh phí được duyệt (đồng)")),
            Field("giai_ngan_dong", "integer", _("Đã giải ngân (đồng)")),
        ),
        rows=_project_statistics,
        version=_hash_of(_project_statistics),
        modified=timezone.localdate,
    ),
)
BY_SLUG = {d.slug: d for d in DATASETS}
