"""A real Chromium (Debian package) driven by Playwright against the live server."""

import pytest

from khuyencong.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_officer_logs_in_and_sees_the_vietnamese_home_page(
    units_loaded, live_server, make_user, page, screenshot
):
    officer = make_user(Role.COMMUNE_OFFICER, "03985", email="xa.chiengson@test.khuyencong.vn")
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)

    page.goto(f"{live_server.url}/")
    assert "/tai-khoan/login/" in page.url  # anonymous users are sent to the login page
    page.fill("input[name=login]", "xa.chiengson@test.khuyencong.vn")
    page.fill("input[name=password]", "Mat-khau-2026")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == f"Xin chào, {officer.full_name}"
    body = page.locator("main").inner_text()
    assert "Cán bộ UBND xã/phường" in body
    assert "Xã Chiềng Sơn" in body
    assert "Việc cần xử lý" in body
    # The menu and the role switcher are there, served without any CDN.
    assert (
        page.locator("#role-select option:checked").inner_text().startswith("Cán bộ UBND xã/phường")
    )
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("typeof bootstrap") == "object"
    assert failed == []  # every asset is served by the app
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").ok  # no request for a missing /favicon.ico
    shot = screenshot("xa-trang-chu")
    assert shot.stat().st_size > 10_000
