"""Browser journey of the selection in the real Chromium, with screenshots: three judges score
in their own sessions (sealed: one never sees another's sheet), the chair sees the outlier flag
and closes the jury, the SCT publishes the result, the certificate PDF is downloaded and its QR
path opens the product's public page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from khuyencong.awards.models import Certificate

from .conftest import PLUM, TEA, D, sheet_of, start, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _score(page: Any, url: str, total: int) -> None:
    page.goto(url)
    share = {"thi-truong": 0.4, "kinh-te-ky-thuat": 0.4, "van-hoa": 0.1, "khac": 0.1}
    for name, part in share.items():
        page.fill(f'input[name="{name}"]', f"{total * part:g}".replace(".", ","))
    page.fill('textarea[name="comment"]', "Sản phẩm có thị trường ổn định.")
    page.click("#nop-phieu")
    expect(page.locator("#trang-thai-phieu")).to_contain_text("Đã nộp")


def test_judges_score_the_chair_closes_the_sct_publishes_and_the_qr_opens(
    units_loaded, live_server, seated, sct, on_day, page, screenshot, browser_login
):
    on_day(D(2026, 11, 10))
    start(seated, sct)
    judges, tea, plum = seated["judges"], seated["tea"], seated["plum"]
    for n, judge in enumerate(judges):
        submit(judge, tea, TEA[n])
        if n >= 3:
            submit(judge, plum, PLUM[n])
    # Three judges in their own sessions; the chair's 55 for the plum is the outlier.
    for n in range(3):
        browser_login(judges[n].user)
        _score(
            page,
            live_server.url + reverse("awards:sheet", args=[sheet_of(judges[n], plum).pk]),
            PLUM[n],
        )
        screenshot(f"binh-chon-giam-khao-{n + 1}-nop-phieu")
        other = sheet_of(judges[(n + 1) % 3], plum)
        response = page.goto(live_server.url + reverse("awards:sheet", args=[other.pk]))
        assert response is not None
        assert response.status in (403, 404)  # sealed until the close

    browser_login(judges[0].user)
    page.goto(live_server.url + reverse("awards:council", args=[seated["round"].code]))
    expect(page.locator("#diem-lech")).to_be_visible()
    expect(page.locator("body")).to_contain_text(judges[0].full_name)
    screenshot("binh-chon-chu-tich-canh-bao-diem-lech")
    page.click("#khoa-cham")
    expect(page.locator("body")).to_contain_text("Đã khóa chấm")

    browser_login(sct)
    page.goto(live_server.url + reverse("awards:results", args=[seated["round"].code]))
    expect(page.locator("#bang-ket-qua")).to_contain_text("80,43")
    page.fill('input[name="decision_number"]', "1234/QĐ-UBND")
    page.fill('input[name="decision_date"]', "10/11/2026")
    screenshot("binh-chon-so-cong-thuong-cong-bo")
    page.click("#nut-cong-bo")
    expect(page.locator("body")).to_contain_text("Đã công bố")

    certificate = Certificate.objects.get(entry=tea)
    page.goto(live_server.url + reverse("awards:certificate_detail", args=[certificate.pk]))
    expect(page.locator("#duong-dan-cong-khai")).to_contain_text(f"/c/{certificate.code}")
    with page.expect_download() as download:
        page.click("#tai-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot("binh-chon-giay-chung-nhan")

    page.goto(f"{live_server.url}/c/{certificate.code}")
    expect(page.locator("body")).to_contain_text(tea.product.name)
    screenshot("binh-chon-ma-qr-trang-cong-khai")
