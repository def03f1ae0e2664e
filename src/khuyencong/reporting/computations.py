"""Figures computed from the system's own data at a period's cut-off (chỉ tiêu tự động).

Each computation is one grouped query (or two) over the rows of the period's window
(``period.start`` … ``cutoff``), grouped by province or by commune, optionally restricted to one
unit: the cost does not grow with the number of units asked for. A computation returns, per
unit, its figures keyed by disaggregation (``""`` is the total; it is returned explicitly,
because a total of distinct establishments is not the sum of its keys).

Counting rules: a project counts from its approval decision (``decision_date`` in the window)
while it is still approved or later (``projects.workflow.SUPPORTED``: a project cancelled
since counts no more); money paid counts on the day it was paid; settlement on the day of
settlement; a certificate on its issue date; certificates in force are a stock at the cut-off.

Breakdowns (phân tổ) share one key space per figure: funds (``KCQG``…), content groups of
2646 (``nhom-1``…``nhom-6``, the group of the project's support content in the norms
catalogue), product groups (``nsp-1``…``nsp-4``, of the establishment or the certified
product), owners (``nu``, ``dtts``) and certificate levels. Only the breakdowns the indicator
declares are computed (``Window.kinds``; ``BREAKDOWNS`` says which each computation can give).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar, cast

from django.db.models import Count, Q, QuerySet, Sum

from khuyencong.awards.models import Certificate
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.norms.models import NormContent
from khuyencong.projects import kept_money
from khuyencong.projects import workflow as project_workflow
from khuyencong.projects.models import Advance, Payment, Project, ProjectOutput
from khuyencong.registry.models import Establishment, ProductGroup

from . import breakdowns
from .aggregation import Figure, across_units
from .periods import Period

Level = Literal["province", "commune"]
Result = dict[int, dict[str, Figure]]
T = TypeVar("T")

SUPPORTED = sorted(project_workflow.SUPPORTED)
MACHINERY = ("may-moc-thiet-bi", "day-chuyen-cong-nghe")
FUND_MONEY = (
    ("KCQG", "approved_kcqg"),
    ("KCDP", "approved_kcdp"),
    ("DOI_UNG", "counterpart"),
    ("KHAC", "other"),
)


@dataclass(frozen=True)
class Window:
    period: Period
    cutoff: datetime.date
    level: Level
    within: AdministrativeUnit | None = None
    #: The breakdowns to compute (the indicator's declared ones); the total always.
    kinds: frozenset[str] = breakdowns.ALL

    @property
    def dates(self) -> tuple[datetime.date, datetime.date]:
        return (self.period.start, self.cutoff)

    def wants(self, kind: str) -> bool:
        return kind in self.kinds


def _where(window: Window, *, province: str, commune: str) -> tuple[str, Q]:
    """The grouping column for the window's level and the filter for its unit."""
    column = province if window.level == "province" else commune
    unit = window.within
    if unit is None or unit.level == UnitLevel.NATIONAL:
        return column, Q(**{f"{column}__isnull": False})
    if unit.level == UnitLevel.PROVINCE:
        return column, Q(**{province: unit.pk})
    return column, Q(**{commune: unit.pk})


def _projects(window: Window) -> tuple[str, QuerySet[Project]]:
    column, where = _where(window, province="unit_id", commune="location_id")
    approved = Project.objects.filter(
        where, status__in=SUPPORTED, decision_date__range=window.dates
    )
    return column, approved


class Sums:
    """Parts added up per unit and key as plain numbers, made into figures once at the end: a
    ``Figure`` per grouped row was most of the national roll-up's Python time."""

    def __init__(self) -> None:
        self.numerators: dict[int, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
        self.denominators: dict[tuple[int, str], Any] = {}

    def add(self, unit_id: int, key: str, value: Any, denominator: Any = None) -> None:
        self.numerators[unit_id][key] += value or 0
        if denominator is not None:
            name = (unit_id, key)
            self.denominators[name] = self.denominators.get(name, 0) + denominator

    def figures(self) -> Result:
        def figure(unit_id: int, key: str, value: Any) -> Figure:
            denominator = self.denominators.get((unit_id, key))
            return Figure(Decimal(value), None if denominator is None else Decimal(denominator))

        return {
            unit_id: {key: figure(unit_id, key, value) for key, value in keys.items()}
            for unit_id, keys in self.numerators.items()
        }


_SHARED: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "reporting_computations_shared", default=None
)


@contextlib.contextmanager
def sharing() -> Iterator[None]:
    """Inside, the computations of one indicator family read their rows once: the approved
    projects' grouped rows serve the projects, money, KCQG share and per-content indicators
    (the roll-up and the summary refresh compute every indicator of a level at once). Outside,
    each computation reads what it needs (a report's fill, one unit)."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _once(name: tuple[Any, ...], read: Callable[[], T]) -> T:
    memo = _SHARED.get()
    if memo is None:
        return read()
    if name not in memo:
        memo[name] = read()
    return cast(T, memo[name])


def _window_name(window: Window) -> tuple[Any, ...]:
    within = window.within.pk if window.within is not None else None
    return (window.period.code, window.cutoff, window.level, within)


def product_group_key(group: str) -> str:
    """The breakdown key of a product group (nhóm sản phẩm ``1`` → ``nsp-1``)."""
    return f"{breakdowns.PRODUCT_GROUP_PREFIX}{group}"


def content_groups(window: Window | None = None) -> dict[str, str]:
    """Support content code → its content group's code (``may-moc-thiet-bi`` → ``nhom-1``),
    from the norms catalogue (one small query; none when the window wants no content group)."""
    if window is not None and not window.wants(breakdowns.CONTENT):
        return {}
    return _once(
        ("content-groups",),
        lambda: dict(
            NormContent.objects.filter(group__isnull=False).values_list("code", "group__code")
        ),
    )


def _fund(window: Window, fund: str) -> str | None:
    return fund if window.wants(breakdowns.FUND) else None


def _by_product_group(field: str) -> dict[str, Count]:
    """One count per product group, named ``group_1``…"""
    return {
        f"group_{group}": Count("pk", filter=Q(**{field: group})) for group in ProductGroup.values
    }


#: The money columns of an approved project, in ``FUND_MONEY``'s order.
_MONEY_SUMS = {f"s{n}": Sum(field) for n, (_key, field) in enumerate(FUND_MONEY)}


def _approved(window: Window) -> list[tuple[Any, ...]]:
    """The window's approved projects grouped by unit, fund and support content: (unit, fund,
    content, count, KCQG, KCĐP, counterpart, other) — one query the whole family shares (the
    content groups and the per-content indicators are read off the content)."""
    column, approved = _projects(window)
    names = [column, "fund", "content", "n", *_MONEY_SUMS]
    return _once(
        ("approved", *_window_name(window)),
        lambda: list(
            approved.values(column, "fund", "content")
            .annotate(n=Count("pk"), **_MONEY_SUMS)
            .values_list(*names)
            .order_by()
        ),
    )


def projects_approved(window: Window, content: tuple[str, ...] = ()) -> Result:
    """Đề án được phê duyệt in the window, by fund and (all contents) by content group."""
    groups = {} if content else content_groups(window)
    by_fund = window.wants(breakdowns.FUND)
    result = Sums()
    for unit_id, fund, code, n, *_money in _approved(window):
        if content and code not in content:
            continue
        result.add(unit_id, "", n)
        if by_fund:
            result.add(unit_id, fund, n)
        if code in groups:
            result.add(unit_id, groups[code], n)
    return result.figures()


def money_approved(window: Window) -> Result:
    """Kinh phí được phê duyệt (KCQG, KCĐP) and the counterpart and other money of the same
    projects, by source and by content group (all four sources together)."""
    groups = content_groups(window)
    by_fund = window.wants(breakdowns.FUND)
    result = Sums()
    for unit_id, _fund, code, _n, *money in _approved(window):
        group = groups.get(code)
        for (key, _field), amount in zip(FUND_MONEY, money, strict=True):
            if by_fund:
                result.add(unit_id, key, amount)
            result.add(unit_id, "", amount)
            if group:
                result.add(unit_id, group, amount)
    return result.figures()


def kcqg_share(window: Window) -> Result:
    """Tỷ trọng KCQG: KCQG approved over all support approved (KCQG + KCĐP) — a ratio whose
    parts are kept, so a roll-up recomputes it from the summed parts."""
    result = Sums()
    for unit_id, _fund, _code, _n, kcqg, kcdp, _counterpart, _other in _approved(window):
        result.add(unit_id, "", kcqg, (kcqg or 0) + (kcdp or 0))
    return result.figures()


#: The rows of money paid each money computation counts (``kept_money.disbursed_rows``):
#: tạm ứng, thanh toán, and both (giải ngân, the indicator of the sets' version 1).
MONEY_ROWS: dict[str, tuple[type[Advance] | type[Payment], ...]] = {
    "money-advanced": (Advance,),
    "money-paid": (Payment,),
    "money-disbursed": (Advance, Payment),
}


def _money(window: Window, computation: str) -> Result:
    """Money of ``MONEY_ROWS[computation]`` paid in the window, by fund and content group."""
    column, where = _where(window, province="project__unit_id", commune="project__location_id")
    groups = content_groups(window)
    columns = [column, "fund" if window.wants(breakdowns.FUND) else None]
    columns.append("project__content" if groups else None)
    result = Sums()
    for model in MONEY_ROWS[computation]:
        paid = kept_money.disbursed_rows(model).filter(where, paid_on__range=window.dates)
        for unit_id, fund, code, amount in _grouped(paid, columns, total=Sum("amount")):
            if fund:
                result.add(unit_id, fund, amount)
            result.add(unit_id, "", amount)
            if code in groups:
                result.add(unit_id, groups[code], amount)
    return result.figures()


def money_advanced(window: Window) -> Result:
    """Tạm ứng: advances paid in the window, by fund and content group."""
    return _money(window, "money-advanced")


def money_paid(window: Window) -> Result:
    """Thanh toán: payments paid in the window that count as disbursed (not awaiting Finance's
    co-signature, not refused: ``cosign.DISBURSED``), by fund and content group."""
    return _money(window, "money-paid")


def money_disbursed(window: Window) -> Result:
    """Giải ngân (version 1 of the default sets): advances and payments together."""
    return _money(window, "money-disbursed")


def money_settled(window: Window) -> Result:
    """Quyết toán: projects settled in the window, their settled money by fund."""
    column, where = _where(window, province="unit_id", commune="location_id")
    result = Sums()
    for row in (
        Project.objects.filter(where, settled_on__range=window.dates)
        .values(column)
        .annotate(kcqg=Sum("settled_kcqg"), kcdp=Sum("settled_kcdp"))
        .order_by()
    ):
        for key, field in (("KCQG", "kcqg"), ("KCDP", "kcdp")):
            if window.wants(breakdowns.FUND):
                result.add(row[column], key, row[field])
            result.add(row[column], "", row[field])
    return result.figures()


#: Trainees (học viên) are the quantities of project outputs on programme lines counted in
#: people (the unit of measure, as the programmes write it) of the content group "nguồn nhân
#: lực, năng lực quản lý" (2646's group 4: khởi sự, quản trị doanh nghiệp, sản xuất sạch hơn
#: training): a class (lớp) or a conference (hội nghị) on the same lines is not a trainee.
TRAINEE_UNITS = ("học viên", "lượt học viên", "người", "lượt người")
TRAINING_GROUPS = ("nhom-4",)


def trainee_outputs() -> QuerySet[ProjectOutput]:
    """The outputs that count trainees (any project, any date: the caller narrows them)."""
    units = [*TRAINEE_UNITS, *(u.capitalize() for u in TRAINEE_UNITS)]
    return ProjectOutput.objects.filter(
        line__unit_of_measure__in=units, line__group__code__in=TRAINING_GROUPS
    )


def _accepted(window: Window) -> tuple[str, QuerySet[Project]]:
    """The projects accepted (nghiệm thu) in the window and not cancelled since: what a
    project achieved is what its acceptance minutes record (``actual_quantity``)."""
    column, where = _where(window, province="unit_id", commune="location_id")
    accepted = Project.objects.filter(where, status__in=SUPPORTED, accepted_on__range=window.dates)
    return column, accepted


def trainees(window: Window) -> Result:
    """Học viên được đào tạo: the actual trainees of the projects accepted in the window, by
    the project's fund."""
    column, accepted = _accepted(window)
    columns = [f"project__{column}", "project__fund" if window.wants(breakdowns.FUND) else None]
    found = trainee_outputs().filter(project__in=accepted.values("pk"), actual_quantity__gt=0)
    result = Sums()
    for unit_id, fund, quantity in _grouped(found, columns, total=Sum("actual_quantity")):
        if fund:
            result.add(unit_id, fund, quantity)
        result.add(unit_id, "", quantity)
    return result.figures()


def establishments_supported(window: Window, content: tuple[str, ...] = ()) -> Result:
    """Cơ sở CNNT thụ hưởng đề án phê duyệt trong kỳ (each counted once), by the owner: women
    (``nu``) and ethnic minorities (``dtts``), and by product group (``nsp-1``…)."""
    _column, approved = _projects(Window(window.period, window.cutoff, "province"))
    if content:
        approved = approved.filter(content__in=content)
    column, where = _where(window, province="province_id", commune="commune_id")
    supported = Establishment.objects.filter(where, projects__in=approved.values("pk")).distinct()
    result = Sums()
    counts: dict[str, Count] = {}
    if window.wants(breakdowns.OWNER):
        counts["nu"] = Count("pk", filter=Q(owner_gender="nu"))
        counts["dtts"] = Count("pk", filter=Q(owner_ethnic_minority=True))
    if window.wants(breakdowns.PRODUCT_GROUP):
        counts |= _by_product_group("product_group")
    for row in (
        Establishment.objects.filter(pk__in=supported.values("pk"))
        .values(column)
        .annotate(total=Count("pk"), **counts)
        .order_by()
    ):
        result.add(row[column], "", row["total"])
        for owner in ("nu", "dtts"):
            if owner in row:
                result.add(row[column], owner, row[owner])
        for group in ProductGroup.values:
            if row.get(f"group_{group}"):
                result.add(row[column], product_group_key(group), row[f"group_{group}"])
    return result.figures()


def certificates_issued(window: Window) -> Result:
    """Sản phẩm được chứng nhận tiêu biểu in the window, by level and by product group."""
    column, where = _where(window, province="province_id", commune="commune_id")
    result = Sums()
    columns = [column, "level" if window.wants(breakdowns.LEVEL) else None]
    columns.append("product__group" if window.wants(breakdowns.PRODUCT_GROUP) else None)
    issued = Certificate.objects.filter(where, issued_on__range=window.dates)
    for unit_id, level, group, n in _grouped(issued, columns, n=Count("pk")):
        if level:
            result.add(unit_id, level, n)
        if group:
            result.add(unit_id, product_group_key(group), n)
        result.add(unit_id, "", n)
    return result.figures()


def certificates_valid(window: Window) -> Result:
    """Giấy chứng nhận còn hiệu lực at the cut-off (a stock), by level."""
    column, where = _where(window, province="province_id", commune="commune_id")
    result = Sums()
    columns = [column, "level" if window.wants(breakdowns.LEVEL) else None]
    valid = Certificate.objects.valid(window.cutoff).filter(where)
    for unit_id, level, n in _grouped(valid, columns, n=Count("pk")):
        if level:
            result.add(unit_id, level, n)
        result.add(unit_id, "", n)
    return result.figures()


def _grouped(rows: QuerySet[Any], columns: list[str | None], **aggregate: Any) -> Any:
    """Tuples (each column's value, or ``None`` for a column not asked for, then the
    aggregate), grouped by the columns asked for only."""
    asked = [c for c in columns if c]
    at = {c: n for n, c in enumerate(asked)}
    found = rows.values(*asked).annotate(**aggregate).values_list(*asked, *aggregate).order_by()
    for row in found:
        yield (*(row[at[c]] if c else None for c in columns), *row[len(asked) :])


def _content(*codes: str) -> Callable[[Window], Result]:
    return lambda window: projects_approved(window, codes)


COMPUTATIONS: dict[str, Callable[[Window], Result]] = {
    "projects-approved": projects_approved,
    "money-approved": money_approved,
    "kcqg-share": kcqg_share,
    "money-advanced": money_advanced,
    "money-paid": money_paid,
    "money-disbursed": money_disbursed,
    "money-settled": money_settled,
    "establishments-supported": establishments_supported,
    "machinery": lambda window: establishments_supported(window, MACHINERY),
    "trademarks": lambda window: establishments_supported(window, ("nhan-hieu",)),
    "environment": lambda window: establishments_supported(window, ("xu-ly-moi-truong-co-so",)),
    "demonstration-models": _content("mo-hinh-trinh-dien"),
    "cleaner-production": _content("san-xuat-sach-hon"),
    "fairs": _content("hoi-cho-trong-nuoc"),
    "certificates": certificates_issued,
    "certificates-valid": certificates_valid,
    "trainees": trainees,
}

_PROJECTS = frozenset({breakdowns.FUND, breakdowns.CONTENT})
_ESTABLISHMENTS = frozenset({breakdowns.OWNER, breakdowns.PRODUCT_GROUP})
#: The breakdowns each computation can give (an indicator declares a subset of them).
BREAKDOWNS: dict[str, frozenset[str]] = {
    "projects-approved": _PROJECTS,
    "money-approved": _PROJECTS,
    "kcqg-share": frozenset(),
    "money-advanced": _PROJECTS,
    "money-paid": _PROJECTS,
    "money-disbursed": _PROJECTS,
    "money-settled": frozenset({breakdowns.FUND}),
    "establishments-supported": _ESTABLISHMENTS,
    "machinery": _ESTABLISHMENTS,
    "trademarks": _ESTABLISHMENTS,
    "environment": _ESTABLISHMENTS,
    "demonstration-models": frozenset({breakdowns.FUND}),
    "cleaner-production": frozenset({breakdowns.FUND}),
    "fairs": frozenset({breakdowns.FUND}),
    "certificates": frozenset({breakdowns.LEVEL, breakdowns.PRODUCT_GROUP}),
    "certificates-valid": frozenset({breakdowns.LEVEL}),
    "trainees": frozenset({breakdowns.FUND}),
}


def compute(
    computation: str,
    *,
    period: Period,
    cutoff: datetime.date,
    level: Level,
    within: AdministrativeUnit | None = None,
    kinds: Iterable[str] | None = None,
) -> Result:
    """Figures per unit of ``level`` (optionally only ``within`` one unit): the total and the
    breakdowns ``kinds`` (an indicator's declared ones; every one the computation gives when
    ``None``), nothing else."""
    wanted = breakdowns.ALL if kinds is None else frozenset(kinds)
    result = COMPUTATIONS[computation](Window(period, cutoff, level, within, wanted))
    return {unit_id: breakdowns.declared(figures, wanted) for unit_id, figures in result.items()}


def for_indicator(indicator: Any, **where: Any) -> Result:
    """``compute`` of an indicator: its computation and its declared breakdowns only."""
    return compute(indicator.computation, kinds=indicator.breakdowns, **where)


def for_unit(
    indicator: Any, *, unit: AdministrativeUnit, period: Period, cutoff: datetime.date
) -> dict[str, Figure]:
    """One unit's own figures of an indicator: a commune's or a province's, or the nation's
    (its provinces combined by the indicator's rule)."""
    level: Level = "commune" if unit.level == UnitLevel.COMMUNE else "province"
    rule = indicator.aggregation
    result = for_indicator(indicator, period=period, cutoff=cutoff, level=level, within=unit)
    if unit.level != UnitLevel.NATIONAL:
        return dict(result.get(unit.pk, {}))
    keys = {key for figures in result.values() for key in figures}
    return {key: across_units(rule, (f[key] for f in result.values() if key in f)) for key in keys}


#: Which records stand behind each computation (for the drill-down to the records).
RECORD_KIND: dict[str, str] = {
    "establishments-supported": "establishment",
    "machinery": "establishment",
    "trademarks": "establishment",
    "environment": "establishment",
    "certificates": "certificate",
    "certificates-valid": "certificate",
}
CONTENTS: dict[str, tuple[str, ...]] = {
    "machinery": MACHINERY,
    "trademarks": ("nhan-hieu",),
    "environment": ("xu-ly-moi-truong-co-so",),
    "demonstration-models": ("mo-hinh-trinh-dien",),
    "cleaner-production": ("san-xuat-sach-hon",),
    "fairs": ("hoi-cho-trong-nuoc",),
}


def records(computation: str, window: Window) -> tuple[str, QuerySet[Any]]:
    """The rows a computed figure counts, for the unit of the window (unscoped: the caller
    narrows them with the access policy)."""
    kind = RECORD_KIND.get(computation, "project")
    if kind == "certificate":
        _column, where = _where(window, province="province_id", commune="commune_id")
        found = Certificate.objects.filter(where)
        if computation == "certificates":
            return kind, found.filter(issued_on__range=window.dates)
        return kind, found.valid(window.cutoff)
    content = CONTENTS.get(computation, ())
    if kind == "establishment":
        _column, approved = _projects(Window(window.period, window.cutoff, "province"))
        _column, where = _where(window, province="province_id", commune="commune_id")
        approved = approved.filter(content__in=content) if content else approved
        return kind, Establishment.objects.filter(
            where, projects__in=approved.values("pk")
        ).distinct()
    _column, where = _where(window, province="unit_id", commune="location_id")
    if computation in MONEY_ROWS:
        paid = Q(pk__in=[])
        for model in MONEY_ROWS[computation]:
            rows = kept_money.disbursed_rows(model).filter(paid_on__range=window.dates)
            paid |= Q(pk__in=rows.values("project_id"))
        return kind, Project.objects.filter(where).filter(paid)
    if computation == "money-settled":
        return kind, Project.objects.filter(where, settled_on__range=window.dates)
    if computation == "trainees":
        _column, accepted = _accepted(window)
        counted = trainee_outputs().filter(actual_quantity__gt=0).values("project_id")
        return kind, accepted.filter(pk__in=counted)
    _column, approved = _projects(window)
    return kind, approved.filter(content__in=content) if content else approved
