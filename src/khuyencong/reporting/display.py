"""How figures read (pure): money the Vietnamese way, ratios as percentages, keys by name."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from khuyencong.core.formatting import format_million, format_number

from .aggregation import Figure

KEY_LABELS = {
    "": _("Tổng số"),
    "KCQG": _("KCQG"),
    "KCDP": _("KCĐP"),
    "NSXA": _("Ngân sách xã"),
    "DOI_UNG": _("Vốn đối ứng"),
    "KHAC": _("Nguồn khác"),
    "nu": _("Chủ cơ sở là nữ"),
    "dtts": _("Chủ cơ sở là người dân tộc thiểu số"),
    "xa": _("Cấp xã"),
    "tinh": _("Cấp tỉnh"),
    "khu-vuc": _("Cấp khu vực"),
    "quoc-gia": _("Cấp quốc gia"),
}


def key_label(key: str) -> str:
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
    return figure_text(Figure(value), indicator)
