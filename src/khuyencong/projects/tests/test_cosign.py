"""The finance department co-signs payments above the thresholds (data), and sees disbursement
by fund and year for its province, with an export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.core.concurrency import StaleEditError
from khuyencong.notifications.models import Notification
from khuyencong.projects import cosign, cosigning, disbursement, selectors, services
from khuyencong.projects.models import CoSignRule, Payment
from khuyencong.projects.workflow import KCDP, KCQG, State, Step

from .conftest import KHANH_HOA, MILLION, SON_LA, D, step

pytestmark = pytest.mark.django_db

JUNE = D(2026, 6, 1)


@pytest.fixture
def accepted_kcdp(make_project):
    """A KCĐP project of Sơn La, accepted, 300 triệu approved, 100 triệu already paid."""
    project = make_project(fund=KCDP, state=State.ACCEPTED)
    Payment.objects.create(project=project, fund=KCDP, amount=100 * MILLION, paid_on=JUNE)
    return project


def pay(actor, project, amount, *, fund=KCDP, on=JUNE):
    project.refresh_from_db()
    return services.record_payment(
        actor=actor,
        project=project,
        expected_version=project.version,
        fund=fund,
        amount=amount,
        paid_on=on,
    )


def sign(actor, payment, *, agree=True, note=""):
    payment.project.refresh_from_db()
    return cosigning.cosign_payment(
        actor=actor,
        payment=payment,
        expected_version=payment.project.version,
        agree=agree,
        note=note,
    )


def test_the_default_threshold_is_data_with_its_legal_basis():
    rule = CoSignRule.objects.get()  # made by migration 0006 (reloaded after a flush)
    assert (rule.fund, rule.stage, rule.min_amount, rule.province) == (KCDP, cosign.FINAL, 0, None)
    assert "Thông tư số 28/2018/TT-BTC" in rule.legal_basis
    assert rule.effective_from == D(2026, 1, 1)
    assert str(rule) == "KCĐP — Thanh toán quyết toán (lần cuối) — mọi số tiền"
    assert cosigning.load_default_rules() == 0  # already there


def test_a_final_local_fund_payment_waits_for_finance_and_is_not_disbursed(
    accepted_kcdp, centre, finance, sct
):
    payment = pay(centre, accepted_kcdp, 200 * MILLION)
    assert payment.cosign_status == cosign.PENDING
    assert payment.cosign_rule == CoSignRule.objects.get()
    assert Notification.objects.filter(recipient=finance).exists()
    page = selectors.project_for_view(sct, accepted_kcdp.pk)
    money = selectors.money_of(page, services.advance_rate(page))
    assert (money[0].paid, money[0].awaiting, money[0].remaining) == (
        100 * MILLION,
        200 * MILLION,
        0,
    )
    # Still counted against the approved amount: no second payment of the same money.
    with pytest.raises(services.ProjectError):
        pay(centre, accepted_kcdp, MILLION)
    # Settlement waits for the co-signature.
    with pytest.raises(services.ProjectError, match="chờ Sở Tài chính đồng ký"):
        step(sct, accepted_kcdp, Step.SETTLE)

    sign(finance, payment)
    payment.refresh_from_db()
    assert payment.cosign_status == cosign.COSIGNED
    assert payment.cosigned_by == finance
    page = selectors.project_for_view(sct, accepted_kcdp.pk)
    assert selectors.money_of(page, services.advance_rate(page))[0].paid == 300 * MILLION
    assert ActivityEvent.objects.filter(event_type=EventType.PAYMENT_COSIGNED).count() == 1
    step(sct, accepted_kcdp, Step.SETTLE)
    accepted_kcdp.refresh_from_db()
    assert accepted_kcdp.status == State.SETTLED


def test_a_payment_awaiting_co_signature_is_on_finance_s_home_page(
    accepted_kcdp, centre, finance, user_for, client
):
    assert accepted_kcdp not in selectors.waiting_for(finance)
    payment = pay(centre, accepted_kcdp, 200 * MILLION)
    assert list(selectors.waiting_for(finance)) == [accepted_kcdp]
    client.force_login(finance)
    assert accepted_kcdp.title in client.get(reverse("home")).content.decode()
    # Not for another province's Finance, and no longer once co-signed.
    assert not selectors.waiting_for(user_for(Role.PROVINCE_FINANCE, KHANH_HOA)).exists()
    sign(finance, payment)
    assert accepted_kcdp not in selectors.waiting_for(finance)


def test_interim_and_national_fund_payments_need_no_co_signature(make_project, centre):
    kcdp = make_project(fund=KCDP, state=State.IMPLEMENTING)
    assert pay(centre, kcdp, MILLION).cosign_status == cosign.NOT_REQUIRED
    kcqg = make_project(fund=KCQG, state=State.ACCEPTED)
    assert pay(centre, kcqg, MILLION, fund=KCQG).cosign_status == cosign.NOT_REQUIRED


def test_a_payment_after_acceptance_is_the_final_settlement_payment(
    make_project, accepted_kcdp, centre
):
    implementing = make_project(fund=KCDP, state=State.IMPLEMENTING)
    assert pay(centre, implementing, MILLION).stage == cosign.INTERIM
    assert pay(centre, accepted_kcdp, MILLION).stage == cosign.FINAL


def test_a_threshold_row_decides_which_payments(make_project, centre, unit):
    CoSignRule.objects.create(
        fund=KCDP,
        stage="",
        min_amount=50 * MILLION,
        province=unit(SON_LA),
        legal_basis="Quyết định của UBND tỉnh (thử)",
        effective_from=D(2026, 1, 1),
    )
    project = make_project(fund=KCDP, state=State.IMPLEMENTING)
    assert pay(centre, project, 49 * MILLION).cosign_status == ""
    assert pay(centre, project, 50 * MILLION).awaits_cosign


def test_finance_refuses_with_a_reason_and_the_money_is_free_again(accepted_kcdp, centre, finance):
    payment = pay(centre, accepted_kcdp, 200 * MILLION)
    with pytest.raises(cosigning.CoSignError, match="lý do"):
        sign(finance, payment, agree=False)
    sign(finance, payment, agree=False, note="Thiếu hóa đơn")
    payment.refresh_from_db()
    assert (payment.cosign_status, payment.cosign_note) == (cosign.REFUSED, "Thiếu hóa đơn")
    with pytest.raises(cosigning.CoSignError, match="không chờ đồng ký"):
        sign(finance, payment)
    again = pay(centre, accepted_kcdp, 200 * MILLION)  # refused money is not committed
    assert again.awaits_cosign


def test_only_finance_co_signs_and_only_a_fresh_page(accepted_kcdp, centre, sct, finance):
    payment = pay(centre, accepted_kcdp, 200 * MILLION)
    with pytest.raises(PermissionDenied, match="không được phép đồng ký"):
        sign(sct, payment)
    with pytest.raises(StaleEditError):
        cosigning.cosign_payment(actor=finance, payment=payment, expected_version=1, agree=True)
    payment.refresh_from_db()
    assert payment.awaits_cosign


def test_disbursement_by_year_and_fund_counts_only_what_counts(
    accepted_kcdp, make_project, centre, user_for
):
    pay(centre, accepted_kcdp, 150 * MILLION)  # waits
    kcqg = make_project(fund=KCQG, state=State.IMPLEMENTING, year=2025)
    pay(centre, kcqg, 20 * MILLION, fund=KCQG)
    make_project(fund=KCDP, state=State.IMPLEMENTING, province=KHANH_HOA)  # out of scope
    make_project(fund=KCDP, state=State.DRAFT)  # not approved: not counted
    finance = user_for(Role.PROVINCE_FINANCE)
    lines = disbursement.by_year_and_fund(finance)
    assert [(line.year, line.fund) for line in lines] == [(2026, KCDP), (2025, KCQG)]
    local = lines[0]
    assert (local.projects, local.approved, local.paid, local.awaiting, local.disbursed) == (
        1,
        300 * MILLION,
        100 * MILLION,
        150 * MILLION,
        100 * MILLION,
    )
    assert local.remaining == 50 * MILLION
    assert [line.year for line in disbursement.by_year_and_fund(finance, year=2025)] == [2025]
    national = user_for(Role.NATIONAL_OFFICER)
    assert sum(line.projects for line in disbursement.by_year_and_fund(national)) == 3


def test_the_disbursement_page_costs_the_same_queries_for_more_projects(
    make_project, centre, finance, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(finance)
    url = reverse("projects:disbursement")
    first = make_project(fund=KCDP, state=State.ACCEPTED)
    pay(centre, first, MILLION)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for year in (2024, 2025):
        more = make_project(fund=KCDP, state=State.ACCEPTED, year=year)
        pay(centre, more, MILLION)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --------------------------------------------------------------------------------------------
# Pages: every role, in and out of scope
# --------------------------------------------------------------------------------------------
VIEWERS = {Role.PROVINCE_FINANCE, Role.PROVINCE_SCT, Role.PROVINCE_CENTRE, Role.NATIONAL_OFFICER}


@pytest.mark.parametrize("role", list(Role))
def test_who_reaches_the_disbursement_pages(role, accepted_kcdp, centre, user_for, client):
    payment = pay(centre, accepted_kcdp, 200 * MILLION)
    client.force_login(user_for(role))
    page = client.get(reverse("projects:disbursement"))
    export = client.get(reverse("projects:disbursement_export"))
    cosign_url = reverse("projects:payment_cosign", args=[accepted_kcdp.pk, payment.pk])
    accepted_kcdp.refresh_from_db()
    post = client.post(cosign_url, {"version": accepted_kcdp.version, "decision": "dong-y"})
    if role in VIEWERS:
        assert page.status_code == 200
        assert accepted_kcdp.title in page.content.decode()
        assert export.status_code == 200
    else:
        assert page.status_code == 403
        assert "không được phép xem tình hình giải ngân" in page.content.decode()
        assert export.status_code == 403
    payment.refresh_from_db()
    if role == Role.PROVINCE_FINANCE:
        assert post.status_code == 302
        assert payment.cosign_status == cosign.COSIGNED
    else:
        # Out of the scope (commune roles, the establishment): 404; in it: 403 with the reason.
        assert post.status_code in (403, 404)
        assert payment.awaits_cosign


def test_another_province_s_finance_sees_none_of_it(accepted_kcdp, centre, user_for, client):
    payment = pay(centre, accepted_kcdp, 200 * MILLION)
    client.force_login(user_for(Role.PROVINCE_FINANCE, KHANH_HOA))
    body = client.get(reverse("projects:disbursement")).content.decode()
    assert accepted_kcdp.title not in body
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("projects:disbursement_export")).content)
    )
    assert [c.value for c in sheet["Chờ đồng ký"]["A"]] == ["Đề án"]
    accepted_kcdp.refresh_from_db()
    post = client.post(
        reverse("projects:payment_cosign", args=[accepted_kcdp.pk, payment.pk]),
        {"version": accepted_kcdp.version, "decision": "dong-y"},
    )
    assert post.status_code == 404
    payment.refresh_from_db()
    assert payment.awaits_cosign


def test_the_export_holds_the_table_and_the_payments_waiting(
    accepted_kcdp, centre, finance, client, libreoffice_pdf
):
    pay(centre, accepted_kcdp, 200 * MILLION)
    client.force_login(finance)
    response = client.get(reverse("projects:disbursement_export"))
    assert response["Content-Disposition"].startswith('attachment; filename="giai-ngan-')
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    table = [[c.value for c in row] for row in wb["Giải ngân"].iter_rows()]
    assert table[0][:4] == ["Năm kế hoạch", "Nguồn kinh phí", "Số đề án", "Được duyệt (đồng)"]
    assert table[1][:8] == [
        2026,
        "KCĐP",
        1,
        300 * MILLION,
        0,
        100 * MILLION,
        100 * MILLION,
        200 * MILLION,
    ]
    assert table[2][0] == "Cộng"
    waiting = [[c.value for c in row] for row in wb["Chờ đồng ký"].iter_rows()]
    assert waiting[1][0] == accepted_kcdp.title
    assert waiting[1][3] == 200 * MILLION
    libreoffice_pdf(response.content, "giai-ngan.xlsx")
