"""Synthetic registration rounds and support-need registrations (đợt, phiếu đăng ký), walked
through ``planning.workflow`` as ``planning.services`` would: a history record per save, a
transition row and an activity event per step."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from khuyencong.accounts.models import Role
from khuyencong.audit.models import EventType
from khuyencong.planning import kept_counts, workflow
from khuyencong.planning.models import (
    PlanFund,
    RegistrationRound,
    RegistrationTransition,
    SupportRegistration,
)
from khuyencong.planning.services import CREATED
from khuyencong.programs.models import ContentGroup

from .base import UTC, Run, million
from .registry import EstablishmentRef

_R, _RA = workflow.RegistrationState, workflow.RegistrationAction
#: Where registrations end up, and the steps that lead there.
PATHS: list[tuple[int, list[str]]] = [
    (8, []),
    (12, [_RA.SUBMIT]),
    (5, [_RA.SUBMIT, _RA.RETURN]),
    (50, [_RA.SUBMIT, _RA.ACCEPT]),
    (10, [_RA.SUBMIT, _RA.RETURN, _RA.RESUBMIT, _RA.ACCEPT]),
    (15, [_RA.SUBMIT, _RA.REJECT]),
]
REASONS = {
    _RA.RETURN: "Bổ sung dự toán chi tiết và hồ sơ pháp lý của cơ sở.",
    _RA.REJECT: "Nội dung không thuộc đối tượng hỗ trợ của kế hoạch năm.",
}


@dataclass(frozen=True)
class AcceptedRegistration:
    pk: int
    establishment: EstablishmentRef
    fund: str
    year: int


def generate_rounds(run: Run) -> dict[tuple[int, int, str], int]:
    """Each province opens one round per plan year and fund; returns their keys."""
    groups = list(ContentGroup.objects.order_by("number").values_list("pk", flat=True))
    through = RegistrationRound.content_groups.through
    history_through = _m2m_history_model(RegistrationRound, "content_groups")
    rounds: dict[tuple[int, int, str], int] = {}
    for province in run.world.provinces:
        centre = run.world.officer(province.pk, Role.PROVINCE_CENTRE)
        for year in range(run.first_year, run.as_of.year + 1):
            for fund in (PlanFund.KCDP, PlanFund.KCQG):
                at = datetime.datetime(year - 1, 7, 1, 2, tzinfo=UTC)
                title = f"Đợt đăng ký nhu cầu hỗ trợ {fund.label} năm {year}"
                values: dict[str, Any] = {
                    "unit_id": province.pk,
                    "title": f"{title} — {province.name}",
                    "plan_year": year,
                    "fund": fund,
                    "commune_deadline": datetime.date(year - 1, 9, 30),
                    "province_deadline": datetime.date(year - 1, 10, 31),
                    "notes": "Các xã tổng hợp phiếu của cơ sở trên địa bàn.",
                    "created_by_id": centre,
                    "created_at": at,
                    "updated_at": at,
                    "version": 1,
                }
                pk = run.tables[RegistrationRound].add(**values)
                values["id"] = pk
                history = run.history(RegistrationRound, values, at=at, kind="+", user=centre)
                for group in groups:
                    row = run.tables[through].add(registrationround_id=pk, contentgroup_id=group)
                    run.tables[history_through].add(
                        id=row, history_id=history, registrationround_id=pk, contentgroup_id=group
                    )
                run.event(
                    EventType.ROUND_OPENED,
                    at=at,
                    actor=centre,
                    unit=province.pk,
                    province=province.pk,
                    obj=(RegistrationRound, pk, values["title"]),
                    data={
                        "plan_year": year,
                        "fund": str(fund),
                        "commune_deadline": values["commune_deadline"].isoformat(),
                        "province_deadline": values["province_deadline"].isoformat(),
                    },
                )
                rounds[(province.pk, year, fund)] = pk
    return rounds


def _m2m_history_model(model: type, field: str) -> type[Any]:
    """django-simple-history's table of the m2m field's rows at each history record."""
    label = f"{model._meta.app_label}.Historical{model.__name__}_{field}"  # type: ignore[attr-defined]
    return apps.get_model(label)


def generate_registrations(
    run: Run,
    count: int,
    establishments: dict[int, list[EstablishmentRef]],
    rounds: dict[tuple[int, int, str], int],
) -> list[AcceptedRegistration]:
    """``count`` registrations of establishments in their province's rounds."""
    rng = run.rng
    groups = run.world.group_ids
    everyone = [e for found in establishments.values() for e in found]
    weights, paths = zip(*PATHS, strict=True)
    accepted: list[AcceptedRegistration] = []
    sent: Counter[int] = Counter()
    table = run.tables[SupportRegistration]
    for _n in range(count):
        establishment = rng.choice(everyone)
        commune = establishment.commune
        assert commune.province is not None
        year = rng.randint(run.first_year, run.as_of.year)
        fund = PlanFund.KCDP if rng.random() < 0.7 else PlanFund.KCQG
        author = run.world.officer(commune.pk, Role.COMMUNE_OFFICER)
        reviewer = run.world.officer(commune.province, Role.PROVINCE_CENTRE)
        total = million(rng, 20, 900)
        support = total * rng.randint(30, 70) // 100 // 1_000_000 * 1_000_000
        at = run.moment(datetime.datetime(year - 1, 7, 2, tzinfo=UTC), 80)
        pk = table.new_id()
        activity = f"Hỗ trợ phát triển sản xuất {establishment.product.lower()}"
        values: dict[str, Any] = {
            "id": pk,
            "round_id": rounds[(commune.province, year, fund)],
            "establishment_id": establishment.pk,
            "commune_id": commune.pk,
            "province_id": commune.province,
            "content_group_id": rng.choice(groups),
            "activity": activity,
            "description": "Cơ sở cần đầu tư để nâng năng suất và chất lượng sản phẩm.",
            "expected_outputs": "Năng suất tăng, sản phẩm đạt tiêu chuẩn chất lượng.",
            "total_cost": total,
            "support_kcqg": support if fund == PlanFund.KCQG else 0,
            "support_kcdp": support if fund == PlanFund.KCDP else 0,
            "counterpart": total - support,
            "start_month": datetime.date(year, rng.randint(2, 6), 1),
            "end_month": datetime.date(year, rng.randint(7, 11), 1),
            "status": _R.DRAFT,
            "author_id": author,
            "created_at": at,
            "updated_at": at,
            "version": 1,
        }
        text = f"Phiếu số {pk} — {activity}"
        run.history(SupportRegistration, values, at=at, kind="+", user=author)
        _step(run, values, CREATED, "", author, at, text, "")
        for action in rng.choices(paths, weights)[0]:
            t = workflow.registration_transition(values["status"], action)
            actor = author if t.permission == workflow.REGISTER_NEED else reviewer
            at = run.moment(at, 20)
            source = values["status"]
            if action == _RA.SUBMIT:
                values["submitted_at"] = at
            values.update(status=t.target, version=values["version"] + 1, updated_at=at)
            run.history(SupportRegistration, values, at=at, kind="~", user=actor)
            _step(run, values, action, source, actor, at, text, REASONS.get(action, ""))
        table.add(**values)
        if kept_counts.is_sent(values["status"]):
            sent[values["round_id"]] += 1
        if values["status"] == _R.ACCEPTED:
            accepted.append(AcceptedRegistration(pk, establishment, fund, year))
    _keep_sent_counts(run, sent)
    return accepted


def _keep_sent_counts(run: Run, sent: Counter[int]) -> None:
    """Each round's kept count of sent registrations, as the sends through the services would
    have moved it (``planning.kept_counts``): set on the round rows not written yet, added to
    those already written."""
    table = run.tables[RegistrationRound]
    key, column = table.attnames.index(table.pk), table.attnames.index("sent_count")
    for row in table.rows:
        row[column] += sent.pop(row[key], 0)
    kept_counts.add(sent)


def _step(
    run: Run,
    values: dict[str, Any],
    action: str,
    source: str,
    actor: int,
    at: datetime.datetime,
    text: str,
    comment: str,
) -> None:
    run.tables[RegistrationTransition].add(
        registration_id=values["id"],
        action=action,
        from_state=source,
        to_state=values["status"],
        actor_id=actor,
        at=at,
        comment=comment,
    )
    run.event(
        EventType.REGISTRATION_CHANGED,
        at=at,
        actor=actor,
        unit=values["commune_id"],
        province=values["province_id"],
        obj=(SupportRegistration, values["id"], text),
        comment=comment,
        data={"action": action, "from": source, "to": values["status"]},
    )
