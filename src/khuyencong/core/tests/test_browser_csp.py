"""The strict Content-Security-Policy in a real Chromium: the main pages load and work with no
violation reported (an inline script, style or handler left in a template would be one)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from khuyencong.accounts.models import Role, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile
    + ":" + e.lineNumber);
});
"""

PAGES = [
    "/",
    "/chuong-trinh/",
    "/chuong-trinh/son-la-2026-2030/",
    "/co-so/",
    "/co-so/them/",
    "/co-so/nhap/",
    "/ke-hoach/",
    "/ke-hoach/dot-dang-ky/",
    "/ke-hoach/phieu/",
    "/de-an/",
    "/dinh-muc/",
    "/thong-bao/",
    "/nhat-ky/",
    "/don-vi/",
    "/tai-khoan/2fa/",
]


def test_main_pages_load_without_a_content_security_policy_violation(
    units_loaded, live_server, make_user, page, browser_login, unit
):
    call_command("load_programmes", verbosity=0)
    centre = make_user(Role.PROVINCE_CENTRE, "14")
    second = RoleAssignment.objects.create(user=centre, role=Role.PROVINCE_SCT, unit=unit("14"))
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if m.type in {"error", "warning"} else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)

    page.goto(f"{live_server.url}/tai-khoan/login/")  # the login page, anonymous
    assert page.evaluate("window.__csp") == []
    browser_login(centre)
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status < 400, path
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        page.wait_for_load_state("load")
        assert page.evaluate("window.__csp") == [], path
    # The role switcher (data-autosubmit in static/js/app.js, no inline handler) still works.
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.select_option("#role-select", str(second.pk))
    centre.refresh_from_db()
    assert centre.current_assignment_id == second.pk
    assert page.evaluate("window.__csp") == []
    violations = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    assert violations == []
