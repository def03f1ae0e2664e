"""Đo hiệu năng nhập danh sách cơ sở: ``bench_import()`` for the project's bench runner.

Builds a valid file in memory (not timed), then times reading, checking and importing it into
the current database (timed), and removes what it imported so that it can run again.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from .importing import HEADERS, SHEET_DATA
from .models import Establishment

BENCH_TAX_PREFIX = "97"


def make_xlsx(rows: Iterable[Sequence[object]], headers: Sequence[str] = HEADERS) -> bytes:
    """An .xlsx with ``headers`` in row 1 and ``rows`` below (openpyxl's fast write-only mode)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_DATA)
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sample_row(
    index: int, commune_code: str, *, tax_prefix: str = BENCH_TAX_PREFIX
) -> list[object]:
    """A valid row in the template's columns; distinct names and tax codes for each index."""
    return [
        f"Cơ sở chế biến nông sản số {index}",
        "Hộ kinh doanh" if index % 3 else "Hợp tác xã",
        f"{tax_prefix}{index:08d}",
        f"Thôn {index % 40 + 1}",
        commune_code,
        str(index % 4 + 1),
        "Chè, cà phê, mây tre đan",
        f"Chủ cơ sở {index}",
        "Nữ" if index % 2 else "Nam",
        "Có" if index % 5 == 0 else "Không",
        10 + index % 30,
        5 + index % 5,
        index % 10,
        1990 + index % 35,
        "",
        f"0912{index % 1_000_000:06d}",
        f"coso{index}@example.vn",
    ]


def sample_rows(
    count: int, commune_codes: Sequence[str], *, tax_prefix: str = BENCH_TAX_PREFIX
) -> list[list[object]]:
    return [
        sample_row(i, commune_codes[i % len(commune_codes)], tax_prefix=tax_prefix)
        for i in range(1, count + 1)
    ]


def _communes(province_code: str = "14") -> list[str]:
    return list(
        AdministrativeUnit.objects.current()
        .filter(level=UnitLevel.COMMUNE, parent__code=province_code)
        .order_by("code")
        .values_list("code", flat=True)
    )


def bench_import(rows: int = 10_000) -> float:
    """Seconds to read, check and import ``rows`` establishments from an .xlsx (target: < 60 s).

    Needs the unit tree (Sơn La's communes). Raises ``RuntimeError`` when the import reports an
    error, so a broken importer cannot look fast.
    """
    from .services import import_establishments

    communes = _communes()
    if not communes:
        raise RuntimeError("The unit tree is not loaded: run load_units first.")
    sample = sample_rows(rows, communes)
    content = make_xlsx(sample)
    codes = [str(row[2]) for row in sample]
    start = time.perf_counter()
    outcome = import_establishments(
        actor=None, content=content, filename="do-hieu-nang.xlsx", enforce_scope=False
    )
    elapsed = time.perf_counter() - start
    if outcome.ok:
        # Remove exactly what this run imported (these tax codes were free before it).
        for begin in range(0, len(codes), 900):
            chunk = codes[begin : begin + 900]
            Establishment.history.filter(tax_code__in=chunk).delete()
            Establishment.objects.filter(tax_code__in=chunk).delete()
    if not outcome.ok or outcome.imported != rows:
        first = "; ".join(e.message for e in outcome.errors[:3])
        raise RuntimeError(f"Import of {rows} rows failed: {outcome.error_count} errors: {first}")
    return elapsed
