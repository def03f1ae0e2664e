"""The project pages over HTTP: list (filters, scope, flat queries), create and edit forms,
the detail page and its step panel, 403 with the reason, the home page and support history."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.core.counting import ListCount
from khuyencong.core.testing import queries_below_and_above_the_count_limit
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.programs.models import ActivityLine
from khuyencong.projects import norms_api
from khuyencong.projects.models import Advance, Payment, Project
from khuyencong.projects.workflow import KCDP, KCQG, State, Step

from .conftest import KHANH_HOA, MILLION, D, make_registration, step

pytestmark = pytest.mark.django_db


def _bulk(unit, n: int, start: int = 0) -> None:
    son_la, commune = unit("14"), unit("03985")
    projects = []
    for i in range(start, start + n):
        project = Project(
            unit=son_la,
            location=commune,
            fund=KCQG if i % 2 else KCDP,
            plan_year=2026,
            content="may-moc-thiet-bi",
            title=f"Đề án máy sao chè số {i}",
            implementing_unit="Trung tâm",
            support_kcqg=100 * MILLION if i % 2 else 0,
            support_kcdp=0 if i % 2 else 100 * MILLION,
            total_cost=100 * MILLION,
            status=list(State)[i % len(State)],
        )
        project.fill_derived_fields()
        projects.append(project)
    Project.objects.bulk_create(projects)


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("projects:project_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_a_flat_number_of_queries(client, sct, unit):
    client.force_login(sct)
    _bulk(unit, 10)
    few = _list_queries(client)
    _bulk(unit, 990, start=10)
    many = _list_queries(client)
    assert few == many, (few, many)
    page = client.get(reverse("projects:project_list")).content.decode()
    assert "1.000 đề án" in page
    assert "Trang 1/20" in page


def test_list_filters_and_accent_insensitive_search(client, sct, make_project):
    make_project(title="Hỗ trợ máy sao chè tự động", fund=KCQG, state=State.APPROVED)
    make_project(title="Hội chợ thổ cẩm", fund=KCDP, content="hoi-cho-trong-nuoc")
    client.force_login(sct)
    url = reverse("projects:project_list")

    def titles(**query):
        page = client.get(url, query).content.decode()
        return [t for t in ("máy sao chè tự động", "Hội chợ thổ cẩm") if t in page]

    assert titles() == ["máy sao chè tự động", "Hội chợ thổ cẩm"]
    assert titles(q="may sao che") == ["máy sao chè tự động"]
    assert titles(nguon="KCDP") == ["Hội chợ thổ cẩm"]
    assert titles(trang_thai="phe-duyet") == ["máy sao chè tự động"]
    assert titles(nam="2025") == []


def test_a_long_search_says_more_than_the_limit_not_a_planner_guess(
    client, sct, make_project, settings
):
    """A title search above the exact-count limit says "hơn N" on every database (the
    planner's estimate of ``LIKE '%…%'`` is off 4–30×, issue 11), with the exact count a click
    away; without a search the list keeps its estimate. The search's limit is the registry's
    (``SEARCH_EXACT_COUNT_LIMIT``, 1,000), not the lists' (5,000): the national search
    'tho cam' counted 1,172 matches at scale 1.0, each match's row read for the count."""
    settings.SEARCH_EXACT_COUNT_LIMIT = 1
    settings.LIST_EXACT_COUNT_LIMIT = 10_000  # the lists' limit does not apply to a search
    for n in range(3):
        make_project(title=f"Hỗ trợ máy sao chè số {n}")
    make_project(title="Hội chợ thổ cẩm")
    client.force_login(sct)
    url = reverse("projects:project_list")
    page = client.get(url, {"q": "may sao che"})
    assert page.context["page"].paginator.total == ListCount(1, exact=False)
    assert "hơn 1 đề án" in page.content.decode()
    exact = client.get(url, {"q": "may sao che", "dem": "du"}).content.decode()
    assert "3 đề án" in exact


def test_other_provinces_see_nothing_and_get_404(client, user_for, make_project):
    project = make_project(state=State.SUBMITTED)
    for officer in (
        user_for(Role.PROVINCE_SCT, KHANH_HOA),
        user_for(Role.PROVINCE_CENTRE, KHANH_HOA),
        user_for(Role.COMMUNE_OFFICER),
    ):
        client.force_login(officer)
        assert project.title not in client.get(reverse("projects:project_list")).content.decode()
        assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404


def test_an_establishment_sees_the_projects_it_benefits_from(client, user_for, make_project, tea):
    mine = make_project(title="Đề án của cơ sở chè")
    mine.beneficiaries.add(tea)
    other = make_project(title="Đề án của cơ sở khác")
    client.force_login(user_for(Role.ESTABLISHMENT, establishment=tea))
    page = client.get(reverse("projects:project_list")).content.decode()
    assert mine.title in page
    assert other.title not in page
    assert client.get(reverse("projects:project_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("projects:project_detail", args=[other.pk])).status_code == 404


# -------------------------------------------------------------------------------- forms
def _form(**overrides):
    data = {
        "title": "Hỗ trợ máy sấy chè",
        "fund": "KCQG",
        "plan_year": "2026",
        "kind": "thuong",
        "content": "may-moc-thiet-bi",
        "implementing_unit": "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La",
        "version": "",
        "dutoan-TOTAL_FORMS": "2",
        "dutoan-INITIAL_FORMS": "0",
        "dutoan-0-item": "Mua máy sấy",
        "dutoan-0-kcqg": "250.000.000",
        "dutoan-0-counterpart": "300.000.000",
        "congviec-TOTAL_FORMS": "1",
        "congviec-INITIAL_FORMS": "0",
        "congviec-0-name": "Lắp đặt máy",
        "congviec-0-start": "1/3/2026",
        "congviec-0-end": "30/6/2026",
        "sanpham-TOTAL_FORMS": "0",
        "sanpham-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_the_centre_creates_a_project_through_the_form(client, centre, tea):
    client.force_login(centre)
    url = reverse("projects:project_create")
    page = client.get(url)
    assert page.status_code == 200
    assert "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La" in page.content.decode()
    response = client.post(url, _form(beneficiaries=[tea.pk]))
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:project_detail", args=[project.pk])
    assert (project.support_kcqg, project.counterpart, project.total_cost) == (
        250 * MILLION,
        300 * MILLION,
        550 * MILLION,
    )
    assert list(project.beneficiaries.all()) == [tea]


def test_the_form_shows_the_norm_error(client, centre):
    client.force_login(centre)
    response = client.post(
        reverse("projects:project_create"),
        _form(**{"dutoan-0-kcqg": "350.000.000", "dutoan-0-counterpart": "350.000.000"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "350.000.000 đ vượt mức tối đa 300.000.000 đ" in page
    assert not Project.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROVINCE_CENTRE])
def test_only_the_centre_opens_the_create_page(client, user_for, role):
    client.force_login(user_for(role))
    assert client.get(reverse("projects:project_create")).status_code == 403


def test_create_from_an_accepted_registration_is_prefilled(client, centre, tea, unit):
    registration = make_registration(
        unit,
        tea,
        status="chap-nhan",
        activity="Máy sao chè tự động cho hộ chè",
        total_cost=500 * MILLION,
        support_kcdp=200 * MILLION,
        counterpart=300 * MILLION,
    )
    client.force_login(centre)
    listing = client.get(reverse("projects:project_create")).content.decode()
    assert f"?phieu={registration.pk}" in listing
    url = reverse("projects:project_create") + f"?phieu={registration.pk}"
    page = client.get(url).content.decode()
    assert 'value="Máy sao chè tự động cho hộ chè"' in page
    assert 'value="200.000.000"' in page
    data = _form(
        title="Máy sao chè tự động cho hộ chè",
        fund="KCDP",
        beneficiaries=[tea.pk],
        **{"dutoan-0-kcqg": "", "dutoan-0-kcdp": "200.000.000"},
    )
    assert client.post(url, data).status_code == 302
    assert Project.objects.get().registration == registration


def test_from_a_registration_the_norm_months_and_programme_line_come_along(
    client, centre, tea, unit, seed_programmes
):
    """Regression (issue 9, defect 1): the registration's norm was lost, its end month 6/2027
    became 01/06/2027, and the output line (programmes known by their slug) was left empty."""
    registration = make_registration(
        unit,
        tea,
        status="chap-nhan",
        norm_content_id="may-moc-thiet-bi",
        activity="Máy sao chè tự động cho hộ chè",
        total_cost=500 * MILLION,
        support_kcdp=200 * MILLION,
        counterpart=300 * MILLION,
        start_month=D(2026, 12, 1),
        end_month=D(2027, 6, 1),
    )
    client.force_login(centre)
    response = client.get(reverse("projects:project_create") + f"?phieu={registration.pk}")
    form = response.context["form"]
    assert form.initial["content"] == "may-moc-thiet-bi"
    tasks, outputs = response.context["tasks"], response.context["outputs"]
    assert tasks.forms[0].initial == {
        "name": "Máy sao chè tự động cho hộ chè",
        "start": D(2026, 12, 1),
        "end": D(2027, 6, 30),
    }
    line = ActivityLine.objects.get(programme__code="son-la-2026-2030", order=4)
    assert outputs.forms[0].initial == {"line": line.pk}
    page = response.content.decode()
    assert 'value="30/06/2027"' in page
    assert '<optgroup label="Chương trình khuyến công tỉnh Sơn La giai đoạn 2026 - 2030">' in page
    assert "son-la-2026-2030 ·" not in page


def test_saving_without_outputs_warns_on_the_project_page_once(client, centre):
    """The warning shows on the project's page, not a second time as a message."""
    client.force_login(centre)
    response = client.post(reverse("projects:project_create"), _form(), follow=True)
    page = response.content.decode()
    assert page.count("sẽ không tính đề án này") == 1


def test_a_stale_edit_keeps_the_form_and_says_so(client, centre, make_project):
    project = make_project()
    client.force_login(centre)
    url = reverse("projects:project_edit", args=[project.pk])
    assert client.get(url).status_code == 200
    Project.objects.filter(pk=project.pk).update(version=2)
    response = client.post(url, _form(version="1"))
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()


# ------------------------------------------------------------------------------ detail page
def test_the_panel_shows_only_the_steps_the_user_may_take(client, user_for, make_project):
    project = make_project(fund=KCDP, state=State.SUBMITTED)
    url = reverse("projects:project_detail", args=[project.pk])
    seen = {}
    for role in (
        Role.PROVINCE_CENTRE,
        Role.PROVINCE_SCT,
        Role.PROVINCE_FINANCE,
        Role.NATIONAL_OFFICER,
    ):
        client.force_login(user_for(role))
        page = client.get(url).content.decode()
        seen[role] = {
            action for action in ("tham-dinh-tinh", "tra-lai", "khong-duyet", "huy", "trinh")
            if f'id="buoc-{action}"' in page
        }  # fmt: skip
    assert seen[Role.PROVINCE_CENTRE] == set()
    assert seen[Role.PROVINCE_SCT] == {"tham-dinh-tinh", "tra-lai", "khong-duyet", "huy"}
    assert seen[Role.PROVINCE_FINANCE] == {"tham-dinh-tinh", "tra-lai", "khong-duyet"}
    assert seen[Role.NATIONAL_OFFICER] == set()


def test_steps_over_http_and_403_with_the_reason(client, sct, finance, national, make_project):
    project = make_project(fund=KCQG, state=State.APPRAISED_NATIONAL)
    url = reverse("projects:project_transition", args=[project.pk])
    client.force_login(finance)
    refused = client.post(url, {"action": Step.APPROVE, "version": project.version})
    assert refused.status_code == 403
    assert "không được phép phê duyệt đề án" in refused.content.decode()
    client.force_login(sct)  # holds "approve", but a national project is the ministry's
    refused = client.post(url, {"action": Step.APPROVE, "version": project.version})
    assert refused.status_code == 403
    assert "do Cục" in refused.content.decode()
    client.force_login(national)
    data = {
        "action": Step.APPROVE,
        "version": project.version,
        "phe-duyet-decision_number": "12/QĐ-BCT",
        "phe-duyet-decision_date": "2/3/2026",
        "phe-duyet-approved_kcqg": "300.000.000",
        "phe-duyet-approved_kcdp": "",
    }
    response = client.post(url, data, follow=True)
    assert "Đề án: Đã phê duyệt." in response.content.decode()
    project.refresh_from_db()
    assert (project.status, project.approved_kcqg) == (State.APPROVED, 300 * MILLION)
    stale = client.post(url, data, follow=True).content.decode()  # the same form again
    assert "vừa được người khác sửa" in stale
    assert "chỉ có thể" not in stale


def test_the_detail_page_shows_findings_changes_money_and_the_timeline(
    client, centre, sct, finance, tea, make_project
):
    earlier = make_project(state=State.APPROVED, year=2025, title="Máy sao chè năm trước")
    earlier.beneficiaries.add(tea)
    project = make_project(fund=KCQG, title="Máy sao chè năm nay")
    project.beneficiaries.add(tea)
    step(centre, project, Step.SUBMIT)
    step(finance, project, Step.RETURN, comment="Thiếu báo giá")
    Project.objects.filter(pk=project.pk).update(title="Máy sao chè năm nay (bổ sung)")
    client.force_login(centre)
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "đã được hỗ trợ nội dung" in page
    assert reverse("projects:project_detail", args=[earlier.pk]) in page
    assert 'id="thay-doi"' in page
    assert "Máy sao chè năm nay (bổ sung)" in page
    assert "Thiếu báo giá" in page
    assert 'id="buoc-trinh-lai"' in page


def test_the_detail_page_costs_the_same_queries_however_long_its_lists(
    client, centre, tea, weaver, make_project
):
    """The detail page reads each related list in one query, the content's name with the
    project (it was looked up twice, by the page and by the rule check) and no snapshot
    before a second submission (nothing to compare), the norm in force once: 20 queries at scale
    1.0 before, issue 11.
    Longer lists, the same queries; the lists in their own order, the content by its name."""
    project = make_project(fund=KCQG, state=State.IMPLEMENTING, beneficiaries=(tea,))
    url = reverse("projects:project_detail", args=[project.pk])
    client.force_login(centre)

    def read() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), [q["sql"] for q in ctx.captured_queries]

    _page, few = read()
    project.beneficiaries.add(weaver)
    for n in range(3, 6):
        project.budget_lines.create(order=n, item=f"Hạng mục số {n}", counterpart=MILLION)
        project.tasks.create(
            order=n, name=f"Công việc số {n}", start=D(2026, n, 1), end=D(2026, n, 28)
        )
        Advance.objects.create(project=project, fund=KCQG, amount=MILLION, paid_on=D(2026, n, 2))
        Payment.objects.create(project=project, fund=KCQG, amount=MILLION, paid_on=D(2026, n, 9))
    page, many = read()
    assert len(many) == len(few)
    assert not [
        q
        for q in many
        if q.startswith(('SELECT "norms_normcontent"', 'SELECT "projects_projectsnapshot"'))
    ]
    # The norm in force serves the advance rate and the rule check: read once (twice before).
    assert len([q for q in many if q.startswith('SELECT "norms_supportnorm"')]) == 1
    assert norms_api.content_label(project.content) in page
    assert weaver.name in page
    items = ["Mua máy sao chè", "Lắp đặt, chạy thử", *(f"Hạng mục số {n}" for n in range(3, 6))]
    assert [page.index(item) for item in items] == sorted(page.index(item) for item in items)
    tasks = [f"Công việc số {n}" for n in range(3, 6)]
    assert [page.index(task) for task in tasks] == sorted(page.index(task) for task in tasks)


def test_money_forms_appear_for_the_centre_while_implementing(client, centre, sct, make_project):
    project = make_project(fund=KCQG, state=State.IMPLEMENTING)
    client.force_login(centre)
    url = reverse("projects:project_detail", args=[project.pk])
    page = client.get(url).content.decode()
    assert 'id="form-tam-ung"' in page
    assert 'id="form-thanh-toan"' in page
    assert "210.000.000" in page  # the advance ceiling, 70% of 300,000,000
    response = client.post(
        reverse("projects:advance_create", args=[project.pk]),
        {
            "tamung-fund": "KCQG",
            "tamung-amount": "250.000.000",
            "tamung-paid_on": "1/4/2026",
            "tamung-version": project.version,
        },
        follow=True,
    )
    assert "Tạm ứng tối đa 70% kinh phí hỗ trợ được duyệt" in response.content.decode()
    client.force_login(sct)
    page = client.get(url).content.decode()
    assert 'id="form-tam-ung"' not in page
    assert 'id="form-kiem-tra"' in page


def test_the_settlement_form_proposes_what_was_spent(client, centre, make_project):
    spent = make_project(fund=KCQG, state=State.ACCEPTED)
    Advance.objects.create(project=spent, fund=KCQG, amount=100 * MILLION, paid_on=D(2026, 4, 1))
    Payment.objects.create(project=spent, fund=KCQG, amount=80 * MILLION, paid_on=D(2026, 11, 1))
    nothing_paid = make_project(fund=KCQG, state=State.ACCEPTED)
    client.force_login(centre)

    def proposed(project: Project) -> str:
        page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
        field = re.search(r'<input[^>]*name="quyet-toan-settled_kcqg"[^>]*>', page)
        assert field is not None
        return re.search(r'value="([^"]*)"', field.group(0)).group(1)

    assert proposed(spent) == "180.000.000"  # advances + payments
    assert proposed(nothing_paid) == "300.000.000"  # the approved amount


# ------------------------------------------------------------------- home and support history
def test_home_lists_projects_waiting_for_the_users_role(client, user_for, make_project):
    submitted = make_project(fund=KCDP, state=State.SUBMITTED, title="Đề án chờ thẩm định")
    approved = make_project(fund=KCQG, state=State.APPRAISED_PROVINCE, title="Đề án chờ Cục")
    expected = {
        Role.PROVINCE_SCT: {submitted.title},
        Role.PROVINCE_FINANCE: {submitted.title},
        Role.NATIONAL_OFFICER: {approved.title},
        Role.PROVINCE_CENTRE: set(),
    }
    for role, titles in expected.items():
        client.force_login(user_for(role))
        page = client.get(reverse("home")).content.decode()
        assert "Đề án chờ bạn xử lý" in page
        assert {t for t in (submitted.title, approved.title) if t in page} == titles, role
    client.force_login(user_for(Role.COMMUNE_OFFICER))
    assert "Đề án chờ bạn xử lý" not in client.get(reverse("home")).content.decode()


def test_the_establishment_page_lists_its_projects(client, sct, tea, make_project):
    project = make_project(state=State.APPROVED, title="Máy sao chè cho hộ chè")
    project.beneficiaries.add(tea)
    client.force_login(sct)
    page = client.get(reverse("registry:establishment_detail", args=[tea.pk])).content.decode()
    assert "Máy sao chè cho hộ chè" in page
    assert "Đề án khuyến công" in page


def test_support_history_dates_a_project_by_its_day_in_viet_nam(client, sct, tea, make_project):
    """Regression (issue 9, defect 8): a project without a decision, created at 1 am on 10/6 in
    Hà Nội (18:00 on 9/6 UTC), was dated 9/6/2026 on the establishment's support history."""
    project = make_project(state=State.SUBMITTED, title="Lò sấy chè")
    project.beneficiaries.add(tea)
    created = datetime.datetime(2026, 6, 9, 18, 0, tzinfo=datetime.UTC)
    Project.objects.filter(pk=project.pk).update(created_at=created, decision_date=None)
    client.force_login(sct)
    page = client.get(reverse("registry:establishment_detail", args=[tea.pk])).content.decode()
    assert "10/6/2026" in page
    assert "9/6/2026" not in page


def test_project_pages_in_english(client, sct, make_project):
    project = make_project(fund=KCDP, state=State.SUBMITTED)
    client.force_login(sct)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    listing = client.get(reverse("projects:project_list")).content.decode()
    assert "Industrial extension projects" in listing
    assert "Submitted, awaiting provincial appraisal" in listing
    detail = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "Sign the provincial appraisal sheet" in detail
    assert "Projects waiting for you" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("amount", "paid_on", "message"),
    [
        ("9" * 4400, "1/4/2026", "dài 4400 ký tự, không phải một số hợp lệ"),
        (str(2**63), "1/4/2026", "phải từ 0 đến 999.999.999.999.999 đồng"),
        ("1.000.000", "2/1/2027", "là ngày trong tương lai"),
        ("1.000.000", "1/1/2027", None),  # today in Việt Nam, though still 31/12 in UTC
        ("1.000.000", "1/4/2206", "phải trong khoảng 1/1/2000 đến 31/12/2100"),
    ],
)
def test_an_advance_out_of_bounds_is_refused_with_the_field_named(
    client, centre, make_project, amount, paid_on, message, time_machine
):
    """Issue 10: a number of more than 4,300 digits or beyond 64 bits gave a 500; a payment
    could be dated in the future. "Today" is in Việt Nam (Asia/Ho_Chi_Minh): at half past
    midnight on New Year's Day 2027 there, 1/1/2027 is today and 2/1/2027 the future."""
    from khuyencong.projects.models import Advance

    time_machine.move_to(datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC))
    project = make_project(fund=KCQG, state=State.IMPLEMENTING)
    client.force_login(centre)
    response = client.post(
        reverse("projects:advance_create", args=[project.pk]),
        {
            "tamung-fund": "KCQG",
            "tamung-amount": amount,
            "tamung-paid_on": paid_on,
            "tamung-version": project.version,
        },
        follow=True,
    )
    assert response.status_code == 200
    if message is None:
        assert Advance.objects.get(project=project).paid_on == datetime.date(2027, 1, 1)
        return
    assert message in response.content.decode()
    assert not Advance.objects.filter(project=project).exists()


def test_an_empty_project_list_says_no_match_only_when_filtered(client, sct):
    client.force_login(sct)
    url = reverse("projects:project_list")
    assert "Chưa có đề án nào trong phạm vi của bạn." in client.get(url).content.decode()
    page = client.get(url, {"q": "không có"}).content.decode()
    assert "Không có đề án nào khớp với điều kiện lọc." in page


def test_the_list_issues_the_same_queries_below_and_above_the_count_limit(
    client, sct, unit, settings
):
    """Regression (issue 11, scale 1.0): 5 queries at scale 0.01, 6 at 1.0 (the planner's
    estimate was asked only above ``LIST_EXACT_COUNT_LIMIT``)."""
    client.force_login(sct)
    _bulk(unit, 3)
    below, above = queries_below_and_above_the_count_limit(
        client, reverse("projects:project_list"), settings
    )
    assert below == above


@pytest.mark.parametrize(
    ("language", "kind", "demo", "fund", "status"),
    [
        ("vi", "Đề án điểm", "dữ liệu mẫu", "KCĐP", "Đã phê duyệt"),
        ("en", "Flagship project", "demo data", "KCĐP", "Approved"),
    ],
)
def test_a_list_row_shows_every_column_in_the_reader_s_language(
    client, sct, make_project, language, kind, demo, fund, status
):
    """Each cell of a row, pinned: the list reads its rows as dicts and labels them once a
    page (issue 11), and must show what the model instances showed."""
    shown = make_project(
        title="Hội chợ thổ cẩm",
        fund=KCDP,
        state=State.APPROVED,
        location="03985",
        support=123_456_789,
    )
    Project.objects.filter(pk=shown.pk).update(kind="diem", is_demo=True)
    make_project(title="Máy sấy nông sản", state=State.DRAFT)
    client.force_login(sct)
    client.cookies["django_language"] = language
    body = client.get(reverse("projects:project_list") + "?q=tho cam").content.decode()
    assert "Máy sấy nông sản" not in body
    body = client.get(reverse("projects:project_list")).content.decode()
    link = reverse("projects:project_detail", args=[shown.pk])
    row = _row_of(body, "Hội chợ thổ cẩm")
    assert row == (
        f'<td class="small text-nowrap"><a href="{link}">ĐA-2026-{shown.pk:05d}</a></td>\n'
        f'    <td><a href="{link}">Hội chợ thổ cẩm</a><div class="small text-muted">{kind}'
        f" · {demo}</div></td>\n"
        "    <td>Sơn La</td><td>Xã Chiềng Sơn</td>\n"
        f"    <td>{fund}</td><td>2026</td>\n"
        '    <td class="table-num">123,456789</td>\n'
        '    <td class="table-num">123,456789</td>\n'
        f'    <td><span class="badge text-bg-info">{status}</span></td>'
    )
    other = _row_of(body, "Máy sấy nông sản")
    ordinary = "Ordinary project" if language == "en" else "Đề án thường"
    assert f'<div class="small text-muted">{ordinary}</div>' in other
    assert "<td>Sơn La</td><td>—</td>" in other
    assert "<td>KCQG</td><td>2026</td>" in other
    assert '<td class="table-num">300</td>\n    <td class="table-num">—</td>' in other
    assert '<span class="badge text-bg-secondary">' in other


def test_a_list_row_escapes_every_text_it_shows(client, sct, make_project):
    """The rows are written in Python (``projects.rows``, issue 11): a title, a province's and
    a place's name are escaped as the template escaped them, quotes included."""
    make_project(title="Máy <b>sấy</b> \"A&B\" 'C'", location="03985")
    AdministrativeUnit.objects.filter(code="14").update(name='Sơn <i>La</i> & "X"')
    AdministrativeUnit.objects.filter(code="03985").update(name="Xã <u>A</u> & 'B'")
    client.force_login(sct)
    body = client.get(reverse("projects:project_list")).content.decode()
    assert "Máy &lt;b&gt;sấy&lt;/b&gt; &quot;A&amp;B&quot; &#x27;C&#x27;</a>" in body
    assert (
        "<td>Sơn &lt;i&gt;La&lt;/i&gt; &amp; &quot;X&quot;</td>"
        "<td>Xã &lt;u&gt;A&lt;/u&gt; &amp; &#x27;B&#x27;</td>"
    ) in body
    for markup in ("<b>sấy</b>", "<i>La</i>", "<u>A</u>"):
        assert markup not in body


def _row_of(body: str, text: str) -> str:
    start = body.index("<tr>", body.rindex("<tr>", 0, body.index(text))) + len("<tr>")
    start = body.index("<td", start)
    return body[start : body.index("</tr>", start)]


def test_the_list_issues_the_same_queries_for_2_and_20_projects(client, sct, unit):
    client.force_login(sct)
    _bulk(unit, 2)
    few = _list_queries(client)
    _bulk(unit, 18, start=2)
    assert _list_queries(client) == few


def test_the_list_counts_its_projects_without_joining_their_units(client, sct, unit):
    """Regression (issue 11, quiet-run-2026-12-05-c.md): the rows carry their unit's and
    place's names, and the count read the rows themselves, joins included."""
    client.force_login(sct)
    _bulk(unit, 2)
    for query in ({}, {"q": "de an"}):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("projects:project_list"), query).status_code == 200
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
        assert counts, query
        assert not [sql for sql in counts if "JOIN" in sql.upper()], query


def test_a_search_pages_through_its_matches_in_the_list_order(client, sct, unit, make_project):
    """A title search reads each page's ids first (``selectors.PagedRows``, issue 11): every
    match of the scope once, in the list's order, over two pages; nothing else."""
    _bulk(unit, 60)
    make_project(title="Hội chợ thổ cẩm")
    elsewhere = make_project(title="Đề án máy sao chè Khánh Hòa", province=KHANH_HOA)
    client.force_login(sct)
    url = reverse("projects:project_list")
    first = client.get(url, {"q": "máy sao chè"}).context["page"]
    second = client.get(url, {"q": "may sao che", "trang": 2}).context["page"]
    assert (len(first), first.has_next(), len(second), second.has_next()) == (50, True, 10, False)
    expected = list(
        Project.objects.filter(unit__code="14", title_folded__contains="may sao che")
        .order_by("-plan_year", "-updated_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 60
    assert [row["pk"] for row in [*first, *second]] == expected
    assert elsewhere.pk not in expected


def test_a_search_walks_the_list_order_for_ids_alone(client, sct, unit):
    """Regression (issue 11, growth): the search's walk selects the id alone, so PostgreSQL
    reads it from the order's index (with the folded title, migration 0013) instead of
    visiting the table for each title it skips — 2,078 projects walked for 50 matches of
    'tho cam' nationwide at scale 1.0 (2,315 buffers, 345 since)."""
    _bulk(unit, 3)
    client.force_login(sct)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("projects:project_list"), {"q": "may sao che"})
    assert len(page.context["page"]) == 3
    walks = [
        q["sql"]
        for q in ctx.captured_queries
        if re.search(
            r'IN \(SELECT U0\."id" AS "pk" FROM "projects_project" U0 WHERE .*LIKE .* LIMIT',
            q["sql"],
        )
    ]
    assert len(walks) == 1, [q["sql"] for q in ctx.captured_queries]
