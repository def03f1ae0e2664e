"""The unit picker in a real Chromium (issue 9, defect 9): an officer types "chieng" without
accents into the commune filter of the establishment list, picks Xã Chiềng Sơn from the
suggestions, and the list shows that commune's establishments — at 1280 px and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_an_officer_picks_a_commune_by_typing_part_of_its_name(
    width, height, units_loaded, live_server, make_user, make_establishment, page, browser_login,
    screenshot,
):  # fmt: skip
    make_establishment(name="Hợp tác xã chè Chiềng Sơn", commune="03985")
    make_establishment(name="Cơ sở cà phê Tô Hiệu", commune="03646")
    page.set_viewport_size({"width": width, "height": height})
    browser_login(make_user(Role.PROVINCE_SCT, "14"))
    page.goto(f"{live_server.url}/co-so/")
    rows = page.locator("#establishment-rows")
    expect(rows).to_contain_text("Cơ sở cà phê Tô Hiệu")
    box = page.locator("#xa")
    box.press_sequentially("chieng son", delay=20)
    choice = page.locator("[data-unit-pick='Xã Chiềng Sơn — Sơn La (03985)']")
    expect(choice).to_be_visible()
    screenshot(f"unit-picker-{width}-suggestions")
    choice.click()
    expect(box).to_have_value("Xã Chiềng Sơn — Sơn La (03985)")
    expect(page.locator(".unit-picker-list [data-unit-pick]")).to_have_count(0)
    expect(rows).not_to_contain_text("Cơ sở cà phê Tô Hiệu")
    expect(rows).to_contain_text("Hợp tác xã chè Chiềng Sơn")
    screenshot(f"unit-picker-{width}-filtered")
