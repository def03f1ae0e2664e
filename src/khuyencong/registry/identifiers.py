"""Tax codes and business registration numbers (mã số thuế, số đăng ký kinh doanh).

Pure rules, no ORM. Accepted forms, after normalisation (spaces and dots removed, letters
upper-cased, a branch suffix joined with "-"):

- enterprise or cooperative tax code: 10 digits (``0101234567``);
- branch / dependent unit: 10 digits, "-", 3 digits (``0101234567-001``);
- personal identification number used as tax code for business households (since 7/2025):
  12 digits (``014203001234``);
- household business registration number issued by a district/commune: 2 digits (province
  code), 1 letter, then 6 to 9 digits or letters (``14A8000123``).
"""

from __future__ import annotations

import re

_TAX10 = re.compile(r"\d{10}")
_BRANCH = re.compile(r"\d{10}-\d{3}")
_PERSONAL = re.compile(r"\d{12}")
_HOUSEHOLD = re.compile(r"\d{2}[A-Z][0-9A-Z]{6,9}")


class IdentifierError(ValueError):
    """The text is not a tax code or registration number; the message says why (Vietnamese)."""


def normalise_identifier(text: str) -> str:
    """Canonical form: ``" 0101.234.567 - 001 "`` → ``"0101234567-001"``; empty stays empty."""
    compact = re.sub(r"[\s.]", "", text or "").upper()
    if not compact:
        return ""
    if re.fullmatch(r"\d{13}", compact):  # branch written without its dash
        compact = f"{compact[:10]}-{compact[10:]}"
    compact = re.sub(r"^(\d{10})[-_/](\d{3})$", r"\1-\2", compact)
    for pattern in (_TAX10, _BRANCH, _PERSONAL, _HOUSEHOLD):
        if pattern.fullmatch(compact):
            return compact
    raise IdentifierError(
        f"“{text.strip()}” không phải mã số thuế (10 chữ số, hoặc 10 chữ số-3 chữ số cho chi "
        "nhánh, hoặc 12 chữ số định danh cá nhân) hay số đăng ký hộ kinh doanh (ví dụ 14A8000123)."
    )
