"""The journey in a real Chromium: a commune officer registers a need and sends it; the
provincial centre accepts it, consolidates it into the 2026 plan and downloads Mẫu 2."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_accept_consolidate_export(
    units_loaded, live_server, make_user, page, screenshot, browser_login
):
    from khuyencong.planning.demo import seed_demo_planning
    from khuyencong.programs.services import load_seed_programmes
    from khuyencong.registry.models import Establishment

    load_seed_programmes()
    seed_demo_planning()
    officer = make_user(Role.COMMUNE_OFFICER, "03985")
    centre = make_user(Role.PROVINCE_CENTRE, "14")
    from khuyencong.geo.models import AdministrativeUnit

    Establishment.objects.create(
        name="Hợp tác xã chè Chiềng Sơn",
        legal_form="htx",
        commune=AdministrativeUnit.objects.current().get(code="03985"),
        product_group="2",
    )
    base = live_server.url

    browser_login(officer)
    page.click("text=Đợt đăng ký đang mở")
    page.select_option("select[name=content_group]", index=0)
    page.fill("input[name=activity]", "Hỗ trợ máy sao chè tự động")
    page.fill("input[name=total_cost]", "1.500")
    page.fill("input[name=support_kcdp]", "300")
    page.fill("input[name=counterpart]", "1.200")
    page.fill("input[name=start_month]", "12/2026")
    page.fill("input[name=end_month]", "6/2027")
    page.locator("main form button[type=submit]").click()
    page.locator("button[name=submit-gui]").click()
    expect(page.locator("main")).to_contain_text("Đã gửi, chờ xem xét")
    screenshot("ke-hoach-xa-gui-phieu")

    browser_login(centre)
    page.click("text=Hỗ trợ máy sao chè tự động")
    page.locator("button[name=submit-chap-nhan]").click()
    expect(page.locator("main")).to_contain_text("Được chấp nhận vào kế hoạch")
    page.goto(f"{base}/ke-hoach/")
    page.locator("#ke-hoach a").first.click()
    page.click("text=Tổng hợp 1 phiếu đã chấp nhận")
    table = page.locator("#danh-muc")
    expect(table).to_contain_text("Hỗ trợ máy sao chè tự động")
    expect(table).to_contain_text("1.500")
    with page.expect_download() as download:
        page.click("text=Tải Excel (Mẫu 2)")
    assert download.value.suggested_filename.endswith("-mau-2.xlsx")
    screenshot("ke-hoach-trung-tam-tong-hop")
