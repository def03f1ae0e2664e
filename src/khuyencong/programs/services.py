"""Writes to programmes. Each function is one transaction and checks the access policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import F
from django.db.models.deletion import Collector, ProtectedError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.norms.services import sync_contents as sync_norm_contents

from . import matching
from . import programme_data as pd
from .models import (
    ActivityLine,
    AllocationCell,
    ContentGroup,
    ContentGroupAlias,
    PrintedYearFundTotal,
    Programme,
    ProgrammeStatus,
    StatedFundTotal,
    Target,
)
from .seeds import SEED_PROGRAMMES


class ProgrammeError(Exception):
    """A domain error whose Vietnamese message is shown to the user."""


def sync_content_groups() -> None:
    """Keep the content-group catalogue and the provinces' letterings as the code states them."""
    for group in pd.CONTENT_GROUPS:
        ContentGroup.objects.update_or_create(
            code=group.code,
            defaults={"number": group.number, "name": group.name, "short_name": group.short_name},
        )
    groups = {g.code: g for g in ContentGroup.objects.all()}
    for scheme, mapping in pd.GROUP_LABEL_MAPPINGS.items():
        for label, code in mapping.items():
            ContentGroupAlias.objects.update_or_create(
                scheme=scheme, label=label, defaults={"group": groups[code]}
            )


def _unit_for(data: pd.ProgrammeData) -> AdministrativeUnit:
    level = {"national": UnitLevel.NATIONAL, "province": UnitLevel.PROVINCE}.get(
        data.level, UnitLevel.COMMUNE
    )
    return AdministrativeUnit.objects.current().get(level=level, code=data.unit_code)


#: The support norm (``norms.NormContent`` code) each seed line clearly falls under, by line
#: order; the seeds themselves stay as transcribed. Lines not listed have no single norm.
SEED_NORM_CONTENTS: dict[str, dict[int, str]] = {
    "son-la-2026-2030": {
        1: "mo-hinh-trinh-dien",
        2: "nhan-rong-mo-hinh",
        3: "san-xuat-sach-hon",
        4: "may-moc-thiet-bi",
        5: "day-chuyen-cong-nghe",
        11: "hoi-cho-trong-nuoc",
        13: "ve-may-bay-nuoc-ngoai",
        14: "nhan-hieu",
        15: "tu-van-thiet-ke",
        16: "xu-ly-moi-truong-ccn",
        18: "thanh-lap-doanh-nghiep",
    },
}


def _create_lines(
    programme: Programme,
    lines: tuple[pd.ActivityLineData, ...],
    norm_contents: dict[int, str] | None = None,
) -> None:
    groups = {g.code: g for g in ContentGroup.objects.all()}
    norm_contents = norm_contents or {}
    created = bulk_create_with_history(
        [
            ActivityLine(
                programme=programme,
                group=groups[line.group_code],
                name=line.name,
                unit_of_measure=line.unit,
                order=line.order,
                notes=line.notes,
                stated_total_quantity=line.stated_total_quantity,
                stated_total_amount=line.stated_total_amount,
                norm_content_id=norm_contents.get(line.order),
            )
            for line in lines
        ],
        ActivityLine,
    )
    by_order = {line.order: line for line in created}
    if any(line.pk is None for line in created):
        by_order = {line.order: line for line in programme.lines.all()}
    bulk_create_with_history(
        [
            AllocationCell(
                line=by_order[line.order],
                year=cell.year,
                fund=cell.fund,
                quantity=cell.quantity,
                amount=cell.amount,
            )
            for line in lines
            for cell in line.cells
        ],
        AllocationCell,
        batch_size=500,
    )


@transaction.atomic
def save_programme_data(
    data: pd.ProgrammeData, *, status: str = ProgrammeStatus.APPROVED
) -> Programme:
    """Create a programme, with everything the decision states, from its pure form."""
    sync_content_groups()
    sync_norm_contents()  # the lines of the seeds refer to the norms' content codes
    programme = Programme.objects.create(
        code=data.code,
        level=data.level,
        unit=_unit_for(data),
        title=data.title,
        start_year=data.start_year,
        end_year=data.end_year,
        decision_number=data.decision_number or "",
        decision_date=data.decision_date,
        issuing_body=data.issuing_body,
        signer=data.signer,
        signer_title=data.signer_title,
        status=status,
        stated_grand_total=data.stated_grand_total,
        printed_unit=data.printed_unit,
        source=data.source,
        remarks=list(data.remarks),
    )
    StatedFundTotal.objects.bulk_create(
        StatedFundTotal(programme=programme, fund=fund, amount=amount)
        for fund, amount in data.stated_fund_totals.items()
    )
    PrintedYearFundTotal.objects.bulk_create(
        PrintedYearFundTotal(programme=programme, year=year, fund=fund, amount=amount)
        for (year, fund), amount in data.printed_year_fund_totals.items()
    )
    groups = {g.code: g for g in ContentGroup.objects.all()}
    Target.objects.bulk_create(
        Target(
            programme=programme,
            group=groups.get(t.group_code),
            section=t.section,
            key=t.key,
            name=t.name,
            unit_of_measure=t.unit,
            quantity=t.quantity,
            qualifier=t.qualifier,
            text=t.text,
            line_orders=list(t.lines),
            order=index,
        )
        for index, t in enumerate(data.targets, start=1)
    )
    _create_lines(programme, data.lines, SEED_NORM_CONTENTS.get(data.code))
    record_event(EventType.PROGRAMME_LOADED, obj=programme, comment=data.source)
    return programme


@dataclass(frozen=True)
class SeedLoadResult:
    code: str
    created: bool


def load_seed_programmes(*, replace: bool = False) -> list[SeedLoadResult]:
    """Load the four seed programmes; existing ones are kept (users may have edited them)."""
    results = []
    for code, data in SEED_PROGRAMMES.items():
        with transaction.atomic():
            existing = Programme.objects.filter(code=code).first()
            if existing is not None and not replace:
                results.append(SeedLoadResult(code, False))
                continue
            if existing is not None:
                existing.delete()
            save_programme_data(data)
            results.append(SeedLoadResult(code, True))
    return results


def _require(actor: Any, obj: Any) -> None:
    decision = policy.can(actor, policy.Action.CHANGE_PROGRAMME, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


CellValues = dict[tuple[int, str], tuple[Decimal, int]]
UNCHANGED: Any = object()


def _validate_cells(programme: Programme, cells: CellValues) -> None:
    for (year, fund), (quantity, amount) in cells.items():
        if year not in programme.years:
            raise ProgrammeError(
                _("Năm %(year)s nằm ngoài giai đoạn %(start)s - %(end)s của chương trình.")
                % {"year": year, "start": programme.start_year, "end": programme.end_year}
            )
        if fund not in pd.FUNDS:
            raise ProgrammeError(_("Nguồn kinh phí “%(fund)s” không hợp lệ.") % {"fund": fund})
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ProgrammeError(_("Kinh phí phải là số nguyên đồng."))
        if amount < 0 or quantity < 0:
            raise ProgrammeError(
                _("Số lượng và kinh phí năm %(year)s (%(fund)s) không được âm.")
                % {"year": year, "fund": pd.FUNDS[fund]}
            )


def _write_cells(line: ActivityLine, cells: CellValues) -> None:
    existing = {(c.year, c.fund): c for c in line.cells.all()}
    for key, (quantity, amount) in cells.items():
        cell = existing.get(key)
        if cell is None:
            if quantity or amount:
                AllocationCell.objects.create(
                    line=line, year=key[0], fund=key[1], quantity=quantity, amount=amount
                )
        elif quantity == 0 and amount == 0:
            cell.delete()
        elif cell.quantity != quantity or cell.amount != amount:
            cell.quantity, cell.amount = quantity, amount
            cell.save()


def _bump(programme: Programme) -> None:
    """A change to a line is a change to the programme: counted in the database, since the
    instance at hand (``line.programme``) may have been read before another user's change."""
    Programme.objects.filter(pk=programme.pk).update(version=F("version") + 1)
    programme.refresh_from_db(fields=["version"])


@transaction.atomic
def update_line(
    *,
    actor: Any,
    line: ActivityLine,
    expected_version: int,
    group: ContentGroup,
    name: str,
    unit_of_measure: str,
    notes: str,
    cells: CellValues,
    norm_content: Any = UNCHANGED,
) -> ActivityLine:
    """Sửa một dòng nội dung và các ô năm × nguồn; a stale version is refused.

    ``norm_content`` (a ``norms.NormContent`` or ``None``) is left as it is when not given.
    """
    _require(actor, line)
    locked = lock_current_version(line, expected_version)
    _validate_cells(locked.programme, cells)
    locked.group, locked.name = group, name.strip()
    locked.unit_of_measure, locked.notes = unit_of_measure.strip(), notes.strip()
    if norm_content is not UNCHANGED:
        locked.norm_content = norm_content
    if not locked.name:
        raise ProgrammeError(_("Tên dòng nội dung không được để trống."))
    locked.version += 1
    locked.save()
    _write_cells(locked, cells)
    _bump(line.programme)
    record_event(EventType.PROGRAMME_LINE_UPDATED, actor=actor, obj=locked)
    return locked


@transaction.atomic
def add_line(
    *,
    actor: Any,
    programme: Programme,
    group: ContentGroup,
    name: str,
    unit_of_measure: str,
    notes: str = "",
    cells: CellValues,
    norm_content: Any = None,
) -> ActivityLine:
    """Thêm dòng nội dung vào cuối bảng phân bổ."""
    _require(actor, programme)
    _validate_cells(programme, cells)
    if not name.strip():
        raise ProgrammeError(_("Tên dòng nội dung không được để trống."))
    last = programme.lines.order_by("-order").values_list("order", flat=True).first() or 0
    line = ActivityLine.objects.create(
        programme=programme,
        group=group,
        name=name.strip(),
        unit_of_measure=unit_of_measure.strip(),
        notes=notes.strip(),
        order=last + 1,
        norm_content=norm_content,
    )
    _write_cells(line, cells)
    _bump(programme)
    record_event(EventType.PROGRAMME_LINE_ADDED, actor=actor, obj=line)
    return line


#: How many users of a line a refusal names before "and N more".
USERS_NAMED = 3


def _usage_label(obj: Any) -> str:
    """A person's name for what uses a line: the model's ``usage_label()`` when it has one
    (a project output names its project), else its kind and text."""
    label = getattr(obj, "usage_label", None)
    return str(label()) if callable(label) else f"{obj._meta.verbose_name} “{obj}”"


def lines_in_use(lines: Iterable[ActivityLine]) -> dict[int, list[str]]:
    """Tìm dòng đang được dùng: for each line that another record protects from deletion
    (a project's output today; any app that adds a protecting reference tomorrow), the labels
    of those records. Asks Django's own deletion collector, so no reference is missed."""
    found: dict[int, list[str]] = {}
    for line in lines:
        try:
            Collector(using=router.db_for_write(ActivityLine)).collect([line])
        except ProtectedError as exc:
            found[line.pk] = sorted({_usage_label(obj) for obj in exc.protected_objects})
    return found


def _in_use_message(line: ActivityLine, users: list[str], what: str) -> str:
    named = "; ".join(users[:USERS_NAMED])
    if len(users) > USERS_NAMED:
        named += _(" và %(n)s mục khác") % {"n": len(users) - USERS_NAMED}
    return _(
        "Dòng STT %(order)s “%(name)s” đang được dùng cho %(users)s, nên không thể %(what)s. "
        "Hãy giữ dòng này (có thể để số lượng và kinh phí bằng 0), hoặc bỏ dòng khỏi các đề án "
        "đó trước."
    ) % {"order": line.order, "name": line.name, "users": named, "what": what}


class LinesInUse(ProgrammeError):
    """An import or a deletion would remove lines that projects use: one message per line."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ".join(messages))


@transaction.atomic
def delete_line(*, actor: Any, line: ActivityLine, expected_version: int, reason: str) -> None:
    """Xóa dòng nội dung (kept in history), with a reason; refused while a project uses it."""
    _require(actor, line)
    locked = lock_current_version(line, expected_version)
    if not reason.strip():
        raise ProgrammeError(_("Cần ghi lý do xóa dòng nội dung."))
    if users := lines_in_use([locked]).get(locked.pk):
        raise LinesInUse([_in_use_message(locked, users, _("xóa dòng"))])
    record_event(
        EventType.PROGRAMME_LINE_DELETED,
        actor=actor,
        obj=locked.programme,
        comment=f"{locked}: {reason.strip()}",
    )
    locked._change_reason = reason.strip()  # type: ignore[attr-defined]
    locked.delete()
    _bump(line.programme)


def _update_from_file(
    line: ActivityLine, row: pd.ActivityLineData, groups: dict[str, ContentGroup]
) -> None:
    """One line of the file onto the stored line it matches, in place: projects that name the
    line keep it; its STT and cells become exactly the file's; history records the change.
    A renamed line loses its support norm (it may now be another content)."""
    values = {
        "group": groups[row.group_code],
        "name": row.name,
        "unit_of_measure": row.unit,
        "order": row.order,
        "notes": row.notes,
        "stated_total_quantity": row.stated_total_quantity,
        "stated_total_amount": row.stated_total_amount,
    }
    if row.name != line.name:
        values["norm_content"] = None
    if any(getattr(line, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(line, name, value)
        line.version += 1
        line._change_reason = _("Nhập phụ lục từ Excel")  # type: ignore[attr-defined]
        line.save()
    existing = {(c.year, c.fund): c for c in line.cells.all()}
    incoming = {(c.year, c.fund): c for c in row.cells}
    for key, old in existing.items():
        if key not in incoming:
            old.delete()
    for key, data in incoming.items():
        cell = existing.get(key)
        if cell is None:
            AllocationCell.objects.create(
                line=line,
                year=data.year,
                fund=data.fund,
                quantity=data.quantity,
                amount=data.amount,
            )
        elif (cell.quantity, cell.amount) != (data.quantity, data.amount):
            cell.quantity, cell.amount = data.quantity, data.amount
            cell.save()


def _ambiguous_message(line: ActivityLine, users: list[str], rows: list[int]) -> str:
    return _(
        "Dòng STT %(order)s “%(name)s” đang được dùng cho %(users)s, nhưng trong tệp có nhiều "
        "dòng cùng nhóm và cùng nội dung (%(rows)s) và không dòng nào ở STT %(order)s, nên không "
        "biết dòng nào là dòng đó. Hãy để dòng đó đúng STT %(order)s, hoặc sửa nội dung các "
        "dòng trùng cho khác nhau."
    ) % {
        "order": line.order,
        "name": line.name,
        "users": "; ".join(users[:USERS_NAMED]),
        "rows": ", ".join(f"STT {row}" for row in rows),
    }


def _refusals(removed: list[ActivityLine], ambiguous: dict[int, list[int]]) -> list[str]:
    """One message per removed or ambiguously matched line that something still uses."""
    used = lines_in_use(removed)
    what = _("bỏ dòng khỏi phụ lục")
    return [
        _ambiguous_message(line, used[line.pk], ambiguous[line.pk])
        if line.pk in ambiguous
        else _in_use_message(line, used[line.pk], what)
        for line in removed
        if line.pk in used
    ]


@transaction.atomic
def replace_lines(
    *, actor: Any, programme: Programme, data: pd.ProgrammeData, expected_version: int | None
) -> Programme:
    """Nhập phụ lục: the programme's lines become those of an imported file.

    Rows are matched to stored lines by group and wording (:mod:`.matching`), so renumbering
    moves no money: a matched line is updated in place (projects that name it as an output
    keep it), a new row adds a line, a line no row matches is deleted — unless something uses
    it, or it matches several rows, and then the whole import is refused with one message per
    such line (:class:`LinesInUse`). All-or-nothing (one transaction). ``expected_version``
    guards against replacing a programme someone edited since the file was exported (``None``
    for batch commands run by IT staff).
    """
    if actor is not None:
        _require(actor, programme)
    if expected_version is not None:
        programme = lock_current_version(programme, expected_version)
    for row in data.lines:
        cells = {(c.year, c.fund): (c.quantity, c.amount) for c in row.cells}
        _validate_cells(programme, cells)
    existing = {line.pk: line for line in programme.lines.select_related("group")}
    found = matching.match_lines(
        [
            matching.LineRef(p, line.group.code, line.name, line.order)
            for p, line in existing.items()
        ],
        [matching.LineRef(r.order, r.group_code, r.name, r.order) for r in data.lines],
    )
    removed = [existing[pk] for pk in sorted(found.removed, key=lambda pk: existing[pk].order)]
    if refusals := _refusals(removed, found.ambiguous):
        raise LinesInUse(refusals)
    for line in removed:
        line._change_reason = _("Nhập phụ lục từ Excel")  # type: ignore[attr-defined]
        line.delete()
    # STTs are unique per programme: lines that move first step aside, out of every STT's way.
    moving = [pk for order, pk in found.pairs.items() if existing[pk].order != order]
    aside = 1 + max([*(line.order for line in existing.values()), *(r.order for r in data.lines)])
    ActivityLine.objects.filter(pk__in=moving).update(order=F("order") + aside)
    groups = {g.code: g for g in ContentGroup.objects.all()}
    for row in data.lines:
        if row.order in found.pairs:
            _update_from_file(existing[found.pairs[row.order]], row, groups)
    _create_lines(programme, tuple(row for row in data.lines if row.order not in found.pairs))
    _bump(programme)
    record_event(
        EventType.PROGRAMME_IMPORTED,
        actor=actor,
        obj=programme,
        data={"lines": len(data.lines)},
    )
    return programme


@transaction.atomic
def record_approval(
    *,
    actor: Any,
    programme: Programme,
    expected_version: int,
    decision_number: str,
    decision_date: Any,
    issuing_body: str,
    signer: str = "",
) -> Programme:
    """Ghi nhận quyết định phê duyệt: a draft programme becomes approved, with its decision."""
    _require(actor, programme)
    locked = lock_current_version(programme, expected_version)
    if locked.status != ProgrammeStatus.DRAFT:
        raise ProgrammeError(
            _("Chỉ ghi nhận phê duyệt cho chương trình đang ở trạng thái dự thảo (hiện: %(s)s).")
            % {"s": locked.get_status_display()}
        )
    if not decision_number.strip() or decision_date is None:
        raise ProgrammeError(_("Cần số và ngày của quyết định phê duyệt."))
    locked.decision_number, locked.decision_date = decision_number.strip(), decision_date
    locked.issuing_body, locked.signer = issuing_body.strip(), signer.strip()
    locked.status = ProgrammeStatus.APPROVED
    locked.version += 1
    locked.save()
    record_event(
        EventType.PROGRAMME_APPROVED, actor=actor, obj=locked, comment=locked.decision_number
    )
    return locked


@transaction.atomic
def supersede_programme(
    *, actor: Any, programme: Programme, expected_version: int, reason: str
) -> Programme:
    """An approved programme is replaced (by an adjusting decision): kept, marked superseded."""
    _require(actor, programme)
    locked = lock_current_version(programme, expected_version)
    if locked.status != ProgrammeStatus.APPROVED:
        raise ProgrammeError(_("Chỉ chương trình đã phê duyệt mới có thể được thay thế."))
    if not reason.strip():
        raise ProgrammeError(_("Cần ghi lý do (ví dụ: số quyết định điều chỉnh)."))
    locked.status = ProgrammeStatus.SUPERSEDED
    locked.version += 1
    locked._change_reason = reason.strip()  # type: ignore[attr-defined]
    locked.save()
    record_event(EventType.PROGRAMME_SUPERSEDED, actor=actor, obj=locked, comment=reason.strip())
    return locked
