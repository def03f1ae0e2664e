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


def test_open_edit_and_extend_a_round_for_the_whole_province(
    units_loaded, live_server, make_user, page, screenshot, browser_login
):
    """Issue 9 (defect 5): the open form proposes deadlines still ahead and shows real
    checkboxes; the round can be edited; a province-wide extension reaches the communes."""
    import datetime

    from khuyencong.planning.models import RegistrationRound
    from khuyencong.programs.services import sync_content_groups

    sync_content_groups()
    sct = make_user(Role.PROVINCE_SCT, "14")
    officer = make_user(Role.COMMUNE_OFFICER, "03985")
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(sct)
    page.goto(f"{live_server.url}/ke-hoach/dot-dang-ky/mo/")
    commune = datetime.datetime.strptime(
        page.locator("input[name=commune_deadline]").input_value(), "%d/%m/%Y"
    ).date()
    assert commune >= datetime.date.today()
    boxes = page.locator("input[name=content_groups]")
    assert boxes.count() == 6
    for i in range(6):
        box = boxes.nth(i).bounding_box()
        assert box["width"] < 30  # a box, not a grey bar
        assert abs(box["width"] - box["height"]) < 2
        assert boxes.nth(i).is_checked()
    boxes.nth(5).uncheck()
    page.fill("input[name=title]", "Đăng ký kế hoạch khuyến công địa phương")
    page.select_option("select[name=fund]", "KCDP")
    screenshot("dot-dang-ky-mo-1280")
    page.get_by_role("button", name="Mở đợt").click()
    expect(page.locator("main")).to_contain_text("Đã mở đợt đăng ký")

    page.get_by_role("link", name="Sửa đợt").click()
    page.fill("textarea[name=notes]", "Gửi kèm báo giá thiết bị.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Gửi kèm báo giá thiết bị.")
    round_ = RegistrationRound.objects.get()
    assert round_.content_groups.count() == 5

    later = round_.province_deadline + datetime.timedelta(days=10)
    page.fill("input[name=unit_code]", "14")
    page.fill("input[name=new_deadline]", later.strftime("%d/%m/%Y"))
    page.fill("input[name=reason]", "Mưa lũ trên toàn tỉnh")
    page.get_by_role("button", name="Gia hạn", exact=True).click()
    expect(page.locator("main")).to_contain_text("mọi xã, phường của tỉnh")

    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(officer)
    page.goto(f"{live_server.url}/ke-hoach/dot-dang-ky/{round_.pk}/")
    text = page.locator("main").inner_text()
    assert "đã gia hạn" in text
    assert f"{later.day}/{later.month}/{later.year}" in text
    screenshot("dot-dang-ky-xa-390")
