"""Synthetic projects (đề án): content the project rules accept, spread over the lifecycle.

Older plan years are further along (mostly closed), the current year mostly before or in
implementation; some were returned and resubmitted, rejected or cancelled, some wait for a
second department's signature. Money stays within the support norm's cap (asked of the norms
app, as ``check_project`` does), advances within the advance ceiling, advances and payments
within the approved amount, the settlement equal to what was paid.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from khuyencong.accounts.models import Role
from khuyencong.audit.models import EventType
from khuyencong.core.formatting import format_date
from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.norms.models import NormContent, SupportNorm
from khuyencong.projects import norms_api
from khuyencong.projects.models import (
    Advance,
    BudgetLine,
    Payment,
    Project,
    ProjectFund,
    ProjectKind,
    ProjectOutput,
    ProjectTask,
)
from khuyencong.projects.services import CREATED
from khuyencong.projects.workflow import CENTRE, FINANCE, KCDP, KCQG, NATIONAL, SCT, State, Step

from . import names
from .base import UTC, Run
from .lifecycle import ProjectLife
from .planning import AcceptedRegistration
from .registry import EstablishmentRef
from .world import PROJECT_CONTENTS, Line

ROLE_OF = {
    CENTRE: Role.PROVINCE_CENTRE,
    SCT: Role.PROVINCE_SCT,
    FINANCE: Role.PROVINCE_FINANCE,
    NATIONAL: Role.NATIONAL_OFFICER,
}
COSTS = [100, 150, 200, 300, 400, 500, 700, 900, 1_200, 1_500, 2_000]  # millions of đồng
_S = State
#: Where projects of a plan year stand at the end of the period, by the year's age.
STATES_BY_AGE: dict[int, list[tuple[State, int]]] = {
    0: [
        (_S.DRAFT, 14), (_S.SUBMITTED, 12), (_S.RETURNED, 5), (_S.APPRAISED_PROVINCE, 10),
        (_S.APPRAISED_NATIONAL, 4), (_S.APPROVED, 14), (_S.CONTRACTED, 10),
        (_S.IMPLEMENTING, 16), (_S.ACCEPTED, 5), (_S.REJECTED, 6), (_S.CANCELLED, 4),
    ],
    1: [
        (_S.APPROVED, 3), (_S.CONTRACTED, 5), (_S.IMPLEMENTING, 22), (_S.ACCEPTED, 20),
        (_S.SETTLED, 20), (_S.CLOSED, 14), (_S.REJECTED, 9), (_S.CANCELLED, 7),
    ],
    2: [
        (_S.IMPLEMENTING, 2), (_S.ACCEPTED, 5), (_S.SETTLED, 15), (_S.CLOSED, 60),
        (_S.REJECTED, 10), (_S.CANCELLED, 8),
    ],
}  # fmt: skip
APPRAISAL = {"sheet": "Đề án phù hợp quy định; dự toán hợp lý.", "conclusion": "dat"}


class ProjectMaker:
    """Makes the projects of one run; the norm caps are asked once per content, fund, cost."""

    def __init__(self, run: Run, accepted: list[AcceptedRegistration]) -> None:
        self.run = run
        self.rng = run.rng
        self.labels = dict(NormContent.objects.values_list("code", "name"))
        self.caps: dict[tuple[str, str, int, int | None], int | None] = {}
        self.registrations: dict[tuple[int, int, str], list[AcceptedRegistration]] = defaultdict(
            list
        )
        for registration in accepted:
            key = (registration.establishment.commune.province or 0, registration.year)
            self.registrations[(*key, registration.fund)].append(registration)
        self.units = {u.pk: u for u in AdministrativeUnit.objects.filter(level=1)}
        self.own_norms = set(SupportNorm.objects.values_list("jurisdiction_id", flat=True))

    def cap(self, content: str, fund: str, cost: int, province: int, year: int) -> int | None:
        key = (content, fund, cost, province if province in self.own_norms else None)
        if key not in self.caps:
            limit = norms_api.limit_for(
                content=content,
                fund=fund,
                eligible_cost=cost,
                on=datetime.date(year, 1, 1),
                province=self.units[province],
                priority=False,
            )
            self.caps[key] = limit.maximum if limit is not None else None
        return self.caps[key]

    def make(self, province: int, establishments: list[EstablishmentRef]) -> None:
        rng, run = self.rng, self.run
        year = rng.randint(run.first_year, run.as_of.year)
        fund = KCQG if rng.random() < 0.3 else KCDP
        content, cost, support = self._money(province, year, fund)
        registration = None
        pool = self.registrations.get((province, year, fund))
        if pool and rng.random() < 0.5:
            registration = pool.pop()
            chosen = [registration.establishment]
        else:
            chosen = rng.sample(establishments, min(len(establishments), rng.randint(1, 3)))
        lines = self._lines(province, year, fund, content)
        life = self._create(
            province, year, fund, content, cost, support, chosen, lines,
            registration.pk if registration is not None else None,
        )  # fmt: skip
        state = _weighted(rng, STATES_BY_AGE[min(2, run.as_of.year - year)])
        if fund == KCDP and state == _S.APPRAISED_NATIONAL:
            state = _S.APPRAISED_PROVINCE
        self._live(life, state)
        run.tables[Project].add(**life.values)

    def _money(self, province: int, year: int, fund: str) -> tuple[str, int, int]:
        """A content, the total cost and the support: a share of the cost, within the norm's
        cap where the norms table has one (without one the rules only warn)."""
        rng = self.rng
        content = rng.choice(PROJECT_CONTENTS)
        cost = rng.choice(COSTS) * 1_000_000
        support = cost * rng.randint(30, 70) // 100
        cap = self.cap(content, fund, cost, province, year)
        if cap is not None:
            support = min(support, cap)
        return content, cost, support // 1_000_000 * 1_000_000

    def _lines(self, province: int, year: int, fund: str, content: str) -> list[Line]:
        owner = self.run.world.nation.pk if fund == KCQG else province
        usable = [
            line
            for line in self.run.world.lines.get(owner, [])
            if line.start_year <= year <= line.end_year
        ]
        group = self.run.world.content_groups.get(content)
        same = [line for line in usable if line.group == group] or usable
        return sorted(self.rng.sample(same, min(len(same), self.rng.randint(1, 2))), key=_order)

    def _create(
        self,
        province: int,
        year: int,
        fund: str,
        content: str,
        cost: int,
        support: int,
        chosen: list[EstablishmentRef],
        lines: list[Line],
        registration: int | None,
    ) -> ProjectLife:
        run, rng = self.run, self.rng
        centre = run.world.officer(province, Role.PROVINCE_CENTRE)
        unit = self.units[province]
        at = run.moment(datetime.datetime(year - 1, 10, 1, 2, tzinfo=UTC), 150)
        title = names.project_title(content, chosen[0].product, chosen[0].commune.name)
        values: dict[str, Any] = {
            "id": run.tables[Project].new_id(),
            "unit_id": province,
            "fund": fund,
            "plan_year": year,
            "kind": ProjectKind.ORDINARY,
            "content": content,
            "title": title,
            "title_folded": fold(title),
            "implementing_unit": f"Trung tâm Khuyến công {unit.name}",
            "partners": f"UBND {chosen[0].commune.name}",
            "location_id": chosen[0].commune.pk,
            "need": "Cơ sở sản xuất còn thủ công, năng suất thấp, cần hỗ trợ đổi mới công nghệ.",
            "objectives": "Nâng năng suất, chất lượng sản phẩm; nhân rộng cho cơ sở trong vùng.",
            "total_cost": cost,
            "support_kcqg": support if fund == KCQG else 0,
            "support_kcdp": support if fund == KCDP else 0,
            "counterpart": cost - support,
            "status": _S.DRAFT,
            "round": 0,
            "created_by_id": centre,
            "registration_id": registration,
            "created_at": at,
            "updated_at": at,
            "version": 1,
        }
        through = Project.beneficiaries.through
        beneficiaries = [
            (run.tables[through].add(project_id=values["id"], establishment_id=e.pk), e.pk)
            for e in chosen
        ]
        life = ProjectLife(run, values, beneficiaries, [], {}, at)
        life.save(centre, kind="+", with_beneficiaries=False)
        budget = [
            ("Kinh phí hỗ trợ theo định mức", values["support_kcqg"], values["support_kcdp"], 0),
            ("Vốn đối ứng của cơ sở", 0, 0, cost - support),
        ]
        for order, (item, kcqg, kcdp, counterpart) in enumerate(budget, start=1):
            life.child(
                BudgetLine, centre, order=order, item=item, kcqg=kcqg, kcdp=kcdp,
                counterpart=counterpart, other=0,
            )  # fmt: skip
        tasks = [
            ("Chuẩn bị, mua sắm", datetime.date(year, 3, 1), datetime.date(year, 6, 30)),
            ("Triển khai, nghiệm thu", datetime.date(year, 7, 1), datetime.date(year, 11, 30)),
        ]
        for order, (name, start, end) in enumerate(tasks, start=1):
            life.child(ProjectTask, centre, order=order, name=name, start=start, end=end)
        for line in lines:
            planned = Decimal(rng.randint(1, 5))
            pk = life.child(ProjectOutput, centre, line_id=line.pk, planned_quantity=planned)
            life.outputs.append(
                {"id": pk, "project_id": values["id"], "line_id": line.pk,
                 "planned_quantity": planned, "actual_quantity": None}
            )  # fmt: skip
        life.save(centre)  # the beneficiaries are set after the first save
        life.log(CREATED, "", centre, CENTRE)
        life.event(EventType.PROJECT_CREATED, centre, data={"registration": registration})
        life.snapshot = self._snapshot(values, budget, tasks, life.outputs, lines, chosen)
        return life

    def _snapshot(
        self,
        values: dict[str, Any],
        budget: list[tuple[str, int, int, int]],
        tasks: list[tuple[str, datetime.date, datetime.date]],
        outputs: list[dict[str, Any]],
        lines: list[Line],
        chosen: list[EstablishmentRef],
    ) -> dict[str, Any]:
        """What ``services.snapshot_of`` stores at a submission."""
        return {
            "fields": {
                "title": values["title"],
                "kind": "Đề án thường",
                "content": self.labels.get(values["content"], values["content"]),
                "fund": str(ProjectFund(values["fund"]).label),
                "plan_year": str(values["plan_year"]),
                "implementing_unit": values["implementing_unit"],
                "partners": values["partners"],
                "location": chosen[0].commune.name,
                "need": values["need"],
                "objectives": values["objectives"],
                "scale_technology": "",
                "organisation": "",
                "expected_effects": "",
                "priority": "không",
            },
            "budget": [
                {"item": i, "kcqg": q, "kcdp": p, "counterpart": c, "other": 0}
                for i, q, p, c in budget
            ],
            "tasks": [
                {"name": n, "start": format_date(s), "end": format_date(e)} for n, s, e in tasks
            ],
            "outputs": [
                {"line": line.label, "planned": str(output["planned_quantity"])}
                for line, output in zip(lines, outputs, strict=True)
            ],
            "beneficiaries": sorted(e.name for e in chosen),
        }

    # ------------------------------------------------------------------------ the lifecycle
    def _live(self, life: ProjectLife, target: State) -> None:
        for action, role, payload in self._path(life, target):
            if action == "money":
                self._pay(life, **payload)
            elif action == "progress":
                user = self._user(life, CENTRE)
                life.progress(user, payload["percent"])
                if self.rng.random() < 0.3:
                    life.inspection(self._user(life, SCT), Role.PROVINCE_SCT)
            else:
                life.step(action, role, self._user(life, role), self._payload(life, action))

    def _user(self, life: ProjectLife, role: str) -> int:
        if role == NATIONAL:
            return self.run.world.national_officers[0]
        return self.run.world.officer(life.unit, ROLE_OF[role])

    def _path(self, life: ProjectLife, target: State) -> list[tuple[str, str, dict[str, Any]]]:
        rng, fund = self.rng, life.values["fund"]
        steps: list[tuple[str, str, dict[str, Any]]] = []

        def add(action: str, role: str, **payload: Any) -> None:
            steps.append((action, role, payload))

        def pair(action: str, first: str, second: str) -> None:
            roles = [first, second]
            rng.shuffle(roles)
            for role in roles:
                add(action, role)

        order = [_S.SUBMITTED, _S.APPRAISED_PROVINCE, _S.APPRAISED_NATIONAL, _S.APPROVED,
                 _S.CONTRACTED, _S.IMPLEMENTING, _S.ACCEPTED, _S.SETTLED, _S.CLOSED]  # fmt: skip
        end = target
        if target in (_S.REJECTED, _S.CANCELLED, _S.RETURNED):
            choices = [_S.SUBMITTED, _S.APPRAISED_PROVINCE]
            if target == _S.CANCELLED:
                choices = [_S.DRAFT, _S.SUBMITTED, _S.APPROVED, _S.IMPLEMENTING]
            elif fund == KCQG and target == _S.REJECTED:
                choices.append(_S.APPRAISED_NATIONAL)
            end = _S.SUBMITTED if target == _S.RETURNED else rng.choice(choices)
        reach = order.index(end) if end in order else -1
        if reach >= 0:
            add(Step.SUBMIT, CENTRE)
            if rng.random() < 0.15:
                add(Step.RETURN, SCT)
                add(Step.RESUBMIT, CENTRE)
        if reach >= 1:
            pair(Step.APPRAISE_PROVINCE, SCT, FINANCE)
        elif end == _S.SUBMITTED and target == _S.SUBMITTED and rng.random() < 0.3:
            add(Step.APPRAISE_PROVINCE, rng.choice([SCT, FINANCE]))  # one department signed
        if fund == KCQG and reach >= 2:
            add(Step.APPRAISE_NATIONAL, NATIONAL)
        if reach >= 3:
            if fund == KCQG:
                add(Step.APPROVE, NATIONAL)
            else:
                pair(Step.APPROVE, SCT, FINANCE)
        if reach >= 4:
            add(Step.CONTRACT, CENTRE)
            if rng.random() < 0.6:
                add("money", CENTRE, kind=Advance, share=rng.randint(20, 30))
        if reach >= 5:
            add(Step.START, CENTRE)
            for percent in sorted(rng.sample(range(10, 95, 5), rng.randint(1, 3))):
                add("progress", CENTRE, percent=percent)
        if reach >= 6:
            add("money", CENTRE, kind=Payment, share=100)
            add(Step.ACCEPT, rng.choice([CENTRE, SCT]))
        if reach >= 7:
            add(Step.SETTLE, rng.choice([CENTRE, SCT]))
        if reach >= 8:
            add(Step.CLOSE, SCT)
        if target == _S.RETURNED:
            add(Step.RETURN, SCT)
        elif target == _S.REJECTED:
            decider = {_S.SUBMITTED: SCT, _S.APPRAISED_PROVINCE: SCT}.get(end, NATIONAL)
            if fund == KCQG and end == _S.APPRAISED_PROVINCE:
                decider = NATIONAL
            add(Step.REJECT, decider)
        elif target == _S.CANCELLED:
            add(Step.CANCEL, CENTRE if end == _S.DRAFT else SCT)
        return steps

    def _payload(self, life: ProjectLife, action: str) -> dict[str, Any]:
        v, rng, day = life.values, self.rng, life.at.date()
        if action in (Step.APPRAISE_PROVINCE, Step.APPRAISE_NATIONAL):
            return {**APPRAISAL, "score": rng.randint(70, 95)}
        if action == Step.APPROVE and v["status"] in (_S.APPRAISED_PROVINCE, _S.APPRAISED_NATIONAL):
            issuer = "QĐ-ĐCK" if v["fund"] == KCQG else "QĐ-SCT"
            return {
                "decision_number": f"{v['id'] % 900 + 10}/{issuer}",
                "decision_date": day.isoformat(),
                "approved_kcqg": v["support_kcqg"],
                "approved_kcdp": v["support_kcdp"],
            }
        if action == Step.CONTRACT:
            number = f"{v['id'] % 900 + 10}/{v['plan_year']}/HĐ-KC"
            return {"contract_number": number, "contract_date": day.isoformat()}
        if action == Step.ACCEPT:
            actual = {str(o["id"]): str(o["planned_quantity"]) for o in life.outputs}
            return {"minutes": "Nghiệm thu đạt yêu cầu.", "accepted_on": day.isoformat(),
                    "actual": actual}  # fmt: skip
        if action == Step.SETTLE:
            return {"settled_kcqg": v["approved_kcqg"], "settled_kcdp": v["approved_kcdp"],
                    "settled_on": day.isoformat()}  # fmt: skip
        return {}

    def _pay(self, life: ProjectLife, kind: type[Advance] | type[Payment], share: int) -> None:
        """An advance of ``share`` % of the approved support, or the payment of the rest."""
        fund = life.values["fund"]
        approved = life.values["approved_kcqg" if fund == KCQG else "approved_kcdp"]
        amount = approved * share // 100 - (life.paid if kind is Payment else 0)
        if amount > 0:
            life.money(kind, self._user(life, CENTRE), fund, amount)
            life.paid += amount


def _order(line: Line) -> tuple[int, int]:
    return (line.order, line.pk)


def _weighted(rng: random.Random, pairs: list[tuple[State, int]]) -> State:
    states, weights = zip(*pairs, strict=True)
    return rng.choices(states, weights)[0]
