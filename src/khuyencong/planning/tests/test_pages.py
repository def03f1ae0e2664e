"""The pages over HTTP: the registration form, scope (404), flat query counts, the home page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.core.testing import queries_below_and_above_the_count_limit
from khuyencong.planning import inbox, services
from khuyencong.planning.models import PlanItem, RegistrationRound, RegistrationStatus

from .conftest import CHIENG_SON, KHANH_HOA, SON_LA, TODAY, establishment, need

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def open_round(round_):
    """The round, with its commune deadline ahead of the real today."""
    today = timezone.localdate()
    round_.commune_deadline = today + datetime.timedelta(days=30)
    round_.province_deadline = today + datetime.timedelta(days=39)
    round_.save()
    return round_


def form_data(round_, establishment, group, **overrides):
    data = {
        "establishment": establishment.pk,
        "content_group": group.pk,
        "activity": "Hỗ trợ máy sấy chè",
        "description": "",
        "expected_outputs": "",
        "total_cost": "1.500",
        "support_kcqg": "",
        "support_kcdp": "62,5",
        "counterpart": "1.437,5",
        "other": "",
        "start_month": "3/2026",
        "end_month": "11/2026",
    }
    data.update(overrides)
    return data


def test_registration_form_reads_vietnamese_numbers_in_trieu_dong(
    client, officer, open_round, tea, groups
):
    client.force_login(officer)
    url = reverse("planning:registration_create") + f"?dot={open_round.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Tổng kinh phí (triệu đồng)" in page.content.decode()
    response = client.post(url, form_data(open_round, tea, groups["nhom-1"]))
    assert response.status_code == 302
    registration = open_round.registrations.get()
    assert registration.total_cost == 1_500_000_000
    assert registration.support_kcdp == 62_500_000
    assert registration.counterpart == 1_437_500_000
    assert registration.start_month == D(2026, 3, 1)
    # Submit it from its page.
    detail = client.get(response["Location"])
    assert "Gửi phiếu" in detail.content.decode()
    client.post(
        reverse("planning:registration_transition", args=[registration.pk]),
        {"action": "gui", "version": registration.version},
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


def test_registration_form_shows_the_totals_error_with_numbers(
    client, officer, open_round, tea, groups
):
    client.force_login(officer)
    url = reverse("planning:registration_create") + f"?dot={open_round.pk}"
    response = client.post(url, form_data(open_round, tea, groups["nhom-1"], counterpart="1.400"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "1.462,5 triệu đồng" in text
    assert "1.500 triệu đồng" in text
    assert "thiếu 37,5" in text
    bad = client.post(url, form_data(open_round, tea, groups["nhom-1"], total_cost="mười"))
    assert "không phải là số tiền" in bad.content.decode()
    assert not open_round.registrations.exists()


def test_commune_officer_cannot_pick_another_communes_establishment(
    client, officer, open_round, weaver, groups
):
    client.force_login(officer)
    url = reverse("planning:registration_create") + f"?dot={open_round.pk}"
    response = client.post(url, form_data(open_round, weaver, groups["nhom-1"]))
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not open_round.registrations.exists()


def test_khanh_hoa_officer_gets_404_everywhere_in_son_la(
    client, make_user, officer, sct, centre, round_, draft, groups
):
    plan = services.create_plan(actor=centre, year=2026, fund="KCDP")
    services.add_item(
        actor=centre,
        plan=plan,
        expected_version=plan.version,
        data=services.ItemData(
            name="Hội chợ",
            implementing_unit="Trung tâm",
            content_group=groups["nhom-2"],
            amounts=services.rules.Amounts(10_000_000, kcdp=10_000_000),
            start_month=D(2026, 9, 1),
            end_month=D(2026, 9, 1),
        ),
    )
    item = plan.items.get()
    for role in (Role.PROVINCE_SCT, Role.PROVINCE_CENTRE):
        client.force_login(make_user(role, KHANH_HOA))
        for url in (
            reverse("planning:round_detail", args=[round_.pk]),
            reverse("planning:registration_detail", args=[draft.pk]),
            reverse("planning:registration_edit", args=[draft.pk]),
            reverse("planning:plan_detail", args=[plan.pk]),
            reverse("planning:plan_xlsx", args=[plan.pk]),
            reverse("planning:plan_docx", args=[plan.pk]),
            reverse("planning:item_edit", args=[plan.pk, item.pk]),
        ):
            assert client.get(url).status_code == 404, url
        for url, data in (
            (
                reverse("planning:registration_transition", args=[draft.pk]),
                {"action": "gui", "version": 1},
            ),
            (
                reverse("planning:plan_transition", args=[plan.pk]),
                {"action": "trinh", "version": 1},
            ),
            (reverse("planning:plan_consolidate", args=[plan.pk]), {"version": 1}),
            (reverse("planning:extension_create", args=[round_.pk]), {"unit_code": "03985"}),
        ):
            assert client.post(url, data).status_code == 404, url
        lists = [
            client.get(reverse("planning:plan_list")).content.decode(),
            client.get(reverse("planning:registration_list")).content.decode(),
            client.get(reverse("planning:round_list")).content.decode(),
        ]
        assert all("Sơn La" not in text and "Chiềng Sơn" not in text for text in lists)
    client.force_login(make_user(Role.COMMUNE_OFFICER, "22333"))
    create = reverse("planning:registration_create") + f"?dot={round_.pk}"
    assert client.get(create).status_code == 404
    assert client.get(reverse("planning:registration_detail", args=[draft.pk])).status_code == 404


def test_in_scope_but_wrong_role_is_403_with_the_reason(client, make_user, draft):
    client.force_login(make_user(Role.PROVINCE_FINANCE, "14"))
    response = client.get(reverse("planning:registration_edit", args=[draft.pk]))
    assert response.status_code == 403
    assert "không được phép lập và gửi phiếu" in response.content.decode()


def _fill(plan, n, group):
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            order=i,
            name=f"Đề án {i}",
            implementing_unit="Trung tâm",
            content_group=group,
            total_cost=10_000_000,
            support_kcdp=10_000_000,
            start_month=D(2026, 3, 1),
            end_month=D(2026, 9, 1),
        )
        for i in range(1, n + 1)
    )


def test_plan_pages_query_counts_stay_flat(client, centre, groups, seed_programmes):
    plan = services.create_plan(actor=centre, year=2026, fund="KCDP")
    client.force_login(centre)
    counts = {}
    for n in (10, 100):
        PlanItem.objects.filter(plan=plan).delete()
        _fill(plan, n, groups["nhom-2"])
        for name, url in (
            ("detail", reverse("planning:plan_detail", args=[plan.pk])),
            ("list", reverse("planning:plan_list")),
        ):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            counts[(name, n)] = len(queries)
        assert (
            f"Đề án {n}"
            in client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
        )
    assert counts[("detail", 10)] == counts[("detail", 100)], counts
    assert counts[("list", 10)] == counts[("list", 100)], counts


def test_registration_list_query_count_is_flat(client, officer, round_, tea, groups):
    client.force_login(officer)
    counts = []
    for n in (5, 40):
        for _ in range(n - round_.registrations.count()):
            services.create_registration(
                actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("planning:registration_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_home_page_sections(client, officer, centre, open_round, tea, groups):
    client.force_login(officer)
    text = client.get(reverse("home")).content.decode()
    assert "Đăng ký nhu cầu hỗ trợ khuyến công" in text
    assert open_round.title in text
    assert "Thông báo chưa đọc" in text
    registration, _ = services.create_registration(
        actor=officer, round=open_round, establishment=tea, data=need(groups["nhom-1"])
    )
    services.transition_registration(actor=officer, registration=registration, action="gui")
    client.force_login(centre)
    text = client.get(reverse("home")).content.decode()
    assert "Phiếu đăng ký chờ xem xét" in text
    assert f"Phiếu số {registration.pk}" in text


def test_round_and_plan_creation_over_http(client, sct, centre, groups, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 2, tzinfo=datetime.UTC))
    client.force_login(sct)
    page = client.get(reverse("planning:round_create"))
    assert page.status_code == 200
    assert "10/06/2026" in page.content.decode() or "10/6/2026" in page.content.decode()
    response = client.post(
        reverse("planning:round_create"),
        {
            "title": "Đăng ký kế hoạch khuyến công địa phương năm 2027",
            "plan_year": "2027",
            "fund": "KCDP",
            "content_groups": [g.pk for g in groups.values()],
            "commune_deadline": "",
            "province_deadline": "",
        },
    )
    assert response.status_code == 302
    created = RegistrationRound.objects.get(plan_year=2027)
    assert (created.commune_deadline, created.province_deadline) == (D(2026, 6, 10), D(2026, 6, 19))
    client.force_login(centre)
    response = client.post(reverse("planning:plan_create"), {"year": "2027", "fund": "KCQG"})
    assert response.status_code == 302
    assert "Kế hoạch khuyến công KCQG năm 2027" in client.get(response["Location"]).content.decode()


def test_round_chooser_keeps_the_establishment_and_history_pages_open(
    client, officer, sct, open_round, tea, draft
):
    client.force_login(officer)
    chooser = client.get(reverse("planning:registration_create") + f"?co_so={tea.pk}")
    assert f"?dot={open_round.pk}&amp;co_so={tea.pk}" in chooser.content.decode()
    form = client.get(
        reverse("planning:registration_create") + f"?dot={open_round.pk}&co_so={tea.pk}"
    )
    assert f'<option value="{tea.pk}" selected>' in form.content.decode()
    history = reverse("audit:object_history", args=["planning.SupportRegistration", draft.pk])
    assert client.get(history).status_code == 200
    assert (
        history
        in client.get(reverse("planning:registration_detail", args=[draft.pk])).content.decode()
    )
    # The round belongs to the province: its history is the province's to read.
    round_history = reverse(
        "audit:object_history", args=["planning.RegistrationRound", open_round.pk]
    )
    page = client.get(reverse("planning:round_detail", args=[open_round.pk])).content.decode()
    assert round_history not in page
    client.force_login(sct)
    assert client.get(round_history).status_code == 200
    page = client.get(reverse("planning:round_detail", args=[open_round.pk])).content.decode()
    assert round_history in page


def test_an_empty_plan_offers_no_submission_and_says_why(client, centre, groups):
    """Regression (issue 9, defect 11): an empty plan showed "Trình Sở Công Thương"."""
    plan = services.create_plan(actor=centre, year=2026, fund="KCDP")
    client.force_login(centre)
    url = reverse("planning:plan_detail", args=[plan.pk])
    page = client.get(url).content.decode()
    assert 'value="trinh"' not in page
    assert "Chưa thể trình: kế hoạch chưa có đề án nào" in page
    _fill(plan, 1, groups["nhom-2"])
    page = client.get(url).content.decode()
    assert 'value="trinh"' in page
    assert "Chưa thể trình" not in page


def test_an_empty_registration_list_says_no_match_only_when_filtered(client, officer):
    """Regression (issue 9, defect 11): with no filter set it said "no match for the filter"."""
    client.force_login(officer)
    url = reverse("planning:registration_list")
    unfiltered = client.get(url).content.decode()
    assert "Chưa có phiếu đăng ký nào trong phạm vi của bạn." in unfiltered
    assert "khớp với điều kiện lọc" not in unfiltered
    for query in ({"trang_thai": "", "dot": "", "trang": "2"}, {"nam": "2031"}):
        page = client.get(url, query).content.decode()
        assert ("khớp với điều kiện lọc" in page) == ("nam" in query), query


def test_the_lists_issue_the_same_queries_below_and_above_the_count_limit(
    client, officer, round_, tea, groups, settings
):
    """Regression (issue 11, scale 1.0): the registration and round lists issued a query more
    above ``LIST_EXACT_COUNT_LIMIT`` (the planner's estimate)."""
    client.force_login(officer)
    services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    for name in ("planning:registration_list", "planning:round_list"):
        below, above = queries_below_and_above_the_count_limit(client, reverse(name), settings)
        assert below == above, name


def test_the_registration_lists_round_drop_down_offers_the_rounds_the_user_reads(
    client, officer, round_, unit
):
    """The drop-down is read as (key, title) pairs (issue 11): the same options as the rounds
    themselves gave — the user's rounds, newest plan year first, none of another province's —
    and the round filtered on is the one selected."""

    def opened(province, title, year):
        return RegistrationRound.objects.create(
            unit=unit(province),
            title=title,
            plan_year=year,
            fund="KCDP",
            commune_deadline=D(year, 6, 10),
            province_deadline=D(year, 6, 19),
        )

    older = opened(SON_LA, "Đăng ký kế hoạch năm 2025", 2025)
    elsewhere = opened(KHANH_HOA, "Đăng ký của Khánh Hòa", 2026)

    def drop_down(page):
        return page.split('id="dot"', 1)[1].split("</select>", 1)[0]

    client.force_login(officer)
    url = reverse("planning:registration_list")
    page = client.get(url, {"dot": older.pk}).content.decode()
    assert drop_down(page).count("<option") == 3
    assert (
        '<option value="">Mọi đợt</option>\n    '
        f'<option value="{round_.pk}">{round_.title}</option>'
        f'<option value="{older.pk}" selected>{older.title}</option>'
    ) in drop_down(page)
    assert elsewhere.title not in page
    assert " selected>" not in drop_down(client.get(url).content.decode())


def test_the_communes_home_lists_its_registrations_to_send_or_complete_in_flat_queries(
    client, officer, sct, round_, tea, unit, groups
):
    """The commune's home page: each draft ("chưa gửi") and returned ("cần bổ sung")
    registration, newest first, with its establishment, activity and link — at most
    ``inbox.SHOWN``, in the same queries however many there are (issue 11: read as the four
    fields it shows, not as registrations with their round, commune, group and author)."""

    def register(establishment, activity):
        registration, _warnings = services.create_registration(
            actor=officer,
            round=round_,
            establishment=establishment,
            data=need(groups["nhom-1"], activity=activity),
        )
        return registration

    weaver = establishment(unit, CHIENG_SON, "Tổ hợp tác dệt Chiềng Sơn")
    draft = register(tea, "Máy sấy chè")
    sent = register(weaver, "Khung dệt")
    services.transition_registration(actor=officer, registration=sent, action="gui", on=TODAY)
    services.transition_registration(
        actor=sct, registration=sent, action="tra-lai", comment="Thiếu báo giá"
    )
    client.force_login(officer)

    def home():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("home")).content.decode()
        return page, len(queries)

    page, few = home()
    returned_item = f"Phiếu số {sent.pk} ({weaver.name}) cần bổ sung"
    draft_item = f"Phiếu số {draft.pk} ({tea.name}) chưa gửi"
    assert returned_item in page
    assert draft_item in page
    assert page.index(returned_item) < page.index(draft_item)  # newest first
    assert reverse("planning:registration_detail", args=[draft.pk]) in page
    assert "Máy sấy chè" in page
    assert "Khung dệt" in page
    for n in range(inbox.SHOWN):
        register(tea, f"Hoạt động {n}")
    page, many = home()
    assert many == few
    assert page.count(f"({tea.name}) chưa gửi") == inbox.SHOWN
    assert draft_item not in page  # the oldest beyond the first SHOWN
