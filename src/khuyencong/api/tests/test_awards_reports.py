"""Selection (rounds, results, products, certificates) and periodic reports over the API: the
awards and reporting apps' own reads, scope 404, roles without reports 403 with the reason."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.awards import rules
from khuyencong.awards.models import Certificate, Entry
from khuyencong.awards.tests.conftest import (
    build_entry,
    build_establishment,
    build_product,
    build_round,
)
from khuyencong.reporting import seed
from khuyencong.reporting.models import Report, Schedule

from .conftest import CHIENG_SON, KHANH_HOA, NHA_TRANG, SON_LA, TO_HIEU

pytestmark = pytest.mark.django_db


@pytest.fixture
def recognised(unit):
    """A published Sơn La round whose one entry (a Chiềng Sơn tea) passed, with its
    certificate; a product of Tô Hiệu and one of Nha Trang besides."""
    round_ = build_round(unit, status="da-cong-bo")
    round_.decision_date = round_.scoring_closes
    round_.save(update_fields=["decision_date"])
    product = build_product(build_establishment(unit))
    entry = build_entry(round_, product)
    Entry.objects.filter(pk=entry.pk).update(
        mean=80, passed=True, rank=1, scoring_closed_at=timezone.now()
    )
    certificate = Certificate.objects.create(
        number="001/2026/GCN",
        code="APITEST1",
        entry=entry,
        product=product,
        establishment=product.establishment,
        round=round_,
        level=round_.level,
        commune=entry.commune,
        issued_on=round_.decision_date,
        valid_until=rules.valid_until(round_.decision_date, round_.validity_years),
        decision="Quyết định số 12/QĐ-UBND",
    )
    build_product(build_establishment(unit, TO_HIEU, "HTX dệt Tô Hiệu"), "Thổ cẩm Tô Hiệu")
    build_product(build_establishment(unit, NHA_TRANG, "Cơ sở yến"), "Yến sào Nha Trang")
    return {"round": round_, "certificate": certificate, "product": product}


def test_results_are_the_result_pages_table(issue, bearer, recognised):
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    api = bearer(token)
    code = recognised["round"].code
    assert api.get(f"/api/v1/awards/rounds/{code}")["ETag"] == '"1"'
    rows = api.get(f"/api/v1/awards/rounds/{code}/results").json()
    assert [(r["product"], r["mean"], r["rank"], r["passed"], r["certificate"]) for r in rows] == [
        (recognised["product"].pk, "80.00", 1, True, "001/2026/GCN")
    ]


def test_another_province_sees_no_round_product_or_certificate(issue, bearer, recognised):
    _, token = issue(Role.PROVINCE_SCT, KHANH_HOA)
    api = bearer(token)
    assert api.get(f"/api/v1/awards/rounds/{recognised['round'].code}").status_code == 404
    assert api.get(f"/api/v1/awards/rounds/{recognised['round'].code}/results").status_code == 404
    assert api.get(f"/api/v1/awards/certificates/{recognised['certificate'].pk}").status_code == 404
    assert api.get(f"/api/v1/awards/products/{recognised['product'].pk}").status_code == 404
    names = [row["name"] for row in api.get("/api/v1/awards/products").json()["results"]]
    assert names == ["Yến sào Nha Trang"]
    assert api.get("/api/v1/awards/certificates").json()["results"] == []


def test_a_commune_reads_its_communes_products_and_certificates(issue, bearer, recognised):
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    api = bearer(token)
    names = [row["name"] for row in api.get("/api/v1/awards/products").json()["results"]]
    assert names == [recognised["product"].name]
    certificates = api.get("/api/v1/awards/certificates").json()["results"]
    assert [(c["number"], c["round"], c["commune"]) for c in certificates] == [
        ("001/2026/GCN", recognised["round"].code, CHIENG_SON)
    ]


@pytest.fixture
def reports(unit):
    seed.load()
    schedule = Schedule.objects.get(code="tinh-6-thang")
    return {
        code: Report.objects.create(
            unit=unit(code),
            schedule=schedule,
            period="2026-H2",
            indicator_set=schedule.indicator_set,
            due_on=datetime.date(2026, 12, 15),
            lock_on=datetime.date(2100, 1, 1),
            cutoff_on=datetime.date(2026, 12, 15),
        )
        for code in (SON_LA, KHANH_HOA)
    }


def test_reports_of_the_province_with_their_figures(issue, bearer, reports):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    listed = api.get("/api/v1/reports", {"ky": "2026-H2"}).json()["results"]
    assert [row["unit"] for row in listed] == [SON_LA]
    detail = api.get(f"/api/v1/reports/{reports[SON_LA].pk}")
    assert detail["ETag"] == '"1"'
    lines = detail.json()["lines"]
    assert lines
    assert {"indicator", "label", "unit_of_measure", "figures", "notes"} <= set(lines[0])
    assert api.get(f"/api/v1/reports/{reports[KHANH_HOA].pk}").status_code == 404


def test_a_representative_has_no_reports(as_user, make_user, reports):
    refused = as_user(make_user(Role.ESTABLISHMENT, CHIENG_SON)).get("/api/v1/reports")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"]


def test_products_come_in_vietnamese_order(issue, bearer, unit):
    # Issue 9 leftover: the API listed products by the folded name, so "Đèn" fell among the
    # "D…" before "Dệt" and "Ấm" before "An"; the web lists sort by name_sort ("đ" after "d").
    establishment = build_establishment(unit)
    for name in ("Đèn lồng", "Dệt thổ cẩm", "Ấm trà gốm", "An toàn thực phẩm"):
        build_product(establishment, name)
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    names = [row["name"] for row in bearer(token).get("/api/v1/awards/products").json()["results"]]
    assert names == ["An toàn thực phẩm", "Ấm trà gốm", "Dệt thổ cẩm", "Đèn lồng"]
