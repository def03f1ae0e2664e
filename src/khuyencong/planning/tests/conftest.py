"""Fixtures for planning: Sơn La's programmes, communes, establishments, a round, users."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.planning import services
from khuyencong.planning.models import PlanFund, RegistrationRound
from khuyencong.planning.rules import Amounts
from khuyencong.programs.models import ContentGroup
from khuyencong.registry.models import Establishment

SON_LA, KHANH_HOA = "14", "56"
CHIENG_SON, TO_HIEU = "03985", "03646"  # two communes of Sơn La
KH_COMMUNE = "22333"  # Phường Bắc Nha Trang, Khánh Hòa
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def seed_programmes(db: Any) -> None:
    from khuyencong.programs.services import load_seed_programmes

    load_seed_programmes()


@pytest.fixture
def groups(seed_programmes: Any) -> dict[str, ContentGroup]:
    return {g.code: g for g in ContentGroup.objects.all()}


def establishment(unit: Any, code: str, name: str) -> Establishment:
    return Establishment.objects.create(
        name=name, legal_form="hkd", commune=unit(code), product_group="2"
    )


@pytest.fixture
def tea(unit: Any) -> Establishment:
    return establishment(unit, CHIENG_SON, "Hộ kinh doanh chè Chiềng Sơn")


@pytest.fixture
def weaver(unit: Any) -> Establishment:
    return establishment(unit, TO_HIEU, "Hợp tác xã dệt thổ cẩm Tô Hiệu")


@pytest.fixture
def kh_shop(unit: Any) -> Establishment:
    return establishment(unit, KH_COMMUNE, "Cơ sở nước mắm Nha Trang")


@pytest.fixture
def round_(unit: Any, groups: Any) -> RegistrationRound:
    """Sơn La's KCĐP round for 2026: communes by 10/6/2026, the province by 19/6/2026."""
    r = RegistrationRound.objects.create(
        unit=unit(SON_LA),
        title="Đăng ký kế hoạch khuyến công địa phương năm 2026",
        plan_year=2026,
        fund=PlanFund.KCDP,
        commune_deadline=datetime.date(2026, 6, 10),
        province_deadline=datetime.date(2026, 6, 19),
    )
    r.content_groups.set(groups.values())
    return r


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user(Role.COMMUNE_OFFICER, CHIENG_SON, email="xa@test.khuyencong.vn")


@pytest.fixture
def centre(make_user: Any) -> Any:
    return make_user(Role.PROVINCE_CENTRE, SON_LA, email="trungtam@test.khuyencong.vn")


@pytest.fixture
def sct(make_user: Any) -> Any:
    return make_user(Role.PROVINCE_SCT, SON_LA, email="sct@test.khuyencong.vn")


def representative(make_user: Any, establishment: Establishment, **kwargs: Any) -> Any:
    user = make_user(Role.ESTABLISHMENT, establishment.commune, **kwargs)
    RoleAssignment.objects.filter(user=user).update(establishment=establishment)
    return user


def need(
    group: ContentGroup,
    *,
    total: int = 500_000_000,
    kcdp: int = 200_000_000,
    kcqg: int = 0,
    counterpart: int = 300_000_000,
    other: int = 0,
    activity: str = "Hỗ trợ ứng dụng máy sao chè tự động",
) -> services.RegistrationData:
    return services.RegistrationData(
        content_group=group,
        activity=activity,
        amounts=Amounts(total, kcqg, kcdp, counterpart, other),
        start_month=datetime.date(2026, 3, 1),
        end_month=datetime.date(2026, 11, 1),
        description="Thay máy sao chè thủ công.",
        expected_outputs="01 dây chuyền sao chè.",
    )


@pytest.fixture
def draft(officer: Any, round_: Any, tea: Any, groups: Any) -> Any:
    registration, _warnings = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    return registration


@pytest.fixture
def submitted(officer: Any, draft: Any) -> Any:
    return services.transition_registration(
        actor=officer, registration=draft, action="gui", on=TODAY
    )
