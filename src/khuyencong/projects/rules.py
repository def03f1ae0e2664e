"""Rules about a project's content and money (quy tắc): pure functions, no ORM, no HTTP.

The services gather the facts (the norm that applies, other projects of the same
establishments, money already paid) and these functions judge them, returning findings or a
refusal — Vietnamese sentences that say what is wrong, with the limit and the rule.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_money, format_number

from .workflow import KCDP, KCQG

ERROR, WARNING, INFO = "error", "warning", "info"
FUND_LABELS = {KCQG: "KCQG", KCDP: "KCĐP"}
#: Overseas fairs an establishment may be supported for in one year (DOMAIN.md §4, "check").
OVERSEAS_FAIRS_PER_YEAR = 2


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    severity: str = ERROR
    field: str = ""
    links: tuple[Link, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


def fund_label(fund: str) -> str:
    return FUND_LABELS.get(fund, fund)


# ------------------------------------------------------------------------------------- budget
@dataclass(frozen=True)
class BudgetRow:
    """Một dòng dự toán chi tiết (Mẫu 1), integer đồng per source."""

    item: str
    kcqg: int = 0
    kcdp: int = 0
    counterpart: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.kcqg + self.kcdp + self.counterpart + self.other


@dataclass(frozen=True)
class Totals:
    kcqg: int = 0
    kcdp: int = 0
    counterpart: int = 0
    other: int = 0

    @property
    def support(self) -> int:
        """Kinh phí hỗ trợ: what the khuyến công funds pay (KCQG + KCĐP)."""
        return self.kcqg + self.kcdp

    @property
    def total(self) -> int:
        """Tổng kinh phí (the eligible cost the norm's percentage applies to)."""
        return self.kcqg + self.kcdp + self.counterpart + self.other

    def for_fund(self, fund: str) -> int:
        return self.kcqg if fund == KCQG else self.kcdp if fund == KCDP else 0


def totals(rows: Iterable[BudgetRow]) -> Totals:
    rows = list(rows)
    return Totals(
        kcqg=sum(r.kcqg for r in rows),
        kcdp=sum(r.kcdp for r in rows),
        counterpart=sum(r.counterpart for r in rows),
        other=sum(r.other for r in rows),
    )


def check_budget(rows: Sequence[BudgetRow], fund: str) -> list[Finding]:
    """Every row named, no negative amount, something to pay, and no national money in a
    local-fund project (it would skip the national appraisal)."""
    found: list[Finding] = []
    if not rows:
        found.append(
            Finding("budget-empty", _("Cần ít nhất một dòng dự toán kinh phí."), field="budget")
        )
    for n, row in enumerate(rows, start=1):
        if not row.item.strip():
            found.append(
                Finding(
                    "budget-item",
                    _("Dòng dự toán %(n)s: cần ghi nội dung chi.") % {"n": n},
                    field="budget",
                )
            )
        if min(row.kcqg, row.kcdp, row.counterpart, row.other) < 0:
            found.append(
                Finding(
                    "budget-negative",
                    _("Dòng dự toán %(n)s (%(item)s): số tiền không được âm.")
                    % {"n": n, "item": row.item},
                    field="budget",
                )
            )
    sums = totals(rows)
    if rows and sums.support <= 0:
        found.append(
            Finding(
                "budget-no-support",
                _("Dự toán chưa có kinh phí khuyến công (KCQG hoặc KCĐP) nào."),
                field="budget",
            )
        )
    if fund == KCDP and sums.kcqg:
        found.append(
            Finding(
                "budget-kcqg-in-local",
                _(
                    "Đề án dùng kinh phí khuyến công địa phương không được có kinh phí KCQG "
                    "(%(amount)s): đề án có KCQG phải lập là đề án KCQG để Cục thẩm định."
                )
                % {"amount": format_money(sums.kcqg)},
                field="budget",
            )
        )
    return found


@dataclass(frozen=True)
class TaskRow:
    name: str
    start: datetime.date
    end: datetime.date


def month_end(month: datetime.date) -> datetime.date:
    """The last day of the month of ``month``: a registration's end month "6/2027" ends a task
    on 30/6/2027, not on its first day."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def check_schedule(tasks: Sequence[TaskRow], plan_year: int) -> list[Finding]:
    found: list[Finding] = []
    for n, task in enumerate(tasks, start=1):
        if not task.name.strip():
            found.append(
                Finding(
                    "task-name",
                    _("Công việc %(n)s: cần ghi tên công việc.") % {"n": n},
                    field="tasks",
                )
            )
        if task.end < task.start:
            found.append(
                Finding(
                    "task-order",
                    _("Công việc “%(name)s”: ngày kết thúc trước ngày bắt đầu.")
                    % {"name": task.name},
                    field="tasks",
                )
            )
        if task.start.year < plan_year - 1 or task.end.year > plan_year + 5:
            found.append(
                Finding(
                    "task-year",
                    _("Công việc “%(name)s”: thời gian không phù hợp với năm kế hoạch %(y)s.")
                    % {"name": task.name, "y": plan_year},
                    severity=WARNING,
                    field="tasks",
                )
            )
    return found


def check_outputs(line_count: int) -> list[Finding]:
    """A project with no output on a programme line is allowed, but the programme's progress
    will not count it: say so while it can still be fixed."""
    if line_count:
        return []
    return [
        Finding(
            "outputs-missing",
            _(
                "Đề án chưa có sản phẩm đầu ra gắn với dòng nội dung chương trình: tiến độ thực "
                "hiện chương trình sẽ không tính đề án này. Hãy ghi ở bảng “Sản phẩm đầu ra theo "
                "dòng nội dung chương trình”."
            ),
            severity=WARNING,
            field="outputs",
        )
    ]


# ------------------------------------------------------------------------------- support norm
@dataclass(frozen=True)
class Limit:
    """The norm's answer for this project (``norms.selectors.SupportLimit``, reduced)."""

    maximum: int
    sentence: str
    legal_basis: str = ""
    needs_verification: bool = False


def check_support_cap(
    support: int, limit: Limit | None, *, content_label: str, fund: str
) -> list[Finding]:
    """Support (KCQG + KCĐP) above the norm's cap is an error that names the rule."""
    if limit is None:
        return [
            Finding(
                "norm-missing",
                _(
                    "Chưa có định mức hỗ trợ cho nội dung “%(content)s” (nguồn %(fund)s): chưa "
                    "kiểm tra được mức hỗ trợ tối đa."
                )
                % {"content": content_label, "fund": fund_label(fund)},
                severity=WARNING,
                field="content",
            )
        ]
    found: list[Finding] = []
    if support > limit.maximum:
        found.append(
            Finding(
                "norm-cap",
                _(
                    "Kinh phí hỗ trợ đề nghị (KCQG + KCĐP) %(support)s vượt mức tối đa "
                    "%(maximum)s, vượt %(excess)s. %(rule)s"
                )
                % {
                    "support": format_money(support),
                    "maximum": format_money(limit.maximum),
                    "excess": format_money(support - limit.maximum),
                    "rule": limit.sentence,
                },
                field="budget",
            )
        )
    if limit.needs_verification:
        found.append(
            Finding(
                "norm-unverified",
                _("Định mức áp dụng (%(basis)s) đang được đánh dấu “cần xác minh”.")
                % {"basis": limit.legal_basis or limit.sentence},
                severity=INFO,
                field="content",
            )
        )
    return found


# ------------------------------------------------------------------------ support history
@dataclass(frozen=True)
class PriorSupport:
    """Another project, approved or later, that supported a beneficiary."""

    establishment: str
    project_title: str
    year: int
    url: str = ""


def check_repeat_support(
    prior: Sequence[PriorSupport], *, content_label: str, year: int
) -> list[Finding]:
    """A warning per establishment supported for the same content in the same or the previous
    year (the same expenditure must not be funded twice), with links to those projects."""
    by_establishment: dict[str, list[PriorSupport]] = {}
    for record in prior:
        if record.year in (year, year - 1):
            by_establishment.setdefault(record.establishment, []).append(record)
    found = []
    for name, records in sorted(by_establishment.items()):
        found.append(
            Finding(
                "repeat-support",
                _(
                    "Cơ sở “%(name)s” đã được hỗ trợ nội dung “%(content)s” năm %(years)s: kiểm "
                    "tra để không hỗ trợ trùng một khoản chi."
                )
                % {
                    "name": name,
                    "content": content_label,
                    "years": ", ".join(str(y) for y in sorted({r.year for r in records})),
                },
                severity=WARNING,
                field="beneficiaries",
                links=tuple(Link(f"{r.project_title} ({r.year})", r.url) for r in records if r.url),
            )
        )
    return found


@dataclass(frozen=True)
class FairCount:
    """Other committed overseas-fair projects of one establishment in the plan year."""

    establishment: str
    others: Sequence[PriorSupport]


def check_overseas_fairs(
    counts: Sequence[FairCount], *, year: int, limit: int = OVERSEAS_FAIRS_PER_YEAR
) -> list[Finding]:
    """At most ``limit`` supported overseas fairs per establishment per year."""
    found = []
    for count in counts:
        if len(count.others) + 1 > limit:
            found.append(
                Finding(
                    "overseas-fairs",
                    _(
                        "Cơ sở “%(name)s” đã có %(n)s đề án hỗ trợ tham gia hội chợ, triển lãm "
                        "ở nước ngoài năm %(year)s: mỗi cơ sở được hỗ trợ tối đa %(limit)s hội "
                        "chợ nước ngoài một năm."
                    )
                    % {
                        "name": count.establishment,
                        "n": len(count.others),
                        "year": year,
                        "limit": limit,
                    },
                    field="beneficiaries",
                    links=tuple(Link(r.project_title, r.url) for r in count.others if r.url),
                )
            )
    return found


# ------------------------------------------------------------------------------------- money
def percent(rate: Decimal) -> str:
    return f"{format_number((rate * 100).normalize())}%"


def advance_limit(approved: int, rate: Decimal) -> int:
    """Tạm ứng tối đa: ``rate`` × approved support, rounded down to whole đồng."""
    return int((Decimal(approved) * rate).to_integral_value(rounding=ROUND_FLOOR))


def advance_refusal(
    *, fund: str, approved: int, rate: Decimal, advanced: int, amount: int
) -> str | None:
    """Why an advance of ``amount`` must be refused, or ``None``."""
    if amount <= 0:
        return _("Số tiền tạm ứng phải lớn hơn 0.")
    ceiling = advance_limit(approved, rate)
    if advanced + amount <= ceiling:
        return None
    return _(
        "Tạm ứng tối đa %(rate)s kinh phí hỗ trợ được duyệt (%(fund)s %(approved)s): "
        "%(ceiling)s; đã tạm ứng %(advanced)s, lần này %(amount)s — vượt %(excess)s."
    ) % {
        "rate": percent(rate),
        "fund": fund_label(fund),
        "approved": format_money(approved),
        "ceiling": format_money(ceiling),
        "advanced": format_money(advanced),
        "amount": format_money(amount),
        "excess": format_money(advanced + amount - ceiling),
    }


def payment_refusal(*, fund: str, approved: int, disbursed: int, amount: int) -> str | None:
    """Advances and payments together never exceed the approved support of the fund."""
    if amount <= 0:
        return _("Số tiền thanh toán phải lớn hơn 0.")
    if disbursed + amount <= approved:
        return None
    return _(
        "Tổng tạm ứng và thanh toán không được vượt kinh phí hỗ trợ được duyệt (%(fund)s "
        "%(approved)s); đã chi %(disbursed)s, lần này %(amount)s — vượt %(excess)s."
    ) % {
        "fund": fund_label(fund),
        "approved": format_money(approved),
        "disbursed": format_money(disbursed),
        "amount": format_money(amount),
        "excess": format_money(disbursed + amount - approved),
    }


# ---------------------------------------------------------------------- step payloads
APPRAISAL_CONCLUSIONS = {
    "dat": _("Đạt"),
    "dat-co-dieu-kien": _("Đạt, cần hoàn thiện theo ý kiến thẩm định"),
}


def check_appraisal(sheet: str, score: int | None, conclusion: str) -> list[str]:
    problems = []
    if not sheet.strip():
        problems.append(_("Cần ghi nội dung phiếu thẩm định."))
    if score is not None and not 0 <= score <= 100:
        problems.append(_("Điểm thẩm định phải từ 0 đến 100."))
    if conclusion not in APPRAISAL_CONCLUSIONS:
        problems.append(
            _(
                "Cần chọn kết luận thẩm định (đạt hoặc đạt có điều kiện); đề án không đạt thì "
                "trả lại hoặc không phê duyệt."
            )
        )
    return problems


def check_decision(
    *,
    number: str,
    date: datetime.date | None,
    approved: Totals,
    proposed: Totals,
    fund: str,
) -> list[str]:
    """Approval decision: a number and a date; approved support per fund not above what the
    project proposes (the proposal was checked against the norm), and something approved."""
    problems = []
    if not number.strip() or date is None:
        problems.append(_("Cần số và ngày của quyết định phê duyệt."))
    if approved.kcqg < 0 or approved.kcdp < 0:
        problems.append(_("Kinh phí được duyệt không được âm."))
    if approved.support <= 0:
        problems.append(_("Cần ghi kinh phí hỗ trợ được duyệt (KCQG, KCĐP)."))
    if fund == KCDP and approved.kcqg:
        problems.append(_("Đề án KCĐP không được duyệt kinh phí KCQG."))
    for f in (KCQG, KCDP):
        if approved.for_fund(f) > proposed.for_fund(f):
            problems.append(
                _(
                    "Kinh phí %(fund)s được duyệt %(approved)s vượt kinh phí %(fund)s đề nghị "
                    "trong dự toán %(proposed)s."
                )
                % {
                    "fund": fund_label(f),
                    "approved": format_money(approved.for_fund(f)),
                    "proposed": format_money(proposed.for_fund(f)),
                }
            )
    return problems


def check_settlement(*, actual: Totals, approved: Totals, date: datetime.date | None) -> list[str]:
    """Actual amounts per fund, never above the approved ones."""
    problems = []
    if date is None:
        problems.append(_("Cần ngày quyết toán."))
    for f in (KCQG, KCDP):
        value, limit = actual.for_fund(f), approved.for_fund(f)
        if value < 0:
            problems.append(_("Kinh phí quyết toán không được âm."))
        elif value > limit:
            problems.append(
                _(
                    "Kinh phí %(fund)s quyết toán %(actual)s vượt kinh phí được duyệt "
                    "%(approved)s: quyết toán không được vượt số đã phê duyệt."
                )
                % {
                    "fund": fund_label(f),
                    "actual": format_money(value),
                    "approved": format_money(limit),
                }
            )
    return problems


def check_acceptance(
    *,
    minutes: str,
    date: datetime.date | None,
    lines: Sequence[str],
    actual: Sequence[Decimal | None],
) -> list[str]:
    """Nghiệm thu: minutes, a date, and the actual output of every planned programme line."""
    problems = []
    if not minutes.strip():
        problems.append(_("Cần ghi nội dung biên bản nghiệm thu."))
    if date is None:
        problems.append(_("Cần ngày nghiệm thu."))
    for label, value in zip(lines, actual, strict=True):
        if value is None:
            problems.append(_("Cần ghi số lượng thực hiện của “%(line)s”.") % {"line": label})
        elif value < 0:
            problems.append(_("Số lượng thực hiện của “%(line)s” không được âm.") % {"line": label})
    return problems
