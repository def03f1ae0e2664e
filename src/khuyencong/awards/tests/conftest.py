"""Fixtures for the selection: establishments, products, rounds at each level, council seats,
score sheets — built straight in the database (``build_*``) for tests of reads and access;
the services are tested through their own calls."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.awards import legal, rules
from khuyencong.awards.models import (
    CouncilMember,
    Entry,
    Product,
    ScoreSheet,
    SelectionRound,
)
from khuyencong.awards.services.legal_data import level_defaults, round_rule_values
from khuyencong.registry.models import Establishment

SON_LA, KHANH_HOA, NATION = "14", "56", "VN"
CHIENG_SON, TO_HIEU = "03985", "03646"  # two communes of Sơn La
KH_COMMUNE = "22333"  # a ward of Khánh Hòa
D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


def build_establishment(unit: Any, code: str = CHIENG_SON, name: str = "HTX chè Chiềng Sơn") -> Any:
    return Establishment.objects.create(
        name=name, legal_form="htx", commune=unit(code), product_group="2"
    )


def build_product(establishment: Any, name: str = "Chè Shan tuyết Chiềng Sơn") -> Product:
    return Product.objects.create(
        establishment=establishment,
        commune=establishment.commune,
        name=name,
        group="2",
        description="Chè xanh sao tay từ cây chè Shan tuyết cổ thụ.",
    )


def build_round(
    unit: Any,
    *,
    level: str = rules.Level.PROVINCE,
    code: str = "son-la-2026",
    organiser: str = SON_LA,
    year: int = 2026,
    status: str = "nhan-ho-so",
) -> SelectionRound:
    return SelectionRound.objects.create(
        code=code,
        title=f"Bình chọn sản phẩm CNNT tiêu biểu {rules.level_name(level)} năm {year}",
        year=year,
        level=level,
        unit=unit(organiser),
        legal_basis=legal.BASIS,
        registration_opens=D(year, 3, 1),
        registration_closes=D(year, 6, 30),
        scoring_opens=D(year, 7, 1),
        scoring_closes=D(year, 9, 30),
        **round_rule_values(level_defaults(level)),
        status=status,
    )


def build_entry(round_: SelectionRound, product: Product, status: str = "hop-le") -> Entry:
    return Entry.objects.create(
        round=round_,
        product=product,
        establishment=product.establishment,
        commune=product.commune,
        status=status,
        representative="Lò Văn Chè",
        phone="0912 345 678",
        commitment=True,
        description=product.description,
    )


def seat(
    round_: SelectionRound, user: Any, council_role: str = "uy-vien", *, judge: bool = True
) -> CouncilMember:
    return CouncilMember.objects.create(
        round=round_,
        user=user,
        full_name=user.full_name,
        council_role=council_role,
        is_judge=judge,
    )


def build_sheet(
    entry: Entry, member: CouncilMember, total: int | None = None, status: str = "da-nop"
) -> ScoreSheet:
    scores: dict[str, str] = {}
    if total is not None:
        # Spread the total over the criteria in proportion to their caps.
        scores = {
            "thi-truong": str(Decimal(total) * 4 / 10),
            "kinh-te-ky-thuat": str(Decimal(total) * 4 / 10),
            "van-hoa": str(Decimal(total) / 10),
            "khac": str(Decimal(total) / 10),
        }
    return ScoreSheet.objects.create(
        round=entry.round,
        entry=entry,
        member=member,
        status=status if total is not None else "chua-cham",
        scores=scores,
        total=Decimal(total) if total is not None else None,
    )


VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def on_day(time_machine: Any) -> Callable[[datetime.date], None]:
    """Move the clock to 10:00 in Việt Nam on a day (time keeps ticking from there)."""

    def move(day: datetime.date) -> None:
        time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=VN_TZ))

    return move


@pytest.fixture
def in_may_2026(on_day: Any) -> None:
    """Registration of the rounds built here is open (1/3 - 30/6/2026)."""
    on_day(D(2026, 5, 4))


@pytest.fixture
def establishment(unit: Any) -> Any:
    return build_establishment(unit)


@pytest.fixture
def product(establishment: Any) -> Product:
    return build_product(establishment)


@pytest.fixture
def province_round(unit: Any) -> SelectionRound:
    return build_round(unit)


@pytest.fixture
def council_user(make_user: Any) -> Callable[..., Any]:
    """A user holding the council-member role (at Sơn La unless told)."""

    def make(code: str = SON_LA, **extra: Any) -> Any:
        return make_user(Role.COUNCIL_MEMBER, code, **extra)

    return make


@pytest.fixture
def representative(make_user: Any) -> Callable[[Any], Any]:
    def make(establishment: Any) -> Any:
        user = make_user(Role.ESTABLISHMENT, establishment.commune)
        RoleAssignment.objects.filter(user=user).update(establishment=establishment)
        return user

    return make


# --------------------------------------------------------------------------------------------
# A seated jury (through the services), for the scoring and the results
# --------------------------------------------------------------------------------------------
ROLES = ["chu-tich", "pho-chu-tich", "uy-vien", "uy-vien", "uy-vien", "uy-vien", "thu-ky"]


def scores(total: int | str) -> dict[str, str]:
    """A full sheet adding up to ``total`` (40 % / 40 % / 10 % / 10 %)."""
    t = Decimal(str(total))
    return {
        "thi-truong": str(t * 4 / 10),
        "kinh-te-ky-thuat": str(t * 4 / 10),
        "van-hoa": str(t / 10),
        "khac": str(t / 10),
    }


@pytest.fixture
def sct(make_user: Any) -> Any:
    return make_user(Role.PROVINCE_SCT, SON_LA)


@pytest.fixture
def seated(unit: Any, make_user: Any, sct: Any) -> dict[str, Any]:
    """An open Sơn La round with two accepted entries and a full council of seven judges."""
    from khuyencong.awards.services import jury

    round_ = build_round(unit)
    tea = build_entry(round_, build_product(build_establishment(unit)))
    plum = build_entry(
        round_, build_product(build_establishment(unit, TO_HIEU, "HTX mận Tô Hiệu"), "Mận hậu")
    )
    judges = []
    for n, role in enumerate(ROLES):
        user = make_user(Role.COUNCIL_MEMBER, SON_LA)
        user.full_name = f"Giám khảo {n + 1}"
        user.save(update_fields=["full_name"])
        judges.append(
            jury.add_member(actor=sct, round_=round_, user=user, council_role=role, is_judge=True)
        )
    round_.refresh_from_db()
    return {"round": round_, "tea": tea, "plum": plum, "judges": judges}


def start(seated: dict[str, Any], sct: Any) -> SelectionRound:
    from khuyencong.awards.services import jury

    round_ = seated["round"]
    round_.refresh_from_db()
    return jury.start_scoring(actor=sct, round_=round_, expected_version=round_.version)


def sheet_of(member: CouncilMember, entry: Entry) -> ScoreSheet:
    return ScoreSheet.objects.get(member=member, entry=entry)


def submit(member: CouncilMember, entry: Entry, total: int | str) -> ScoreSheet:
    from khuyencong.awards.services import scoring

    sheet = sheet_of(member, entry)
    return scoring.save_sheet(
        actor=member.user,
        sheet=sheet,
        expected_version=sheet.version,
        scores=scores(total),
        submit=True,
    )


PUBLISHED_ON = D(2026, 11, 15)
TEA = [80, 82, 78, 81, 79, 80, 83]  # mean 80.43
PLUM = [55, 75, 72, 71, 70, 74, 73]  # mean 70.00 (the pass mark), one outlier (55)


@pytest.fixture
def closed(seated: dict[str, Any], sct: Any, on_day: Any) -> dict[str, Any]:
    """The Sơn La round scored by its seven judges and closed by the chair on 10/11/2026; the
    clock then moves to 16/11/2026."""
    on_day(D(2026, 11, 10))
    start(seated, sct)
    for judge, tea, plum in zip(seated["judges"], TEA, PLUM, strict=True):
        submit(judge, seated["tea"], tea)
        submit(judge, seated["plum"], plum)
    round_ = seated["round"]
    round_.refresh_from_db()
    from khuyencong.awards.services import scoring

    scoring.close_round(
        actor=seated["judges"][0].user, round_=round_, expected_version=round_.version
    )
    round_.refresh_from_db()
    seated["tea"].refresh_from_db()
    seated["plum"].refresh_from_db()
    on_day(D(2026, 11, 16))
    return seated


def publish(
    closed: dict[str, Any],
    sct: Any,
    day: datetime.date = PUBLISHED_ON,
    number: str = "1234/QĐ-UBND",
) -> list[Any]:
    from khuyencong.awards.services import results

    round_ = closed["round"]
    round_.refresh_from_db()
    return results.publish_round(
        actor=sct,
        round_=round_,
        expected_version=round_.version,
        decision_number=number,
        decision_date=day,
    )
