"""One synthetic project's life, step by step, as ``projects.services`` writes it.

:class:`ProjectLife` holds the project's row while it is being lived: every ``save`` the
services would make writes a history record (with the beneficiaries as django-simple-history
keeps them), every step goes through ``projects.workflow`` (the same table decides the next
state, who signs and whether every department must), writes its sign-off, transition row and
activity event, and applies its payload when the last signature is in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps

from khuyencong.audit.models import EventType
from khuyencong.core.formatting import format_date, format_money
from khuyencong.projects import rules, workflow
from khuyencong.projects.models import (
    Advance,
    Inspection,
    Payment,
    ProgressReport,
    Project,
    ProjectOutput,
    ProjectSignOff,
    ProjectSnapshot,
    ProjectTransition,
)
from khuyencong.projects.services import CREATED
from khuyencong.projects.workflow import Payload, Step

from .base import Run

BENEFICIARY_HISTORY = "projects.HistoricalProject_beneficiaries"


@dataclass
class ProjectLife:
    run: Run
    values: dict[str, Any]
    #: (through row id, establishment id) of the project's beneficiaries
    beneficiaries: list[tuple[int, int]]
    outputs: list[dict[str, Any]]
    snapshot: dict[str, Any]
    at: datetime.datetime
    signed: dict[tuple[str, str, int], dict[str, dict[str, Any]]] = field(default_factory=dict)
    paid: int = 0  # advances and payments so far
    last_report: datetime.date | None = None

    @property
    def pk(self) -> int:
        return int(self.values["id"])

    @property
    def unit(self) -> int:
        return int(self.values["unit_id"])

    def later(self, days: float) -> datetime.datetime:
        self.at = self.run.moment(self.at, days)
        return self.at

    def save(self, user: int | None, *, kind: str = "~", with_beneficiaries: bool = True) -> None:
        """What ``project.save()`` leaves: the row as it now is, in the history."""
        self.values["updated_at"] = self.at
        history = self.run.history(Project, self.values, at=self.at, kind=kind, user=user)
        if with_beneficiaries:
            table = self.run.tables[apps.get_model(BENEFICIARY_HISTORY)]
            for through_id, establishment in self.beneficiaries:
                table.add(
                    id=through_id,
                    project_id=self.pk,
                    establishment_id=establishment,
                    history_id=history,
                )

    def child(self, model: type[Any], user: int | None, **values: Any) -> int:
        """A row the services create for the project, with its history record."""
        pk = self.run.tables[model].add(project_id=self.pk, **values)
        self.run.history(
            model, {"id": pk, "project_id": self.pk, **values}, at=self.at, kind="+", user=user
        )
        return pk

    def log(self, action: str, source: str, user: int, role: str, comment: str = "") -> None:
        self.child(
            ProjectTransition,
            user,
            action=action,
            from_state=source,
            to_state=self.values["status"],
            round=self.values["round"],
            actor_id=user,
            role=role,
            comment=comment,
            at=self.at,
        )
        if action != CREATED:
            self.event(
                EventType.PROJECT_STEP,
                user,
                comment=comment,
                data={
                    "action": action,
                    "from": source,
                    "to": self.values["status"],
                    "round": self.values["round"],
                },
            )

    def event(self, kind: EventType, user: int, *, comment: str = "", data: Any = None) -> None:
        self.run.event(
            kind,
            at=self.at,
            actor=user,
            unit=self.unit,
            province=self.unit,
            obj=(Project, self.pk, self.values["title"]),
            comment=comment,
            data=data,
        )

    # ---------------------------------------------------------------------------- the steps
    def step(self, action: str, role: str, user: int, payload: dict[str, Any]) -> None:
        """``services.transition`` for a step the table allows this role to take."""
        v = self.values
        t = workflow.find(v["status"], action, v["fund"])
        signoff = t.signoff_for(role)
        assert signoff is not None, (v["status"], action, role)
        self.later(12)
        comment = _reason(signoff.payload)
        source = v["status"]
        pending: list[workflow.SignOff] = []
        if t.all_required or signoff.payload not in (Payload.NONE, Payload.REASON):
            signed = self.signed.setdefault((t.source, t.action, v["round"]), {})
            signed[role] = payload
            self.child(
                ProjectSignOff,
                user,
                action=t.action,
                from_state=t.source,
                round=v["round"],
                role=role,
                actor_id=user,
                at=self.at,
                comment=comment,
                data=payload,
            )
            pending = workflow.pending_signoffs(t, signed)
            if not pending:
                for requirement in t.signoffs:
                    if requirement.role in signed:
                        self._apply(requirement.payload, signed[requirement.role], user)
        if not pending:
            if t.action in (Step.SUBMIT, Step.RESUBMIT):
                v["round"] += 1
                self.child(
                    ProjectSnapshot,
                    user,
                    round=v["round"],
                    data=self.snapshot,
                    taken_by_id=user,
                    taken_at=self.at,
                )
            elif t.action == Step.CANCEL:
                v["cancel_reason"] = comment
            v["status"] = t.target
        v["version"] += 1
        self.save(user)
        summary = _summary(signoff.payload, payload)
        self.log(t.action, source, user, role, " ".join(p for p in (summary, comment) if p))

    def _apply(self, kind: Payload, data: dict[str, Any], user: int) -> None:
        v = self.values
        if kind == Payload.DECISION:
            v["decision_number"] = data["decision_number"]
            v["decision_date"] = datetime.date.fromisoformat(data["decision_date"])
            v["approved_kcqg"] = data["approved_kcqg"]
            v["approved_kcdp"] = data["approved_kcdp"]
        elif kind == Payload.CONTRACT:
            v["contract_number"] = data["contract_number"]
            v["contract_date"] = datetime.date.fromisoformat(data["contract_date"])
        elif kind == Payload.ACCEPTANCE:
            v["acceptance_minutes"] = data["minutes"]
            v["accepted_on"] = datetime.date.fromisoformat(data["accepted_on"])
            for output in self.outputs:
                output["actual_quantity"] = Decimal(data["actual"][str(output["id"])])
                self.run.history(ProjectOutput, output, at=self.at, kind="~", user=user)
        elif kind == Payload.SETTLEMENT:
            v["settled_kcqg"] = data["settled_kcqg"]
            v["settled_kcdp"] = data["settled_kcdp"]
            v["settled_on"] = datetime.date.fromisoformat(data["settled_on"])

    # ------------------------------------------------------------- records between the steps
    def _recorded(self, user: int, kind: EventType, comment: str, data: dict[str, Any]) -> None:
        self.values["version"] += 1
        self.save(user)
        self.event(kind, user, comment=comment, data=data)

    def money(
        self, model: type[Advance] | type[Payment], user: int, fund: str, amount: int
    ) -> None:
        paid_on = self.later(20).date()
        self.child(
            model,
            user,
            fund=fund,
            amount=amount,
            paid_on=paid_on,
            note="Chứng từ chi theo hợp đồng",
            recorded_by_id=user,
            recorded_at=self.at,
        )
        # Synthetic payments are written without co-signature (cosign_status NOT_REQUIRED), so
        # each is disbursed at once: kept on the project as ``kept_money.keep`` does.
        column = f"disbursed_{fund.lower()}"
        self.values[column] = self.values.get(column, 0) + amount
        kind = "tam-ung" if model is Advance else "thanh-toan"
        self._recorded(
            user,
            EventType.PROJECT_MONEY,
            f"{rules.fund_label(fund)} {format_money(amount)}",
            {"kind": kind, "fund": fund, "amount": amount, "date": paid_on.isoformat()},
        )

    def progress(self, user: int, percent: int) -> None:
        """One report a month (the services refuse a second): none when the period is over."""
        month = self.later(30).date().replace(day=1)
        if self.last_report is not None and month <= self.last_report:
            month = (self.last_report + datetime.timedelta(days=32)).replace(day=1)
        if month > self.run.as_of.date():
            return
        self.last_report = month
        text = f"Đã hoàn thành khoảng {percent}% khối lượng công việc theo kế hoạch."
        self.child(
            ProgressReport,
            user,
            month=month,
            text=text,
            percent=percent,
            reported_by_id=user,
            reported_at=self.at,
        )
        data = {"month": month.isoformat(), "percent": percent}
        self._recorded(user, EventType.PROJECT_PROGRESS, text, data)

    def inspection(self, user: int, role: str) -> None:
        on = self.later(15).date()
        findings = "Đề án triển khai đúng tiến độ, đúng nội dung được duyệt."
        self.child(
            Inspection,
            user,
            inspected_on=on,
            findings=findings,
            inspector_id=user,
            inspector_role=role,
            recorded_at=self.at,
        )
        self._recorded(user, EventType.PROJECT_INSPECTED, findings, {"date": on.isoformat()})


def _reason(kind: Payload) -> str:
    if kind == Payload.REASON:
        return "Đề nghị bổ sung, hoàn thiện hồ sơ theo ý kiến thẩm định."
    return ""


def _summary(kind: Payload, data: dict[str, Any]) -> str:
    """The transition log's line, as ``services._summary`` writes it."""
    if kind == Payload.DECISION:
        return "Quyết định số {} ngày {}; duyệt KCQG {}, KCĐP {}.".format(
            data["decision_number"],
            format_date(datetime.date.fromisoformat(data["decision_date"])),
            format_money(data["approved_kcqg"]),
            format_money(data["approved_kcdp"]),
        )
    if kind == Payload.CONTRACT:
        return "Hợp đồng số {} ngày {}.".format(
            data["contract_number"], format_date(datetime.date.fromisoformat(data["contract_date"]))
        )
    if kind == Payload.APPRAISAL:
        text = str(rules.APPRAISAL_CONCLUSIONS.get(data["conclusion"], ""))
        return f"{text} — {data['score']} điểm"
    if kind == Payload.ACCEPTANCE:
        return "Nghiệm thu ngày {}.".format(
            format_date(datetime.date.fromisoformat(data["accepted_on"]))
        )
    if kind == Payload.SETTLEMENT:
        kcqg, kcdp = format_money(data["settled_kcqg"]), format_money(data["settled_kcdp"])
        return f"Quyết toán KCQG {kcqg}, KCĐP {kcdp}."
    return ""
