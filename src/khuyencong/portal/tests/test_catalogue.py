"""Danh mục sản phẩm tiêu biểu: who is listed, accent-free search, filters, facets, pages."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import D, publish

pytestmark = pytest.mark.django_db
URL = "/san-pham/"


def names(response) -> list[str]:
    return [card.name for card in response.context["cards"]]


def test_lists_published_products_with_a_valid_certificate_only(client, tea, make_certified):
    expired = make_certified("Mây tre đan hết hạn", valid_until=D(2026, 11, 30))
    revoked = make_certified(
        "Nón lá thu hồi", revoked_on=D(2026, 6, 1), reason="Sản phẩm không còn đạt tiêu chuẩn."
    )
    hidden = make_certified("Rượu chưa đồng ý công khai")
    hidden.consent.delete()
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Chè Shan Tuyết Chiềng Sơn"]
    body = response.content.decode()
    for product in (expired, revoked, hidden):
        assert product.name not in body
    assert "Còn hiệu lực" in body
    assert "HTX chè Chiềng Sơn" in body
    assert "Cấp tỉnh" in body


@pytest.mark.parametrize("query", ["che shan tuyet", "CHÈ SHAN", "chieng son", "son la"])
def test_search_without_accents(client, tea, make_certified, query):
    make_certified("Gốm Bát Tràng", commune="22333")
    assert names(client.get(URL, {"q": query})) == ["Chè Shan Tuyết Chiềng Sơn"]


def test_filters_and_facet_counts(client, tea, make_certified):
    make_certified("Gốm Khánh Hòa", commune="22333", level="xa", year=2026, issued=D(2026, 3, 1))
    make_certified("Mận hậu", level="quoc-gia")
    response = client.get(URL)
    facets = response.context["facet_links"]
    assert {(f.label, f.count) for f in facets["tinh"]} == {("Sơn La", 2), ("Khánh Hòa", 1)}
    assert {(f.label, f.count) for f in facets["cap"]} == {
        ("Cấp xã", 1),
        ("Cấp tỉnh", 1),
        ("Cấp quốc gia", 1),
    }
    assert {(f.label, f.count) for f in facets["nam"]} == {("2026", 1), ("2025", 2)}
    in_khanh_hoa = client.get(URL, {"tinh": "56"})
    assert names(in_khanh_hoa) == ["Gốm Khánh Hòa"]
    assert names(client.get(URL, {"cap": "quoc-gia"})) == ["Mận hậu"]
    assert names(client.get(URL, {"nam": "2025", "tinh": "14"})) == [
        "Chè Shan Tuyết Chiềng Sơn",
        "Mận hậu",
    ]
    chosen = in_khanh_hoa.context["facet_links"]["tinh"]
    assert [(f.label, f.current, f.query) for f in chosen] == [("Khánh Hòa", True, "")]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tinh": "99"}, "Tỉnh, thành phố có mã “99” không có"),
        ({"xa": "abc"}, "Xã, phường có mã “abc” không có"),
        ({"nhom": "9"}, "Nhóm sản phẩm phải là 1, 2, 3 hoặc 4"),
        ({"cap": "<script>"}, "Cấp chứng nhận “&lt;script&gt;” không có"),
        ({"nam": "20265"}, "Năm chứng nhận phải là một năm từ 2000 đến 2026"),
        ({"trang": "-1"}, "Số trang phải là một số nguyên dương"),
        ({"trang": "9" * 40}, "Số trang phải là một số nguyên dương"),
    ],
)
def test_odd_query_strings_get_a_vietnamese_400(client, tea, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_page_past_the_last_is_a_friendly_404(client, tea):
    response = client.get(URL, {"trang": "500"})
    assert response.status_code == 404
    assert "Trang 500 không có: kết quả chỉ có 1 trang." in response.content.decode()


def test_pages_of_24_with_links_that_keep_the_filters(client, make_certified):
    for n in range(26):
        make_certified(f"Sản phẩm {n:02d}")
    first = client.get(URL, {"tinh": "14"})
    assert len(first.context["cards"]) == 24
    assert 'href="?tinh=14&amp;trang=2"' in first.content.decode()
    second = client.get(URL, {"tinh": "14", "trang": "2"})
    assert names(second) == ["Sản phẩm 24", "Sản phẩm 25"]


def test_query_count_does_not_grow_with_the_products(client, make_certified, tea):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"q": "san pham"}).status_code == 200
        return len(queries)

    make_certified("Sản phẩm lẻ")
    few = count()
    for n in range(12):
        make_certified(f"Sản phẩm {n}", level="xa" if n % 2 else "tinh")
    assert count() == few


def test_an_expired_certificate_drops_out_the_day_after(client, tea, time_machine):
    assert names(client.get(URL)) == ["Chè Shan Tuyết Chiềng Sơn"]
    time_machine.move_to(datetime.datetime(2028, 10, 1, 10, tzinfo=datetime.UTC), tick=False)
    assert names(client.get(URL)) == []


def test_withdrawn_consent_takes_the_product_off(client, tea):
    publish(tea).delete()
    assert names(client.get(URL)) == []


def test_search_finds_the_holder_but_never_its_owner_or_tax_code(client, tea, make_certified):
    make_certified("Gốm Bát Tràng", commune="22333")
    assert names(client.get(URL, {"q": "htx che"})) == ["Chè Shan Tuyết Chiềng Sơn"]
    for private in ("lo van chu", "5500123456"):  # the owner, the tax code (``tea``)
        assert names(client.get(URL, {"q": private})) == []


def test_the_search_columns_have_trigram_indexes_on_postgresql(client, tea):
    """``LIKE '%word%'`` on the folded names is served by a GIN trigram index on PostgreSQL
    (portal migration 0002); SQLite, the embedded default, has none and scans."""
    names_ = ("portal_product_name_trgm", "portal_holder_name_trgm")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                [list(names_)],
            )
            found = dict(cursor.fetchall())
            assert set(found) == set(names_)
            for definition in found.values():  # the planner's choice is the bench's matter
                assert "USING gin (name_folded gin_trgm_ops)" in definition
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s)", names_)
            assert cursor.fetchall() == []
    assert names(client.get(URL, {"q": "shan"})) == ["Chè Shan Tuyết Chiềng Sơn"]


def test_a_product_with_several_certificates_counts_once_per_facet(client, tea, certify):
    certify(tea, level="xa", year=2024, issued=D(2024, 5, 1), valid_until=D(2027, 4, 30))
    certify(tea, level="xa", year=2025, issued=D(2025, 5, 1), valid_until=D(2028, 4, 30))
    response = client.get(URL)
    facets = response.context["facet_links"]
    assert response.context["page"].paginator.count == 1
    assert [(f.label, f.count) for f in facets["tinh"]] == [("Sơn La", 1)]
    assert [f.count for f in facets["nhom"]] == [1]
    assert {(f.label, f.count) for f in facets["cap"]} == {("Cấp xã", 1), ("Cấp tỉnh", 1)}
    assert [(f.label, f.count) for f in facets["nam"]] == [("2025", 1), ("2024", 1)]
    assert names(response) == ["Chè Shan Tuyết Chiềng Sơn"]


def test_no_match_has_no_facets_and_says_so(client, tea):
    response = client.get(URL, {"q": "khong co san pham nay"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert response.context["facet_links"] == {}


def test_products_are_listed_in_vietnamese_order(client, make_certified):
    # Issue 9, defect 10: sorted by the folded name, "Đèn" fell among the "D…" before "Dệt".
    for name in ("Đèn lồng Hội An", "Dệt thổ cẩm", "Ấm trà gốm", "An toàn thực phẩm"):
        make_certified(name)
    assert names(client.get(URL)) == [
        "An toàn thực phẩm",
        "Ấm trà gốm",
        "Dệt thổ cẩm",
        "Đèn lồng Hội An",
    ]
