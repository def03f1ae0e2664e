"""Đồng ký của Sở Tài chính (Finance co-signature): which payments the province's finance
department must co-sign before they count as disbursed. Pure: no ORM, no HTTP.

The seeds give the finance department the duty to "hướng dẫn, kiểm tra, giám sát việc quản lý,
sử dụng, thanh toán, quyết toán kinh phí". Which payments it co-signs is data (``CoSignRule``
rows, each with its legal basis and effective dates), not code: a rule names a fund, a payment
stage (or every stage) and a threshold; a payment of that fund and stage whose amount reaches the
threshold needs the co-signature. By default every KCĐP final settlement payment does.

A payment awaiting co-signature is recorded (so nobody pays the same money twice: it counts
against the approved amount) but is not *disbursed* (giải ngân) until Finance signs; a refused
one counts nowhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

#: Payment stages (giai đoạn thanh toán).
INTERIM = "thanh-toan"
FINAL = "quyet-toan"

#: Co-signature states of a payment.
NOT_REQUIRED = ""
PENDING = "cho-dong-ky"
COSIGNED = "da-dong-ky"
REFUSED = "tu-choi"

#: Payments that count as disbursed, and those that count against the approved amount.
DISBURSED = frozenset({NOT_REQUIRED, COSIGNED})
COMMITTED = frozenset({NOT_REQUIRED, PENDING, COSIGNED})


@dataclass(frozen=True)
class Rule:
    """One threshold row as the calculator needs it. ``stage`` "" means every stage;
    ``province_id`` ``None`` means every province (a province's own rows come first)."""

    pk: int
    fund: str
    stage: str
    min_amount: int
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    province_id: int | None = None

    def in_force(self, on: datetime.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def matches(self, *, fund: str, stage: str, amount: int) -> bool:
        return self.fund == fund and self.stage in ("", stage) and amount >= self.min_amount


def rule_for(
    rules: Iterable[Rule],
    *,
    fund: str,
    stage: str,
    amount: int,
    on: datetime.date,
    province_id: int | None,
) -> Rule | None:
    """The rule that makes a payment need co-signature, or ``None`` when none does.

    Rules of the payment's province win over national ones: when the province has rules in
    force for the fund, only those apply (a province may raise or lower the national threshold).
    """
    in_force = [r for r in rules if r.in_force(on) and r.fund == fund]
    own = [r for r in in_force if r.province_id is not None and r.province_id == province_id]
    applicable = own or [r for r in in_force if r.province_id is None]
    matching = [r for r in applicable if r.matches(fund=fund, stage=stage, amount=amount)]
    # The lowest threshold decides; the latest row among equals.
    return min(matching, key=lambda r: (r.min_amount, -r.effective_from.toordinal()), default=None)


#: The national default (province empty): every KCĐP final settlement payment is co-signed.
DEFAULT_LEGAL_BASIS = (
    "Thông tư số 28/2018/TT-BTC ngày 28/3/2018 của Bộ Tài chính hướng dẫn lập, quản lý, sử dụng "
    "kinh phí khuyến công, được sửa đổi, bổ sung tại Thông tư số 64/2024/TT-BTC ngày 28/8/2024; "
    "các Chương trình khuyến công địa phương giai đoạn 2026 - 2030 (phần tổ chức thực hiện): Sở "
    "Tài chính phối hợp với Sở Công Thương hướng dẫn, kiểm tra, giám sát việc quản lý, sử dụng, "
    "thanh toán, quyết toán kinh phí."
)
DEFAULT_EFFECTIVE_FROM = datetime.date(2026, 1, 1)
DEFAULT_RULES = ({"fund": "KCDP", "stage": FINAL, "min_amount": 0},)
