"""Fixtures for reporting: Sơn La's officers at each level, projects put straight into a state,
and a date inside the first half-year's reporting window."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from khuyencong.accounts.models import Role
from khuyencong.awards.models import Certificate
from khuyencong.awards.tests.conftest import build_entry, build_product, build_round
from khuyencong.projects.models import Project
from khuyencong.registry.models import Establishment
from khuyencong.reporting import services
from khuyencong.reporting.models import Indicator, IndicatorSet, Report, Schedule
from khuyencong.reporting.periods import Period

SON_LA, KHANH_HOA = "14", "56"
CHIENG_SON, TO_HIEU = "03985", "03646"  # two communes of Sơn La
MILLION = 1_000_000
H1 = Period.parse("2026-H1")
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


@pytest.fixture
def on_day(time_machine: Any) -> Callable[[datetime.date], None]:
    """Move the clock to a day (9:00 in Hà Nội); the clock does not run on by itself."""

    def move(day: datetime.date) -> None:
        time_machine.move_to(at(day), tick=False)

    return move


@pytest.fixture
def in_june(on_day: Callable[[datetime.date], None]) -> None:
    on_day(datetime.date(2026, 6, 10))


@pytest.fixture
def officers(make_user: Any) -> dict[str, Any]:
    return {
        "commune": make_user(Role.COMMUNE_OFFICER, CHIENG_SON),
        "other_commune": make_user(Role.COMMUNE_OFFICER, TO_HIEU),
        "centre": make_user(Role.PROVINCE_CENTRE, SON_LA),
        "sct": make_user(Role.PROVINCE_SCT, SON_LA),
        "finance": make_user(Role.PROVINCE_FINANCE, SON_LA),
        "kh_sct": make_user(Role.PROVINCE_SCT, KHANH_HOA),
        "national": make_user(Role.NATIONAL_OFFICER, "VN"),
        "establishment": make_user(Role.ESTABLISHMENT, CHIENG_SON),
    }


def schedule(code: str) -> Schedule:
    return Schedule.objects.get(code=code)


def latest_set(code: str = "chi-tieu-2646-tinh") -> IndicatorSet:
    """The latest version of a default indicator set (older versions stay for their reports)."""
    return IndicatorSet.objects.filter(code=code).order_by("-version")[0]


def latest_indicator(code: str, set_code: str = "chi-tieu-2646-tinh") -> Indicator:
    return latest_set(set_code).indicators.get(code=code)


@pytest.fixture
def make_project(unit: Any) -> Callable[..., Project]:
    def make(
        *,
        province: str = SON_LA,
        commune: str | None = CHIENG_SON,
        fund: str = "KCQG",
        content: str = "may-moc-thiet-bi",
        support: int = 300 * MILLION,
        counterpart: int = 200 * MILLION,
        decided: datetime.date | None = datetime.date(2026, 3, 2),
        status: str = "phe-duyet",
    ) -> Project:
        kcqg, kcdp = (support, 0) if fund == "KCQG" else (0, support)
        return Project.objects.create(
            unit=unit(province),
            location=unit(commune) if commune else None,
            fund=fund,
            plan_year=2026,
            content=content,
            title=f"Đề án {content}",
            implementing_unit="Trung tâm khuyến công",
            support_kcqg=kcqg,
            support_kcdp=kcdp,
            approved_kcqg=kcqg if decided else 0,
            approved_kcdp=kcdp if decided else 0,
            counterpart=counterpart,
            total_cost=support + counterpart,
            status=status,
            decision_date=decided,
        )

    return make


def open_for(actor: Any, code: str, unit: Any, period: Period = H1) -> Report:
    return services.open_report(actor=actor, schedule=schedule(code), unit=unit, period=period)


def step(actor: Any, report: Report, name: str, **kwargs: Any) -> Report:
    report.refresh_from_db()
    return services.transition(
        actor=actor, report=report, step=name, expected_version=report.version, **kwargs
    )


@pytest.fixture
def data(unit: Any, make_project: Any) -> None:
    """Chiềng Sơn: two KCQG projects of content group 1, one KCĐP of group 2; three
    establishments supported (a woman's of product group 1, an ethnic-minority owner's and
    another of group 2); two certificates issued in the half-year (province, commune level)."""
    machines = make_project(content="may-moc-thiet-bi", support=300 * MILLION)
    cleaner = make_project(content="san-xuat-sach-hon", support=150 * MILLION)
    brand = make_project(fund="KCDP", content="nhan-hieu", support=100 * MILLION)
    shop = Establishment.objects.create
    crafts = shop(
        name="Mây tre",
        legal_form="hkd",
        commune=unit(CHIENG_SON),
        product_group="1",
        owner_gender="nu",
    )
    tea = shop(
        name="Chè",
        legal_form="hkd",
        commune=unit(CHIENG_SON),
        product_group="2",
        owner_ethnic_minority=True,
    )
    coffee = shop(name="Cà phê", legal_form="hkd", commune=unit(CHIENG_SON), product_group="2")
    machines.beneficiaries.set([crafts, tea])
    cleaner.beneficiaries.set([tea])
    brand.beneficiaries.set([coffee])
    for n, (level, organiser) in enumerate([("tinh", SON_LA), ("xa", CHIENG_SON)]):
        product = build_product(tea, f"Chè số {n}")
        round_ = build_round(unit, level=level, code=f"r{n}", organiser=organiser)
        entry = build_entry(round_, product)
        Certificate.objects.create(
            number=f"{n}/GCN",
            code=f"GCN{n}",
            entry=entry,
            product=product,
            establishment=tea,
            round=entry.round,
            level=level,
            commune=entry.commune,
            issued_on=datetime.date(2026, 4, 1 + n),
            valid_until=datetime.date(2029, 4, 1),
            decision="5/QĐ-UBND",
        )
