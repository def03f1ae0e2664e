"""Breakdowns computed from the data (phân tổ): content group of the project's support content,
product group of the establishment, the owner — on known numbers, on the report and on the
dashboard."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from khuyencong.projects.models import Advance, Payment
from khuyencong.registry.models import Establishment
from khuyencong.reporting import computations, display, selectors, summary

from .conftest import CHIENG_SON, H1, MILLION, SON_LA, open_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]


def _establishment(unit: Any, name: str, group: str, **owner: Any) -> Establishment:
    return Establishment.objects.create(
        name=name, legal_form="hkd", commune=unit(CHIENG_SON), product_group=group, **owner
    )


@pytest.fixture
def supported(unit: Any, make_project: Any) -> dict[str, Any]:
    """Three approved projects of Chiềng Sơn in two content groups, four establishments in
    three product groups (one supported twice), money paid on two of the projects."""
    machines = make_project(content="may-moc-thiet-bi", support=300 * MILLION)  # nhóm 1
    cleaner = make_project(
        content="san-xuat-sach-hon", support=150 * MILLION, counterpart=0
    )  # nhóm 1
    brand = make_project(fund="KCDP", content="nhan-hieu", support=100 * MILLION)  # nhóm 2
    make_project(content="nhan-hieu", decided=None, status="nhap")  # not approved
    crafts = _establishment(unit, "Cơ sở mây tre đan", "1", owner_gender="nu")
    tea = _establishment(unit, "Cơ sở chè", "2", owner_ethnic_minority=True)
    coffee = _establishment(unit, "Cơ sở cà phê", "2")
    tools = _establishment(unit, "Cơ sở rèn", "3")
    _establishment(unit, "Cơ sở không được hỗ trợ", "4")
    machines.beneficiaries.set([crafts, tea])
    cleaner.beneficiaries.set([tea, tools])
    brand.beneficiaries.set([coffee])
    day = datetime.date(2026, 5, 4)
    Advance.objects.create(project=machines, fund="KCQG", amount=90 * MILLION, paid_on=day)
    Advance.objects.create(project=brand, fund="KCDP", amount=30 * MILLION, paid_on=day)
    Payment.objects.create(project=brand, fund="KCDP", amount=12 * MILLION, paid_on=day)
    return {"machines": machines, "cleaner": cleaner, "brand": brand}


def _commune(unit: Any, computation: str) -> dict[str, Any]:
    result = computations.compute(computation, period=H1, cutoff=H1.end, level="commune")
    return {key: figure.numerator for key, figure in result[unit(CHIENG_SON).pk].items()}


def test_projects_and_money_are_broken_down_by_content_group(unit, supported):
    assert _commune(unit, "projects-approved") == {
        "": 3,
        "KCQG": 2,
        "KCDP": 1,
        "nhom-1": 2,
        "nhom-2": 1,
    }
    money = _commune(unit, "money-approved")
    # All four sources together: 300 + 200 counterpart, 150, 100 + 200 counterpart.
    assert money["nhom-1"] == 650 * MILLION
    assert money["nhom-2"] == 300 * MILLION
    assert money["nhom-1"] + money["nhom-2"] == money[""]
    advanced = _commune(unit, "money-advanced")
    assert (advanced["nhom-1"], advanced["nhom-2"], advanced[""]) == (
        90 * MILLION,
        30 * MILLION,
        120 * MILLION,
    )
    paid = 12 * MILLION
    assert _commune(unit, "money-paid") == {"": paid, "KCDP": paid, "nhom-2": paid}


def test_establishments_are_broken_down_by_product_group_and_owner(unit, supported):
    # The tea maker is supported twice and counted once; the fifth establishment not at all.
    assert _commune(unit, "establishments-supported") == {
        "": 4,
        "nu": 1,
        "dtts": 1,
        "nsp-1": 1,
        "nsp-2": 2,
        "nsp-3": 1,
    }
    # Machinery: the establishments of the machinery project only.
    assert _commune(unit, "machinery") == {"": 2, "nu": 1, "dtts": 1, "nsp-1": 1, "nsp-2": 1}


def test_the_province_adds_up_its_communes_breakdowns(unit, supported, make_project):
    make_project(commune="03646", content="nhan-hieu")  # another commune, nhóm 2
    result = computations.compute("projects-approved", period=H1, cutoff=H1.end, level="province")
    province = {k: f.numerator for k, f in result[unit(SON_LA).pk].items()}
    assert (province["nhom-1"], province["nhom-2"], province[""]) == (2, 2, 4)


def test_the_report_shows_the_breakdowns_in_family_order(officers, unit, supported):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    lines = {line.indicator.code: line for line in selectors.lines(report)}
    assert lines["de-an-phe-duyet"].keys == ["KCQG", "KCDP", "nhom-1", "nhom-2"]
    assert lines["co-so-duoc-ho-tro"].keys == ["nsp-1", "nsp-2", "nsp-3", "nu", "dtts"]
    assert lines["co-so-duoc-ho-tro"].own["nsp-2"].numerator == 2
    assert (
        display.key_label("nhom-2") == "Nhóm nội dung 2: Phát triển sản phẩm công nghiệp nông thôn"
    )
    assert display.key_label("nsp-1") == "Nhóm sản phẩm: Thủ công mỹ nghệ"


def test_the_report_page_and_the_dashboard_show_the_breakdowns(client, officers, unit, supported):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    client.force_login(officers["commune"])
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert "Nhóm nội dung 1: Mô hình trình diễn, máy móc thiết bị, sản xuất sạch hơn" in page
    assert "Nhóm sản phẩm: Chế biến nông, lâm, thủy sản và thực phẩm" in page
    summary.refresh_period(H1)
    client.force_login(officers["sct"])
    board = client.get(reverse("reporting:dashboard") + "?ky=2026-H1").content.decode()
    assert "Nhóm nội dung 2: Phát triển sản phẩm công nghiệp nông thôn" in board
    assert "Nhóm sản phẩm: Thiết bị, máy móc, dụng cụ, phụ tùng cơ khí" in board


def test_in_english_the_groups_read_in_english(client, officers, unit, supported):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    client.force_login(officers["commune"])
    # English is the switcher's choice (the language cookie) on the officers' pages.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert "Content group 1: Demonstration models, machinery, cleaner production" in page
    assert "Product group: Processed agricultural, forestry and fishery products and food" in page
    assert "Nhóm nội dung" not in page
    assert "Nhóm sản phẩm" not in page
    summary.refresh_period(H1)
    client.force_login(officers["sct"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    board = client.get(reverse("reporting:dashboard") + "?ky=2026-H1").content.decode()
    assert "Content group 2: Rural industrial product development" in board
    assert "Product group: Mechanical equipment, machinery, tools and spare parts" in board
    assert "Phát triển sản phẩm công nghiệp nông thôn" not in board
