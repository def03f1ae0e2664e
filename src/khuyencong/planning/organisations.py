"""Names of the bodies a plan speaks of: pure data, one row per province, with a default.

The provincial service centre is named differently by province (DOMAIN.md §2).
"""

from __future__ import annotations

import datetime

PROVINCE_TYPE, CITY_TYPE = "tinh", "thanh-pho-tw"

#: Trung tâm khuyến công of a province, keyed by the province's official code.
CENTRE_NAMES: dict[str, str] = {
    "14": "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La",
    "56": "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Khánh Hòa",
    "66": "Trung tâm Khuyến công và Xúc tiến Thương mại tỉnh Đắk Lắk",
}


def province_phrase(name: str, unit_type: str) -> str:
    """``("Sơn La", "tinh")`` → ``"tỉnh Sơn La"``; a centrally-run city → ``"thành phố ..."``."""
    return f"{'thành phố' if unit_type == CITY_TYPE else 'tỉnh'} {name}"


def centre_name(code: str, name: str, unit_type: str) -> str:
    return CENTRE_NAMES.get(code) or f"Trung tâm Khuyến công {province_phrase(name, unit_type)}"


def timing_text(start: datetime.date | None, end: datetime.date | None) -> str:
    """Thời gian thực hiện: ``"Tháng 3 - 11/2026"``, ``"Tháng 10/2026 - 2/2027"``."""
    if start is None and end is None:
        return ""
    if start is None or end is None:
        only = start or end
        assert only is not None
        return f"Tháng {only.month}/{only.year}"
    if start.year == end.year:
        if start.month == end.month:
            return f"Tháng {start.month}/{start.year}"
        return f"Tháng {start.month} - {end.month}/{end.year}"
    return f"Tháng {start.month}/{start.year} - {end.month}/{end.year}"
