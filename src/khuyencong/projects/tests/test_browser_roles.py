"""Browser journeys of two roles around a project (real Chromium, live server): the province's
finance department co-signs a final settlement payment from its disbursement page; an
establishment reads its project without the administration's internal data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from khuyencong.accounts.models import Role
from khuyencong.projects import cosign, services
from khuyencong.projects.models import Payment
from khuyencong.projects.workflow import KCDP, State

from .conftest import MILLION, D
from .test_visibility import (
    APPROVAL_COMMENT,
    CONTRACT_NOTE,
    INSPECTION,
    SCT_COMMENT,
    walk_with_internal_notes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_co_signs_a_final_settlement_payment(
    units_loaded, live_server, make_project, centre, finance, page, browser_login, screenshot_sizes
):
    project = make_project(fund=KCDP, state=State.ACCEPTED, title="Hỗ trợ lò sấy chè")
    payment = services.record_payment(
        actor=centre,
        project=project,
        expected_version=project.version,
        fund=KCDP,
        amount=280 * MILLION,
        paid_on=D(2026, 11, 22),
        note="Thanh toán phần còn lại sau nghiệm thu",
    )
    assert payment.awaits_cosign

    browser_login(finance)
    page.goto(f"{live_server.url}{reverse('projects:disbursement')}")
    table = page.locator("#bang-giai-ngan").inner_text()
    assert "280.000.000" in table  # awaiting, not yet disbursed
    waiting = page.locator("#cho-dong-ky")
    assert "Hỗ trợ lò sấy chè" in waiting.inner_text()
    assert "Thông tư số 28/2018/TT-BTC" in page.locator("#nguong-dong-ky").inner_text()
    screenshot_sizes("tai-chinh-cho-dong-ky")

    form = page.locator(f"#dong-ky-{payment.pk}")
    form.locator("[name=note]").fill("Đủ hồ sơ thanh toán")
    form.locator("button[value=dong-y]").click()
    expect(page.locator(".alert-success")).to_contain_text("Sở Tài chính đã đồng ký")
    expect(page.locator("#cho-dong-ky")).to_contain_text("Không có khoản nào chờ đồng ký.")
    payment.refresh_from_db()
    assert payment.cosign_status == cosign.COSIGNED
    assert payment.cosigned_by == finance
    screenshot_sizes("tai-chinh-da-dong-ky")

    # The project page now counts the payment as paid.
    page.goto(f"{live_server.url}{reverse('projects:project_detail', args=[project.pk])}")
    expect(page.locator("#cac-lan-thanh-toan")).to_contain_text("Sở Tài chính đã đồng ký")


def test_an_establishment_reads_its_project_without_internal_data(
    units_loaded,
    live_server,
    centre,
    sct,
    finance,
    national,
    tea,
    user_for,
    page,
    browser_login,
    screenshot_sizes,
):
    from khuyencong.norms.services import load_national_norms

    load_national_norms()  # a transactional test starts from an emptied database
    project = walk_with_internal_notes(centre, sct, finance, national, tea)

    representative = user_for(Role.ESTABLISHMENT, establishment=tea)
    browser_login(representative)
    page.goto(f"{live_server.url}{reverse('projects:project_detail', args=[project.pk])}")
    body = page.locator("main").inner_text()
    for shown in ("Đã ký hợp đồng", "45/QĐ-ĐCK", APPROVAL_COMMENT, "hop-dong-da-ky.pdf"):
        assert shown in body, shown
    for hidden in (
        SCT_COMMENT,
        CONTRACT_NOTE,
        INSPECTION,
        "85 điểm",
        "ghi-chu-noi-bo.pdf",
        "Phiếu thẩm định đề án",
        sct.full_name,
        sct.email,
        centre.email,
    ):
        assert hidden not in body, hidden
    assert page.locator("#y-kien").count() == 0  # the appraisal sign-offs table
    screenshot_sizes("co-so-xem-de-an")

    # The decision meant for it downloads; the appraisal sheet does not exist for it.
    def document(kind: str) -> str:
        path = reverse("projects:project_document", args=[project.pk, kind, "pdf"])
        return f"{live_server.url}{path}"

    assert page.request.get(document("quyet-dinh")).ok
    assert page.request.get(document("phieu-tham-dinh")).status == 404
    assert Payment.objects.count() == 0
