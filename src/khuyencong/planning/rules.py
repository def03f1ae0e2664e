"""Kiểm tra phiếu đăng ký nhu cầu hỗ trợ: pure rules, no ORM, no HTTP.

Money is integer đồng. Each finding names the field it concerns and says, in Vietnamese, what
to fix; errors block saving, warnings are shown beside the form.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_date, format_million_for_reader

from .norms import support_cap

Severity = Literal["error", "warning"]

KCQG, KCDP = "KCQG", "KCDP"
FUND_LABELS = {KCQG: "KCQG", KCDP: "KCĐP"}
#: Far beyond any khuyến công project (a thousand billion đồng): a figure this large is a
#: unit mistake (đồng typed where triệu đồng is asked), and it keeps sums inside 64 bits.
MAX_AMOUNT = 10**15


@dataclass(frozen=True)
class Finding:
    field: str | None
    message: str
    severity: Severity = "error"


@dataclass(frozen=True)
class Amounts:
    """Kinh phí of a registration or a plan item, in đồng."""

    total_cost: int
    kcqg: int = 0
    kcdp: int = 0
    counterpart: int = 0
    other: int = 0

    @property
    def support(self) -> int:
        return self.kcqg + self.kcdp

    @property
    def parts(self) -> int:
        return self.kcqg + self.kcdp + self.counterpart + self.other

    def for_fund(self, fund: str) -> int:
        return {KCQG: self.kcqg, KCDP: self.kcdp}.get(fund, 0)


AMOUNT_FIELDS = ("total_cost", "kcqg", "kcdp", "counterpart", "other")


def _m(amount: int) -> str:
    return format_million_for_reader(amount)


def check_amounts(amounts: Amounts) -> list[Finding]:
    """Hỗ trợ (KCQG + KCĐP) + đối ứng + khác = tổng kinh phí; nothing negative or absurd."""
    findings: list[Finding] = []
    for name in AMOUNT_FIELDS:
        value = getattr(amounts, name)
        if value < 0:
            findings.append(Finding(name, _("Kinh phí không được âm.")))
        elif value >= MAX_AMOUNT:
            findings.append(
                Finding(
                    name, _("Số tiền quá lớn: kiểm tra lại đơn vị (ô này tính bằng triệu đồng).")
                )
            )
    if findings:
        return findings
    if amounts.total_cost == 0:
        findings.append(Finding("total_cost", _("Cần ghi tổng kinh phí thực hiện.")))
    elif amounts.parts != amounts.total_cost:
        difference = amounts.total_cost - amounts.parts
        findings.append(
            Finding(
                "total_cost",
                _(
                    "Kinh phí hỗ trợ (KCQG %(kcqg)s + KCĐP %(kcdp)s) + vốn đối ứng "
                    "%(counterpart)s + nguồn khác %(other)s = %(parts)s, khác tổng kinh phí "
                    "%(total)s (%(direction)s %(difference)s). Sửa các khoản để tổng các nguồn "
                    "bằng tổng kinh phí."
                )
                % {
                    "kcqg": _m(amounts.kcqg),
                    "kcdp": _m(amounts.kcdp),
                    "counterpart": _m(amounts.counterpart),
                    "other": _m(amounts.other),
                    "parts": _m(amounts.parts),
                    "total": _m(amounts.total_cost),
                    "direction": _("thiếu") if difference > 0 else _("thừa"),
                    "difference": _m(abs(difference)),
                },
            )
        )
    return findings


def check_fund(amounts: Amounts, round_fund: str) -> list[Finding]:
    """A round calls for one fund: the registration must ask for support from it."""
    if amounts.for_fund(round_fund) <= 0:
        label = FUND_LABELS.get(round_fund, round_fund)
        field = "kcqg" if round_fund == KCQG else "kcdp"
        return [
            Finding(
                field,
                _(
                    "Đợt đăng ký này dành cho nguồn %(fund)s: cần ghi kinh phí %(fund)s đề "
                    "nghị hỗ trợ."
                )
                % {"fund": label},
            )
        ]
    return []


class CapWithRule(Protocol):
    """What :func:`norms.support_cap` returns: the maximum and the sentence that explains it."""

    @property
    def maximum(self) -> int: ...

    @property
    def sentence(self) -> str: ...


CapLookup = Callable[..., int | CapWithRule | None]


def check_norm(
    amounts: Amounts,
    *,
    content_group: str,
    on: datetime.date,
    cap_lookup: CapLookup = support_cap,
    norm_content: str = "",
    province: Any = None,
) -> list[Finding]:
    """Support within the norm's cap (mức hỗ trợ tối đa) where a norm applies, the error naming
    the rule; a warning when none is known (no norm content chosen, or no norm in force)."""
    findings: list[Finding] = []
    unchecked: list[tuple[str, str]] = []  # (fund label, field) without a known cap
    for fund, field in ((KCQG, "kcqg"), (KCDP, "kcdp")):
        requested = amounts.for_fund(fund)
        if requested <= 0:
            continue
        found = cap_lookup(
            content_group=content_group,
            fund=fund,
            total_cost=amounts.total_cost,
            on=on,
            content=norm_content,
            province=province,
        )
        label = FUND_LABELS[fund]
        cap, rule = (
            (found, "")
            if found is None or isinstance(found, int)
            else (
                found.maximum,
                found.sentence,
            )
        )
        if cap is None:
            unchecked.append((label, field))
        elif requested > cap:
            message = _(
                "Kinh phí %(fund)s đề nghị %(requested)s vượt mức hỗ trợ tối đa %(cap)s "
                "theo định mức: giảm xuống tối đa %(cap)s."
            ) % {"fund": label, "requested": _m(requested), "cap": _m(cap)}
            if rule:
                message += " " + _("Định mức áp dụng: %(rule)s") % {"rule": rule}
            findings.append(Finding(field, message))
    if unchecked:
        # One warning for the funds left unchecked: the same sentence per fund read as a repeat.
        funds = unchecked[0][0]
        if len(unchecked) == 2:
            funds = _("%(first)s và %(second)s") % {
                "first": unchecked[0][0],
                "second": unchecked[1][0],
            }
        message = (
            _(
                "Phiếu chưa chọn định mức hỗ trợ áp dụng: mức hỗ trợ %(fund)s chưa được "
                "kiểm tra, cán bộ thẩm định sẽ đối chiếu."
            )
            if not norm_content
            else _(
                "Chưa có định mức hỗ trợ %(fund)s cho nội dung này trong hệ thống: mức "
                "hỗ trợ chưa được kiểm tra, cán bộ thẩm định sẽ đối chiếu."
            )
        )
        findings.append(Finding(unchecked[0][1], message % {"fund": funds}, "warning"))
    return findings


def check_timing(
    start: datetime.date | None, end: datetime.date | None, plan_year: int
) -> list[Finding]:
    """Thời gian thực hiện: start and end months, in order, and touching the plan year."""
    findings: list[Finding] = []
    if start is None:
        findings.append(Finding("start_month", _("Cần ghi tháng bắt đầu (ví dụ 3/2026).")))
    if end is None:
        findings.append(Finding("end_month", _("Cần ghi tháng kết thúc (ví dụ 11/2026).")))
    if start is None or end is None:
        return findings
    if end < start:
        findings.append(
            Finding(
                "end_month",
                _("Tháng kết thúc %(end)s trước tháng bắt đầu %(start)s.")
                % {"end": f"{end.month}/{end.year}", "start": f"{start.month}/{start.year}"},
            )
        )
    elif start.year > plan_year or end.year < plan_year:
        findings.append(
            Finding(
                "start_month",
                _("Thời gian thực hiện phải nằm trong (hoặc bao gồm) năm kế hoạch %(year)s.")
                % {"year": plan_year},
            )
        )
    return findings


def check_content_group(group_code: str, eligible: Sequence[str]) -> list[Finding]:
    if eligible and group_code not in eligible:
        return [
            Finding(
                "content_group",
                _(
                    "Nhóm nội dung này không thuộc các nội dung được đăng ký trong đợt: chọn "
                    "một nhóm nội dung của đợt."
                ),
            )
        ]
    return []


def check_registration(
    amounts: Amounts,
    *,
    round_fund: str,
    plan_year: int,
    content_group: str,
    eligible_groups: Sequence[str],
    start: datetime.date | None,
    end: datetime.date | None,
    on: datetime.date,
    cap_lookup: CapLookup = support_cap,
    norm_content: str = "",
    province: Any = None,
) -> list[Finding]:
    """Every rule of a registration's content, errors first."""
    findings = check_amounts(amounts)
    if not findings:
        findings += check_fund(amounts, round_fund)
        findings += check_norm(
            amounts,
            content_group=content_group,
            on=on,
            cap_lookup=cap_lookup,
            norm_content=norm_content,
            province=province,
        )
    findings += check_content_group(content_group, eligible_groups)
    findings += check_timing(start, end, plan_year)
    return sorted(findings, key=lambda f: f.severity != "error")


def errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def deadline_refusal(
    *, today: datetime.date, deadline: datetime.date, unit_name: str, extended: bool
) -> str | None:
    """Why a submission is refused after the deadline, or ``None`` when it is in time."""
    if today <= deadline:
        return None
    what = _("hạn đã gia hạn") if extended else _("hạn đăng ký")
    return _(
        "Đã quá %(what)s của %(unit)s (ngày %(date)s): phiếu không gửi được. Đề nghị Sở Công "
        "Thương hoặc Trung tâm khuyến công gia hạn cho xã trước khi gửi."
    ) % {"what": what, "unit": unit_name, "date": format_date(deadline)}
