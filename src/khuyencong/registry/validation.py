"""Kiểm tra thông tin cơ sở: the one set of rules for an establishment's fields, whether typed in
the form, read from an import file or sent by the API.

Each rule takes a value already converted to its type and returns it (normalised), or raises
:class:`Invalid` with a Vietnamese reason. The import prefixes the reason with its row and
column; :func:`field_errors` gives the model's ``clean`` (so forms and services) the same rules.
Pure: no ORM, no HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from khuyencong.core import bounds
from khuyencong.geo.models import UnitLevel

PHONE = re.compile(r"[0-9+()\s.\-/,;]+")
MIN_PHONE_DIGITS = 8


class Invalid(ValueError):
    """A field's value is refused; the message says why and what to do."""


def phone(text: str) -> str:
    """Số điện thoại: digits and the signs people write between them, at least 8 digits.
    Text such as ``=HYPERLINK(…)`` (a formula) or a name is refused."""
    text = " ".join(text.split())
    if not text:
        return ""
    if not PHONE.fullmatch(text) or sum(ch.isdigit() for ch in text) < MIN_PHONE_DIGITS:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise Invalid(
            _("“%(value)s” không phải số điện thoại: hãy ghi các chữ số, ví dụ 0212 3852 000.")
            % {"value": shown}
        )
    return text


def employees(number: int, label: str) -> int:
    """Số lao động: a whole number from 0 to :data:`bounds.EMPLOYEES` ``.high``."""
    try:
        return int(bounds.EMPLOYEES.check(number, label))
    except bounds.OutOfBounds as exc:
        raise Invalid(str(exc)) from None


def founded_year(year: int, *, today: date | None = None) -> int:
    """Năm thành lập: from 1800 to this year."""
    try:
        return int(bounds.founded_year_bound(today).check(year, _("Năm thành lập")))
    except bounds.OutOfBounds as exc:
        raise Invalid(str(exc)) from None


def employee_parts(total: int, parts: Mapping[str, tuple[str, int]]) -> dict[str, str]:
    """Each part (women, ethnic minority workers) at most the total: ``{field: reason}``."""
    return {
        key: _("%(what)s (%(part)s) nhiều hơn tổng lao động (%(total)s): hãy sửa một trong hai số.")
        % {"what": label, "part": part, "total": total}
        for key, (label, part) in parts.items()
        if part > total
    }


EMPLOYEE_LABELS = {
    "employees_total": "Tổng lao động",
    "employees_female": "Lao động nữ",
    "employees_ethnic_minority": "Lao động dân tộc thiểu số",
}


def field_errors(values: Mapping[str, Any], *, today: date | None = None) -> dict[str, str]:
    """Every rule on an establishment's fields (as the model holds them): ``{field: reason}``."""
    errors: dict[str, str] = {}
    for key, label in EMPLOYEE_LABELS.items():
        number = values.get(key)
        if number is not None:
            try:
                employees(number, label)
            except Invalid as exc:
                errors[key] = str(exc)
    year = values.get("founded_year")
    if year is not None:
        try:
            founded_year(year, today=today)
        except Invalid as exc:
            errors["founded_year"] = str(exc)
    try:
        phone(values.get("phone") or "")
    except Invalid as exc:
        errors["phone"] = str(exc)
    if "employees_total" not in errors:
        total = values.get("employees_total") or 0
        parts = {
            key: (EMPLOYEE_LABELS[key], values.get(key) or 0)
            for key in ("employees_female", "employees_ethnic_minority")
            if key not in errors
        }
        errors.update(employee_parts(total, parts))
    return errors


def year_awarded(year: int, *, today: date | None = None) -> int:
    """Năm phong tặng: from 1950 to this year."""
    try:
        return int(bounds.award_year_bound(today).check(year, _("Năm phong tặng")))
    except bounds.OutOfBounds as exc:
        raise Invalid(str(exc)) from None


def artisan_errors(
    *, year: int | None, commune: Any, establishment: Any, today: date | None = None
) -> dict[str, str]:
    """Every rule on an artisan's fields: ``{field: reason}``. An artisan working at an
    establishment is registered in its commune (the list and the scope read the commune)."""
    errors: dict[str, str] = {}
    if year is not None:
        try:
            year_awarded(year, today=today)
        except Invalid as exc:
            errors["year_awarded"] = str(exc)
    if commune is not None and commune.level != UnitLevel.COMMUNE:
        errors["commune"] = _("Nghệ nhân phải thuộc một xã, phường hoặc đặc khu.")
    elif (
        commune is not None and establishment is not None and establishment.commune_id != commune.pk
    ):
        errors["commune"] = _(
            "Nghệ nhân làm việc tại cơ sở “%(name)s” thì xã/phường phải là xã/phường của cơ "
            "sở (%(commune)s)."
        ) % {"name": establishment.name, "commune": establishment.commune.name}
    return errors
