"""The targets of issue 11 as one verdict, printed last by ``make bench-national`` (and so by
``make bench-growth``): each target met, missed, or not measured by this run, then PASS or
FAIL. Never imported by the tests' code under test; a bench helper only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from khuyencong.bench_load import PACED_RPS, TARGET_P95, TARGET_RPS, LoadRuns, describe
from khuyencong.bench_national import (
    EXPORT_P95,
    EXPORT_PEAK_MB,
    GROWTH,
    GROWTH_FLOOR,
    PAGE_P95,
    ROLLUP_VS_DUCKDB,
    SEEDING_SECONDS,
    Growth,
    Measured,
)


@dataclass(frozen=True)
class Check:
    """One target: ``met`` is ``None`` when this run did not measure it (e.g. growth without
    ``--paired``, the load run without ``--load``)."""

    name: str
    met: bool | None
    detail: str


def passed(checks: Iterable[Check]) -> bool:
    """PASS when no measured target was missed."""
    return all(check.met is not False for check in checks)


def print_summary(checks: list[Check], *, scale: float, load: str) -> bool:
    mark = {True: "ĐẠT  ", False: "TRƯỢT", None: "—    "}
    print(f"\nTỔNG KẾT mục tiêu (issue 11), scale {scale}, tải {load}:")
    for check in checks:
        detail = check.detail if check.met is not None else f"chưa đo: {check.detail}"
        print(f"  {mark[check.met]} {check.name} — {detail}")
    verdict = passed(checks)
    print("PASS" if verdict else "FAIL", flush=True)
    return verdict


def checks(
    pages: list[Measured],
    rollup: dict[str, float] | None,
    growth: Growth | None,
    seeding: float | None,
    load: LoadRuns | None,
) -> list[Check]:
    """Every target of issue 11 against this run."""
    read = [m for m in pages if m.target == PAGE_P95]
    exports = [m for m in pages if m.target == EXPORT_P95]
    slowest = max(read, key=lambda m: m.p95, default=None)
    found = [
        Check(
            f"trang danh sách/chi tiết/trang chủ/lịch sử p95 ≤ {PAGE_P95 * 1000:.0f} ms",
            all(m.met for m in read) if read else None,
            f"{sum(m.met for m in read)}/{len(read)} trang đạt; chậm nhất {slowest.role}: "
            f"{slowest.page} {slowest.p95 * 1000:.0f} ms"
            if slowest
            else "không trang nào",
        )
    ]
    biggest = max(exports, key=lambda m: m.rows or 0, default=None)
    found.append(
        Check(
            f"xuất ≤ {EXPORT_P95:.0f} s, RSS ≤ {EXPORT_PEAK_MB:.0f} MB (300.000 dòng ở scale 1.0)",
            all(m.met for m in exports) if exports else None,
            "; ".join(
                f"{m.role}: {m.page} {m.p95:.1f} s"
                + (f", {m.rows:,} dòng, RSS {m.peak_mb:.0f} MB" if m.peak_mb is not None else "")
                for m in exports
                if m is biggest or not m.met
            )
            or "ONLY= bỏ qua",
        )
    )
    if rollup is None:
        found.append(Check(f"tổng hợp ≤ {ROLLUP_VS_DUCKDB:.0f}× DuckDB", None, "ONLY= bỏ qua"))
    else:
        ratios = (
            rollup["app"] / rollup["duckdb"],
            rollup["reporting"] / rollup["reporting_duckdb"],
        )
        found.append(
            Check(
                f"tổng hợp ≤ {ROLLUP_VS_DUCKDB:.0f}× DuckDB",
                max(ratios) <= ROLLUP_VS_DUCKDB,
                f"đề án {ratios[0]:.1f}×, báo cáo {ratios[1]:.1f}×",
            )
        )
    if growth is None or not growth.compared:
        found += [
            Check(f"p95 tăng ≤ {GROWTH}× từ scale 0.01", None, "make bench-growth"),
            Check("số truy vấn không đổi theo quy mô", None, "make bench-growth"),
        ]
    else:
        found += [
            Check(
                f"p95 tăng ≤ {GROWTH}× từ scale 0.01 (dung sai: không xét trang có p95 dưới "
                f"{GROWTH_FLOOR * 1000:.0f} ms ở cả hai quy mô)",
                growth.worst <= GROWTH,
                f"lớn nhất ×{growth.worst:.2f} ({growth.worst_page or 'không trang nào'}), "
                f"{growth.compared - growth.floored}/{growth.compared} trang được xét, "
                f"{growth.floored} dưới {GROWTH_FLOOR * 1000:.0f} ms",
            ),
            Check(
                "số truy vấn không đổi theo quy mô",
                not growth.changed,
                "; ".join(growth.changed) or f"{growth.compared} trang như nhau",
            ),
        ]
    found.append(
        Check(
            f"sinh dữ liệu ≤ {SEEDING_SECONDS / 60:.0f} phút",
            None if seeding is None else seeding <= SEEDING_SECONDS,
            f"{seeding:.0f} s" if seeding is not None else "dữ liệu có sẵn, không sinh lại",
        )
    )
    name = (
        f"tải: ≥ {TARGET_RPS:.0f} yêu cầu/s, p95 ≤ {TARGET_P95 * 1000:.0f} ms, 0 lỗi (chạy được "
        f"chấm: 30 người dùng theo nhịp {PACED_RPS:.0f} yêu cầu/s)"
    )
    if load is None:
        found.append(Check(name, None, "LOAD=1"))
    else:
        found.append(
            Check(
                name,
                load.judged.met,
                f"{describe(load.judged)}; năng lực khi không nghỉ (không chấm): "
                f"{describe(load.capacity)}",
            )
        )
    return found
