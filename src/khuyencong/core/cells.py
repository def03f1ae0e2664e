"""Step 2 of an import, the cells (bảng nhập — đọc ô): converters that turn a cell into a value
or raise :class:`BadCell` with the sentence to show, and :class:`RowReader`, which collects one
error per bad cell of a row. Step 1 (the file) is :mod:`khuyencong.core.tabular`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from khuyencong.core.tabular import Column, RowError, Template, cell_error, is_empty, show, text
from khuyencong.core.text import fold

_THOUSANDS = re.compile(r"\d{1,3}(?:[.,\s]\d{3})+")
_YES = {"co", "x", "1", "yes", "true", "dung"}
_NO = {"khong", "0", "no", "false", "sai", ""}


class BadCell(Exception):
    """A cell's value cannot be used; the message completes "Dòng N, cột “X”: …"."""


def whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        raise BadCell(_("“%(value)s” không phải số.") % {"value": show(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise BadCell(
                _("“%(value)s” không phải số nguyên: hãy nhập số không có phần lẻ.")
                % {"value": show(value)}
            )
        return int(value)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise BadCell(_("“%(value)s” không phải số nguyên.") % {"value": show(value)})
        return int(value)
    written = text(value)
    if not written:
        return None
    compact = written.replace(" ", "")
    if compact.isdigit():
        return int(compact)
    if compact.startswith("-") and compact[1:].isdigit():
        return -int(compact[1:])
    if _THOUSANDS.fullmatch(written):
        return int(re.sub(r"[.,\s]", "", written))
    raise BadCell(
        _("“%(value)s” không phải số nguyên: hãy nhập chữ số, ví dụ 25.") % {"value": show(value)}
    )


def choice(value: object, table: Mapping[str, str], what: str, allowed: str) -> str:
    """A value looked up by its folded form in ``table`` (labels, codes, aliases)."""
    key = fold(text(value)).rstrip(".")
    if key in table:
        return table[key]
    raise BadCell(
        _("“%(value)s” không phải %(what)s hợp lệ: hãy dùng một trong %(allowed)s.")
        % {"value": show(value), "what": what, "allowed": allowed}
    )


def yes_no(value: object) -> bool:
    """Có/Không, also x, 1, 0, yes, no (an empty cell never reaches a converter)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise BadCell(
        _("“%(value)s” không rõ là có hay không: hãy ghi Có hoặc Không (hoặc x, 1, 0).")
        % {"value": show(value)}
    )


def commune_code(value: object) -> str:
    written = text(value).replace(" ", "")
    if not written.isdigit() or len(written) > 5:
        raise BadCell(
            _(
                "“%(value)s” không phải mã xã: cột này cần mã số 5 chữ số của xã/phường (ví dụ "
                "03985 là Xã Chiềng Sơn, Sơn La), tra ở trang “Đơn vị”."
            )
            % {"value": show(value)}
        )
    return written.zfill(5)  # a numeric cell drops the leading zero; codes are 5 digits wide


def phone_text(value: object) -> str:
    """A phone number as text: a number cell got its leading 0 (or the + of +84) dropped."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = text(value)
        return f"+{digits}" if digits.startswith("84") and len(digits) >= 11 else f"0{digits}"
    return text(value)


_T = TypeVar("_T")
_V = TypeVar("_V")


def checked(check: Callable[[_V], _T], value: _V) -> _T:
    """Run a field validator (one that raises ``ValueError`` with the sentence to show) as a
    cell converter: its refusal becomes this cell's error."""
    try:
        return check(value)
    except ValueError as exc:
        raise BadCell(str(exc)) from None


def email(value: object) -> str:
    written = text(value)
    if not written:
        return ""
    try:
        validate_email(written)
    except ValidationError:
        raise BadCell(
            _("“%(value)s” không phải địa chỉ thư điện tử hợp lệ (ví dụ ten@gmail.com).")
            % {"value": show(value)}
        ) from None
    return written


@dataclass(frozen=True)
class CommuneRef:
    """A current commune a file names, as the service found it (in the user's scope or not)."""

    code: str
    name: str
    in_scope: bool


def commune_error(
    row: int,
    column: Column,
    code: str,
    communes: Mapping[str, CommuneRef],
    *,
    scope_name: str,
    outside: str,
) -> RowError | None:
    """The error of a row whose commune code names no current commune, or one outside the
    user's scope (``outside`` says what to do then); ``None`` when the commune is fine."""
    if not code:
        return None
    commune = communes.get(code)
    if commune is None:
        return cell_error(
            row,
            column,
            _(
                "không có xã/phường nào đang hiệu lực mang mã “%(code)s”: hãy tra lại mã ở trang "
                "“Đơn vị” (mã các xã đã đổi từ ngày 01/7/2025)."
            )
            % {"code": code},
        )
    if not commune.in_scope:
        return cell_error(
            row,
            column,
            _("%(commune)s (mã %(code)s) nằm ngoài phạm vi %(scope)s của bạn: %(outside)s")
            % {"commune": commune.name, "code": code, "scope": scope_name, "outside": outside},
        )
    return None


class RowReader:
    """Reads one row's cells by column key, collecting an error per bad cell: an empty
    required cell, a value a converter refuses, text longer than the column allows."""

    def __init__(self, template: Template, number: int, values: Mapping[str, object]) -> None:
        self.template = template
        self.number = number
        self.values = values
        self.errors: list[RowError] = []

    def fail(self, key: str, reason: str) -> None:
        self.errors.append(cell_error(self.number, self.template.by_key[key], reason))

    def get(self, key: str, convert: Callable[[object], Any], default: Any) -> Any:
        column = self.template.by_key[key]
        value = self.values.get(key)
        if is_empty(value):
            if column.required:
                self.fail(key, _("ô đang trống: cột này bắt buộc phải có giá trị."))
            return default
        try:
            result = convert(value)
        except BadCell as exc:
            self.fail(key, str(exc))
            return default
        if column.max_length and isinstance(result, str) and len(result) > column.max_length:
            self.fail(
                key,
                _("dài %(n)s ký tự, quá giới hạn %(limit)s ký tự: hãy viết ngắn lại.")
                % {"n": len(result), "limit": column.max_length},
            )
            return default
        return result
