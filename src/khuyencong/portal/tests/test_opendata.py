"""Dữ liệu mở: every dataset in CSV, JSON and .xlsx at stable addresses, a Frictionless data
package validated by the ``frictionless`` library, DCAT JSON-LD, and no personal data."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from frictionless import Package, validate
from openpyxl import load_workbook

from khuyencong.portal.opendata.datasets import DATASETS
from khuyencong.programs.models import (
    ActivityLine,
    AllocationCell,
    ContentGroup,
    Programme,
    Target,
)
from khuyencong.projects import cosign
from khuyencong.projects.models import Advance, Payment
from khuyencong.projects.tests.conftest import MILLION, build_project
from khuyencong.projects.workflow import KCQG, State

from .conftest import D

pytestmark = pytest.mark.django_db
SLUGS = [d.slug for d in DATASETS]


@pytest.fixture
def data(unit, tea, make_certified):
    revoked = make_certified("Nón lá", revoked_on=D(2026, 5, 1), reason="Vi phạm.")
    hidden = make_certified("Rượu ngô")
    hidden.consent.delete()
    programme = Programme.objects.create(
        code="sla-2026", level="province", unit=unit("14"), title="Chương trình Sơn La",
        start_year=2026, end_year=2030, status="approved",
    )  # fmt: skip
    line = ActivityLine.objects.create(
        programme=programme, group=ContentGroup.objects.get(number=1), name="Máy móc",
        unit_of_measure="mô hình", order=1,
    )  # fmt: skip
    AllocationCell.objects.create(line=line, year=2026, fund=KCQG, quantity=3, amount=900 * MILLION)
    Target.objects.create(
        programme=programme, group=line.group, section="muc-tieu", key="mo-hinh",
        name="Mô hình trình diễn kỹ thuật", unit_of_measure="mô hình", quantity=3,
    )  # fmt: skip
    for title in ("Máy sao chè", "Máy sấy"):
        project = build_project(unit, state=State.APPROVED, title=title)
        Advance.objects.create(
            project=project, fund=KCQG, amount=50 * MILLION, paid_on=D(2026, 6, 1)
        )
        # Not disbursed (cosign.DISBURSED): awaiting Finance's co-signature, refused.
        for status in (cosign.PENDING, cosign.REFUSED):
            Payment.objects.create(
                project=project, fund=KCQG, amount=9 * MILLION, paid_on=D(2026, 6, 2),
                cosign_status=status,
            )  # fmt: skip
    build_project(unit, state=State.DRAFT, title="Dự thảo không tính")
    return revoked, hidden


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("slug", SLUGS)
def test_every_package_is_valid_for_frictionless(client, data, slug, tmp_path):
    base = f"/du-lieu-mo/{slug}/"
    descriptor = json.loads(fetch(client, base + "datapackage.json"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    for resource in descriptor["resources"]:
        (tmp_path / resource["path"]).write_bytes(fetch(client, base + resource["path"]))
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "rowNumber", "fieldName"])
    rows = Package(str(tmp_path / "datapackage.json")).get_resource(f"{slug}-csv").read_rows()
    assert rows, slug


def test_certified_products_dataset(client, data, tea):
    text = fetch(client, "/du-lieu-mo/san-pham-chung-nhan/san-pham-chung-nhan.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_product = {r["san_pham"]: r for r in rows}
    assert set(by_product) == {"Chè Shan Tuyết Chiềng Sơn", "Nón lá", "Rượu ngô"}
    shan = by_product["Chè Shan Tuyết Chiềng Sơn"]
    assert (shan["tinh_trang"], shan["gtin"], shan["ma_tinh"]) == (
        "Còn hiệu lực",
        "08935049510864",
        "14",
    )
    assert shan["trang_san_pham"].startswith(f"/san-pham/{tea.pk}-")
    assert by_product["Nón lá"]["tinh_trang"] == "Đã thu hồi"
    assert by_product["Nón lá"]["ngay_thu_hoi"] == "2026-05-01"
    assert by_product["Rượu ngô"]["trang_san_pham"] == ""  # not published by its holder
    for secret in ("5500123456", "Lò Văn Chủ", "0912 345 678", "htx@chieng-son.vn"):
        assert secret not in text
    records = json.loads(fetch(client, "/du-lieu-mo/san-pham-chung-nhan/san-pham-chung-nhan.json"))
    assert {r["san_pham"] for r in records} == set(by_product)


def test_project_statistics_count_approved_projects_only(client, data):
    body = fetch(client, "/du-lieu-mo/thong-ke-de-an/thong-ke-de-an.json")
    (row,) = json.loads(body)
    assert row["ma_tinh"] == "14"
    assert row["nam"] == 2026
    assert row["nguon"] == "KCQG"
    assert row["nhom_noi_dung"] == 1
    assert (row["so_de_an"], row["kinh_phi_duyet_dong"], row["giai_ngan_dong"]) == (
        2,
        600 * MILLION,
        100 * MILLION,
    )
    assert b"M\xc3\xa1y sao ch\xc3\xa8" not in body  # no project named


def test_programme_dataset_and_xlsx(client, data):
    content = fetch(client, "/du-lieu-mo/chuong-trinh/chuong-trinh.xlsx")
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert header[0] == "ma_chuong_trinh"
    assert first[0] == "sla-2026"
    assert first[-1] == 900 * MILLION


def test_catalogue_page_carries_dcat(client, data, settings):
    settings.SITE_URL = "https://kc.example.vn"
    body = fetch(client, "/du-lieu-mo/").decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    catalogue = json.loads(block)
    assert catalogue["@type"] == "dcat:Catalog"
    assert len(catalogue["dcat:dataset"]) == len(DATASETS)
    first = catalogue["dcat:dataset"][0]
    assert first["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert first["dct:publisher"]["foaf:name"] == "Khuyến công số"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", first["dct:modified"]["@value"])
    urls = {d["dcat:downloadURL"]["@id"] for d in first["dcat:distribution"]}
    assert "https://kc.example.vn/du-lieu-mo/san-pham-chung-nhan/san-pham-chung-nhan.csv" in urls
    dcat = json.loads(fetch(client, "/du-lieu-mo/chuong-trinh/dcat.jsonld"))
    assert dcat["@type"] == "dcat:Dataset"
    assert "@context" in dcat


def test_files_answer_304_until_the_data_changes(client, data, tea):
    url = "/du-lieu-mo/san-pham-chung-nhan/san-pham-chung-nhan.csv"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    tea.name = "Chè Shan Tuyết cổ thụ"
    tea.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/du-lieu-mo/khong-co/khong-co.csv",
        "/du-lieu-mo/chuong-trinh/chuong-trinh.exe",
        "/du-lieu-mo/chuong-trinh/khac.csv",
        "/du-lieu-mo/khong-co/datapackage.json",
    ],
)
def test_unknown_datasets_and_formats_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
