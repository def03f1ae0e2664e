"""Public pages may be kept by a shared cache (a proxy, a CDN of the province): the same answer
for everyone, so ``Cache-Control: public`` with an ``ETag``, and neither ``Vary: Cookie`` nor
``Set-Cookie`` — whatever cookies the visitor carries (a session, the language, CSRF). Their
language is in the address (``/en/…``), never in a cookie."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from khuyencong.accounts.models import Role
from khuyencong.portal.selectors import product_url

from .test_programmes import programmes  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

CSV, JSON = "/du-lieu-mo/san-pham-chung-nhan/san-pham-chung-nhan", "/du-lieu-mo/chuong-trinh/"


def pages(tea) -> list[str]:
    product = product_url(tea.pk, tea.name)
    return [
        "/san-pham/",
        "/san-pham/?q=che+shan",
        "/en/san-pham/",
        product,
        "/en" + product,
        "/cong-khai/chuong-trinh/",
        "/cong-khai/chuong-trinh/sla-2026/",
        "/du-lieu-mo/",
        "/du-lieu-mo/san-pham-chung-nhan/datapackage.json",
        "/du-lieu-mo/san-pham-chung-nhan/dcat.jsonld",
        CSV + ".csv",
        CSV + ".json",
        "/du-lieu-mo/chuong-trinh/chuong-trinh.xlsx",
        "/01/08935049510864?linkType=linkset",
        "/.well-known/gs1resolver",
        "/sitemap.xml",
        "/robots.txt",
    ]


def assert_shareable(response, url: str, *, etag: bool = True) -> None:
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    assert "cookie" not in vary, url
    assert not response.cookies, (url, response.cookies)
    if etag:
        assert "public" in response["Cache-Control"], url
        assert response.get("ETag"), url


@pytest.fixture
def visitors(client, make_user, unit):
    """An anonymous visitor, one whose browser chose English on the officers' side, and a
    signed-in officer (a session cookie): all get the same shareable answers."""
    from django.test import Client

    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    officer = Client()
    officer.force_login(make_user(Role.PROVINCE_SCT, unit("14")))
    officer.get("/")  # a CSRF cookie and a session, as a browser would carry them
    return {"anonymous": client, "english": english, "officer": officer}


def test_every_public_page_is_shareable_whoever_asks(visitors, tea, programmes):  # noqa: F811
    for who, client in visitors.items():
        for url in pages(tea):
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            assert_shareable(response, f"{who} {url}")
            language = "en" if url.startswith("/en/") else "vi"
            assert response["Content-Language"] == language, (who, url)


def test_redirects_and_errors_of_the_public_side_set_no_cookie(visitors, tea):
    answers = {
        "/c/SHAN2025": 302,
        f"/san-pham/{tea.pk}/": 301,
        "/01/08935049510864": 307,
        "/c/KHONG-CO": 404,
        "/san-pham/?tinh=99": 400,
        "/01/08935049510865": 400,
    }
    for who, client in visitors.items():
        for url, status in answers.items():
            response = client.get(url)
            assert response.status_code == status, (who, url)
            assert_shareable(response, f"{who} {url}", etag=False)


def test_a_photo_is_shareable(client, tea):
    body = client.get(product_url(tea.pk, tea.name)).content.decode()
    found = re.search(r'src="(/san-pham/anh/[^"]+/nho)"', body)
    assert found is not None
    thumb = found.group(1)
    assert_shareable(client.get(thumb), thumb)


def test_english_is_in_the_address_and_the_switch_links_it(visitors, tea):
    url = product_url(tea.pk, tea.name)
    english_cookie = visitors["english"].get(url).content.decode()
    assert 'lang="vi"' in english_cookie[:200]  # the cookie does not change a public page
    english = visitors["anonymous"].get("/en" + url).content.decode()
    assert 'lang="en"' in english[:200]
    assert f'hreflang="vi" href="{url}"' in english
    assert f'hreflang="en" href="/en{url}"' in visitors["anonymous"].get(url).content.decode()
    assert 'href="/en/san-pham/"' in english  # its links stay in English


def test_the_officers_side_still_follows_the_language_cookie(visitors):
    officer = visitors["officer"]
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = officer.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "cookie" in response["Vary"].lower()
