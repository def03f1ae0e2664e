"""The reporting journey in a real Chromium, with screenshots: a commune drafts and submits
its second-half report, its head approves it, the province returns it with a reason, the
commune fixes and resubmits, the province accepts it, approves its own roll-up (with a note on
the communes still missing) and the nation accepts it; then the national dashboard of the
demo's first half (year plan by fund, per province, chart) and one drill-down down to the
projects."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shows(page, *texts: str) -> None:
    for text in texts:
        expect(page.locator("main")).to_contain_text(text)


def _step(page, step: str, **fields: str) -> None:
    form = page.locator(f"#buoc-{step}")
    for name, value in fields.items():
        form.locator(f"[name='{name}']").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_commune_to_nation_and_the_dashboard(
    units_loaded, live_server, page, screenshot, browser_login, settings, time_machine
):
    from khuyencong.accounts.models import User
    from khuyencong.core.demo import DEMO_DOMAIN, seed_demo
    from khuyencong.reporting.models import Report

    # Ten days before the communes' second-half due date (15/12/2026); the clock runs on.
    time_machine.move_to(datetime.datetime(2026, 12, 5, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    settings.DEBUG = True
    seed_demo()
    officer, sct, national = (
        User.objects.get(email=f"{name}@{DEMO_DOMAIN}") for name in ("xa.sonla", "sct.sonla", "cuc")
    )
    base = live_server.url

    # The commune opens its H2 report: the figures are computed at the cut-off.
    browser_login(officer)
    page.goto(f"{base}/bao-cao/")
    page.select_option("#lap-bao-cao select", label="Báo cáo khuyến công 6 tháng của xã")
    page.fill("#lap-bao-cao input[name=period]", "2026-H2")
    page.click("#lap-bao-cao button[type=submit]")
    _shows(
        page, "Báo cáo khuyến công 6 tháng của xã", "Đang lập", "Đề án khuyến công được phê duyệt"
    )
    page.fill("#nhap-so-lieu textarea[name=narrative]", "Sáu tháng cuối năm: 2 lớp tập huấn.")
    # Trainees are computed from the projects; staff-training conferences are entered by hand.
    page.get_by_label("Hội nghị đào tạo, tập huấn cán bộ").fill("1")
    page.click("#nhap-so-lieu button[type=submit]")
    _shows(page, "Đã lưu số liệu nhập tay")
    screenshot("bao-cao-01-xa-lap")
    _step(page, "gui")
    _shows(page, "Đã gửi, chờ thủ trưởng phê duyệt")
    _step(page, "phe-duyet")
    _shows(page, "Đã phê duyệt (khóa), chờ cấp trên")
    report = Report.objects.get(unit__code="03985", period="2026-H2")

    # The province returns it with a reason.
    browser_login(sct)
    page.goto(f"{base}/bao-cao/{report.pk}/")
    _step(page, "tra-lai", reason="Bổ sung hội nghị tập huấn tháng 11.")
    _shows(page, "Cấp trên trả lại", "Bổ sung hội nghị tập huấn")
    screenshot("bao-cao-02-tinh-tra-lai")

    # The commune fixes and resubmits; its head approves again.
    browser_login(officer)
    page.goto(f"{base}/bao-cao/{report.pk}/")
    page.get_by_label("Hội nghị đào tạo, tập huấn cán bộ").fill("2")
    page.click("#nhap-so-lieu button[type=submit]")
    _shows(page, "Đã lưu số liệu nhập tay")
    _step(page, "gui")
    _step(page, "phe-duyet")
    _shows(page, "Đã phê duyệt (khóa)")

    # The province accepts it, then approves its own roll-up with a note on the missing.
    browser_login(sct)
    page.goto(f"{base}/bao-cao/{report.pk}/")
    _step(page, "chap-nhan")
    _shows(page, "Cấp trên đã chấp nhận")
    page.goto(f"{base}/bao-cao/")
    page.select_option(
        "#lap-bao-cao select", label="Báo cáo 6 tháng thực hiện khuyến công của tỉnh"
    )
    page.fill("#lap-bao-cao input[name=period]", "2026-H2")
    page.click("#lap-bao-cao button[type=submit]")
    _shows(page, "đơn vị cấp dưới chưa có báo cáo được chấp nhận")
    _step(page, "gui")
    _step(page, "phe-duyet")
    _shows(page, "ghi chú về các đơn vị này trước khi phê duyệt")
    _step(page, "phe-duyet", missing_note="Các xã còn lại báo cáo bổ sung trước 20/01/2027.")
    _shows(page, "Đã phê duyệt (khóa), chờ cấp trên")
    screenshot("bao-cao-03-tinh-phe-duyet")
    province = Report.objects.get(unit__code="14", period="2026-H2", schedule__code="tinh-6-thang")

    # The nation accepts; its dashboard shows Sơn La, and a figure opens to the projects.
    browser_login(national)
    page.goto(f"{base}/bao-cao/{province.pk}/")
    _step(page, "chap-nhan")
    _shows(page, "Cấp trên đã chấp nhận")
    # The dashboard of the first half, whose demo reports Sơn La sent and the nation accepted
    # in July: the demo projects' steps were taken in that half, so its figures are not zero.
    page.goto(f"{base}/bao-cao/tong-hop/?ky=2026-H1&chi_tieu=de-an-phe-duyet")
    _shows(page, "Tổng hợp: Việt Nam", "Sơn La", "Đề án khuyến công được phê duyệt")
    _shows(page, "Kế hoạch năm 2026 theo nguồn kinh phí")
    expect(page.locator("#bieu-do svg")).to_be_visible()
    expect(page.locator("#xuat-bieu-do")).to_be_visible()
    screenshot("bao-cao-04-tong-hop-quoc-gia")
    page.locator("#bang-don-vi a", has_text="Sơn La").first.click()
    _shows(page, "Tổng hợp: Sơn La")
    page.locator("#dong-de-an-phe-duyet td:nth-child(4) a").click()
    _shows(page, "bản ghi được tính")
    expect(page.locator("#ban-ghi a").first).to_be_visible()
    screenshot("bao-cao-05-chi-tiet-de-an")
    page.locator("#ban-ghi a").first.click()
    expect(page.locator("h1")).to_be_visible()
