"""List filters (django-filter FilterSets): the web list pages' parameters with their meaning,
in the schema, and a wrong value answers 400 problem+json naming the parameter in Vietnamese
(neither a 500 nor a filter silently dropped)."""

from __future__ import annotations

import datetime

import pytest
from drf_spectacular.generators import SchemaGenerator

from khuyencong.accounts.models import Role
from khuyencong.awards.tests.conftest import build_establishment, build_product
from khuyencong.norms.services import load_national_norms
from khuyencong.planning.models import AnnualPlan
from khuyencong.programs.services import load_seed_programmes
from khuyencong.projects.models import Project
from khuyencong.projects.tests.conftest import build_project
from khuyencong.registry.models import Establishment, Gender
from khuyencong.reporting import seed
from khuyencong.reporting.models import Report, Schedule

from .conftest import CHIENG_SON, KHANH_HOA, NHA_TRANG, SON_LA, TO_HIEU

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(issue, bearer):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    return bearer(token)


def _listed(api, url, query, key="name"):
    response = api.get(url, query)
    assert response.status_code == 200, response.content
    return sorted(row[key] for row in response.json()["results"])


def _refused(api, url, query):
    """The problem+json 400 of a wrong filter value: its per-parameter errors."""
    response = api.get(url, query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body["errors"]) == set(query)
    assert body["detail"]
    return body["errors"]


@pytest.fixture
def establishments(unit):
    def make(code, name, **extra):
        found = Establishment(name=name, commune=unit(code), product_group="2", **extra)
        found.legal_form = extra.get("legal_form", "hkd")
        found.save()
        return found

    make(CHIENG_SON, "HTX chè Chiềng Sơn", legal_form="htx", owner_gender=Gender.FEMALE)
    make(TO_HIEU, "Dệt Tô Hiệu", owner_ethnic_minority=True)
    make(NHA_TRANG, "Yến Nha Trang", owner_gender=Gender.FEMALE)


E = "/api/v1/establishments"


def test_establishment_filters_mean_what_the_web_list_means(api, establishments):
    assert _listed(api, E, {}) == ["Dệt Tô Hiệu", "HTX chè Chiềng Sơn"]
    assert _listed(api, E, {"loai": "htx"}) == ["HTX chè Chiềng Sơn"]
    assert _listed(api, E, {"xa": TO_HIEU}) == ["Dệt Tô Hiệu"]
    assert _listed(api, E, {"xa": NHA_TRANG}) == []  # outside the scope: nothing
    assert _listed(api, E, {"q": "det to hieu"}) == ["Dệt Tô Hiệu"]
    assert _listed(api, E, {"nhom": "2"}) == ["Dệt Tô Hiệu", "HTX chè Chiềng Sơn"]
    assert _listed(api, E, {"chu_nu": "true"}) == ["HTX chè Chiềng Sơn"]
    assert _listed(api, E, {"chu_nu": "co"}) == ["HTX chè Chiềng Sơn"]  # the web's "yes"
    assert _listed(api, E, {"chu_nu": "false"}) == ["Dệt Tô Hiệu", "HTX chè Chiềng Sơn"]
    assert _listed(api, E, {"chu_dttt": "1"}) == ["Dệt Tô Hiệu"]


def test_a_wrong_establishment_filter_is_a_400_naming_it(api, establishments):
    errors = _refused(api, E, {"loai": "cong-ty", "chu_nu": "co-le"})
    assert "cong-ty" in errors["loai"][0]
    assert errors["chu_nu"] == ["Chỉ nhận true hoặc false."]
    assert "tối đa 100 ký tự" in _refused(api, E, {"q": "x" * 101})["q"][0]


P = "/api/v1/projects"


def test_project_filters_mean_what_the_web_list_means(api, unit):
    build_project(unit, title="Máy sao chè", state="phe-duyet")
    build_project(unit, title="Máy dệt", fund="KCDP", year=2027)
    located = build_project(unit, title="Lò sấy", year=2027)
    Project.objects.filter(pk=located.pk).update(location=unit(CHIENG_SON))
    build_project(unit, title="Yến sào", province="56")
    key = "title"
    assert _listed(api, P, {}, key) == ["Lò sấy", "Máy dệt", "Máy sao chè"]
    assert _listed(api, P, {"trang_thai": "da-duyet-tro-len"}, key) == ["Máy sao chè"]
    assert _listed(api, P, {"trang_thai": "nhap"}, key) == ["Lò sấy", "Máy dệt"]
    assert _listed(api, P, {"nguon": "KCDP"}, key) == ["Máy dệt"]
    assert _listed(api, P, {"nam": 2027}, key) == ["Lò sấy", "Máy dệt"]
    assert _listed(api, P, {"xa": CHIENG_SON}, key) == ["Lò sấy"]
    assert _listed(api, P, {"q": "may"}, key) == ["Máy dệt", "Máy sao chè"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"nam": "hai-nghin"}, "Phải là một số nguyên."),
        ({"nam": "1800"}, "Phải từ 1900 trở lên."),
        ({"nam": "9" * 30}, "Phải không quá 2200."),
        ({"trang_thai": "xong"}, "Không có giá trị “xong”"),
        ({"dong": "0"}, "Phải từ 1 trở lên."),
    ],
)
def test_a_wrong_project_filter_is_a_400_naming_it(api, query, says):
    assert _refused(api, P, query)[next(iter(query))][0].startswith(says)


R = "/api/v1/registrations"


def test_a_wrong_registration_filter_is_a_400_naming_it(api):
    errors = _refused(api, R, {"nam": "9" * 30, "dot": "abc", "trang_thai": "gui"})
    assert errors["dot"] == ["Phải là một số nguyên."]


def test_product_filters_mean_what_the_web_list_means(api, unit):
    build_product(build_establishment(unit), "Chè Shan tuyết")
    build_product(build_establishment(unit, TO_HIEU, "HTX dệt"), "Thổ cẩm")
    build_product(build_establishment(unit, NHA_TRANG, "Cơ sở yến"), "Yến sào")
    url = "/api/v1/awards/products"
    assert _listed(api, url, {}) == ["Chè Shan tuyết", "Thổ cẩm"]
    assert _listed(api, url, {"q": "tho cam"}) == ["Thổ cẩm"]
    assert _listed(api, url, {"xa": CHIENG_SON}) == ["Chè Shan tuyết"]
    assert _listed(api, url, {"nhom": "1"}) == []
    assert "“9”" in _refused(api, url, {"nhom": "9"})["nhom"][0]


PROGRAMMES = "/api/v1/programmes"


def test_programme_filters_mean_what_the_web_list_means(api):
    load_seed_programmes()
    key = "code"
    assert _listed(api, PROGRAMMES, {}, key) == ["quoc-gia-2026-2030", "son-la-2026-2030"]
    assert _listed(api, PROGRAMMES, {"cap": "province"}, key) == ["son-la-2026-2030"]
    assert _listed(api, PROGRAMMES, {"don_vi": "VN"}, key) == ["quoc-gia-2026-2030"]
    assert _listed(api, PROGRAMMES, {"don_vi": KHANH_HOA}, key) == []  # outside the scope
    assert _listed(api, PROGRAMMES, {"nam": 2030, "cap": "national"}, key) == ["quoc-gia-2026-2030"]
    assert _listed(api, PROGRAMMES, {"nam": 2031}, key) == []


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"cap": "tinh"}, "Không có giá trị “tinh”"),
        ({"nam": "2026a"}, "Phải là một số nguyên."),
        ({"nam": "1800"}, "Phải từ 1900 trở lên."),
        ({"don_vi": "1" * 17}, "Dài quá: tối đa 16 ký tự."),
    ],
)
def test_a_wrong_programme_filter_is_a_400_naming_it(api, query, says):
    assert _refused(api, PROGRAMMES, query)[next(iter(query))][0].startswith(says)


PLANS = "/api/v1/plans"


def test_plan_filters_mean_what_the_web_list_means(api, unit):
    for year, fund in ((2026, "KCDP"), (2026, "KCQG"), (2027, "KCDP")):
        AnnualPlan.objects.create(unit=unit(SON_LA), year=year, fund=fund)
    AnnualPlan.objects.create(unit=unit(KHANH_HOA), year=2026, fund="KCDP")

    def plans(query):
        return sorted((row["year"], row["fund"]) for row in api.get(PLANS, query).json()["results"])

    assert plans({}) == [(2026, "KCDP"), (2026, "KCQG"), (2027, "KCDP")]
    assert plans({"nam": 2026}) == [(2026, "KCDP"), (2026, "KCQG")]
    assert plans({"nam": 2026, "nguon": "KCQG"}) == [(2026, "KCQG")]
    errors = _refused(api, PLANS, {"nam": "nam-sau", "nguon": "NSXA"})
    assert errors["nam"] == ["Phải là một số nguyên."]
    assert errors["nguon"][0].startswith("Không có giá trị “NSXA”")


REPORTS = "/api/v1/reports"


def test_report_filters_mean_what_the_web_list_means(api, unit):
    seed.load()
    schedule = Schedule.objects.get(code="tinh-6-thang")
    for period in ("2026-H1", "2026-H2"):
        Report.objects.create(
            unit=unit(SON_LA),
            schedule=schedule,
            period=period,
            indicator_set=schedule.indicator_set,
            due_on=datetime.date(2026, 12, 15),
            lock_on=datetime.date(2100, 1, 1),
            cutoff_on=datetime.date(2026, 12, 15),
        )
    assert _listed(api, REPORTS, {}, "period") == ["2026-H1", "2026-H2"]
    assert _listed(api, REPORTS, {"ky": "2026-H2"}, "period") == ["2026-H2"]
    assert _listed(api, REPORTS, {"ky": "2026-h1"}, "period") == ["2026-H1"]  # as the pages read it
    assert _listed(api, REPORTS, {"trang_thai": "da-gui"}, "period") == []
    assert _listed(api, REPORTS, {"trang_thai": "nhap", "ky": "2026"}, "period") == []
    errors = _refused(api, REPORTS, {"ky": "2026-H3", "trang_thai": "xong"})
    assert errors["ky"] == [
        "Kỳ báo cáo “2026-H3” không hợp lệ: ghi năm (2026), nửa năm (2026-H1, 2026-H2) "
        "hoặc quý (2026-Q1 … 2026-Q4)."
    ]
    assert errors["trang_thai"][0].startswith("Không có giá trị “xong”")
    assert _refused(api, REPORTS, {"ky": "x" * 9})["ky"][0].startswith("Kỳ báo cáo “xxxxxxxxx”")


NORMS = "/api/v1/norms"


def test_norm_filters_are_checked(api):
    load_national_norms()
    rows = api.get(NORMS, {"nguon": "KCQG"}).json()
    assert rows
    assert {row["fund"] for row in rows} == {"KCQG"}
    assert api.get(NORMS, {"noi_dung": "khong-co"}).json() == []
    assert _refused(api, NORMS, {"nguon": "kcqg"})["nguon"][0].startswith("Không có giá trị")


def test_the_filters_are_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    def parameters(path):
        return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}

    establishments = parameters(E)
    assert {"q", "xa", "loai", "nhom", "chu_nu", "chu_dttt"} <= set(establishments)
    assert "htx" in establishments["loai"]["enum"]
    assert establishments["chu_nu"]["type"] == "boolean"
    projects = parameters(P)
    assert projects["nam"] == {"type": "integer", "minimum": 1900, "maximum": 2200}
    assert "da-duyet-tro-len" in projects["trang_thai"]["enum"]
    assert {"dot", "trang_thai", "xa", "nam"} <= set(parameters(R))
    assert {"q", "nhom", "xa"} <= set(parameters("/api/v1/awards/products"))
    assert parameters(PROGRAMMES)["cap"]["enum"] == ["commune", "national", "province"]
    assert parameters(PLANS)["nguon"]["enum"] == ["KCDP", "KCQG"]
    assert parameters(REPORTS)["ky"] == {"type": "string", "maxLength": 8}
    assert "da-gui" in parameters(REPORTS)["trang_thai"]["enum"]
    assert "KCQG" in parameters(NORMS)["nguon"]["enum"]
