"""Building import files for the tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from khuyencong.registry.bench import make_xlsx
from khuyencong.registry.importing import COLUMNS, HEADERS

VALID: dict[str, Any] = {
    "name": "Hợp tác xã chè Chiềng Sơn",
    "legal_form": "Hợp tác xã",
    "tax_code": "5500123456",
    "address": "Bản Áng",
    "commune_code": "03985",
    "product_group": "2",
    "main_products": "Chè Shan tuyết",
    "owner_name": "Lò Thị Hoa",
    "owner_gender": "Nữ",
    "owner_ethnic_minority": "Có",
    "employees_total": "25",
    "employees_female": "18",
    "employees_ethnic_minority": "20",
    "founded_year": "2015",
    "craft_village": "",
    "phone": "0912345678",
    "email": "htx@example.vn",
}


def row(**values: Any) -> list[Any]:
    """A valid row in the template's column order, with ``values`` replacing defaults."""
    data = {**VALID, **values}
    return [data[c.key] for c in COLUMNS]


def csv_bytes(
    rows: Iterable[Sequence[Any]],
    *,
    headers: Sequence[str] = HEADERS,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, headers: Sequence[str] = HEADERS) -> bytes:
    return make_xlsx(rows, headers)
