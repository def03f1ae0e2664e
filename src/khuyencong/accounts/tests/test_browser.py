"""Browser journeys of the account administration (real Chromium, live server)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from khuyencong.accounts.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-2026"


def test_a_provincial_administrator_creates_a_commune_officer(
    units_loaded, live_server, make_user, page, browser_login, screenshot_sizes
):
    admin = make_user(Role.SYSTEM_ADMIN, "14")
    browser_login(admin)
    page.goto(f"{live_server.url}{reverse('accounts:staff_list')}")
    page.click("#tao-tai-khoan")
    page.fill("#id_full_name", "Lò Văn Minh")
    page.fill("#id_email", "minh@chiengson.test.khuyencong.vn")
    page.select_option("#id_role", Role.COMMUNE_OFFICER.value)
    page.fill("#id_unit", "03985")
    page.fill("#id_title", "Công chức Kinh tế")
    screenshot_sizes("quan-tri-tao-tai-khoan")
    page.locator("#form-tao-tai-khoan button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Đã tạo tài khoản “Lò Văn Minh”")
    body = page.locator("main").inner_text()
    assert "Đã tạo tài khoản “Lò Văn Minh”" in body
    assert "Cán bộ UBND xã/phường" in body
    assert "Xã Chiềng Sơn" in body
    user = User.objects.get(email="minh@chiengson.test.khuyencong.vn")
    assert user.current_assignment.unit.code == "03985"
    assert not user.has_usable_password()
    screenshot_sizes("quan-tri-tai-khoan-moi")


def test_an_administrator_unlocks_a_locked_out_officer(
    units_loaded, live_server, make_user, page, chromium, browser_login, screenshot_sizes, settings
):
    admin = make_user(Role.SYSTEM_ADMIN, "14")
    officer = make_user(Role.COMMUNE_OFFICER, "03985", email="xa@test.khuyencong.vn")

    officer_context = chromium.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    officer_page = officer_context.new_page()

    def sign_in(password: str) -> None:
        officer_page.goto(f"{live_server.url}{reverse('account_login')}")
        officer_page.fill("input[name=login]", officer.email)
        officer_page.fill("input[name=password]", password)
        officer_page.locator("form button[type=submit]").last.click()
        officer_page.wait_for_load_state()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("sai-mat-khau")
    expect(officer_page.locator("#lockout")).to_contain_text("liên hệ quản trị hệ thống")

    browser_login(admin)
    page.goto(f"{live_server.url}{reverse('accounts:user_detail', args=[officer.pk])}")
    expect(page.locator("#bi-khoa-dang-nhap")).to_be_visible()
    screenshot_sizes("quan-tri-tai-khoan-bi-khoa")
    page.locator("#form-mo-khoa button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã mở khóa đăng nhập")
    expect(page.locator("#bi-khoa-dang-nhap")).to_have_count(0)

    sign_in(PASSWORD)
    expect(officer_page).to_have_url(f"{live_server.url}/")
    assert f"Xin chào, {officer.full_name}" in officer_page.locator("h1").inner_text()
    officer_context.close()
