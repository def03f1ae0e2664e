"""Tiến độ thực hiện chương trình: the pure sums and layout, the selector against concrete
numbers (what counts, what does not, money counted once), and the programme page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.programs.models import ActivityLine, AllocationCell, ContentGroup, Programme
from khuyencong.projects import progress, selectors
from khuyencong.projects.models import Advance, Payment, Project, ProjectOutput
from khuyencong.projects.progress import Entry, Figures, LineInfo
from khuyencong.projects.workflow import KCDP, KCQG, State

from .conftest import MILLION, disburse

# ------------------------------------------------------------------------------------------ pure


def test_percent_rounds_to_one_place_and_is_none_without_a_plan():
    assert progress.percent(1, 3) == Decimal("33.3")
    assert progress.percent(2, 3) == Decimal("66.7")
    assert progress.percent(Decimal("1.5"), 2) == Decimal("75.0")
    assert progress.percent(5, 0) is None


def test_figures_add_up_field_by_field():
    a = Figures(planned_quantity=Decimal(2), approved_amount=100, disbursed_amount=30)
    b = Figures(planned_quantity=Decimal("0.5"), approved_amount=50, settled_amount=20)
    assert a + b == Figures(
        planned_quantity=Decimal("2.5"), approved_amount=150, disbursed_amount=30, settled_amount=20
    )
    assert Figures().is_empty
    assert not a.is_empty
    assert Figures(accepted_quantity=Decimal(1), planned_quantity=Decimal(4)).quantity_percent == 25
    assert Figures(disbursed_amount=400, planned_amount=1200).disbursed_percent == Decimal("33.3")
    assert Figures(disbursed_amount=400).disbursed_percent is None


def test_combine_sums_per_line_year_and_fund_with_line_and_programme_totals():
    found = progress.combine(
        [
            Entry(1, 2026, KCQG, Figures(planned_quantity=Decimal(4), planned_amount=1200)),
            Entry(1, 2026, KCQG, Figures(approved_quantity=Decimal(2), approved_amount=300)),
            Entry(1, 2026, KCQG, Figures(approved_quantity=Decimal(1), approved_amount=250)),
            Entry(1, 2027, KCDP, Figures(planned_amount=600)),
            Entry(2, 2026, KCQG, Figures(planned_amount=500, disbursed_amount=50)),
        ]
    )
    assert found.figures(1, year=2026, fund=KCQG) == Figures(
        planned_quantity=Decimal(4),
        approved_quantity=Decimal(3),
        planned_amount=1200,
        approved_amount=550,
    )
    assert found.figures(1).planned_amount == 1800  # every year and fund of the line
    assert found.figures(1, fund=KCDP).planned_amount == 600
    assert found.figures(3) == Figures()  # a line with nothing
    assert found.total(year=2026).planned_amount == 1700
    assert found.total(fund=KCQG).disbursed_amount == 50
    assert found.total().approved_amount == 550
    assert found.years() == [2026, 2027]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2027", 2027), (" 2026 ", 2026), ("2031", None), ("", None), (None, None), ("abc", None)],
)
def test_chosen_year_is_one_of_the_programme_years_or_the_whole_period(text, expected):
    assert progress.chosen_year(text, range(2026, 2031)) == expected


def _info(line_id: int, order: int, group: int) -> LineInfo:
    return LineInfo(line_id, order, f"Dòng {order}", "đề án", group, f"Nhóm {group}")


def test_the_table_has_a_row_per_line_with_its_funds_and_the_programme_totals():
    found = progress.combine(
        [
            Entry(1, 2026, KCQG, Figures(planned_quantity=Decimal(2), planned_amount=100)),
            Entry(1, 2026, KCDP, Figures(planned_quantity=Decimal(1), planned_amount=40)),
            Entry(1, 2026, KCDP, Figures(accepted_quantity=Decimal(3), disbursed_amount=14)),
            Entry(2, 2027, KCQG, Figures(planned_amount=70)),
        ]
    )
    lines = [_info(3, 3, 2), _info(2, 2, 1), _info(1, 1, 1)]
    table = progress.progress_table(found, lines, year=2026)
    assert table.funds == (KCQG, KCDP)
    assert table.column_count == 16
    assert [row.line.order for row in table.rows] == [1, 2, 3]  # by group, then order
    first = table.rows[0]
    assert [(f.label, f.figures.planned_amount) for f in first.funds] == [
        ("KCQG", 100),
        ("KCĐP", 40),
    ]
    assert first.total.planned_quantity == 3
    assert first.total.quantity_percent == 100
    assert first.total.disbursed_percent == 10
    assert table.rows[1].total == Figures()  # line 2 has figures only in 2027
    assert table.totals.line is None
    assert [f.figures.planned_amount for f in table.totals.funds] == [100, 40]
    whole = progress.progress_table(found, lines)
    assert whole.year is None
    assert whole.totals.total.planned_amount == 210


def test_the_table_shows_only_the_project_funds_the_programme_uses():
    national = progress.combine([Entry(1, 2026, KCQG, Figures(planned_amount=100))])
    assert progress.progress_table(national, [_info(1, 1, 1)]).funds == (KCQG,)
    assert progress.progress_table(national, [_info(1, 1, 1)]).column_count == 12
    assert progress.funds_in_use(progress.combine([])) == (KCQG, KCDP)
    commune = progress.combine([Entry(1, 2026, "NSXA", Figures(planned_amount=100))])
    assert progress.funds_in_use(commune) == (KCQG, KCDP)


# -------------------------------------------------------------------------------------- database
@pytest.fixture
def programme(unit):
    """A small Sơn La programme: line 1 (2026 KCQG: 4 models, 1,200 million; 2027 KCĐP: 2,
    600 million) and line 2 (2026 KCQG: 10 classes, 500 million)."""
    prog = Programme.objects.create(
        code="thu-tien-do",
        level="province",
        unit=unit("14"),
        title="Chương trình khuyến công thử",
        start_year=2026,
        end_year=2030,
    )
    group = ContentGroup.objects.get(number=1)
    first = ActivityLine.objects.create(
        programme=prog, group=group, name="Mô hình trình diễn", unit_of_measure="mô hình", order=1
    )
    second = ActivityLine.objects.create(
        programme=prog, group=group, name="Đào tạo nghề", unit_of_measure="lớp", order=2
    )
    AllocationCell.objects.bulk_create(
        [
            AllocationCell(line=first, year=2026, fund=KCQG, quantity=4, amount=1200 * MILLION),
            AllocationCell(line=first, year=2027, fund=KCDP, quantity=2, amount=600 * MILLION),
            AllocationCell(line=second, year=2026, fund=KCQG, quantity=10, amount=500 * MILLION),
        ]
    )
    return prog


@pytest.fixture
def other_line(unit):
    """Line 1 of another (national) programme."""
    prog = Programme.objects.create(
        code="thu-quoc-gia",
        level="national",
        unit=unit("VN"),
        title="Chương trình quốc gia thử",
        start_year=2026,
        end_year=2030,
    )
    group = ContentGroup.objects.get(number=1)
    return ActivityLine.objects.create(programme=prog, group=group, name="Máy móc", order=1)


def _output(project: Project, line: ActivityLine, planned: int, actual: int | None = None) -> None:
    ProjectOutput.objects.create(
        project=project,
        line=line,
        planned_quantity=Decimal(planned),
        actual_quantity=None if actual is None else Decimal(actual),
    )


def _disburse(model: type[Advance] | type[Payment], project: Project, millions: int) -> None:
    disburse(model, project, millions * MILLION)


@pytest.fixture
def projects(make_project, programme, other_line):
    line1, line2 = programme.lines.order_by("order")
    approved = make_project(state=State.APPROVED, support=300 * MILLION, title="Đã duyệt")
    _output(approved, line1, 2)
    _disburse(Advance, approved, 90)
    settled = make_project(state=State.SETTLED, support=250 * MILLION, title="Đã quyết toán")
    _output(settled, line1, 1, actual=1)
    _disburse(Advance, settled, 100)
    _disburse(Payment, settled, 150)
    # On two lines of the programme: its output on line 2 is made first (lower primary key),
    # but its money goes to line 1, the line with the lowest order.
    two_lines = make_project(state=State.IMPLEMENTING, support=200 * MILLION, title="Hai dòng")
    _output(two_lines, line2, 3)
    _output(two_lines, line1, 1)
    _disburse(Advance, two_lines, 60)
    # On line 2 of this programme and on a line of another one: its money counts in both
    # programmes, on line 2 here.
    shared = make_project(state=State.CONTRACTED, support=120 * MILLION, title="Hai chương trình")
    _output(shared, other_line, 1)
    _output(shared, line2, 2)
    # Not counted: a draft, a rejected and a cancelled project (even with amounts on them).
    for state in (State.DRAFT, State.REJECTED, State.CANCELLED):
        ignored = make_project(state=state, support=400 * MILLION, title=f"Không tính {state}")
        Project.objects.filter(pk=ignored.pk).update(approved_kcqg=400 * MILLION)
        _output(ignored, line1, 7, actual=7)
        _disburse(Advance, ignored, 50)
    local = make_project(
        state=State.APPROVED, fund=KCDP, year=2027, support=100 * MILLION, title="Địa phương"
    )
    _output(local, line1, 1)
    return line1, line2


@pytest.mark.django_db
def test_programme_progress_counts_supported_projects_and_their_money_once(
    projects, programme, sct
):
    line1, line2 = projects
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.programme_progress(sct, [line1.pk, line2.pk])
    assert len(ctx.captured_queries) == 4  # the user's role, then three sums
    assert found.figures(line1.pk, year=2026, fund=KCQG) == Figures(
        planned_quantity=Decimal(4),
        approved_quantity=Decimal(4),  # 2 + 1 + 1
        accepted_quantity=Decimal(1),
        planned_amount=1200 * MILLION,
        approved_amount=750 * MILLION,  # 300 + 250 + 200
        disbursed_amount=400 * MILLION,  # advances 90 + 100 + 60, payment 150
        settled_amount=250 * MILLION,
    )
    assert found.figures(line2.pk, year=2026, fund=KCQG) == Figures(
        planned_quantity=Decimal(10),
        approved_quantity=Decimal(5),  # 3 + 2
        planned_amount=500 * MILLION,
        approved_amount=120 * MILLION,  # the project shared with the other programme
    )
    assert found.figures(line1.pk, year=2027, fund=KCDP) == Figures(
        planned_quantity=Decimal(2),
        approved_quantity=Decimal(1),
        planned_amount=600 * MILLION,
        approved_amount=100 * MILLION,
    )
    assert found.figures(line1.pk, year=2026, fund=KCDP) == Figures()
    total = found.total(year=2026, fund=KCQG)
    assert (total.approved_amount, total.disbursed_amount, total.settled_amount) == (
        870 * MILLION,
        400 * MILLION,
        250 * MILLION,
    )
    assert found.total().approved_amount == 970 * MILLION
    assert found.figures(line1.pk, year=2026, fund=KCQG).quantity_percent == Decimal("25.0")
    assert found.figures(line1.pk, year=2026, fund=KCQG).disbursed_percent == Decimal("33.3")


@pytest.mark.django_db
def test_a_project_on_two_programmes_counts_its_money_in_each(projects, other_line, sct):
    found = selectors.programme_progress(sct, [other_line.pk])
    assert found.figures(other_line.pk) == Figures(
        approved_quantity=Decimal(1), approved_amount=120 * MILLION
    )


#: Roles (held where ``user_for`` puts them) that see Sơn La's projects in the progress.
SEES_SON_LA = {
    Role.PROVINCE_CENTRE: True,
    Role.PROVINCE_SCT: True,
    Role.PROVINCE_FINANCE: True,
    Role.COUNCIL_MEMBER: True,
    Role.NATIONAL_OFFICER: True,  # the nation
    Role.SYSTEM_ADMIN: True,  # the nation
    Role.COMMUNE_OFFICER: False,  # a commune sees no provincial project
    Role.ESTABLISHMENT: False,  # not among the beneficiaries
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_progress_counts_only_the_projects_the_role_may_see(projects, user_for, role):
    line1, _line2 = projects
    total = selectors.programme_progress(user_for(role), [line1.pk]).total()
    assert total.approved_amount == (850 * MILLION if SEES_SON_LA[role] else 0)


@pytest.mark.django_db
def test_another_province_sees_none_of_the_projects(projects, user_for):
    line1, _line2 = projects
    khanh_hoa = user_for(Role.PROVINCE_SCT, code="56")
    assert selectors.programme_progress(khanh_hoa, [line1.pk]).total() == Figures(
        planned_quantity=Decimal(6), planned_amount=1800 * MILLION
    )


# ------------------------------------------------------------------------------------------ page
def _page(client, programme, **query) -> str:
    url = reverse("programs:programme_detail", args=[programme.code])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str) -> str:
    start = page.index('id="tien-do-chuong-trinh"')
    return page[start : page.index("</section>", start)]


def _row(section: str, marker: str) -> list[str]:
    """The texts of the cells of the table row marked ``marker``."""
    start = section.index(marker)
    row = section[start : section.index("</tr>", start)]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


@pytest.mark.django_db
def test_the_programme_page_shows_the_progress_the_vietnamese_way(client, sct, projects, programme):
    client.force_login(sct)
    section = _section(_page(client, programme))
    assert "Tiến độ thực hiện chương trình" in section
    assert "cả giai đoạn" in section
    # Line 1 over the period: quantities 6 planned (4 KCQG + 2 KCĐP), 5 in approved projects,
    # 1 accepted (16,7%); KCQG money 1.200 planned, 750 approved, 400 disbursed, 250 settled;
    # KCĐP 600 planned, 100 approved (triệu đồng); 400 of 1.800 disbursed (22,2%).
    row = _row(section, 'data-line="1"')
    expected = [
        "1", "Mô hình trình diễn", "mô hình", "6", "5", "1", "16,7%",
        "1.200", "750", "400", "250", "600", "100", "0", "0", "22,2%",
    ]  # fmt: skip
    assert row == expected
    assert "Giải ngân = tạm ứng + thanh toán" in section
    assert "số thứ tự nhỏ nhất" in section  # the attribution rule is stated
    total = _row(section, 'id="tien-do-tong-cong"')
    assert total == [
        "", "Tổng cộng chương trình",
        "1.700", "870", "400", "250", "600", "100", "0", "0", "17,4%",
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_figure_in_approved_projects_links_to_exactly_those_projects(
    client, sct, projects, programme
):
    client.force_login(sct)
    section = _section(_page(client, programme))
    line1, _line2 = projects
    row = section[section.index('data-line="1"') :]
    link = re.search(r'<a href="([^"]+)" title="Xem các đề án">5</a>', row)
    assert link is not None
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert f"{line1.order}. {line1.name}" in listed  # the filter is named
    titles = re.findall(r'<td><a href="/de-an/\d+/">([^<]+)</a>', listed)
    assert sorted(titles) == ["Hai dòng", "Đã duyệt", "Đã quyết toán", "Địa phương"]
    # One year: the 2027 local project only.
    section = _section(_page(client, programme, nam="2027"))
    row = section[section.index('data-line="1"') :]
    link = re.search(r'<a href="([^"]+)" title="Xem các đề án">1</a>', row)
    assert link is not None
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert re.findall(r'<td><a href="/de-an/\d+/">([^<]+)</a>', listed) == ["Địa phương"]


@pytest.mark.django_db
def test_the_year_selector_narrows_the_figures(client, sct, projects, programme):
    client.force_login(sct)
    section = _section(_page(client, programme, nam="2027"))
    assert '<option value="2027" selected>' in section
    assert _row(section, 'data-line="1"')[3:] == [
        "2", "1", "0", "0%", "0", "0", "0", "0", "600", "100", "0", "0", "0%",
    ]  # fmt: skip
    # A year outside the programme shows the whole period.
    assert "cả giai đoạn" in _section(_page(client, programme, nam="2040"))


@pytest.mark.django_db
def test_the_programme_page_query_count_does_not_grow_with_projects(
    client, sct, programme, make_project
):
    client.force_login(sct)
    line1, line2 = programme.lines.order_by("order")

    def add(n: int) -> None:
        for i in range(n):
            project = make_project(
                state=State.IMPLEMENTING, support=10 * MILLION, title=f"Đề án {i}"
            )
            _output(project, line1 if i % 2 else line2, 1, actual=1)
            _output(project, line2 if i % 2 else line1, 1)
            _disburse(Advance, project, 1)
            _disburse(Payment, project, 2)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _page(client, programme)
        return len(ctx.captured_queries)

    add(1)
    one = queries()
    add(29)
    many = queries()
    assert one == many, (one, many)
    section = _section(_page(client, programme))
    total = _row(section, 'id="tien-do-tong-cong"')
    assert total[3] == "300"  # 30 projects × 10 triệu đồng approved (KCQG), each once


@pytest.mark.django_db
def test_the_public_portal_counts_the_progress_with_the_same_code_for_every_project(
    client, projects, programme, national
):
    """The portal's programme page (no login) shows what the national officer's progress
    counts — every approved project — by the same selector; a draft programme is not public."""
    from khuyencong.portal.tests.test_programmes import public_totals

    line1, _line2 = projects
    assert client.get(f"/cong-khai/chuong-trinh/{programme.code}/").status_code == 404
    Programme.objects.filter(pk=programme.pk).update(status="approved")
    officer = selectors.programme_progress(national, [line1.pk, _line2.pk])
    page = client.get(f"/cong-khai/chuong-trinh/{programme.code}/")
    assert page.status_code == 200
    total = officer.total(fund=KCQG)
    assert public_totals(page.content.decode(), KCQG) == ["1.700", "870", "400"]
    assert (total.planned_amount, total.approved_amount, total.disbursed_amount) == (
        1700 * MILLION,
        870 * MILLION,
        400 * MILLION,
    )
    for secret in ("Đã duyệt", "Hai dòng", "Địa phương"):  # project titles never shown
        assert secret not in page.content.decode()
