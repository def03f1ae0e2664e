"""How figures read (pure): money the Vietnamese way, ratios as percentages, keys by name."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.formatting import format_million, format_number
from khuyencong.programs.programme_data import CONTENT_GROUPS_BY_CODE
from khuyencong.registry.models import ProductGroup

from . import breakdowns
from .aggregation import Figure

KEY_LABELS = {
    "": gettext_lazy("Tổng số"),
    "KCQG": gettext_lazy("KCQG"),
    "KCDP": gettext_lazy("KCĐP"),
    "NSXA": gettext_lazy("Ngân sách xã"),
    "DOI_UNG": gettext_lazy("Vốn đối ứng"),
    "KHAC": gettext_lazy("Nguồn khác"),
    "nu": gettext_lazy("Chủ cơ sở là nữ"),
    "dtts": gettext_lazy("Chủ cơ sở là người dân tộc thiểu số"),
    "xa": gettext_lazy("Cấp xã"),
    "tinh": gettext_lazy("Cấp tỉnh"),
    "khu-vuc": gettext_lazy("Cấp khu vực"),
    "quoc-gia": gettext_lazy("Cấp quốc gia"),
}


#: Breakdown families in the order they are shown: funds, content groups, product groups,
#: owners, certificate levels (anything else last).
_FAMILIES = tuple(breakdowns.FAMILIES.values())
_ORDER = {key: (family, n) for family, keys in enumerate(_FAMILIES) for n, key in enumerate(keys)}


def key_order(key: str) -> tuple[int, int, str]:
    """Sort key of a breakdown key: by family, then in the family's own order."""
    family, n = _ORDER.get(key, (len(_FAMILIES), 0))
    return family, n, key


def ordered_keys(keys: Iterable[str]) -> list[str]:
    return sorted(keys, key=key_order)


def key_label(key: str) -> str:
    if key in CONTENT_GROUPS_BY_CODE:
        group = CONTENT_GROUPS_BY_CODE[key]
        return _("Nhóm nội dung %(number)s: %(name)s") % {
            "number": group.number,
            "name": _(group.short_name),
        }
    if key.startswith("nsp-") and key[4:] in ProductGroup.values:
        return _("Nhóm sản phẩm: %(name)s") % {"name": ProductGroup(key[4:]).label}
    return str(KEY_LABELS.get(key, key))


def figure_text(figure: Figure | None, indicator: Any) -> str:
    """``25.965 triệu đồng``, ``75,0 %``, ``12``; ``—`` where there is no figure."""
    if figure is None:
        return "—"
    value = figure.value
    if value is None:
        return "—"
    if figure.denominator is not None:
        return f"{format_number(value, places=1)} %"
    if getattr(indicator, "is_money", False):
        return format_million(int(value))
    return format_number(value)


def number_text(value: Decimal | None, indicator: Any) -> str:
    if value is None:
        return "—"
    return figure_text(Figure(Decimal(value)), indicator)
