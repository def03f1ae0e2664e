"""Scoped reads of projects (already narrowed by the access policy and loaded with their
relations, so query counts stay flat)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, RowNumber
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.core.exports import ExportRefused
from khuyencong.core.formatting import format_number
from khuyencong.core.prepared import Prepared
from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.planning.models import RegistrationStatus, SupportRegistration
from khuyencong.programs.models import ActivityLine, AllocationCell, ProgrammeStatus
from khuyencong.registry.models import Establishment

from . import changes, cosign, norms_api, progress, rules, workflow
from .exporting import ProjectRow
from .models import (
    Advance,
    Attachment,
    BudgetLine,
    Inspection,
    Payment,
    ProgressReport,
    Project,
    ProjectKind,
    ProjectOutput,
    ProjectSignOff,
    ProjectSnapshot,
    ProjectStatus,
    ProjectTask,
    ProjectTransition,
)


def visible_projects(user: Any) -> QuerySet[Project]:
    """Projects of the provinces in the user's scope; an establishment's representative sees
    the projects their establishment benefits from."""
    return policy.scope_queryset(
        user,
        Project.objects.select_related("unit", "location"),
        unit_field="unit",
        establishment_field="beneficiaries",
    )


#: The list filter "approved or later" (những đề án được tính vào tiến độ chương trình).
SUPPORTED_STATUS = "da-duyet-tro-len"


def projects(
    user: Any,
    *,
    status: str = "",
    fund: str = "",
    year: int | None = None,
    commune_code: str = "",
    search: str = "",
    line_id: int | None = None,
) -> QuerySet[Project]:
    """``status`` is a state or :data:`SUPPORTED_STATUS` (approved and every later state but
    cancelled: the projects programme progress counts); ``line_id`` keeps the projects with an
    output on that programme line."""
    found = visible_projects(user)
    if status == SUPPORTED_STATUS:
        found = found.filter(status__in=list(workflow.SUPPORTED))
    elif status:
        found = found.filter(status=status)
    if line_id is not None:
        found = found.filter(
            Exists(ProjectOutput.objects.filter(project=OuterRef("pk"), line_id=line_id))
        )
    if fund:
        found = found.filter(fund=fund)
    if year is not None:
        found = found.filter(plan_year=year)
    if commune_code:
        found = found.filter(location__code=commune_code)
    if search.strip():
        found = found.filter(title_folded__contains=fold(search.strip()))
    return found.order_by("-plan_year", "-updated_at", "-pk")


def counted_projects(user: Any, *, search: str = "", **filters: Any) -> QuerySet[Project]:
    """What the list counts: :func:`projects`, a title search written for the count. The
    count reads every match (up to its limit) through the title's trigram index, so the index
    is given each word, and the phrase is tested on the titles it returns (an expression of
    the title, which the index does not serve): the phrase's own trigrams include those at its
    words' edges ("  c", " ca", "ho " of "tho cam"), whose entries are most of the titles —
    the national count of 'tho cam' read them in 1.47 of its 2.65 ms at scale 1.0, the words'
    in 0.31 (1.43 ms in all; issue 11, docs/bench/scoped-search-2026-12-05.md). The page's rows
    keep :func:`projects`' phrase: they walk the list's order, which the words alone made the
    planner trade for reading and sorting every match (14 ms)."""
    phrase = fold(search.strip())
    words = phrase.split()
    if len(words) < 2:  # a word is its own phrase
        return projects(user, search=search, **filters)
    return (
        projects(user, **filters)
        .filter(*(Q(title_folded__contains=word) for word in words))
        .alias(title_text=Concat("title_folded", Value("")))
        .filter(title_text__contains=phrase)
    )


@dataclass(frozen=True)
class PagedRows:
    """A list's rows read a page at a time in two steps of one query: the page's ids from the
    filtered, ordered walk (``ids``), then only those rows with their shown columns
    (``rows``). Sliced like a queryset (what a paginator does); a slice is a list of dicts.

    Why (issue 11, growth of the title search): each project the walk skips was a visit to
    the table to test its title — the national search 'tho cam' walks 2,078 projects for its
    51 rows at scale 1.0 (2,315 buffers). Selecting only the id, the walk is an index-only
    scan of the order's index, which holds the folded title (migration 0013): 345 buffers."""

    ids: QuerySet[Project]
    rows: QuerySet[Project, Mapping[str, Any]]
    ordered = True  # the paginator warns about unordered lists

    def __getitem__(self, page: slice) -> list[Mapping[str, Any]]:
        return list(self.rows.filter(pk__in=self.ids.values("pk")[page]))


def project_rows(user: Any, **filters: Any) -> PagedRows | QuerySet[Project, Mapping[str, Any]]:
    """The list page's rows (``projects``: same scope, filters and order): only the columns it
    shows, as dicts. A Project built with its unit and location as model instances cost
    ~0.18 ms a row (issue 11: the list's CPU is its rows); ``rows.table_rows`` writes them.
    A title search reads its page's ids first (:class:`PagedRows`)."""
    found = projects(user, **filters)
    if str(filters.get("search", "")).strip():
        # The rows of the page's ids: the scope again (every read goes through the policy),
        # not the filters (the ids passed them).
        shown = visible_projects(user).order_by(*found.query.order_by)
        return PagedRows(ids=found, rows=_shown_columns(shown))
    return _shown_columns(found)


def _shown_columns(found: QuerySet[Project]) -> QuerySet[Project, Mapping[str, Any]]:
    return found.values(
        "pk",
        "plan_year",
        "title",
        "kind",
        "is_demo",
        "fund",
        "status",
        "support_kcqg",
        "support_kcdp",
        "approved_kcqg",
        "approved_kcdp",
        unit_name=F("unit__name"),
        location_name=F("location__name"),
    )


class ExportTooLarge(ExportRefused):
    """More projects match than one export may hold."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            _(
                "Danh sách có %(n)s đề án, vượt quá giới hạn %(limit)s đề án của một lần xuất "
                "Excel. Vui lòng lọc bớt (theo năm, nguồn kinh phí, trạng thái hoặc địa điểm) "
                "rồi xuất lại."
            )
            % {"n": format_number(count), "limit": format_number(limit)}
        )
        self.count = count
        self.limit = limit


#: The columns an export reads, in :class:`ProjectRow`'s order up to ``disbursed`` (the long
#: texts of the proposal stay in the database). Plain values: a model instance per row (with
#: its unit, location and prefetched beneficiaries) cost 0.13 ms a row of Python (issue 11).
_EXPORT_VALUES = (
    "pk",
    "title",
    "kind",
    "content",
    "unit__name",
    "location__name",
    "fund",
    "plan_year",
    "total_cost",
    "support_kcqg",
    "support_kcdp",
    "approved_kcqg",
    "approved_kcdp",
    "export_disbursed",
    "settled_kcqg",
    "settled_kcdp",
    "decision_number",
    "decision_date",
    "status",
)
#: Projects read per block (a server-side cursor on PostgreSQL); each block's beneficiaries in
#: one more query.
EXPORT_BLOCK = 2000


def line_for_filter(user: Any, line_id: int | None) -> ActivityLine | None:
    """The programme line a list is filtered by, to name it above the list — only a line of a
    programme the user may see (any id can be typed into the address)."""
    if line_id is None:
        return None
    lines = policy.scope_queryset(
        user,
        ActivityLine.objects.select_related("programme"),
        unit_field="programme__unit",
        action=policy.Action.VIEW_PROGRAMME,
    )
    return lines.filter(pk=line_id).first()


def export_rows(
    user: Any,
    *,
    limit: int,
    **filters: Any,
) -> Iterator[ProjectRow]:
    """The projects of the list (``projects``: same scope, filters and order) as export rows,
    read in blocks of 2,000 (memory stays constant whatever the number of projects).

    Raises ``ExportTooLarge`` at once when more than ``limit`` projects match. Queries: the
    count, the content names, then per block the projects (with the money disbursed the
    services keep on them, ``kept_money``) and their beneficiaries. Labels are in
    Vietnamese, the language of the file.
    """
    found = projects(user, **filters)
    count = found.count()
    if count > limit:
        raise ExportTooLarge(count, limit)
    contents = dict(norms_api.content_choices())
    loaded = (
        found.annotate(export_disbursed=F("disbursed_kcqg") + F("disbursed_kcdp"))
        .values_list(*_EXPORT_VALUES)
        .iterator(chunk_size=EXPORT_BLOCK)
    )
    return _export_rows(loaded, contents)


def _blocks(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    block: list[tuple[Any, ...]] = []
    for row in rows:
        block.append(row)
        if len(block) == EXPORT_BLOCK:
            yield block
            block = []
    if block:
        yield block


def _beneficiary_names(project_ids: list[int]) -> dict[int, list[str]]:
    """The beneficiaries' names of these projects, each in Vietnamese order."""
    names: dict[int, list[str]] = defaultdict(list)
    links = (
        Project.beneficiaries.through.objects.filter(project_id__in=project_ids)
        .order_by("establishment__name_sort", "establishment_id")
        .values_list("project_id", "establishment__name")
    )
    for project_id, name in links:
        names[project_id].append(name)
    return names


def _export_rows(
    loaded: Iterable[tuple[Any, ...]], contents: dict[str, str]
) -> Iterator[ProjectRow]:
    # The labels once, in Vietnamese: get_FOO_display() per row hashed every lazy label of the
    # choices (18 translations a row, a third of the export's time).
    with translation.override(None):
        kinds = {value: str(label) for value, label in ProjectKind.choices}
        statuses = {value: str(label) for value, label in ProjectStatus.choices}
    for block in _blocks(loaded):
        names = _beneficiary_names([row[0] for row in block])
        for (
            pk,
            title,
            kind,
            content,
            province,
            location,
            fund,
            plan_year,
            total_cost,
            support_kcqg,
            support_kcdp,
            approved_kcqg,
            approved_kcdp,
            disbursed,
            settled_kcqg,
            settled_kcdp,
            decision_number,
            decision_date,
            status,
        ) in block:
            yield ProjectRow(
                code=Project.code_of(plan_year, pk),
                title=title,
                kind=kinds.get(kind, kind),
                content=contents.get(content, content),
                province=province,
                location=location or "",
                beneficiaries=tuple(names.get(pk, ())),
                fund=rules.fund_label(fund),
                plan_year=plan_year,
                total_cost=int(total_cost),
                support_kcqg=int(support_kcqg),
                support_kcdp=int(support_kcdp),
                approved_kcqg=int(approved_kcqg),
                approved_kcdp=int(approved_kcdp),
                disbursed=int(disbursed),
                settled=int(settled_kcqg + settled_kcdp),
                decision_number=decision_number,
                decision_date=decision_date,
                status=statuses.get(status, status),
            )


def project_for_view(user: Any, pk: int) -> Project:
    """One project with everything its page, its documents and its steps read, or 404 outside
    the user's scope. Unredacted: what the user may *read* of it is :func:`project_page`."""
    return _project(user, pk, page=False)


def project_page(user: Any, pk: int) -> Project:
    """The project as the user may read it (the policy's ``may_read``): an establishment gets
    every step of its project but only shared comments, only shared files, and none of the
    appraisal sign-offs, inspections and progress reports (internal by nature)."""
    return _project(user, pk, page=True)


def _project(user: Any, pk: int, *, page: bool) -> Project:
    """The project with its lists (``page``: as the user may read them).

    The project page is the heaviest of the load mix (issue 11): its lists are read by queries
    compiled once per connection (:data:`_LISTS`, ``core.prepared``) rather than by
    ``Prefetch`` querysets compiled afresh on every request, and kept where a prefetch keeps
    them (``project.tasks.all()``… read them, as the template, the rule check, the documents
    and the money table do). What the policy keeps from the user is not read at all (the
    internal lists) or dropped by its ``may_read`` (files, comments)."""
    # The page shows the registration and the author; the documents and the steps read more.
    related = ("registration", "created_by") if page else _FOR_VIEW
    project = (
        visible_projects(user)
        .select_related(*related)
        .annotate(content_name=norms_api.content_name_subquery())
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    internal = not page or policy.sees_internal(user)
    cache = project._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    for name, query in _LISTS.items():
        found = query.all(project_id=project.pk) if internal or name not in _INTERNAL else []
        if page and name == "attachments":
            found = [a for a in found if policy.may_read(user, a.visibility)]
        elif page and name == "transitions":
            for step in found:
                if not policy.may_read(user, step.visibility):
                    step.comment = ""
        if name != "beneficiaries":  # each row knows its project, as after a prefetch
            for row in found:
                row._state.fields_cache["project"] = project
        model: Any = Project._meta.get_field(name).related_model
        rows: QuerySet[Any] = QuerySet(model=model)
        rows._result_cache, rows._prefetch_done = found, True  # type: ignore[attr-defined]
        cache[name] = rows
    return project


_FOR_VIEW = ("registration__establishment", "registration__round", "created_by", "unit__parent")


#: A project's lists by their prefetch name, each in its own order (the models' default
#: ordering starts with "project": for one project the rest of it, without joining the project
#: back), each row with the relations the page shows.
def _of_project(model: Any, *order: str, related: tuple[str, ...] = ()) -> Prepared[Any]:
    """One project's rows of ``model`` in ``order``, with the ``related`` rows the page shows."""

    def rows(project_id: Any) -> QuerySet[Any]:
        found = model.objects.filter(project_id=project_id).order_by(*order)
        # select_related() without names would follow every foreign key.
        return found.select_related(*related) if related else found

    return Prepared(rows, project_id=Project._meta.pk)


_LISTS: dict[str, Prepared[Any]] = {
    "budget_lines": _of_project(BudgetLine, "order"),
    "tasks": _of_project(ProjectTask, "order"),
    "outputs": _of_project(
        ProjectOutput,
        "line__programme__code",
        "line__order",
        related=("line__programme__unit", "line__group"),
    ),
    "beneficiaries": Prepared(
        lambda project_id: Establishment.objects.filter(projects__pk=project_id).select_related(
            "commune"
        ),
        project_id=Project._meta.pk,
    ),
    "transitions": _of_project(ProjectTransition, "at", "pk", related=("actor",)),
    "signoffs": _of_project(ProjectSignOff, "at", "pk", related=("actor",)),
    "progress_reports": _of_project(ProgressReport, "month", related=("reported_by",)),
    "inspections": _of_project(Inspection, "inspected_on", "pk", related=("inspector",)),
    "advances": _of_project(Advance, "paid_on", "pk", related=("recorded_by",)),
    "payments": _of_project(Payment, "paid_on", "pk", related=("recorded_by",)),
    "attachments": _of_project(Attachment, "uploaded_at", "pk", related=("uploaded_by",)),
}
#: Internal by nature (``policy.internal_only``): read only for a user who sees internal rows.
_INTERNAL = frozenset({"signoffs", "progress_reports", "inspections"})


def content_name(project: Project) -> str | None:
    """The name of the project's norm content, read with it by :func:`project_page` and
    :func:`project_for_view` (``None``: not in the norms table; a ``KeyError`` for a project
    read otherwise)."""
    name: str | None = project.__dict__["content_name"]
    return name


def attachment_for_download(user: Any, pk: int, attachment_pk: int) -> Attachment:
    """An attachment of a project the user may see and read (404 otherwise: never its
    existence)."""
    project_ids = visible_projects(user).filter(pk=pk).values("pk")
    attachment = (
        policy.readable(
            user, Attachment.objects.filter(pk=attachment_pk, project_id__in=project_ids)
        )
        .select_related("project")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


# --------------------------------------------------------------------------------------------
# Choices for the forms
# --------------------------------------------------------------------------------------------
def _ancestor_paths(unit: AdministrativeUnit) -> list[str]:
    parts = unit.path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def activity_lines_for(unit: AdministrativeUnit, year: int | None = None) -> QuerySet[ActivityLine]:
    """Lines of the programmes that apply to a province (its own, and the national one) that
    are not superseded (and cover ``year`` when given)."""
    lines = (
        ActivityLine.objects.filter(programme__unit__path__in=_ancestor_paths(unit))
        .exclude(programme__status=ProgrammeStatus.SUPERSEDED)
        .select_related("programme", "programme__unit", "group")
        .order_by("programme__level", "programme__code", "order")
    )
    if year is not None:
        lines = lines.filter(programme__start_year__lte=year, programme__end_year__gte=year)
    return lines


def communes_of(unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    return (
        AdministrativeUnit.objects.current()
        .filter(level=UnitLevel.COMMUNE, path__startswith=unit.path + "/")
        .order_by("name_folded")
    )


def establishments_of(unit: AdministrativeUnit) -> QuerySet[Establishment]:
    return (
        Establishment.objects.filter(commune__path__startswith=unit.path + "/")
        .select_related("commune")
        .order_by("name_sort", "pk")
    )


def registrations_for_projects(user: Any) -> QuerySet[SupportRegistration]:
    """Accepted registrations in the user's scope not yet made into a project."""
    return (
        policy.scope_queryset(
            user,
            SupportRegistration.objects.select_related(
                "round", "establishment", "commune", "content_group"
            ),
            unit_field="commune",
            action=policy.Action.CREATE_PROJECT,
        )
        .filter(status=RegistrationStatus.ACCEPTED, projects__isnull=True)
        .order_by("-round__plan_year", "commune__name", "pk")
    )


# --------------------------------------------------------------------------------------------
# Project page helpers
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeSummary:
    title: str
    changes: list[changes.Change]


def change_summary(project: Project) -> ChangeSummary | None:
    """After a return: what changed since the last submission. While returned, the current
    content against the last submitted one; once resubmitted, the last two submissions."""
    from django.utils.translation import gettext as _

    from .services import snapshot_of

    # A snapshot is taken at each submission, numbered by the project's round: before a
    # second submission there is nothing to compare unless the project was returned.
    if project.round == 0 or (
        project.status != workflow.State.RETURNED
        and (project.round < 2 or project.status == workflow.State.DRAFT)
    ):
        return None
    snapshots = list(
        ProjectSnapshot.objects.filter(project=project)
        .order_by("-round")
        .values("round", "data")[:2]
    )
    if not snapshots:
        return None
    if project.status == workflow.State.RETURNED:
        return ChangeSummary(
            _("Thay đổi so với lần trình thứ %(n)s (trước khi bị trả lại)")
            % {"n": snapshots[0]["round"]},
            changes.diff(snapshots[0]["data"], snapshot_of(project)),
        )
    if len(snapshots) < 2 or project.status == workflow.State.DRAFT:
        return None
    return ChangeSummary(
        _("Thay đổi của lần trình thứ %(n)s so với lần trình thứ %(m)s")
        % {"n": snapshots[0]["round"], "m": snapshots[1]["round"]},
        changes.diff(snapshots[1]["data"], snapshots[0]["data"]),
    )


@dataclass(frozen=True)
class FundMoney:
    fund: str
    label: str
    approved: int
    advanced: int
    paid: int
    settled: int
    advance_ceiling: int
    awaiting: int = 0  # payments waiting for Finance's co-signature: recorded, not disbursed

    @property
    def disbursed(self) -> int:
        return self.advanced + self.paid

    @property
    def remaining(self) -> int:
        return self.approved - self.disbursed - self.awaiting


def money_of(project: Project, rate: Any) -> list[FundMoney]:
    """Approved, advanced, paid and settled per fund (from the prefetched rows)."""
    rows = []
    for fund in workflow.FUNDS:
        approved = project.approved.for_fund(fund)
        advanced = sum(a.amount for a in project.advances.all() if a.fund == fund)
        paid = sum(p.amount for p in project.payments.all() if p.fund == fund and p.is_disbursed)
        awaiting = sum(
            p.amount for p in project.payments.all() if p.fund == fund and p.awaits_cosign
        )
        if not (approved or advanced or paid):
            continue
        rows.append(
            FundMoney(
                fund=fund,
                label=rules.fund_label(fund),
                approved=approved,
                advanced=advanced,
                paid=paid,
                settled=project.settled.for_fund(fund),
                advance_ceiling=rules.advance_limit(approved, rate),
                awaiting=awaiting,
            )
        )
    return rows


def current_signers(project: Project, t: workflow.Transition) -> set[str]:
    """Roles that already signed ``t`` in the project's current round."""
    return {
        s.role
        for s in project.signoffs.all()
        if s.from_state == t.source and s.action == t.action and s.round == project.round
    }


# --------------------------------------------------------------------------------------------
# Home page and support history
# --------------------------------------------------------------------------------------------
def waiting_for(user: Any) -> QuerySet[Project] | None:
    """Projects in the user's scope whose state awaits a forward step the user's role takes
    (and, where several departments sign, that the role has not signed yet), and for Finance
    those with a payment awaiting its co-signature. ``None`` for roles that never take such a
    step. The home page reads it in parts (:func:`first_waiting`)."""
    waits = _waits(user)
    if waits is None:
        return None
    condition = Q(pk__in=[])
    for state, fund, checked in waits.pairs:
        condition |= waits.pair(state, fund, checked)
    if waits.cosign is not None:
        condition |= waits.cosign
    return visible_projects(user).filter(condition).order_by("updated_at", "pk")


@dataclass(frozen=True)
class _Waits:
    """:func:`waiting_for` as disjoint parts: one per (state, fund) pair — with the sign-off
    check where every step from it needs all departments (``checked``) — and the projects
    with a payment awaiting co-signature that no pair holds."""

    pairs: list[tuple[str, str, bool]]
    signed: Exists
    cosign: Q | None

    def pair(self, state: str, fund: str, checked: bool) -> Q:
        found = Q(status=state, fund=fund)
        return found & Q(~self.signed) if checked else found


def _waits(user: Any) -> _Waits | None:
    assignment = policy.active_assignment(user)
    if assignment is None:
        return None
    steps = workflow.forward_steps_for_role(assignment.role)
    cosigns = assignment.role in policy.ACTION_ROLES[policy.Action.COSIGN_PAYMENT]
    if not steps and not cosigns:
        return None
    signed = Exists(
        ProjectSignOff.objects.filter(
            project=OuterRef("pk"),
            from_state=OuterRef("status"),
            round=OuterRef("round"),
            role=assignment.role,
            action__in=sorted({t.action for _s, _f, t in steps if t.all_required}),
        )
    )
    # A pair waits unless every step from it needs all departments and the role has signed.
    # The pairs without the check first: the capped count (``first_waiting``) stops as soon
    # as it has enough, usually before the parts that look at sign-offs.
    single = {(state, fund) for state, fund, t in steps if not t.all_required}
    pairs = sorted(
        {(state, fund, (state, fund) not in single) for state, fund, _t in steps},
        key=lambda pair: (pair[2], pair[0], pair[1]),
    )
    cosign_q = None
    if cosigns:
        pending = Payment.objects.filter(cosign_status=cosign.PENDING).values("project_id")
        cosign_q = Q(pk__in=pending)
        for state, fund, _checked in pairs:
            cosign_q &= ~Q(status=state, fund=fund)
    return _Waits(pairs, signed, cosign_q)


@dataclass(frozen=True)
class Waiting:
    """The first projects waiting for the user (oldest change first) and how many wait:
    exact up to the limit asked, otherwise ``more`` (more than ``count``)."""

    projects: list[Project]
    count: int
    more: bool


#: Stand-ins for a pair's state and fund in the SQL compiled once per kind of pair (a compile
#: per pair cost ~0.5 ms of CPU each, 18 for a province's SCT), replaced in its parameters.
_STATE, _FUND = "\x00state", "\x00fund"


def first_waiting(user: Any, shown: int, *, limit: int) -> Waiting | None:
    """The ``shown`` projects of :func:`waiting_for` changed longest ago and how many wait,
    counted up to ``limit``, in one query whatever the number waiting (issue 11: a window
    count over every waiting project read and joined each of them — 1,094 in the largest
    province at national scale, 8.7 times the buffers of scale 0.01).

    Each part (:class:`_Waits`) gives its first ``shown`` projects in the order of the index
    ``(unit, status, fund, updated_at, id)`` (the nation's without the unit) and those are
    merged; the count reads at most ``limit`` + 1 entries of the same indexes."""
    waits = _waits(user)
    if waits is None:
        return None
    scope = visible_projects(user)
    try:
        compiled = {
            checked: _sql(scope.filter(waits.pair(_STATE, _FUND, checked)))
            for checked in {checked for _s, _f, checked in waits.pairs}
        }
        parts = [_for_pair(*compiled[checked], state, fund) for state, fund, checked in waits.pairs]
        if waits.cosign is not None:
            parts.append(_sql(scope.filter(waits.cosign)))
    except EmptyResultSet:  # no scope (the policy's .none()): nothing waits
        return Waiting([], 0, False)
    firsts = " UNION ALL ".join(
        f"SELECT * FROM ({sql} ORDER BY w_at, w_id LIMIT %s) AS p{n}"
        for n, (sql, _params) in enumerate(parts)
    )
    counted = " UNION ALL ".join(
        f"SELECT w_id FROM ({sql}) AS c{n}" for n, (sql, _params) in enumerate(parts)
    )
    rows: list[Project] = list(
        scope.filter(
            pk__in=RawSQL(
                f"SELECT w_id FROM ({firsts}) AS w ORDER BY w_at, w_id LIMIT %s",
                (*(p for _sql, params in parts for p in (*params, shown)), shown),
            )
        )
        .annotate(
            waiting=RawSQL(
                f"SELECT COUNT(*) FROM ({counted} LIMIT %s) AS c",
                (*(p for _sql, params in parts for p in params), limit + 1),
                output_field=IntegerField(),
            )
        )
        .order_by("updated_at", "pk")
    )
    count = rows[0].waiting if rows else 0  # type: ignore[attr-defined]
    return Waiting(rows, min(count, limit), count > limit)


def _sql(part: QuerySet[Project]) -> tuple[str, tuple[Any, ...]]:
    """A part's ids and last change as SQL (a derived table of a ``UNION ALL``: SQLite allows
    no ``ORDER BY`` or ``LIMIT`` in a compound's members otherwise)."""
    sql, params = part.order_by().values(w_id=F("pk"), w_at=F("updated_at")).query.sql_with_params()
    return sql, tuple(params)


def _for_pair(
    sql: str, params: tuple[Any, ...], state: str, fund: str
) -> tuple[str, tuple[Any, ...]]:
    # Each stand-in once, or the pair's SQL would not be what the template compiled.
    assert params.count(_STATE) == 1, params
    assert params.count(_FUND) == 1, params
    return sql, tuple(state if p == _STATE else fund if p == _FUND else p for p in params)


@dataclass(frozen=True)
class RollupRow:
    """One cell of the roll-up: a province's projects of one plan year and fund that count
    (approved and later), their approved money and what was disbursed (advances + payments)."""

    unit_id: int
    year: int
    fund: str
    projects: int
    approved: int
    disbursed: int


def national_rollup(user: Any) -> list[RollupRow]:
    """Tổng hợp đề án theo tỉnh × năm × nguồn, within the user's scope (the national officer:
    every province). One grouped scan of the projects in the policy's scope, whatever their
    number: the money disbursed is what the services keep on each project (``kept_money``),
    not a join of every advance and payment. The reporting dashboards read it."""
    keys = ("unit_id", "plan_year", "fund")
    rows = (
        visible_projects(user)
        .filter(status__in=list(workflow.SUPPORTED))
        .values(*keys)
        .annotate(
            n=Count("pk"),
            approved=Sum(F("approved_kcqg") + F("approved_kcdp")),
            disbursed=Sum(F("disbursed_kcqg") + F("disbursed_kcdp")),
        )
        .order_by(*keys)
    )
    return [
        RollupRow(
            r["unit_id"],
            r["plan_year"],
            r["fund"],
            r["n"],
            int(r["approved"] or 0),
            int(r["disbursed"] or 0),
        )
        for r in rows
    ]


def projects_for_establishment(user: Any, establishment: Establishment) -> QuerySet[Project]:
    return (
        visible_projects(user)
        .filter(beneficiaries=establishment)
        .order_by("-plan_year", "-updated_at")
    )


def programme_progress(
    user: Any, line_ids: Iterable[int], *, projects: QuerySet[Project] | None = None
) -> progress.Progress:
    """Tiến độ of programme lines per (year, fund): planned, in approved projects, accepted,
    money approved, disbursed (tạm ứng + thanh toán) and settled — see ``progress``.

    Four queries (the user's role, three sums) whatever the number of lines and projects:
    everything is summed in the database, the money disbursed from what the services keep on
    each project (``kept_money``). The projects that count (``workflow.SUPPORTED``)
    are those the user may see (``visible_projects``, i.e. the policy): the national department
    sees the national programme's progress in every province, a province its own share of it.

    A project's money goes to its first line of each programme (the lowest line order, then
    the output's primary key), so a project with outputs on several lines of a programme is
    counted once in that programme's money. ``projects`` replaces the user's projects (the
    public portal counts ``policy.public_aggregates``).
    """
    ids = list(line_ids)
    if projects is None:
        projects = visible_projects(user)
    entries: list[progress.Entry] = []

    for line_id, year, fund, quantity, amount in AllocationCell.objects.filter(
        line_id__in=ids
    ).values_list("line_id", "year", "fund", "quantity", "amount"):
        entries.append(
            progress.Entry(
                line_id,
                year,
                fund,
                progress.Figures(planned_quantity=quantity, planned_amount=amount),
            )
        )

    counted = ProjectOutput.objects.filter(
        line_id__in=ids,
        project__in=projects.filter(status__in=list(workflow.SUPPORTED)).values("pk"),
    )
    for row in (
        counted.values("line_id", year=F("project__plan_year"), fund=F("project__fund"))
        .annotate(planned=Sum("planned_quantity"), actual=Sum("actual_quantity"))
        .order_by()
    ):
        entries.append(
            progress.Entry(
                row["line_id"],
                row["year"],
                row["fund"],
                progress.Figures(
                    approved_quantity=row["planned"] or progress.ZERO,
                    accepted_quantity=row["actual"] or progress.ZERO,
                ),
            )
        )

    # Each project's first output of each programme, numbered in one pass over the counted
    # outputs (a window), not looked up again for every output (a correlated subquery).
    first_of_programme = (
        counted.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("project_id"), F("line__programme_id")],
                order_by=[F("line__order").asc(), F("pk").asc()],
            )
        )
        .filter(place=1)
        .values("pk")
    )
    money_outputs = ProjectOutput.objects.filter(pk__in=first_of_programme)
    for row in (
        money_outputs.values("line_id", year=F("project__plan_year"))
        .annotate(
            **{
                f"{kind}_{fund.lower()}": Sum(f"project__{kind}_{fund.lower()}")
                for kind in ("approved", "disbursed", "settled")
                for fund in workflow.FUNDS
            }
        )
        .order_by()
    ):
        for fund in workflow.FUNDS:
            suffix = fund.lower()
            entries.append(
                progress.Entry(
                    row["line_id"],
                    row["year"],
                    fund,
                    progress.Figures(
                        approved_amount=row[f"approved_{suffix}"] or 0,
                        disbursed_amount=row[f"disbursed_{suffix}"] or 0,
                        settled_amount=row[f"settled_{suffix}"] or 0,
                    ),
                )
            )
    return progress.combine(entries)
