"""The whole project journey in a real Chromium, with a screenshot per step: a commune officer
registers a need; the centre accepts it and builds the project (đề án) from it; the SCT and
Finance appraise it, the SCT records the approval decision and Finance agrees on the money; the
centre records the contract, the acceptance minutes and the settlement; the programme page then
shows the project's outputs and money against the programme line."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVITY = "Hỗ trợ máy sao chè tự động"


def _shows(page, *texts: str) -> None:
    """The page's main part shows each text (waiting for it: the step's page may still load)."""
    for text in texts:
        expect(page.locator("main")).to_contain_text(text)


def _step(page, action: str, fields: dict[str, str] | None = None) -> None:
    """Fill and send the panel form of a workflow step (``#buoc-<action>``)."""
    form = page.locator(f"#buoc-{action}")
    for name, value in (fields or {}).items():
        field = form.locator(f"[name='{action}-{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _usable(page, selector: str) -> bool:
    """A person can see and click the field: the element drawn at its centre is the field
    itself (an input inside a 0 px wide container is "visible" to Playwright, not to people)."""
    return page.locator(selector).evaluate(
        """e => {
            e.scrollIntoView({block: "center", inline: "center", behavior: "instant"});
            const r = e.getBoundingClientRect();
            return r.width >= 40 && r.height >= 10
                && document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === e;
        }"""
    )


def _money(page, form_id: str, amount: str) -> None:
    """Record an advance or a payment from the KCĐP fund, dated today."""
    form = page.locator(form_id)
    form.locator("[name$=amount]").fill(amount)
    form.locator("[name$=paid_on]").fill("22/11/2026")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#giai-ngan")).to_contain_text(f"{amount} đ")


def test_need_to_settled_project_on_the_programme_page(
    units_loaded, live_server, page, screenshot, browser_login, settings
):
    from khuyencong.accounts.models import User
    from khuyencong.core.demo import DEMO_DOMAIN, seed_demo
    from khuyencong.planning.models import SupportRegistration
    from khuyencong.projects.models import Project

    # What `make run` serves: its demo data, DEBUG on (demo users need no second factor there).
    settings.DEBUG = True
    seed_demo()
    officer, centre, sct, finance = (
        User.objects.get(email=f"{name}.sonla@{DEMO_DOMAIN}")
        for name in ("xa", "trungtam", "sct", "taichinh")
    )
    base = live_server.url

    # The commune officer registers the need and sends it.
    browser_login(officer)
    page.click("text=Đợt đăng ký đang mở")
    page.select_option("select[name=content_group]", index=0)
    page.select_option("select[name=establishment]", index=1)
    page.fill("input[name=activity]", ACTIVITY)
    page.select_option("select[name=norm_content]", "may-moc-thiet-bi")
    page.fill("input[name=total_cost]", "1.500")
    page.fill("input[name=support_kcdp]", "300")
    page.fill("input[name=counterpart]", "1.200")
    page.fill("input[name=start_month]", "12/2026")
    page.fill("input[name=end_month]", "6/2027")
    page.locator("main form button[type=submit]").click()
    page.locator("button[name=submit-gui]").click()
    _shows(page, "Đã gửi, chờ xem xét")
    screenshot("de-an-1-xa-dang-ky")

    # The centre accepts it and builds the project from it.
    registration = SupportRegistration.objects.get(activity=ACTIVITY)
    browser_login(centre)
    page.goto(f"{base}/ke-hoach/phieu/{registration.pk}/")
    page.locator("button[name=submit-chap-nhan]").click()
    page.goto(f"{base}/de-an/lap/")
    page.click("#tu-phieu summary")
    page.click(f"#tu-phieu >> text={ACTIVITY}")
    expect(page.locator("input[name=title]")).to_have_value(ACTIVITY)  # the prefilled form
    # The registration's norm and months come with it: the end month ends on its last day.
    assert page.locator("select[name=content]").input_value() == "may-moc-thiet-bi"
    assert page.locator("input[name=congviec-0-start]").input_value() == "01/12/2026"
    assert page.locator("input[name=congviec-0-end]").input_value() == "30/06/2027"
    # Every table of the form can be seen and used (issue 9: two were 0 px wide).
    for field in ("dutoan-1-item", "congviec-1-name", "congviec-1-end", "sanpham-0-planned"):
        assert _usable(page, f"[name='{field}']"), field
    page.fill("input[name=congviec-1-name]", "Lắp đặt, vận hành thử, nghiệm thu")
    page.fill("input[name=congviec-1-start]", "1/5/2027")
    page.fill("input[name=congviec-1-end]", "30/6/2027")
    # The output line is the programme line of the registration's norm; options are grouped
    # under the programme's title, never its code.
    output = page.locator("select[name=sanpham-0-line]")
    assert "máy móc" in output.locator("option:checked").inner_text()
    groups = output.locator("optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert "Chương trình khuyến công tỉnh Sơn La giai đoạn 2026 - 2030" in groups
    assert "son-la-2026-2030" not in output.inner_text()
    page.fill("input[name=sanpham-0-planned]", "1")
    page.fill("textarea[name=objectives]", "Cơ giới hóa khâu sao chè, nâng năng suất 30 %.")
    screenshot("de-an-2-trung-tam-lap")
    page.click("text=Lưu đề án")
    _shows(page, "Đã lập đề án")
    project = Project.objects.get(title=ACTIVITY)
    assert (project.fund, project.support_kcdp) == ("KCDP", 300_000_000)
    assert project.content == "may-moc-thiet-bi"
    assert [(t.start.isoformat(), t.end.isoformat()) for t in project.tasks.all()] == [
        ("2026-12-01", "2027-06-30"),
        ("2027-05-01", "2027-06-30"),
    ]
    line_name = project.outputs.get().line.name
    _step(page, "trinh")
    _shows(page, "Đã trình, chờ thẩm định cấp tỉnh")

    # The SCT and Finance appraise (one sheet each); the SCT records the decision, Finance agrees.
    appraisal = {"sheet": "Đề án phù hợp quy hoạch, công nghệ tiên tiến.", "score": "85"}
    browser_login(sct)
    page.click(f"text={ACTIVITY}")  # from the home page's "Đề án chờ bạn xử lý"
    _step(page, "tham-dinh-tinh", {**appraisal, "conclusion": "dat"})
    _shows(page, "Sở Tài chính: chưa ký")
    browser_login(finance)
    page.click(f"text={ACTIVITY}")
    _step(page, "tham-dinh-tinh", {**appraisal, "conclusion": "dat"})
    _shows(page, "Đã thẩm định cấp tỉnh")
    browser_login(sct)
    page.click(f"text={ACTIVITY}")
    _step(page, "phe-duyet", {"decision_number": "215/QĐ-SCT", "decision_date": "20/11/2026"})
    screenshot("de-an-3-so-cong-thuong-phe-duyet")
    browser_login(finance)
    page.click(f"text={ACTIVITY}")
    _step(page, "phe-duyet")
    _shows(page, "Đã phê duyệt", "215/QĐ-SCT")

    # The centre signs the contract, runs the project, records acceptance and settlement.
    browser_login(centre)
    page.click(f"text={ACTIVITY}")
    _step(page, "ky-hop-dong", {"contract_number": "48/2026/HĐ-KC", "contract_date": "21/11/2026"})
    _step(page, "trien-khai")
    _money(page, "#form-tam-ung", "150.000.000")  # an advance (≤ 70 %)
    minutes = "Hội đồng nghiệm thu: máy vận hành đạt công suất thiết kế."
    _step(page, "nghiem-thu", {"minutes": minutes, "accepted_on": "22/11/2026"})
    _shows(page, "Đã nghiệm thu")
    _money(page, "#form-thanh-toan", "130.000.000")
    # The payment after acceptance is the final settlement one: Finance co-signs it first.
    expect(page.locator("#cac-lan-thanh-toan")).to_contain_text("Chờ Sở Tài chính đồng ký")
    browser_login(finance)
    page.goto(f"{base}{reverse('projects:disbursement')}")
    page.locator("#cho-dong-ky .dong-ky button[value=dong-y]").click()
    expect(page.locator(".alert-success")).to_contain_text("Sở Tài chính đã đồng ký")
    browser_login(centre)
    page.goto(f"{base}{reverse('projects:project_detail', args=[project.pk])}")
    _step(page, "quyet-toan", {"settled_kcdp": "280.000.000", "settled_on": "22/11/2026"})
    _shows(page, "Đã quyết toán", "Hồ sơ đã khóa", "280.000.000")
    screenshot("de-an-4-trung-tam-quyet-toan")

    # The programme page shows the project against its line.
    page.goto(f"{base}/chuong-trinh/son-la-2026-2030/?nam=2026")
    progress = page.locator("#tien-do-chuong-trinh")
    row = progress.locator("tr", has_text=line_name[:40]).first
    row_text = row.inner_text()
    assert "300" in row_text  # approved: 300 triệu đồng
    assert "280" in row_text  # paid (150 + 130) and settled: 280 triệu đồng
    # The project counts: 1 in approved projects (a link to it), 1 accepted.
    counted = row.locator("a[title='Xem các đề án']")
    assert counted.inner_text() == "1"
    cells = row.locator("td").all_inner_texts()
    assert cells[4:6] == ["1", "1"]
    shot = screenshot("de-an-5-chuong-trinh")
    progress.screenshot(path=str(shot.with_name("de-an-6-tien-do-chuong-trinh.png")))
    counted.click()
    expect(page).to_have_url(re.compile(r"/de-an/\?"))  # the project list, filtered to the line
    _shows(page, ACTIVITY)
