"""Demo reports (dữ liệu trình diễn): Sơn La's H1 2026 reports, clearly marked ``is_demo`` and
idempotent.

Four Sơn La communes report to the SCT: three on time, one late, and a fifth commune (it has an
officer) has not reported — it is listed as missing. The provincial centre reports on time. The
SCT's own report rolls them up, is approved with a note on the missing commune and accepted by
the national department; the summary is refreshed so the national dashboard shows it. Every step
goes through the services, with the dates it was taken on (``at``). Call after the demo users,
programmes and projects exist (``core.demo.seed_demo``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from . import seed, services, summary
from .models import Indicator, Report, Schedule
from .periods import Period

H1 = Period.parse("2026-H1")
SON_LA = "14"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DOMAIN = "demo.khuyencong.vn"

#: (commune code, submitted, approved, accepted; None: no report, domestic fairs its
#: establishments took part in, entered by hand) — Chiềng Sơn is the demo commune whose officer
#: already exists; the others get a demo officer here. Trainees are computed from the projects
#: (version 3 of the sets), not entered.
COMMUNES: tuple[tuple[str, tuple[int, int, int] | None, int], ...] = (
    ("03985", (12, 13, 18), 2),  # on time
    ("03646", (14, 14, 18), 1),  # on time
    ("03980", (10, 12, 18), 0),  # on time
    ("03667", (20, 21, 25), 1),  # late: due 15/6
    ("03670", None, 0),  # missing
)


def _at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 9, 0, tzinfo=HANOI)


def _user(role: str, unit: AdministrativeUnit, local: str) -> Any:
    assignment = (
        RoleAssignment.objects.filter(role=role, unit=unit, user__is_demo=True, is_active=True)
        .select_related("user")
        .first()
    )
    if assignment is not None:
        user = assignment.user
    else:
        user, _created = User.objects.get_or_create(
            email=f"{local}@{DOMAIN}",
            defaults={
                "full_name": f"Cán bộ {unit.name} (mẫu)",
                "is_demo": True,
                "password": make_password(None),
            },
        )
        assignment = RoleAssignment.objects.create(
            user=user, role=role, unit=unit, title="Công chức"
        )
        user.current_assignment = assignment
        user.save(update_fields=["current_assignment"])
    user.current_assignment = assignment
    return user


def _hand(
    report: Report, actor: Any, figures: dict[str, int], text: str, at: datetime.datetime
) -> Report:
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            indicator_set=report.indicator_set, code__in=list(figures)
        )
    }
    report.refresh_from_db()
    return services.save_entries(
        actor=actor,
        report=report,
        expected_version=report.version,
        narrative=text,
        values={
            indicators[code].pk: services.HandValue(Decimal(n), note="Sổ theo dõi của đơn vị")
            for code, n in figures.items()
        },
        at=at,
    )


def _steps(report: Report, steps: list[tuple[Any, str, datetime.datetime, str]]) -> Report:
    for actor, step, at, note in steps:
        report.refresh_from_db()
        report = services.transition(
            actor=actor,
            report=report,
            step=step,
            expected_version=report.version,
            missing_note=note,
            at=at,
        )
    return report


@transaction.atomic
def seed_demo_reports() -> int:
    """Create the demo reports once; returns how many were created."""
    seed.load()  # the default sets and schedules, for a database emptied since its migrations
    if Report.objects.filter(is_demo=True).exists():
        return 0
    units = AdministrativeUnit.objects.current()
    son_la = units.get(level=UnitLevel.PROVINCE, code=SON_LA)
    nation = units.get(level=UnitLevel.NATIONAL)
    sct = _user(Role.PROVINCE_SCT, son_la, "sct.sonla")
    centre = _user(Role.PROVINCE_CENTRE, son_la, "trungtam.sonla")
    national = _user(Role.NATIONAL_OFFICER, nation, "cuc")
    communes = Schedule.objects.get(code="xa-6-thang")
    created: list[Report] = []
    for code, dates, fairs in COMMUNES:
        commune = units.get(level=UnitLevel.COMMUNE, code=code)
        officer = _user(Role.COMMUNE_OFFICER, commune, f"xa.{code}")
        if dates is None:
            continue
        submitted, approved, accepted = dates
        report = services.open_report(actor=officer, schedule=communes, unit=commune, period=H1)
        report = _hand(
            report,
            officer,
            {"tham-gia-hoi-cho-trong-nuoc": fairs},
            f"Kết quả khuyến công 6 tháng đầu năm 2026 của {commune.name}.",
            _at(6, min(submitted, 10)),
        )
        created.append(
            _steps(
                report,
                [
                    (officer, "gui", _at(6, submitted), ""),
                    (officer, "phe-duyet", _at(6, approved), ""),
                    (sct, "chap-nhan", _at(6, accepted), ""),
                ],
            )
        )
    report = services.open_report(
        actor=centre,
        schedule=Schedule.objects.get(code="trung-tam-6-thang"),
        unit=son_la,
        period=H1,
    )
    report = _hand(
        report,
        centre,
        {"hoi-nghi-can-bo": 1, "tham-gia-hoi-cho-trong-nuoc": 2},
        "Trung tâm đã tổ chức 4 lớp tập huấn và đưa các cơ sở tham gia 2 hội chợ trong nước.",
        _at(6, 15),
    )
    created.append(
        _steps(
            report,
            [
                (centre, "gui", _at(6, 18), ""),
                (centre, "phe-duyet", _at(6, 19), ""),
                (sct, "chap-nhan", _at(6, 22), ""),
            ],
        )
    )
    province = services.open_report(
        actor=sct, schedule=Schedule.objects.get(code="tinh-6-thang"), unit=son_la, period=H1
    )
    province = _hand(
        province,
        sct,
        {"hoi-nghi-can-bo": 1},
        "Sở Công Thương tổng hợp báo cáo của Trung tâm Khuyến công và các xã, phường.",
        _at(7, 2),
    )
    missing = "Xã chưa gửi báo cáo 6 tháng: đã có văn bản đôn đốc, sẽ báo cáo bổ sung."
    created.append(
        _steps(
            province,
            [
                (sct, "gui", _at(7, 5), ""),
                (sct, "phe-duyet", _at(7, 6), missing),
                (national, "chap-nhan", _at(7, 9), ""),
            ],
        )
    )
    Report.objects.filter(pk__in=[r.pk for r in created]).update(is_demo=True)
    summary.refresh_period(H1)
    return len(created)
