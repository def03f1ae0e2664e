"""Every public page in a real Chromium on a phone (390×844) and a desktop (1400×900):
screenshots, no horizontal scroll on the phone, and axe-core (vendored for the tests only)
finds no serious or critical accessibility violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from khuyencong.portal.selectors import product_url
from khuyencong.programs.models import ActivityLine, AllocationCell, ContentGroup, Programme

from .conftest import D

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
VIEWPORTS = {"phone": (390, 844), "desktop": (1400, 900)}
#: axe's own run, in the page; only what a user is hurt by (serious, critical) fails.
RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""


@pytest.fixture
def _today() -> None:
    """Real time here: the live server and the browser share the clock."""


@pytest.fixture
def public_data(units_loaded: Any, unit: Any, tea: Any, certify: Any) -> dict[str, str]:
    certify(tea, level="xa", year=2023, issued=D(2023, 5, 1), valid_until=D(2025, 12, 31))
    certify(
        tea,
        level="xa",
        year=2024,
        issued=D(2024, 5, 1),
        valid_until=D(2027, 12, 31),
        revoked_on=D(2025, 3, 1),
        reason="Sản phẩm không còn đúng hồ sơ đã được công nhận.",
        code="THUHOI24",
    )
    group, _ = ContentGroup.objects.get_or_create(
        number=1, defaults={"code": "nhom-1", "name": "Mô hình trình diễn", "short_name": "Mô hình"}
    )
    programme = Programme.objects.create(
        code="sla-2026", level="province", unit=unit("14"), status="approved",
        title="Chương trình khuyến công tỉnh Sơn La giai đoạn 2026-2030",
        start_year=2026, end_year=2030,
    )  # fmt: skip
    line = ActivityLine.objects.create(
        programme=programme, group=group, name="Hỗ trợ máy móc thiết bị", order=1,
        unit_of_measure="cơ sở",
    )  # fmt: skip
    AllocationCell.objects.create(line=line, year=2026, fund="KCQG", quantity=5, amount=10**9)
    return {
        "danh-muc": "/san-pham/",
        "tim-kiem": "/san-pham/?q=che+shan",
        "san-pham": product_url(tea.pk, tea.name),
        "thu-hoi": "/c/THUHOI24",
        "khong-co": "/c/KHONGCO",
        "chuong-trinh": "/cong-khai/chuong-trinh/",
        "chuong-trinh-chi-tiet": "/cong-khai/chuong-trinh/sla-2026/",
        "du-lieu-mo": "/du-lieu-mo/",
    }


def test_every_public_page_on_a_phone_and_a_desktop(
    live_server: Any, page: Any, screenshot: Any, public_data: dict[str, str]
) -> None:
    axe = AXE.read_text()
    for device, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in public_data.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            shot = screenshot(f"portal-{name}-{device}")
            assert shot.stat().st_size > 0
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (
                name,
                device,
            )
            page.evaluate(axe)  # through the DevTools protocol: the page's CSP stays strict
            assert page.evaluate(RUN_AXE) == [], (name, device)
    # The QR path lights the certificate it names on the product page.
    page.goto(live_server.url + "/c/SHAN2025")
    page.wait_for_url("**#gcn-SHAN2025")
    colour = page.locator("#gcn-SHAN2025 td").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert colour == "rgb(255, 243, 205)"
