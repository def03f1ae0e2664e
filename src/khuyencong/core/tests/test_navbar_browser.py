"""The menu bar in a real Chromium, for every role, on a 1280 px screen and on a phone.

Issue 9 (defect 4): at 1400 px the bar of SCT, centre, national and finance users overflowed —
"Đăng xuất" white on white outside the bar, the role switcher cut off. Now the bar is one line
from 1280 px for every role, and on a phone it collapses behind the toggler and opens with every
entry (dropdowns included) inside the screen.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.models import Role, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Where each role is held: Sơn La (14), its commune Chiềng Sơn (03985), the nation.
ROLE_UNITS = {
    Role.COMMUNE_OFFICER: "03985",
    Role.PROVINCE_CENTRE: "14",
    Role.PROVINCE_SCT: "14",
    Role.PROVINCE_FINANCE: "14",
    Role.NATIONAL_OFFICER: "VN",
    Role.COUNCIL_MEMBER: "14",
    Role.ESTABLISHMENT: "03985",
    Role.SYSTEM_ADMIN: "VN",
}

#: The element drawn at the centre of an element is the element itself (or inside it): a
#: person can see it and click it — not hidden, not off the screen, not covered.
CLICKABLE = """e => {
    const r = e.getBoundingClientRect();
    if (r.width < 10 || r.height < 10) return false;
    if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) return false;
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit === e || e.contains(hit);
}"""
#: Every entry of the bar lies inside the bar (nothing spills out, white on white).
INSIDE_BAR = """nav => {
    const bar = nav.getBoundingClientRect();
    return [...nav.querySelectorAll(".nav-link, button, select")]
        .filter(e => e.offsetParent !== null)
        .filter(e => {
            const r = e.getBoundingClientRect();
            return r.left < bar.left || r.right > bar.right || r.top < bar.top
                || r.bottom > bar.bottom;
        })
        .map(e => e.textContent.trim() || e.outerHTML.slice(0, 80));
}"""


def _users(make_user: Any) -> dict[Role, Any]:
    users = {}
    for role, code in ROLE_UNITS.items():
        user = make_user(role, code)
        if role == Role.ESTABLISHMENT:
            from khuyencong.registry.models import Establishment

            establishment = Establishment.objects.create(
                name="Hộ kinh doanh chè Chiềng Sơn",
                legal_form="hkd",
                commune=user.current_assignment.unit,
                product_group="2",
            )
            RoleAssignment.objects.filter(user=user).update(establishment=establishment)
        users[role] = user
    # The national officer also sits on a council: the role switcher has two entries.
    national = users[Role.NATIONAL_OFFICER]
    RoleAssignment.objects.create(
        user=national,
        role=Role.COUNCIL_MEMBER,
        unit=users[Role.COUNCIL_MEMBER].current_assignment.unit,
    )
    return users


def _bar_fits(page: Any) -> None:
    nav = page.locator("nav.navbar")
    assert nav.evaluate(INSIDE_BAR) == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    logout = page.get_by_role("button", name="Đăng xuất")
    assert logout.evaluate(CLICKABLE)


def test_the_bar_fits_one_line_at_1280_px_for_every_role(
    units_loaded, live_server, make_user, page, browser_login, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 800})
    users = _users(make_user)
    for role, user in users.items():
        browser_login(user)
        nav = page.locator("nav.navbar")
        assert nav.bounding_box()["height"] < 70, role  # one line, not two
        _bar_fits(page)
        assert page.locator("#role-switcher").evaluate(CLICKABLE), role
        if role in (Role.NATIONAL_OFFICER, Role.PROVINCE_SCT):
            screenshot(f"menu-1280-{role}")
    # A group opens as a dropdown whose entries can be clicked.
    browser_login(users[Role.NATIONAL_OFFICER])
    page.locator("#menu-he-thong").click()
    entry = page.locator("#menu .dropdown-menu.show a", has_text="Nhật ký hoạt động")
    assert entry.evaluate(CLICKABLE)
    entry.click()
    page.wait_for_url("**/nhat-ky/**")
    assert page.locator("#menu-he-thong").get_attribute("class").count("active") == 1
    # Logging out works from the bar.
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    # English labels are longer: they fit too.
    browser_login(users[Role.NATIONAL_OFFICER])
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    assert page.locator("nav.navbar").evaluate(INSIDE_BAR) == []
    assert page.get_by_role("button", name="Sign out").evaluate(CLICKABLE)
    screenshot("menu-1280-en")


def test_on_a_phone_the_bar_collapses_and_opens_for_every_role(
    units_loaded, live_server, make_user, page, browser_login, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    users = _users(make_user)
    for role, user in users.items():
        browser_login(user)
        toggler = page.locator(".navbar-toggler")
        assert toggler.evaluate(CLICKABLE), role
        assert not page.get_by_role("button", name="Đăng xuất").is_visible()
        toggler.click()
        page.locator("#menu.show").wait_for()
        page.get_by_role("button", name="Đăng xuất").scroll_into_view_if_needed()
        _bar_fits(page)
        if role == Role.PROVINCE_CENTRE:
            screenshot(f"menu-390-{role}")
    # Inside the open menu a group unfolds in place and its entries are reachable.
    browser_login(users[Role.PROVINCE_CENTRE])
    page.locator(".navbar-toggler").click()
    page.locator("#menu.show").wait_for()
    page.locator("#menu-ke-hoach").click()
    entry = page.locator("#menu .dropdown-menu.show a", has_text="Kế hoạch năm")
    entry.scroll_into_view_if_needed()
    assert entry.evaluate(CLICKABLE)
    entry.click()
    page.wait_for_url("**/ke-hoach/")
