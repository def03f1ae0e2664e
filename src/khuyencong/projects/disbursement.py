"""Tình hình giải ngân: money of the projects a user may see, by plan year and fund — what the
province's finance department follows — with the payments awaiting its co-signature, and the
same as an .xlsx. Reads only (scoped by the policy through ``selectors.visible_projects``);
five queries whatever the number of projects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.http import Http404
from django.utils import translation
from openpyxl import Workbook

from khuyencong.core import xlsx

from . import cosign, rules, selectors, workflow
from .models import Advance, Payment

FUNDS = workflow.FUNDS


@dataclass
class YearFund:
    """One line of the table: a plan year and a fund (KCQG or KCĐP)."""

    year: int
    fund: str
    projects: int = 0
    approved: int = 0
    advanced: int = 0
    paid: int = 0
    awaiting: int = 0
    settled: int = 0

    @property
    def fund_label(self) -> str:
        return rules.fund_label(self.fund)

    @property
    def disbursed(self) -> int:
        """Giải ngân: advances and the payments that count (co-signed or not needing it)."""
        return self.advanced + self.paid

    @property
    def remaining(self) -> int:
        return self.approved - self.disbursed - self.awaiting


def by_year_and_fund(user: Any, *, year: int | None = None) -> list[YearFund]:
    """Approved, advanced, paid (disbursed), awaiting co-signature and settled per (plan year,
    fund) over the approved-or-later projects the user may see, newest year first."""
    projects = selectors.visible_projects(user).filter(status__in=list(workflow.SUPPORTED))
    if year is not None:
        projects = projects.filter(plan_year=year)
    table: dict[tuple[int, str], YearFund] = {}

    def line(y: int, fund: str) -> YearFund:
        return table.setdefault((y, fund), YearFund(y, fund))

    for row in (
        projects.values("plan_year", "fund")
        .annotate(
            n=Count("pk"),
            approved_kcqg=Sum("approved_kcqg"),
            approved_kcdp=Sum("approved_kcdp"),
            settled_kcqg=Sum("settled_kcqg"),
            settled_kcdp=Sum("settled_kcdp"),
        )
        .order_by()
    ):
        line(row["plan_year"], row["fund"]).projects += row["n"]
        for fund in FUNDS:
            suffix = fund.lower()
            approved = int(row[f"approved_{suffix}"] or 0)
            settled = int(row[f"settled_{suffix}"] or 0)
            if approved or settled:
                entry = line(row["plan_year"], fund)
                entry.approved += approved
                entry.settled += settled
    ids = projects.values("pk")
    for row in _sums(Advance.objects.filter(project__in=ids)):
        line(row["year"], row["fund"]).advanced += int(row["total"] or 0)
    payments = Payment.objects.filter(project__in=ids)
    for row in _sums(payments.filter(cosign_status__in=cosign.DISBURSED)):
        line(row["year"], row["fund"]).paid += int(row["total"] or 0)
    for row in _sums(payments.filter(cosign_status=cosign.PENDING)):
        line(row["year"], row["fund"]).awaiting += int(row["total"] or 0)
    return sorted(table.values(), key=lambda r: (-r.year, FUNDS.index(r.fund)))


def _sums(rows: QuerySet[Any]) -> QuerySet[Any]:
    return (
        rows.values("fund", year=F("project__plan_year")).annotate(total=Sum("amount")).order_by()
    )


def totals(lines: list[YearFund]) -> list[YearFund]:
    """One total line per fund (year 0) over ``lines``."""
    found: dict[str, YearFund] = defaultdict(lambda: YearFund(0, ""))
    for entry in lines:
        total = found[entry.fund]
        total.fund = entry.fund
        for name in ("projects", "approved", "advanced", "paid", "awaiting", "settled"):
            setattr(total, name, getattr(total, name) + getattr(entry, name))
    return [found[f] for f in FUNDS if f in found]


def awaiting_cosignature(user: Any) -> QuerySet[Payment]:
    """Payments of projects the user may see that wait for Finance's co-signature, oldest
    first, with their project and the threshold row that requires it."""
    return (
        Payment.objects.filter(
            cosign_status=cosign.PENDING,
            project__in=selectors.visible_projects(user).values("pk"),
        )
        .select_related("project__unit", "cosign_rule", "recorded_by")
        .order_by("paid_on", "pk")
    )


def payment_for_cosign(user: Any, pk: int, payment_pk: int) -> Payment:
    """A payment of a project the user may see (404 otherwise)."""
    payment = (
        Payment.objects.filter(
            pk=payment_pk, project__in=selectors.visible_projects(user).filter(pk=pk).values("pk")
        )
        .select_related("project__unit")
        .first()
    )
    if payment is None:
        raise Http404
    return payment


HEADERS = (
    "Năm kế hoạch",
    "Nguồn kinh phí",
    "Số đề án",
    "Được duyệt (đồng)",
    "Đã tạm ứng (đồng)",
    "Đã thanh toán (đồng)",
    "Đã giải ngân (đồng)",
    "Chờ Sở Tài chính đồng ký (đồng)",
    "Còn lại (đồng)",
    "Quyết toán (đồng)",
)
MONEY = frozenset(range(3, len(HEADERS)))


def workbook(lines: list[YearFund], awaiting: list[Payment]) -> bytes:
    """The table (and the payments awaiting co-signature) as an .xlsx, in Vietnamese."""
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Giải ngân"
        ws.append(list(HEADERS))
        xlsx.style_header(ws, len(HEADERS))
        row = 2
        for entry in [*lines, *totals(lines)]:
            xlsx.write_row(
                ws,
                row,
                [
                    entry.year or "Cộng",
                    entry.fund_label,
                    entry.projects,
                    entry.approved,
                    entry.advanced,
                    entry.paid,
                    entry.disbursed,
                    entry.awaiting,
                    entry.remaining,
                    entry.settled,
                ],
                money=MONEY,
            )
            row += 1
        xlsx.set_widths(ws, [12, 12, 10, *[20] * (len(HEADERS) - 3)])
        xlsx.add_auto_filter(ws, len(HEADERS))
        pending = wb.create_sheet("Chờ đồng ký")
        heads = ["Đề án", "Mã", "Nguồn", "Số tiền (đồng)", "Ngày chi", "Giai đoạn", "Căn cứ"]
        pending.append(heads)
        xlsx.style_header(pending, len(heads))
        for n, payment in enumerate(awaiting, start=2):
            xlsx.write_row(
                pending,
                n,
                [
                    payment.project.title,
                    payment.project.code,
                    payment.fund_label,
                    payment.amount,
                    payment.paid_on,
                    str(payment.get_stage_display()),
                    payment.cosign_rule.legal_basis if payment.cosign_rule else "",
                ],
                money=frozenset({3}),
            )
        xlsx.set_widths(pending, [40, 16, 10, 18, 12, 24, 60])
        return xlsx.workbook_bytes(wb)
