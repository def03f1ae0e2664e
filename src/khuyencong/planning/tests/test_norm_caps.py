"""Registrations against the support norms: support above the cap is an error naming the rule."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from khuyencong.norms.models import NormContent, SupportNorm
from khuyencong.planning import services
from khuyencong.planning.models import PlanFund, RegistrationRound

from .conftest import SON_LA, need

pytestmark = pytest.mark.django_db
M = 1_000_000


@pytest.fixture(autouse=True)
def national_norms(db):
    """The seeded rates (a transactional test elsewhere may have emptied the database), and
    Vietnamese messages whatever language an earlier test left active."""
    from khuyencong.norms.services import load_national_norms

    load_national_norms()
    with translation.override("vi"):
        yield


def machinery() -> NormContent:
    return NormContent.objects.get(code="may-moc-thiet-bi")


@pytest.fixture
def national_round(unit, groups):
    """Sơn La's call for national-fund (KCQG) registrations for 2026."""
    r = RegistrationRound.objects.create(
        unit=unit(SON_LA),
        title="Đăng ký kế hoạch khuyến công quốc gia năm 2026",
        plan_year=2026,
        fund=PlanFund.KCQG,
        commune_deadline=datetime.date(2026, 6, 10),
        province_deadline=datetime.date(2026, 6, 19),
    )
    r.content_groups.set(groups.values())
    return r


@pytest.fixture
def son_la_rate(unit):
    return SupportNorm.objects.create(
        content=machinery(),
        fund="KCDP",
        jurisdiction=unit(SON_LA),
        legal_basis="Nghị quyết 109/2025/NQ-HĐND tỉnh Sơn La",
        max_percent=Decimal(50),
        cap_per_unit=250 * M,
        unit="cơ sở",
        effective_from=datetime.date(2025, 7, 1),
    )


def machine(groups, **amounts):
    return dataclasses.replace(need(groups["nhom-1"], **amounts), norm_content=machinery())


def test_national_support_above_the_cap_is_an_error_naming_the_rule(
    officer, national_round, tea, groups
):
    data = machine(groups, total=700 * M, kcqg=350 * M, kcdp=0, counterpart=350 * M)
    with pytest.raises(services.RegistrationInvalid) as refused:
        services.create_registration(
            actor=officer, round=national_round, establishment=tea, data=data
        )
    [finding] = refused.value.findings
    assert finding.field == "kcqg"
    assert "vượt mức hỗ trợ tối đa 300 triệu đồng" in finding.message
    assert (
        "Định mức áp dụng: Tối đa 300.000.000 đ: 50% chi phí hợp lý 700.000.000 đ là "
        "350.000.000 đ, vượt mức trần 300.000.000 đ/cơ sở (Thông tư 28/2018/TT-BTC, sửa đổi "
        "bởi Thông tư 64/2024/TT-BTC)." in finding.message
    )
    within = machine(groups, total=700 * M, kcqg=300 * M, kcdp=0, counterpart=400 * M)
    registration, warnings = services.create_registration(
        actor=officer, round=national_round, establishment=tea, data=within
    )
    assert warnings == []
    assert registration.norm_content_id == "may-moc-thiet-bi"


def test_a_local_round_uses_the_provinces_own_rate(officer, round_, tea, groups, son_la_rate):
    data = machine(groups, total=600 * M, kcdp=300 * M, counterpart=300 * M)
    with pytest.raises(services.RegistrationInvalid, match="Nghị quyết 109/2025/NQ-HĐND"):
        services.create_registration(actor=officer, round=round_, establishment=tea, data=data)
    ok = machine(groups, total=600 * M, kcdp=250 * M, counterpart=350 * M)
    _registration, warnings = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=ok
    )
    assert warnings == []


def test_without_a_norm_only_a_warning(officer, round_, tea, groups):
    # No local rate for Sơn La yet: the appraiser checks by hand.
    data = machine(groups, total=600 * M, kcdp=500 * M, counterpart=100 * M)
    _registration, warnings = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=data
    )
    assert [w.field for w in warnings] == ["kcdp"]
    assert "Chưa có định mức hỗ trợ KCĐP" in warnings[0].message


def test_the_norm_must_belong_to_the_content_group(officer, round_, tea, groups):
    data = dataclasses.replace(need(groups["nhom-2"]), norm_content=machinery())
    with pytest.raises(services.RegistrationInvalid) as refused:
        services.create_registration(actor=officer, round=round_, establishment=tea, data=data)
    assert refused.value.findings[0].field == "norm_content"
    assert "không thuộc nhóm đã chọn" in refused.value.findings[0].message


def test_the_registration_form_shows_the_rule(client, officer, national_round, tea, groups):
    client.force_login(officer)
    url = reverse("planning:registration_create") + f"?dot={national_round.pk}"
    assert "Định mức hỗ trợ áp dụng" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "establishment": tea.pk,
            "content_group": groups["nhom-1"].pk,
            "activity": "Hỗ trợ ứng dụng máy sao chè tự động",
            "norm_content": "may-moc-thiet-bi",
            "total_cost": "700",
            "support_kcqg": "350",
            "counterpart": "350",
            "start_month": "3/2026",
            "end_month": "11/2026",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "vượt mức hỗ trợ tối đa 300 triệu đồng" in body
    assert "Thông tư 28/2018/TT-BTC" in body
