"""Reads: the same scope as the web (clients and sessions), ETag, fields=, cursor pages with
flat query counts, problem+json 404, the schema and its pages served locally."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.registry.models import Establishment

from .conftest import CHIENG_SON, NHA_TRANG, SON_LA, TO_HIEU

pytestmark = pytest.mark.django_db
LIST = "/api/v1/establishments"


@pytest.fixture
def place(unit):
    def make(code: str, name: str) -> Establishment:
        found = Establishment(name=name, legal_form="hkd", product_group="2", commune=unit(code))
        found.save()
        return found

    return make


@pytest.fixture
def three(place):
    return {
        "chieng_son": place(CHIENG_SON, "Chè Chiềng Sơn"),
        "to_hieu": place(TO_HIEU, "Dệt Tô Hiệu"),
        "nha_trang": place(NHA_TRANG, "Yến Nha Trang"),
    }


def _names(response):
    return sorted(row["name"] for row in response.json()["results"])


def test_a_province_client_reads_its_province_only(issue, bearer, three):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    assert _names(api.get(LIST)) == ["Chè Chiềng Sơn", "Dệt Tô Hiệu"]
    outside = api.get(f"{LIST}/{three['nha_trang'].pk}")
    assert outside.status_code == 404
    assert outside["Content-Type"] == "application/problem+json"
    assert "Yến" not in outside.content.decode()


def test_a_commune_client_reads_its_commune_only(issue, bearer, three):
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    api = bearer(token)
    assert _names(api.get(LIST)) == ["Chè Chiềng Sơn"]
    assert api.get(f"{LIST}/{three['to_hieu'].pk}").status_code == 404


def test_a_representative_reads_their_own_establishment_only(as_user, make_user, three):
    user = make_user(Role.ESTABLISHMENT, CHIENG_SON)
    user.assignments.update(establishment=three["chieng_son"])
    api = as_user(user)
    assert _names(api.get(LIST)) == ["Chè Chiềng Sơn"]
    assert api.get(f"{LIST}/{three['chieng_son'].pk}").status_code == 200


def test_one_object_carries_its_version_as_etag(issue, bearer, three):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    response = bearer(token).get(f"{LIST}/{three['to_hieu'].pk}")
    assert response["ETag"] == '"1"'
    assert response.json()["commune"] == TO_HIEU
    assert response.json()["province"] == SON_LA


@pytest.mark.parametrize("pk", ["abc", "9" * 30])
def test_a_malformed_id_is_a_404_not_a_500(issue, bearer, pk):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    assert bearer(token).get(f"{LIST}/{pk}").status_code == 404


def test_filters_are_the_web_lists(issue, bearer, three):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    assert _names(api.get(LIST, {"q": "det to hieu"})) == ["Dệt Tô Hiệu"]
    assert _names(api.get(LIST, {"xa": CHIENG_SON})) == ["Chè Chiềng Sơn"]
    assert _names(api.get(LIST, {"xa": NHA_TRANG})) == []


def test_fields_picks_the_fields(issue, bearer, three):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    rows = bearer(token).get(LIST, {"fields": "id,name"}).json()["results"]
    assert all(set(row) == {"id", "name"} for row in rows)


def test_cursor_pages_walk_every_row_once_in_flat_queries(issue, bearer, place):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    api.get(LIST)  # the first use records its time: not a per-page query

    def walk():
        seen, url, counts = [], LIST, []
        while url:
            with CaptureQueriesContext(connection) as queries:
                page = api.get(url, {"page_size": 2} if url == LIST else None).json()
            counts.append(len(queries))
            seen += [row["name"] for row in page["results"]]
            url = page["next"]
        return seen, counts

    for n in range(3):
        place(CHIENG_SON, f"Cơ sở {n}")
    _few, few_counts = walk()
    for n in range(3, 9):
        place(TO_HIEU, f"Cơ sở {n}")
    many, many_counts = walk()
    assert sorted(many) == [f"Cơ sở {n}" for n in range(9)]
    assert len(set(many)) == len(many)
    assert max(many_counts) == max(few_counts)


def test_the_schema_and_its_pages_are_served_from_here(client):
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.1")
    assert "/api/v1/establishments" in schema.json()["paths"]
    for page in ("/api/v1/docs/", "/api/v1/redoc/"):
        html = client.get(page)
        assert html.status_code == 200
        text = html.content.decode()
        assert "http://" not in text
        assert "https://" not in text
        assert "<script>" not in text  # no inline script
        # Directives in any order (django-csp does not keep one): compare them one by one.
        policy = dict(d.strip().split(" ", 1) for d in html["Content-Security-Policy"].split(";"))
        assert policy["style-src"] == "'self' 'unsafe-inline'"
        assert policy["script-src"] == "'self'"
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_web_pages_keep_the_strict_policy(client):
    assert "unsafe-inline" not in client.get("/api/v1/schema/")["Content-Security-Policy"]


def test_an_answer_cut_by_fields_still_matches_its_schema(client):
    """Regression (schemathesis, 2026-12-04): ``?fields=id`` answers without ``code``, which the
    Unit schema listed as required; request bodies keep their required fields."""
    schemas = client.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert "required" not in schemas["Unit"]
    assert "required" not in schemas["Establishment"]
    assert "name" in schemas["EstablishmentInputRequest"]["required"]


@pytest.mark.parametrize(
    "path", ["/api/v1/khong-co", "/api/v1/establishments/1/khong-co", "/api/v1/units/"]
)
def test_an_unknown_api_path_is_a_problem_not_the_html_page(issue, bearer, path):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    for api in (bearer(token), bearer("")):
        response = api.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404
        assert "/api/v1/" in response.json()["detail"]


def test_an_unknown_web_path_keeps_the_html_page(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_one_establishment_lists_its_artisans(issue, bearer, three, unit):
    from khuyencong.registry.models import Artisan

    Artisan.objects.create(
        full_name="Lò Văn Chè",
        title="uu-tu",
        craft="Sao chè",
        commune=unit(CHIENG_SON),
        establishment=three["chieng_son"],
    )
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    shown = api.get(f"{LIST}/{three['chieng_son'].pk}").json()["artisans"]
    assert [(a["full_name"], a["title"], a["commune"]) for a in shown] == [
        ("Lò Văn Chè", "uu-tu", CHIENG_SON)
    ]
    assert "artisans" not in api.get(LIST).json()["results"][0]
