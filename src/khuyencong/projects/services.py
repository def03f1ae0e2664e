"""Writes to projects. Each public function is one transaction: it asks the access policy,
locks the project at the version the user saw, keeps the state machine (``workflow.py``) and
the rules (``rules.py``), logs the step (transition log and activity log) and notifies."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.accounts import policy
from khuyencong.accounts.models import RoleAssignment
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.core.formatting import format_date, format_money, format_number
from khuyencong.core.http import safe_filename
from khuyencong.core.models import Visibility
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg, lines
from khuyencong.planning.models import RegistrationStatus, SupportRegistration
from khuyencong.programs.models import ActivityLine, ProgrammeStatus
from khuyencong.registry.models import Establishment

from . import cosign, cosigning, kept_money, norms_api, rules, uploads, workflow
from .models import (
    Advance,
    Attachment,
    BudgetLine,
    Inspection,
    Payment,
    ProgressReport,
    Project,
    ProjectFund,
    ProjectKind,
    ProjectOutput,
    ProjectSignOff,
    ProjectSnapshot,
    ProjectTask,
    ProjectTransition,
)
from .workflow import Payload, State, Step

CREATED = "tao"


class ProjectError(Exception):
    """A domain error whose Vietnamese message is shown to the user as it is."""


class ProjectInvalid(ProjectError):
    """The project's content breaks rules; ``findings`` say which, with the field."""

    def __init__(self, findings: Sequence[rules.Finding]) -> None:
        self.findings = list(findings)
        super().__init__(" ".join(f.message for f in self.findings))


def today() -> datetime.date:
    return timezone.localdate()


def _require(actor: Any, action: policy.Action, obj: Any) -> None:
    decision = policy.can(actor, action, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def _role(actor: Any) -> str:
    assignment = policy.active_assignment(actor)
    return assignment.role if assignment is not None else ""


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def locked_message(project: Project) -> str:
    return _(
        "Đề án “%(title)s” đã quyết toán (%(state)s): hồ sơ đã khóa, không sửa hay ghi thêm "
        "được nữa."
    ) % {"title": project.title, "state": project.get_status_display()}


def _refuse_if_locked(project: Project) -> None:
    if project.is_locked:
        raise ProjectError(locked_message(project))


# --------------------------------------------------------------------------------------------
# Content (nội dung đề án) and its rules
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutputRow:
    line: ActivityLine
    planned: Decimal


@dataclass(frozen=True)
class ProjectData:
    """Everything the centre writes in a project; the services check and store it."""

    title: str
    fund: str
    plan_year: int
    content: str
    implementing_unit: str
    kind: str = ProjectKind.ORDINARY
    partners: str = ""
    location: AdministrativeUnit | None = None
    need: str = ""
    objectives: str = ""
    scale_technology: str = ""
    organisation: str = ""
    expected_effects: str = ""
    priority: bool = False
    beneficiaries: Sequence[Establishment] = ()
    budget: Sequence[rules.BudgetRow] = ()
    tasks: Sequence[rules.TaskRow] = ()
    outputs: Sequence[OutputRow] = field(default_factory=tuple)


def data_of(project: Project) -> ProjectData:
    """The stored project as :class:`ProjectData` (uses prefetched relations when present)."""
    return ProjectData(
        title=project.title,
        fund=project.fund,
        plan_year=project.plan_year,
        content=project.content,
        implementing_unit=project.implementing_unit,
        kind=project.kind,
        partners=project.partners,
        location=project.location,
        need=project.need,
        objectives=project.objectives,
        scale_technology=project.scale_technology,
        organisation=project.organisation,
        expected_effects=project.expected_effects,
        priority=project.priority,
        beneficiaries=list(project.beneficiaries.all()),
        budget=[
            rules.BudgetRow(b.item, b.kcqg, b.kcdp, b.counterpart, b.other)
            for b in project.budget_lines.all()
        ],
        tasks=[rules.TaskRow(t.name, t.start, t.end) for t in project.tasks.all()],
        outputs=[OutputRow(o.line, o.planned_quantity) for o in project.outputs.all()],
    )


def _check_fields(
    unit: AdministrativeUnit, data: ProjectData, *, content_known: bool
) -> list[rules.Finding]:
    found: list[rules.Finding] = []

    def error(code: str, message: str, field_name: str) -> None:
        found.append(rules.Finding(code, message, field=field_name))

    if not data.title.strip():
        error("title", _("Cần ghi tên đề án."), "title")
    if not data.implementing_unit.strip():
        error("implementing-unit", _("Cần ghi đơn vị thực hiện."), "implementing_unit")
    if data.fund not in ProjectFund.values:
        error("fund", _("Nguồn kinh phí phải là KCQG hoặc KCĐP."), "fund")
    if data.kind not in ProjectKind.values:
        error("kind", _("Loại đề án không hợp lệ."), "kind")
    if not 2000 <= data.plan_year <= 2100:
        error("plan-year", _("Năm kế hoạch không hợp lệ."), "plan_year")
    if not content_known:
        error(
            "content",
            _("Nội dung hỗ trợ “%(code)s” không có trong bảng định mức.") % {"code": data.content},
            "content",
        )
    if data.location is not None and (
        data.location.level != UnitLevel.COMMUNE or not data.location.is_within(unit)
    ):
        error(
            "location",
            _("Địa điểm phải là một xã, phường của %(unit)s.") % {"unit": unit},
            "location",
        )
    for establishment in data.beneficiaries:
        if not establishment.commune.is_within(unit):
            error(
                "beneficiary-unit",
                _("Cơ sở “%(name)s” không thuộc %(unit)s.")
                % {"name": establishment.name, "unit": unit},
                "beneficiaries",
            )
    seen: set[int] = set()
    for output in data.outputs:
        line = output.line
        programme = line.programme
        if line.pk in seen:
            error(
                "output-twice",
                _("Dòng “%(line)s” được chọn hai lần.") % {"line": line.name},
                "outputs",
            )
        seen.add(line.pk)
        if not unit.is_within(programme.unit):
            error(
                "output-programme",
                _("Dòng “%(line)s” thuộc chương trình của %(owner)s, không áp dụng cho %(unit)s.")
                % {"line": line.name, "owner": programme.unit, "unit": unit},
                "outputs",
            )
        elif not programme.start_year <= data.plan_year <= programme.end_year:
            error(
                "output-year",
                _("Chương trình “%(p)s” không bao gồm năm %(y)s.")
                % {"p": programme.title, "y": data.plan_year},
                "outputs",
            )
        elif programme.status == ProgrammeStatus.SUPERSEDED:
            error(
                "output-superseded",
                _("Chương trình “%(p)s” đã được thay thế.") % {"p": programme.title},
                "outputs",
            )
        if output.planned <= 0:
            error(
                "output-quantity",
                _("Số lượng kế hoạch của “%(line)s” phải lớn hơn 0.") % {"line": line.name},
                "outputs",
            )
    return found


def _prior_support(
    data: ProjectData, exclude: int | None
) -> tuple[list[rules.PriorSupport], list[rules.FairCount]]:
    """Other projects of the same beneficiaries: approved-or-later ones with the same content
    in the same or the previous year, and committed overseas-fair projects of the year."""
    ids = [e.pk for e in data.beneficiaries]
    if not ids:
        return [], []
    names = {e.pk: e.name for e in data.beneficiaries}
    rows = (
        Project.beneficiaries.through.objects.filter(
            establishment_id__in=ids,
            project__plan_year__in=[data.plan_year - 1, data.plan_year],
        )
        .exclude(project_id=exclude or 0)
        .values_list(
            "establishment_id",
            "project_id",
            "project__title",
            "project__plan_year",
            "project__status",
            "project__content",
        )
        .order_by("project__plan_year", "project_id")
    )
    prior: list[rules.PriorSupport] = []
    fairs: dict[int, list[rules.PriorSupport]] = {}
    for est_id, project_id, title, year, status, content in rows:
        record = rules.PriorSupport(
            names[est_id], title, year, reverse("projects:project_detail", args=[project_id])
        )
        if content == data.content and status in workflow.SUPPORTED:
            prior.append(record)
        if (
            content == norms_api.OVERSEAS_FAIR
            and year == data.plan_year
            and status in workflow.COMMITTED
        ):
            fairs.setdefault(est_id, []).append(record)
    counts = [rules.FairCount(names[i], fairs.get(i, [])) for i in ids]
    return prior, counts


class _LookUp(enum.Enum):
    """The content's name is not known yet: :func:`check_project` looks it up."""

    NOT_YET = enum.auto()


def check_project(
    unit: AdministrativeUnit,
    data: ProjectData,
    *,
    project_id: int | None = None,
    on: datetime.date | None = None,
    content_name: str | _LookUp | None = _LookUp.NOT_YET,
    terms: norms_api.Terms | None = None,
) -> list[rules.Finding]:
    """Every rule about a project's content: fields, budget, schedule, the support norm, repeat
    support and the overseas-fair allowance. Errors first, then warnings and notes.
    ``content_name``: the content's name when the caller read it already (``None``: not in the
    norms table); ``terms``: the norm in force on ``on`` when the caller read it already."""
    # One look-up of the content serves the field check, the norm and the messages.
    if isinstance(content_name, _LookUp):
        content_name = norms_api.content_name(data.content)
    found = _check_fields(unit, data, content_known=content_name is not None)
    found += rules.check_budget(data.budget, data.fund)
    found += rules.check_schedule(data.tasks, data.plan_year)
    found += rules.check_outputs(len(data.outputs))
    sums = rules.totals(data.budget)
    content_label = content_name or data.content
    if data.fund in ProjectFund.values and content_name is not None:
        if terms is None:
            terms = norms_api.terms(
                content=data.content, fund=data.fund, on=on or today(), province=unit
            )
        limit = terms.limit_for(eligible_cost=sums.total, priority=data.priority)
        found += rules.check_support_cap(
            sums.support, limit, content_label=content_label, fund=data.fund
        )
    prior, fairs = _prior_support(data, project_id)
    found += rules.check_repeat_support(prior, content_label=content_label, year=data.plan_year)
    if data.content == norms_api.OVERSEAS_FAIR:
        found += rules.check_overseas_fairs(fairs, year=data.plan_year)
    order = {rules.ERROR: 0, rules.WARNING: 1, rules.INFO: 2}
    return sorted(found, key=lambda f: order.get(f.severity, 3))


def findings_for(
    project: Project,
    *,
    content_name: str | _LookUp | None = _LookUp.NOT_YET,
    terms: norms_api.Terms | None = None,
) -> list[rules.Finding]:
    """The rules applied to a stored project, on its decision date (today before approval);
    ``terms``: :func:`norm_terms` when the caller read them already."""
    return check_project(
        project.unit,
        data_of(project),
        project_id=project.pk,
        on=project.decision_date,
        content_name=content_name,
        terms=terms,
    )


def _validated(
    unit: AdministrativeUnit, data: ProjectData, project_id: int | None = None
) -> list[rules.Finding]:
    findings = check_project(unit, data, project_id=project_id)
    problems = rules.errors(findings)
    if problems:
        raise ProjectInvalid(problems)
    return findings


def _apply(project: Project, data: ProjectData) -> None:
    for name in (
        "title",
        "implementing_unit",
        "partners",
        "need",
        "objectives",
        "scale_technology",
        "organisation",
        "expected_effects",
    ):
        setattr(project, name, getattr(data, name).strip())
    project.fund = data.fund
    project.plan_year = data.plan_year
    project.content = data.content
    project.kind = data.kind
    project.location = data.location
    project.priority = data.priority
    sums = rules.totals(data.budget)
    project.support_kcqg, project.support_kcdp = sums.kcqg, sums.kcdp
    project.counterpart, project.other = sums.counterpart, sums.other
    project.total_cost = sums.total


def _store_children(project: Project, data: ProjectData, *, replace: bool) -> None:
    if replace:
        children: list[Any] = [
            *BudgetLine.objects.filter(project=project),
            *ProjectTask.objects.filter(project=project),
            *ProjectOutput.objects.filter(project=project),
        ]
        for child in children:  # one by one: the history keeps each deletion
            child.delete()
    for n, budget_row in enumerate(data.budget, start=1):
        BudgetLine.objects.create(
            project=project,
            order=n,
            item=budget_row.item.strip(),
            kcqg=budget_row.kcqg,
            kcdp=budget_row.kcdp,
            counterpart=budget_row.counterpart,
            other=budget_row.other,
        )
    for n, task in enumerate(data.tasks, start=1):
        ProjectTask.objects.create(
            project=project, order=n, name=task.name.strip(), start=task.start, end=task.end
        )
    for output in data.outputs:
        ProjectOutput.objects.create(
            project=project, line=output.line, planned_quantity=output.planned
        )
    project.beneficiaries.set(data.beneficiaries)


def _province_of(actor: Any) -> AdministrativeUnit:
    unit = policy.scope_unit(actor)
    if unit is None:
        raise PermissionDenied(_("Tài khoản của bạn chưa được giao vai trò nào."))
    if unit.level != UnitLevel.PROVINCE:
        raise PermissionDenied(_("Đề án khuyến công do Trung tâm khuyến công cấp tỉnh lập."))
    return unit


@retry_when_locked
@transaction.atomic
def create_project(
    *,
    actor: Any,
    data: ProjectData,
    registration: SupportRegistration | None = None,
    is_demo: bool = False,
) -> tuple[Project, list[rules.Finding]]:
    """Lập đề án (dự thảo) for the actor's province, directly or from an accepted registration.
    Returns the project and the warnings to show."""
    unit = _province_of(actor)
    _require(actor, policy.Action.CREATE_PROJECT, unit)
    if registration is not None:
        registration = SupportRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.ACCEPTED:
            raise ProjectError(
                _("Chỉ lập đề án từ phiếu đăng ký đã được chấp nhận (phiếu số %(n)s đang “%(s)s”).")
                % {"n": registration.pk, "s": registration.get_status_display()}
            )
        if not registration.commune.is_within(unit):
            raise PermissionDenied(
                _("Phiếu số %(n)s thuộc %(commune)s, ngoài phạm vi %(unit)s.")
                % {"n": registration.pk, "commune": registration.commune, "unit": unit}
            )
        existing = Project.objects.filter(registration=registration).first()
        if existing is not None:
            raise ProjectError(
                _("Phiếu số %(n)s đã được lập thành đề án “%(p)s”.")
                % {"n": registration.pk, "p": existing.title}
            )
    findings = _validated(unit, data)
    project = Project(unit=unit, registration=registration, created_by=actor, is_demo=is_demo)
    _apply(project, data)
    project.save()
    _store_children(project, data, replace=False)
    _log(project, actor=actor, action=CREATED, source="", role=_role(actor))
    record_event(
        EventType.PROJECT_CREATED,
        actor=actor,
        obj=project,
        data={"registration": registration.pk if registration else None},
    )
    return project, [f for f in findings if not f.is_error]


@retry_when_locked
@transaction.atomic
def update_project(
    *, actor: Any, project: Project, expected_version: int, data: ProjectData
) -> tuple[Project, list[rules.Finding]]:
    """Sửa đề án while it is a draft or returned for more information."""
    _require(actor, policy.Action.CREATE_PROJECT, project)
    locked = lock_current_version(project, expected_version)
    _refuse_if_locked(locked)
    if not locked.is_editable:
        raise ProjectError(
            _(
                "Đề án đang ở trạng thái “%(state)s”: chỉ sửa được khi là dự thảo hoặc được trả "
                "lại để bổ sung."
            )
            % {"state": locked.get_status_display()}
        )
    findings = _validated(locked.unit, data, project_id=locked.pk)
    _apply(locked, data)
    locked.version += 1
    locked.save()
    _store_children(locked, data, replace=True)
    record_event(EventType.PROJECT_UPDATED, actor=actor, obj=locked)
    return locked, [f for f in findings if not f.is_error]


def snapshot_of(project: Project) -> dict[str, Any]:
    """The project's content as a plain dict (stored at each submission; ``changes.diff``)."""
    outputs = ProjectOutput.objects.filter(project=project).select_related("line__programme")
    return {
        "fields": {
            "title": project.title,
            "kind": project.get_kind_display(),
            "content": norms_api.content_label(project.content),
            "fund": project.get_fund_display(),
            "plan_year": str(project.plan_year),
            "implementing_unit": project.implementing_unit,
            "partners": project.partners,
            "location": project.location.name if project.location else "",
            "need": project.need,
            "objectives": project.objectives,
            "scale_technology": project.scale_technology,
            "organisation": project.organisation,
            "expected_effects": project.expected_effects,
            "priority": _("có") if project.priority else _("không"),
        },
        "budget": [
            {
                "item": b.item,
                "kcqg": b.kcqg,
                "kcdp": b.kcdp,
                "counterpart": b.counterpart,
                "other": b.other,
            }
            for b in BudgetLine.objects.filter(project=project).order_by("order")
        ],
        "tasks": [
            {"name": t.name, "start": format_date(t.start), "end": format_date(t.end)}
            for t in ProjectTask.objects.filter(project=project).order_by("order")
        ],
        "outputs": [
            {
                "line": f"{o.line.programme.code} · {o.line.order}. {o.line.name}",
                "planned": format_number(o.planned_quantity.normalize()),
            }
            for o in outputs
        ],
        "beneficiaries": sorted(project.beneficiaries.values_list("name", flat=True)),
    }


# --------------------------------------------------------------------------------------------
# The state machine: one function for every step
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What a step did: the project (locked, saved), whether its state moved, and which
    departments' sign-offs are still awaited when it did not."""

    project: Project
    advanced: bool
    pending: list[workflow.SignOff]


_PAYLOAD_KEYS: dict[Payload, frozenset[str]] = {
    Payload.NONE: frozenset(),
    Payload.REASON: frozenset(),
    Payload.APPRAISAL: frozenset({"sheet", "score", "conclusion"}),
    Payload.DECISION: frozenset(
        {"decision_number", "decision_date", "approved_kcqg", "approved_kcdp"}
    ),
    Payload.CONTRACT: frozenset({"contract_number", "contract_date"}),
    Payload.ACCEPTANCE: frozenset({"minutes", "accepted_on", "actual"}),
    Payload.SETTLEMENT: frozenset({"settled_kcqg", "settled_kcdp", "settled_on"}),
}


def _date_or_none(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _int(value: Any) -> int:
    return int(value or 0)


def _check_payload(kind: Payload, project: Project, payload: dict[str, Any]) -> dict[str, Any]:
    """Validate what a sign-off carries; return it JSON-ready (stored on the sign-off row)."""
    unknown = set(payload) - _PAYLOAD_KEYS[kind]
    if unknown:
        raise ProjectError(
            _("Thông tin không dùng cho bước này: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    problems: list[str] = []
    data: dict[str, Any] = {}
    if kind == Payload.APPRAISAL:
        sheet = str(payload.get("sheet", "")).strip()
        score = payload.get("score")
        score = None if score in (None, "") else int(score)
        conclusion = str(payload.get("conclusion", ""))
        problems = rules.check_appraisal(sheet, score, conclusion)
        data = {"sheet": sheet, "score": score, "conclusion": conclusion}
    elif kind == Payload.DECISION:
        number = str(payload.get("decision_number", "")).strip()
        date = _date_or_none(payload.get("decision_date"))
        approved = rules.Totals(
            _int(payload.get("approved_kcqg")), _int(payload.get("approved_kcdp"))
        )
        problems = rules.check_decision(
            number=number,
            date=date,
            approved=approved,
            proposed=project.proposed,
            fund=project.fund,
        )
        data = {
            "decision_number": number,
            "decision_date": date.isoformat() if date else None,
            "approved_kcqg": approved.kcqg,
            "approved_kcdp": approved.kcdp,
        }
    elif kind == Payload.CONTRACT:
        number = str(payload.get("contract_number", "")).strip()
        date = _date_or_none(payload.get("contract_date"))
        if not number or date is None:
            problems.append(_("Cần số và ngày ký hợp đồng."))
        data = {"contract_number": number, "contract_date": date.isoformat() if date else None}
    elif kind == Payload.ACCEPTANCE:
        minutes = str(payload.get("minutes", "")).strip()
        date = _date_or_none(payload.get("accepted_on"))
        actual_in: dict[Any, Any] = dict(payload.get("actual") or {})
        outputs = list(project.outputs.select_related("line").order_by("pk"))
        values = [actual_in.get(o.pk, actual_in.get(str(o.pk))) for o in outputs]
        actual = [None if v in (None, "") else Decimal(str(v)) for v in values]
        problems = rules.check_acceptance(
            minutes=minutes, date=date, lines=[o.line.name for o in outputs], actual=actual
        )
        data = {
            "minutes": minutes,
            "accepted_on": date.isoformat() if date else None,
            "actual": {str(o.pk): str(v) for o, v in zip(outputs, actual, strict=True)},
        }
    elif kind == Payload.SETTLEMENT:
        date = _date_or_none(payload.get("settled_on"))
        actual_totals = rules.Totals(
            _int(payload.get("settled_kcqg")), _int(payload.get("settled_kcdp"))
        )
        problems = rules.check_settlement(
            actual=actual_totals, approved=project.approved, date=date
        )
        data = {
            "settled_kcqg": actual_totals.kcqg,
            "settled_kcdp": actual_totals.kcdp,
            "settled_on": date.isoformat() if date else None,
        }
    if problems:
        raise ProjectError(" ".join(problems))
    return data


def _apply_payload(kind: Payload, project: Project, data: dict[str, Any]) -> None:
    """Write a completed step's payload onto the project."""
    if kind == Payload.DECISION:
        project.decision_number = data["decision_number"]
        project.decision_date = _date_or_none(data["decision_date"])
        project.approved_kcqg = data["approved_kcqg"]
        project.approved_kcdp = data["approved_kcdp"]
    elif kind == Payload.CONTRACT:
        project.contract_number = data["contract_number"]
        project.contract_date = _date_or_none(data["contract_date"])
    elif kind == Payload.ACCEPTANCE:
        project.acceptance_minutes = data["minutes"]
        project.accepted_on = _date_or_none(data["accepted_on"])
        for output in ProjectOutput.objects.filter(project=project):
            output.actual_quantity = Decimal(data["actual"][str(output.pk)])
            output.save(update_fields=["actual_quantity"])
    elif kind == Payload.SETTLEMENT:
        project.settled_kcqg = data["settled_kcqg"]
        project.settled_kcdp = data["settled_kcdp"]
        project.settled_on = _date_or_none(data["settled_on"])


def _summary(kind: Payload, data: dict[str, Any]) -> str:
    """One line for the transition log."""
    if kind == Payload.DECISION:
        return _("Quyết định số %(n)s ngày %(d)s; duyệt KCQG %(q)s, KCĐP %(p)s.") % {
            "n": data["decision_number"],
            "d": format_date(_date_or_none(data["decision_date"])),
            "q": format_money(data["approved_kcqg"]),
            "p": format_money(data["approved_kcdp"]),
        }
    if kind == Payload.CONTRACT:
        return _("Hợp đồng số %(n)s ngày %(d)s.") % {
            "n": data["contract_number"],
            "d": format_date(_date_or_none(data["contract_date"])),
        }
    if kind == Payload.APPRAISAL:
        text = str(rules.APPRAISAL_CONCLUSIONS.get(data["conclusion"], ""))
        if data.get("score") is not None:
            text += " — " + _("%(s)s điểm") % {"s": data["score"]}
        return text
    if kind == Payload.ACCEPTANCE:
        return _("Nghiệm thu ngày %(d)s.") % {"d": format_date(_date_or_none(data["accepted_on"]))}
    if kind == Payload.SETTLEMENT:
        return _("Quyết toán KCQG %(q)s, KCĐP %(p)s.") % {
            "q": format_money(data["settled_kcqg"]),
            "p": format_money(data["settled_kcdp"]),
        }
    return ""


def _refuse_role(actor: Any, project: Project, t: workflow.Transition) -> PermissionDenied:
    """Why the actor's role may not take this step: the policy's reason when the role holds
    none of the step's actions, else the table's (which department signs it for this fund)."""
    decisions = [policy.can(actor, policy.Action(s.permission), project) for s in t.signoffs]
    if not any(decisions):
        return PermissionDenied(decisions[0].reason)
    return PermissionDenied(
        _("Bước “%(step)s” của đề án %(fund)s do %(roles)s thực hiện.")
        % {
            "step": t.label,
            "fund": rules.fund_label(project.fund),
            "roles": ", ".join(str(s.role_label) for s in t.signoffs),
        }
    )


@retry_when_locked
@transaction.atomic
def transition(
    *,
    actor: Any,
    project: Project,
    action: str,
    expected_version: int,
    comment: str = "",
    visibility: str | None = None,
    **payload: Any,
) -> Outcome:
    """Every step of the project's life: checks the policy and the state table, validates the
    step's payload, records the sign-off (when several departments sign), moves the state when
    all sign-offs are in, writes the transition log and the activity log, and notifies.

    ``visibility`` is the comment's (the beneficiary establishment reads only shared ones);
    without it, the step's default (``workflow.comment_visibility``).

    The version comes first: the step is looked up from the locked row's state, so a user who
    saw an older version is told to reload whatever the new state allows."""
    locked = lock_current_version(project, expected_version)
    try:
        t = workflow.find(locked.status, action, locked.fund)
    except workflow.TransitionError as exc:
        raise ProjectError(str(exc)) from None
    role = _role(actor)
    signoff = t.signoff_for(role)
    if signoff is None:
        raise _refuse_role(actor, locked, t)
    _require(actor, policy.Action(signoff.permission), locked)
    comment = comment.strip()
    if signoff.payload == Payload.REASON and not comment:
        raise ProjectError(_("Cần ghi lý do khi “%(step)s”.") % {"step": t.label})
    if locked.is_locked and t.action != Step.CLOSE:
        raise ProjectError(locked_message(locked))
    if t.action == Step.SETTLE and awaiting_cosignature(locked):
        raise ProjectError(
            _(
                "Còn khoản thanh toán chờ Sở Tài chính đồng ký: chưa quyết toán được. Hãy chờ Sở "
                "Tài chính đồng ký (hoặc không đồng ý) rồi quyết toán."
            )
        )
    data = _check_payload(signoff.payload, locked, payload)
    source = locked.status
    pending: list[workflow.SignOff] = []
    if t.all_required or signoff.payload not in (Payload.NONE, Payload.REASON):
        signed = {
            s.role: s
            for s in ProjectSignOff.objects.filter(
                project=locked, from_state=t.source, action=t.action, round=locked.round
            )
        }
        if role in signed:
            raise ProjectError(
                _("%(role)s đã ký bước “%(step)s” của lần trình này; đang chờ %(others)s.")
                % {
                    "role": signoff.role_label,
                    "step": t.label,
                    "others": ", ".join(
                        str(s.role_label) for s in workflow.pending_signoffs(t, signed)
                    ),
                }
            )
        signed[role] = ProjectSignOff.objects.create(
            project=locked,
            action=t.action,
            from_state=t.source,
            round=locked.round,
            role=role,
            actor=_actor_or_none(actor),
            comment=comment,
            data=data,
        )
        pending = workflow.pending_signoffs(t, signed)
        if not pending:
            for requirement in t.signoffs:
                if requirement.role in signed:
                    _apply_payload(requirement.payload, locked, signed[requirement.role].data)
    if not pending:
        _complete(locked, t, actor=actor, comment=comment)
    locked.version += 1
    locked.save()
    summary = _summary(signoff.payload, data)
    log_comment = " ".join(part for part in (summary, comment) if part)
    if visibility not in Visibility.values:
        visibility = workflow.comment_visibility(t.action, completed=not pending)
    _log(
        locked,
        actor=actor,
        action=t.action,
        source=source,
        comment=log_comment,
        role=role,
        visibility=visibility,
    )
    _notify_step(locked, t, actor=actor, source=source, pending=pending, comment=log_comment)
    return Outcome(locked, advanced=not pending, pending=pending)


def _complete(project: Project, t: workflow.Transition, *, actor: Any, comment: str) -> None:
    """The step's own effects once every sign-off is in, then the new state."""
    if t.action in (Step.SUBMIT, Step.RESUBMIT):
        _validated(project.unit, data_of(project), project_id=project.pk)
        project.round += 1
        ProjectSnapshot.objects.create(
            project=project, round=project.round, data=snapshot_of(project), taken_by=actor
        )
    elif t.action == Step.CANCEL:
        project.cancel_reason = comment
    project.status = t.target


def _log(
    project: Project,
    *,
    actor: Any,
    action: str,
    source: str,
    role: str,
    comment: str = "",
    visibility: str = Visibility.SHARED,
) -> None:
    ProjectTransition.objects.create(
        project=project,
        action=action,
        from_state=source,
        to_state=project.status,
        round=project.round,
        actor=_actor_or_none(actor),
        role=role,
        comment=comment,
        visibility=visibility,
    )
    if action != CREATED:
        record_event(
            EventType.PROJECT_STEP,
            actor=actor,
            obj=project,
            comment=comment,
            data={"action": action, "from": source, "to": project.status, "round": project.round},
            visibility=visibility,
        )


def _users_with_role(roles: Iterable[str], units: Iterable[AdministrativeUnit]) -> list[Any]:
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role__in=list(roles), unit__in=list(units), is_active=True, user__is_active=True
        ).select_related("user")
    ]


def _units_for(role: str, project: Project) -> list[AdministrativeUnit]:
    if role == workflow.NATIONAL:
        return list(AdministrativeUnit.objects.current().filter(level=UnitLevel.NATIONAL))
    return [project.unit]


def _notify_step(
    project: Project,
    t: workflow.Transition,
    *,
    actor: Any,
    source: str,
    pending: list[workflow.SignOff],
    comment: str,
) -> None:
    """Tell those who act next (the departments still to sign, or the roles of the next forward
    steps); the centre hears of returns, rejections, cancellations and the approval."""
    if pending:
        roles = {s.role for s in pending}
        title = Msg(
            gettext_noop("Đề án “%(p)s” chờ %(who)s ký bước “%(step)s”"),
            p=project.title,
            who=lines(*(Msg.label(s.role_label) for s in pending), sep=", "),
            step=Msg.label(t.label),
        )
    else:
        roles = {
            s.role
            for n in workflow.available(project.status, project.fund)
            if n.forward
            for s in n.signoffs
        }
        if not t.forward or t.action == Step.APPROVE:
            roles.add(workflow.CENTRE)
        title = Msg(
            gettext_noop("Đề án “%(p)s”: %(state)s"),
            p=project.title,
            state=Msg.choice(project, "status"),
        )
    recipients = [
        user
        for role in sorted(roles)
        for user in _users_with_role([role], _units_for(role, project))
        if user != actor
    ]
    if not t.forward and project.created_by is not None and project.created_by != actor:
        recipients.append(project.created_by)
    if not recipients:
        return
    notify(
        recipients,
        NotificationKind.PROJECT,
        title,
        comment,
        reverse("projects:project_detail", args=[project.pk]),
        unit=project.unit,
    )


# --------------------------------------------------------------------------------------------
# Implementation: progress reports and inspections
# --------------------------------------------------------------------------------------------
def _lock_for(
    actor: Any,
    action: policy.Action,
    project: Project,
    expected_version: int,
    states: frozenset[State],
    what: str,
) -> Project:
    _require(actor, action, project)
    locked = lock_current_version(project, expected_version)
    _refuse_if_locked(locked)
    if locked.status not in states:
        raise ProjectError(
            _("Đề án đang ở trạng thái “%(state)s”: chưa (hoặc không còn) %(what)s được.")
            % {"state": locked.get_status_display(), "what": what}
        )
    return locked


@retry_when_locked
@transaction.atomic
def report_progress(
    *,
    actor: Any,
    project: Project,
    expected_version: int,
    month: datetime.date,
    percent: int,
    text: str,
) -> ProgressReport:
    """Báo cáo tiến độ tháng (Mẫu 3a/3b): what was done and how much, one report per month."""
    locked = _lock_for(
        actor,
        policy.Action.REPORT_PROGRESS,
        project,
        expected_version,
        workflow.PROGRESS_STATES,
        _("báo cáo tiến độ"),
    )
    month = month.replace(day=1)
    if not text.strip():
        raise ProjectError(_("Cần ghi nội dung báo cáo tiến độ."))
    if not 0 <= percent <= 100:
        raise ProjectError(_("Khối lượng hoàn thành phải từ 0 đến 100%."))
    if ProgressReport.objects.filter(project=locked, month=month).exists():
        raise ProjectError(
            _("Đã có báo cáo tiến độ tháng %(m)s/%(y)s.") % {"m": month.month, "y": month.year}
        )
    report = ProgressReport.objects.create(
        project=locked, month=month, percent=percent, text=text.strip(), reported_by=actor
    )
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    record_event(
        EventType.PROJECT_PROGRESS,
        actor=actor,
        obj=locked,
        comment=report.text[:500],
        data={"month": month.isoformat(), "percent": percent},
    )
    return report


@retry_when_locked
@transaction.atomic
def record_inspection(
    *,
    actor: Any,
    project: Project,
    expected_version: int,
    inspected_on: datetime.date,
    findings: str,
) -> Inspection:
    """Kiểm tra, giám sát: the date and what the inspection found."""
    locked = _lock_for(
        actor,
        policy.Action.INSPECT_PROJECT,
        project,
        expected_version,
        workflow.INSPECTION_STATES,
        _("ghi kết quả kiểm tra"),
    )
    if not findings.strip():
        raise ProjectError(_("Cần ghi kết quả kiểm tra, kiến nghị."))
    inspection = Inspection.objects.create(
        project=locked,
        inspected_on=inspected_on,
        findings=findings.strip(),
        inspector=actor,
        inspector_role=_role(actor),
    )
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    record_event(
        EventType.PROJECT_INSPECTED,
        actor=actor,
        obj=locked,
        comment=inspection.findings[:500],
        data={"date": inspected_on.isoformat()},
    )
    _notify_inspection(locked, actor)
    return inspection


def _notify_inspection(project: Project, actor: Any) -> None:
    recipients = [u for u in _users_with_role([workflow.CENTRE], [project.unit]) if u != actor]
    if recipients:
        notify(
            recipients,
            NotificationKind.PROJECT,
            Msg(gettext_noop("Đề án “%(p)s” có kết quả kiểm tra mới"), p=project.title),
            "",
            reverse("projects:project_detail", args=[project.pk]),
            unit=project.unit,
        )


# --------------------------------------------------------------------------------------------
# Money: advances and payments (tạm ứng, thanh toán)
# --------------------------------------------------------------------------------------------
def _disbursed(project: Project, fund: str) -> tuple[int, int]:
    """Advances and payments committed against the approved amount: those awaiting Finance's
    co-signature count (nobody pays the same money twice), refused ones do not."""
    advanced = Advance.objects.filter(project=project, fund=fund).aggregate(s=Sum("amount"))["s"]
    paid = Payment.objects.filter(
        project=project, fund=fund, cosign_status__in=cosign.COMMITTED
    ).aggregate(s=Sum("amount"))["s"]
    return int(advanced or 0), int(paid or 0)


def norm_terms(project: Project) -> norms_api.Terms:
    """The norm in force for the project (one query): on its decision date, today before
    approval, as the rule check and the advance ceiling both apply it."""
    return norms_api.terms(
        content=project.content,
        fund=project.fund,
        on=project.decision_date or today(),
        province=project.unit,
    )


def advance_rate(project: Project) -> Decimal:
    """The norm's advance ceiling for the project (70% unless the norm says otherwise)."""
    return norm_terms(project).advance_rate


def _check_fund(project: Project, fund: str) -> int:
    if fund not in ProjectFund.values:
        raise ProjectError(_("Nguồn kinh phí phải là KCQG hoặc KCĐP."))
    approved = project.approved.for_fund(fund)
    if approved <= 0:
        raise ProjectError(
            _("Đề án không có kinh phí %(fund)s được duyệt.") % {"fund": rules.fund_label(fund)}
        )
    return approved


@retry_when_locked
@transaction.atomic
def record_advance(
    *,
    actor: Any,
    project: Project,
    expected_version: int,
    fund: str,
    amount: int,
    paid_on: datetime.date,
    note: str = "",
) -> Advance:
    """Tạm ứng: at most the norm's ceiling (70% by default) of the approved support per fund."""
    locked = _lock_for(
        actor,
        policy.Action.RECORD_PAYMENT,
        project,
        expected_version,
        workflow.ADVANCE_STATES,
        _("tạm ứng"),
    )
    approved = _check_fund(locked, fund)
    advanced, paid = _disbursed(locked, fund)
    refusal = rules.advance_refusal(
        fund=fund, approved=approved, rate=advance_rate(locked), advanced=advanced, amount=amount
    ) or rules.payment_refusal(
        fund=fund, approved=approved, disbursed=advanced + paid, amount=amount
    )
    if refusal:
        raise ProjectError(refusal)
    advance = Advance.objects.create(
        project=locked,
        fund=fund,
        amount=amount,
        paid_on=paid_on,
        note=note.strip(),
        recorded_by=actor,
    )
    kept_money.keep(locked)
    _money_logged(locked, actor, "tam-ung", fund, amount, paid_on)
    return advance


@retry_when_locked
@transaction.atomic
def record_payment(
    *,
    actor: Any,
    project: Project,
    expected_version: int,
    fund: str,
    amount: int,
    paid_on: datetime.date,
    note: str = "",
) -> Payment:
    """Thanh toán: advances and payments together never above the approved support. A payment
    after acceptance settles the project (thanh toán quyết toán, ``PaymentStage.FINAL``); one
    before it is an interim payment. A payment a threshold row covers waits for the finance
    department's co-signature (``cosigning``)."""
    locked = _lock_for(
        actor,
        policy.Action.RECORD_PAYMENT,
        project,
        expected_version,
        workflow.PAYMENT_STATES,
        _("thanh toán"),
    )
    stage = cosign.FINAL if locked.status == State.ACCEPTED else cosign.INTERIM
    approved = _check_fund(locked, fund)
    advanced, paid = _disbursed(locked, fund)
    refusal = rules.payment_refusal(
        fund=fund, approved=approved, disbursed=advanced + paid, amount=amount
    )
    if refusal:
        raise ProjectError(refusal)
    rule = cosigning.rule_for(locked, fund=fund, stage=stage, amount=amount, on=paid_on)
    payment = Payment.objects.create(
        project=locked,
        fund=fund,
        amount=amount,
        paid_on=paid_on,
        note=note.strip(),
        recorded_by=actor,
        stage=stage,
        cosign_status=cosign.PENDING if rule is not None else cosign.NOT_REQUIRED,
        cosign_rule=rule,
    )
    kept_money.keep(locked)  # unchanged while the payment awaits co-signature
    _money_logged(locked, actor, "thanh-toan", fund, amount, paid_on)
    if rule is not None:
        cosigning.ask_for_cosignature(payment, actor)
    return payment


def awaiting_cosignature(project: Project) -> bool:
    return Payment.objects.filter(project=project, cosign_status=cosign.PENDING).exists()


def _money_logged(
    project: Project, actor: Any, kind: str, fund: str, amount: int, paid_on: datetime.date
) -> None:
    project.version += 1
    project.save(update_fields=["version", "updated_at"])
    record_event(
        EventType.PROJECT_MONEY,
        actor=actor,
        obj=project,
        comment=f"{rules.fund_label(fund)} {format_money(amount)}",
        data={"kind": kind, "fund": fund, "amount": amount, "date": paid_on.isoformat()},
    )


# --------------------------------------------------------------------------------------------
# Attachments (tài liệu đính kèm)
# --------------------------------------------------------------------------------------------
@retry_when_locked
@transaction.atomic
def add_attachment(
    *,
    actor: Any,
    project: Project,
    upload: UploadedFile,
    description: str = "",
    shared: bool = False,
) -> Attachment:
    """Đính kèm a PDF, DOCX, XLSX, JPEG or PNG (judged from its content, at most 10 MB) to the
    project's current step. The file is stored under ``MEDIA_ROOT/projects/<id>/``. ``shared``:
    the beneficiary establishments may read it too (otherwise it is internal)."""
    _require(actor, policy.Action.ATTACH_PROJECT_FILE, project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    _refuse_if_locked(locked)
    if locked.status not in workflow.ATTACHMENT_STATES:
        raise ProjectError(
            _("Đề án đang ở trạng thái “%(state)s”: không đính kèm thêm tài liệu được.")
            % {"state": locked.get_status_display()}
        )
    name = safe_filename((upload.name or "tep").rsplit("/", 1)[-1])[:255]
    size = int(upload.size or 0)
    try:
        kind = uploads.detect(upload.file, name=name, size=size)  # type: ignore[arg-type]
    except uploads.UploadRefused as exc:
        raise ProjectError(str(exc)) from None
    attachment = Attachment(
        project=locked,
        step=locked.status,
        original_name=name,
        size=size,
        content_type=kind.content_type,
        description=description.strip()[:300],
        uploaded_by=actor,
        visibility=Visibility.SHARED if shared else Visibility.INTERNAL,
    )
    upload.seek(0)
    attachment.file.save(f"tep{kind.extension}", upload, save=False)
    attachment.save()
    record_event(
        EventType.PROJECT_FILE,
        actor=actor,
        obj=locked,
        comment=name,
        data={"attachment": attachment.pk, "size": size, "type": kind.code},
        visibility=attachment.visibility,
    )
    return attachment
