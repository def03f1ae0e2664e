"""/c/<mã> (QR trace), the GS1 Digital Link resolver, sitemap.xml and robots.txt."""

from __future__ import annotations

import json

import pytest

from khuyencong.portal.selectors import product_url

from .conftest import D, publish

pytestmark = pytest.mark.django_db


def test_a_certificate_code_redirects_to_its_product_with_it_highlighted(client, tea):
    response = client.get("/c/SHAN2025")
    assert response.status_code == 302
    assert response.url == product_url(tea.pk, tea.name) + "#gcn-SHAN2025"


def test_a_revoked_certificate_answers_410_since_when_and_why(client, tea, certify):
    certify(
        tea,
        level="xa",
        revoked_on=D(2026, 8, 15),
        reason="Sản phẩm bị phát hiện dùng phụ gia cấm.\nBiên bản kiểm tra kèm theo.",
        code="THUHOI1",
    )
    response = client.get("/c/THUHOI1")
    assert response.status_code == 410
    body = response.content.decode()
    assert "đã bị thu hồi" in body
    assert "Thu hồi từ ngày 15/8/2026." in body
    assert "Sản phẩm bị phát hiện dùng phụ gia cấm." in body
    assert "Biên bản kiểm tra" not in body


def test_an_unknown_code_is_404_with_a_search_box(client, tea):
    for code in ("KHONGCO", "x" * 300, "%3Cscript%3E"):
        response = client.get(f"/c/{code}")
        assert response.status_code == 404
        body = response.content.decode()
        assert "Không có giấy chứng nhận nào mang mã" in body
        assert 'name="q"' in body
        assert "<script>" not in body


def test_a_certificate_of_an_unpublished_product_shows_only_the_certificate(client, tea):
    publish(tea).delete()
    response = client.get("/c/SHAN2025")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chè Shan Tuyết Chiềng Sơn" in body
    assert "Còn hiệu lực" in body
    assert "0912 345 678" not in body
    assert "Chè xanh sao tay" not in body


@pytest.mark.parametrize("gtin", ["8935049510864", "08935049510864"])
def test_a_gtin_redirects_307_to_the_product_page(client, tea, gtin, settings):
    settings.SITE_URL = "https://kc.example.vn"
    response = client.get(f"/01/{gtin}")
    assert response.status_code == 307
    page = "https://kc.example.vn" + product_url(tea.pk, tea.name)
    assert response["Location"] == page
    assert f'<{page}>; rel="https://gs1.org/voc/pip"' in response["Link"]
    assert 'rel="https://gs1.org/voc/certificationInfo"' in response["Link"]
    assert (
        '<https://kc.example.vn/01/08935049510864?linkType=linkset>; rel="linkset"'
        in response["Link"]
    )


def test_link_types(client, tea, settings):
    settings.SITE_URL = "https://kc.example.vn"
    certification = client.get("/01/8935049510864", {"linkType": "gs1:certificationInfo"})
    assert certification["Location"] == "https://kc.example.vn/c/SHAN2025"
    unknown = client.get("/01/8935049510864", {"linkType": "gs1:recipeInfo"})
    assert unknown["Location"] == "https://kc.example.vn" + product_url(tea.pk, tea.name)
    with_lot = client.get("/01/8935049510864/10/LO2026")
    assert with_lot.status_code == 307


@pytest.mark.parametrize(
    ("query", "headers"),
    [({"linkType": "linkset"}, {}), ({}, {"HTTP_ACCEPT": "application/linkset+json"})],
)
def test_the_linkset_rfc_9264(client, tea, settings, query, headers):
    settings.SITE_URL = "https://kc.example.vn"
    response = client.get("/01/08935049510864", query, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    (context,) = json.loads(response.content)["linkset"]
    assert context["anchor"] == "https://kc.example.vn/01/08935049510864"
    (pip,) = context["https://gs1.org/voc/pip"]
    assert pip["href"].endswith(product_url(tea.pk, tea.name))
    assert pip["type"] == "text/html"
    (cert,) = context["https://gs1.org/voc/certificationInfo"]
    assert cert["href"] == "https://kc.example.vn/c/SHAN2025"
    assert "Còn hiệu lực" in cert["title"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/01/8935049510865", "sai chữ số kiểm tra (chữ số cuối phải là 4)"),
        ("/01/12345", "phải gồm 8, 12, 13 hoặc 14 chữ số"),
        ("/01/abcdefghijklm", "phải gồm 8, 12, 13 hoặc 14 chữ số"),
        ("/01/", "phải gồm 8, 12, 13 hoặc 14 chữ số"),
        ("/01/8935049510864/99/x", "không đúng cú pháp GS1 Digital Link"),
    ],
)
def test_malformed_gtins_are_400_with_a_message(client, tea, path, message):
    response = client.get(path)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_valid_unknown_or_unpublished_gtin_is_404(client, tea):
    assert client.get("/01/96385074").status_code == 404
    publish(tea).delete()
    response = client.get("/01/8935049510864")
    assert response.status_code == 404
    assert (
        "Chưa có sản phẩm nào được công khai với mã GTIN 08935049510864"
        in response.content.decode()
    )


def test_well_known_gs1resolver(client, settings):
    settings.SITE_URL = "https://kc.example.vn"
    data = client.get("/.well-known/gs1resolver").json()
    assert data["resolverRoot"] == "https://kc.example.vn/"
    assert data["supportedPrimaryKeys"] == ["gtin"]
    assert {"gs1:pip", "gs1:certificationInfo"} <= set(data["linkTypes"])


def test_sitemap_lists_public_products_only(client, tea, make_certified, settings):
    settings.SITE_URL = "https://kc.example.vn"
    hidden = make_certified("Rượu không công khai")
    hidden.consent.delete()
    body = client.get("/sitemap.xml").content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert f"<loc>https://kc.example.vn{product_url(tea.pk, tea.name)}</loc>" in body
    assert f"/san-pham/{hidden.pk}-" not in body


def test_robots_opens_the_public_side_only(client, settings):
    settings.SITE_URL = "https://kc.example.vn"
    body = client.get("/robots.txt").content.decode()
    assert "Allow: /san-pham/" in body
    assert "Disallow: /" in body
    assert "Sitemap: https://kc.example.vn/sitemap.xml" in body
