"""Trang sản phẩm công khai: consent, no personal data, structured data, caching, photos."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.portal.selectors import product_url

from .conftest import D, add_photo, publish

pytestmark = pytest.mark.django_db


def page_of(client, product):
    response = client.get(product_url(product.pk, product.name))
    assert response.status_code == 200
    return response, response.content.decode()


def jsonld(body: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert found
    return json.loads(found.group(1))


def test_only_consented_contacts_and_never_identity_numbers(client, tea):
    _, body = page_of(client, tea)
    assert "0912 345 678" in body  # phone: published
    assert "htx@chieng-son.vn" not in body
    assert "Bản Nà Hạ" not in body
    for secret in ("5500123456", "Lò Văn Chủ", "Lò Văn Chè"):  # tax code, owner, entry rep
        assert secret not in body
    publish(tea, publish_phone=False, publish_email=True, publish_address=True)
    _, body = page_of(client, tea)
    assert "0912 345 678" not in body
    assert "htx@chieng-son.vn" in body
    assert "Bản Nà Hạ, xã Chiềng Sơn" in body


def test_every_certificate_with_its_status(client, tea, certify):
    certify(tea, level="xa", year=2022, issued=D(2022, 5, 1), valid_until=D(2025, 4, 30))
    certify(
        tea,
        level="xa",
        year=2023,
        issued=D(2023, 5, 1),
        valid_until=D(2026, 4, 30),
        revoked_on=D(2024, 1, 10),
        reason="Cơ sở sử dụng nguyên liệu không rõ nguồn gốc.\nChi tiết trong quyết định.",
        code="REVOKED1",
    )
    response, body = page_of(client, tea)
    statuses = [c.status_label for c in response.context["product"].certificates]
    assert sorted(statuses) == ["Còn hiệu lực", "Hết hạn", "Đã thu hồi"]
    assert 'id="gcn-SHAN2025"' in body
    assert "Thu hồi từ 10/1/2024: Cơ sở sử dụng nguyên liệu không rõ nguồn gốc." in body
    assert "Chi tiết trong quyết định" not in body


def test_structured_data_open_graph_srcset_and_canonical(client, tea, settings):
    settings.SITE_URL = "https://khuyencong.example.vn"
    _, body = page_of(client, tea)
    data = jsonld(body)
    url = "https://khuyencong.example.vn" + product_url(tea.pk, tea.name)
    assert data["@type"] == "Product"
    assert data["name"] == "Chè Shan Tuyết Chiềng Sơn"
    assert data["gtin14"] == "08935049510864"
    assert data["url"] == url
    assert data["manufacturer"]["telephone"] == "0912 345 678"
    assert "email" not in data["manufacturer"]
    assert data["image"][0].startswith("https://khuyencong.example.vn/san-pham/anh/")
    assert f'<link rel="canonical" href="{url}">' in body
    assert f'<meta property="og:url" content="{url}">' in body
    assert re.search(
        r'srcset="/san-pham/anh/\d+-\w+/nho 480w, /san-pham/anh/\d+-\w+/lon 1200w"', body
    )


def test_wrong_slug_redirects_to_the_canonical_address(client, tea):
    canonical = product_url(tea.pk, tea.name)
    assert client.get(f"/san-pham/{tea.pk}-che/").url == canonical
    assert client.get(f"/san-pham/{tea.pk}/").url == canonical


def test_unpublished_or_uncertified_products_are_404(client, tea, make_certified):
    publish(tea).delete()
    response = client.get(product_url(tea.pk, tea.name))
    assert response.status_code == 404
    assert "không được công khai" in response.content.decode()
    assert 'name="q"' in response.content.decode()
    assert client.get("/san-pham/999999-x/").status_code == 404


def test_etag_last_modified_304_and_a_change_shows_at_once(client, tea):
    url = product_url(tea.pk, tea.name)
    first = client.get(url)
    assert "public" in first["Cache-Control"]
    assert "max-age=60" in first["Cache-Control"]
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    tea.description = "Mô tả mới: chè búp một tôm hai lá."
    tea.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Mô tả mới" in changed.content.decode()
    assert changed["ETag"] != etag


def test_a_revocation_changes_the_page_at_once(client, tea):
    url = product_url(tea.pk, tea.name)
    assert "Còn hiệu lực" in client.get(url).content.decode()
    certificate = tea.certificates.get()
    certificate.revoked_on = D(2026, 12, 1)
    certificate.revocation_reason = "Vi phạm cam kết chất lượng."
    certificate.save()
    assert "Đã thu hồi" in client.get(url).content.decode()


def test_query_count_does_not_grow_with_photos_and_certificates(client, tea, certify):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page_of(client, tea)
        return len(queries)

    few = count()
    for view in ("ben", "tren", "khac", "khac"):
        add_photo(tea, view)
    certify(tea, level="xa", year=2022, issued=D(2022, 5, 1), valid_until=D(2025, 4, 30))
    assert count() == few


def test_photos_are_served_long_lived_under_their_content_name(client, tea):
    photo = tea.photos.get()
    _, body = page_of(client, tea)
    thumb = re.search(r'src="(/san-pham/anh/[^"]+/nho)"', body).group(1)
    response = client.get(thumb)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client.get(f"/san-pham/anh/{photo.pk}-sai/nho").status_code == 404
    assert client.get(thumb.replace("/nho", "/goc")).status_code == 404
    publish(tea).delete()
    assert client.get(thumb).status_code == 404


def test_no_inline_script_but_the_json_ld_data_block(client, tea):
    _, body = page_of(client, tea)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert scripts == ['<script type="application/ld+json">']
    assert "style=" not in body
    assert "csrfmiddlewaretoken" not in body
