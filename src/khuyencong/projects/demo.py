"""Demo projects (dữ liệu trình diễn), clearly marked ``is_demo`` and idempotent.

Four Sơn La projects, each at a step a demo user can take next: a draft the centre can submit,
a local-fund fair project the SCT has appraised and Finance has not yet, a national-fund
demonstration model being implemented (with an advance and a progress report), and a settled
(locked) design-consulting project. Made through the services, so logs, sign-offs, snapshots
and notifications are the real ones. Call after the demo users, establishments and programmes
exist (``core.demo.seed_demo``).

The story happens in the first half of the demo year (``on``, ``DEMO_YEAR``): decisions,
contracts, money paid and settlement carry those dates and every step's log and sign-offs are
dated the day it was taken, as if the services had run on that day — so the H1 2026 reports
and the dashboard of the demo (``reporting.demo``) count these projects instead of nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.programs.models import ActivityLine
from khuyencong.registry.models import Establishment

from . import cosigning, rules, services
from .models import Payment, Project, ProjectSignOff, ProjectTransition
from .workflow import KCDP, KCQG, Step

SON_LA = "14"
MILLION = 1_000_000
DEMO_YEAR = 2026
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def on(month: int, day: int) -> datetime.date:
    """A day of the demo story (ngày trong năm mẫu)."""
    return datetime.date(DEMO_YEAR, month, day)


def _demo_user(role: str, unit: AdministrativeUnit | None) -> Any:
    found = RoleAssignment.objects.filter(role=role, user__is_demo=True, is_active=True)
    if unit is not None:
        found = found.filter(unit=unit)
    assignment = found.select_related("user").order_by("pk").first()
    if assignment is None:
        return None
    user = assignment.user
    if user.current_assignment_id != assignment.pk:  # act through this role
        user.current_assignment = assignment
        user.save(update_fields=["current_assignment"])
    return user


def _data(
    title: str,
    *,
    fund: str,
    content: str,
    year: int,
    support: int,
    counterpart: int,
    beneficiaries: list[Establishment],
    location: AdministrativeUnit | None,
    outputs: list[services.OutputRow],
) -> services.ProjectData:
    kcqg, kcdp = (support, 0) if fund == KCQG else (0, support)
    return services.ProjectData(
        title=title,
        fund=fund,
        plan_year=year,
        content=content,
        implementing_unit="Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La",
        partners="UBND xã; Sở Công Thương tỉnh Sơn La",
        location=location,
        need="Dữ liệu trình diễn: cơ sở sản xuất thủ công, năng suất thấp, cần hỗ trợ.",
        objectives="Nâng năng suất, chất lượng sản phẩm; nhân rộng cho các cơ sở trong vùng.",
        scale_technology="Quy mô cơ sở; công nghệ phù hợp điều kiện địa phương.",
        organisation="Trung tâm chủ trì, phối hợp UBND xã và cơ sở thụ hưởng.",
        expected_effects="Tăng năng suất 30%, tạo thêm việc làm cho lao động địa phương.",
        beneficiaries=beneficiaries,
        budget=[
            rules.BudgetRow("Kinh phí hỗ trợ theo định mức", kcqg=kcqg, kcdp=kcdp),
            rules.BudgetRow("Vốn đối ứng của cơ sở", counterpart=counterpart),
        ],
        tasks=[
            rules.TaskRow(
                "Chuẩn bị, mua sắm", datetime.date(year, 3, 1), datetime.date(year, 6, 30)
            ),
            rules.TaskRow(
                "Triển khai, nghiệm thu", datetime.date(year, 7, 1), datetime.date(year, 11, 30)
            ),
        ],
        outputs=outputs,
    )


def _marks(project: Project) -> tuple[int, int]:
    """The newest log and sign-off of the project, to date what a step adds after them."""
    return (
        ProjectTransition.objects.filter(project=project)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0,
        ProjectSignOff.objects.filter(project=project)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0,
    )


def _dated(project: Project, marks: tuple[int, int], day: datetime.date) -> None:
    """Date the log and sign-offs a step wrote on the day the story takes it (9:00 in Hà Nội)."""
    at = datetime.datetime.combine(day, datetime.time(9), tzinfo=HANOI)
    ProjectTransition.objects.filter(project=project, pk__gt=marks[0]).update(at=at)
    ProjectSignOff.objects.filter(project=project, pk__gt=marks[1]).update(at=at)


def _go(
    actor: Any, project: Project, action: str, day: datetime.date, comment: str = "", **payload: Any
) -> Project:
    project.refresh_from_db()
    marks = _marks(project)
    done = services.transition(
        actor=actor,
        project=project,
        action=action,
        expected_version=project.version,
        comment=comment,
        **payload,
    ).project
    _dated(project, marks, day)
    return done


APPRAISAL: dict[str, Any] = {
    "sheet": "Đề án phù hợp quy định; dự toán hợp lý (dữ liệu mẫu).",
    "score": 85,
    "conclusion": "dat",
}


@transaction.atomic
def seed_demo_projects() -> int:
    """Create the demo projects once; returns how many were created (0 when present)."""
    province = AdministrativeUnit.objects.current().get(level=UnitLevel.PROVINCE, code=SON_LA)
    if Project.objects.filter(is_demo=True, unit=province).exists():
        return 0
    centre = _demo_user(Role.PROVINCE_CENTRE, province)
    sct = _demo_user(Role.PROVINCE_SCT, province)
    finance = _demo_user(Role.PROVINCE_FINANCE, province)
    national = _demo_user(Role.NATIONAL_OFFICER, None)
    if None in (centre, sct, finance, national):
        return 0
    year = DEMO_YEAR
    establishments = list(
        Establishment.objects.filter(commune__path__startswith=province.path + "/")
        .select_related("commune")
        .order_by("-is_demo", "pk")[:4]
    )
    while len(establishments) < 4 and establishments:
        establishments.append(establishments[-1])
    pick = [[e] if e else [] for e in establishments] or [[], [], [], []]
    location = [e[0].commune if e else None for e in pick]
    lines = ActivityLine.objects.filter(
        programme__unit=province, programme__start_year__lte=year, programme__end_year__gte=year
    ).order_by("order")

    def outputs_for(content: str) -> list[services.OutputRow]:
        """One unit on the programme line of the project's norm, so progress counts it."""
        line = lines.filter(norm_content__code=content).first()
        return [services.OutputRow(line, Decimal(1))] if line is not None else []

    def create(title: str, n: int, **kwargs: Any) -> Project:
        project, _warnings = services.create_project(
            actor=centre,
            data=_data(
                f"{title} (dữ liệu mẫu)",
                year=year,
                beneficiaries=pick[n],
                location=location[n],
                **kwargs,
            ),
            is_demo=True,
        )
        return project

    create(
        "Hỗ trợ ứng dụng máy sao chè tự động",
        0,
        fund=KCQG,
        content="may-moc-thiet-bi",
        support=250 * MILLION,
        counterpart=300 * MILLION,
        outputs=outputs_for("may-moc-thiet-bi"),
    )

    fair = create(
        "Hỗ trợ cơ sở tham gia hội chợ hàng công nghiệp nông thôn tiêu biểu",
        1,
        fund=KCDP,
        content="hoi-cho-trong-nuoc",
        support=40 * MILLION,
        counterpart=10 * MILLION,
        outputs=outputs_for("hoi-cho-trong-nuoc"),
    )
    _go(centre, fair, Step.SUBMIT, on(2, 2))
    _go(sct, fair, Step.APPRAISE_PROVINCE, on(2, 20), **APPRAISAL)  # Finance has not signed yet

    model = create(
        "Xây dựng mô hình trình diễn kỹ thuật chế biến chè an toàn",
        2,
        fund=KCQG,
        content="mo-hinh-trinh-dien",
        support=450 * MILLION,
        counterpart=1050 * MILLION,
        outputs=outputs_for("mo-hinh-trinh-dien"),
    )
    _go(centre, model, Step.SUBMIT, on(1, 12))
    _go(sct, model, Step.APPRAISE_PROVINCE, on(1, 26), **APPRAISAL)
    _go(finance, model, Step.APPRAISE_PROVINCE, on(1, 28), **APPRAISAL)
    _go(national, model, Step.APPRAISE_NATIONAL, on(2, 24), **APPRAISAL)
    model = _go(
        national,
        model,
        Step.APPROVE,
        on(3, 16),
        decision_number=f"15/QĐ-ĐCK-{year}",
        decision_date=on(3, 16),
        approved_kcqg=450 * MILLION,
        approved_kcdp=0,
    )
    model = _go(
        centre,
        model,
        Step.CONTRACT,
        on(3, 25),
        contract_number=f"07/{year}/HĐ-KC",
        contract_date=on(3, 25),
    )
    model = _go(centre, model, Step.START, on(4, 1))
    services.record_advance(
        actor=centre,
        project=model,
        expected_version=model.version,
        fund=KCQG,
        amount=200 * MILLION,
        paid_on=on(4, 10),
        note="Tạm ứng đợt 1 (dữ liệu mẫu)",
    )
    model.refresh_from_db()
    services.report_progress(
        actor=centre,
        project=model,
        expected_version=model.version,
        month=on(5, 1),
        percent=40,
        text="Đã lắp đặt thiết bị, đang vận hành thử (dữ liệu mẫu).",
    )

    design = create(
        "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm chè",
        3,
        fund=KCDP,
        content="tu-van-thiet-ke",
        support=30 * MILLION,
        counterpart=30 * MILLION,
        outputs=outputs_for("tu-van-thiet-ke"),
    )
    _go(centre, design, Step.SUBMIT, on(1, 19))
    _go(sct, design, Step.APPRAISE_PROVINCE, on(2, 2), **APPRAISAL)
    _go(finance, design, Step.APPRAISE_PROVINCE, on(2, 4), **APPRAISAL)
    _go(
        sct,
        design,
        Step.APPROVE,
        on(2, 23),
        decision_number=f"88/QĐ-SCT-{year}",
        decision_date=on(2, 23),
        approved_kcqg=0,
        approved_kcdp=30 * MILLION,
    )
    _go(
        finance,
        design,
        Step.APPROVE,
        on(2, 25),
        comment="Thống nhất bố trí kinh phí (dữ liệu mẫu).",
    )
    _go(
        centre,
        design,
        Step.CONTRACT,
        on(3, 2),
        contract_number=f"09/{year}/HĐ-KC",
        contract_date=on(3, 2),
    )
    design = _go(centre, design, Step.START, on(3, 9))
    design = _go(
        sct,
        design,
        Step.ACCEPT,
        on(5, 20),
        minutes="Nghiệm thu đạt (dữ liệu mẫu).",
        accepted_on=on(5, 20),
        actual={o.pk: o.planned_quantity for o in design.outputs.all()},
    )
    # The final settlement payment of a KCĐP project waits for Finance's co-signature.
    payment = services.record_payment(
        actor=centre,
        project=design,
        expected_version=design.version,
        fund=KCDP,
        amount=30 * MILLION,
        paid_on=on(5, 27),
        note="Thanh toán quyết toán (dữ liệu mẫu)",
    )
    design.refresh_from_db()
    cosigning.cosign_payment(
        actor=finance,
        payment=payment,
        expected_version=design.version,
        agree=True,
        note="Đủ chứng từ (dữ liệu mẫu).",
    )
    Payment.objects.filter(pk=payment.pk).update(
        cosigned_at=datetime.datetime.combine(on(5, 29), datetime.time(9), tzinfo=HANOI)
    )
    _go(
        sct,
        design,
        Step.SETTLE,
        on(6, 5),
        settled_kcqg=0,
        settled_kcdp=30 * MILLION,
        settled_on=on(6, 5),
    )
    return 4
