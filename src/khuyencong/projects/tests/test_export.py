"""Xuất Excel danh sách đề án: the file (header, values, types), the list's filters and scope,
flat queries, text never a formula, LibreOffice opens it, and the refusal above the limit."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from khuyencong.accounts.models import Role
from khuyencong.core.testing import pdf_text
from khuyencong.programs.models import ActivityLine
from khuyencong.projects import exporting, kept_money, selectors
from khuyencong.projects.models import Advance, Payment, Project, ProjectOutput
from khuyencong.projects.workflow import KCDP, KCQG, State

from .conftest import CHIENG_SON, KH_COMMUNE, KHANH_HOA, MILLION, D, disburse

EXPORT = "projects:project_export"
MACHINE = "Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ vào sản xuất CN-TTCN"


def _sheet(content: bytes) -> Any:
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Danh sách đề án"]
    return wb["Danh sách đề án"]


def _rows(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def _export(client: Any, **query: Any) -> Any:
    response = client.get(reverse(EXPORT), query)
    assert response.status_code == 200, response
    return _sheet(response.getvalue())


def _titles(ws: Any) -> list[str]:
    return [row[1] for row in _rows(ws)]


def _row(**overrides: Any) -> exporting.ProjectRow:
    values: dict[str, Any] = {
        "code": "ĐA-2026-00001",
        "title": "Hỗ trợ máy sao chè tự động",
        "kind": "Đề án thường",
        "content": MACHINE,
        "province": "Sơn La",
        "location": "Xã Chiềng Sơn",
        "beneficiaries": ("Hộ kinh doanh chè Chiềng Sơn",),
        "fund": "KCQG",
        "plan_year": 2026,
        "total_cost": 600 * MILLION,
        "support_kcqg": 300 * MILLION,
        "support_kcdp": 0,
        "approved_kcqg": 300 * MILLION,
        "approved_kcdp": 0,
        "disbursed": 150 * MILLION,
        "settled": 0,
        "decision_number": "125/QĐ-SCT",
        "decision_date": D(2026, 3, 2),
        "status": "Đã phê duyệt",
    }
    values.update(overrides)
    return exporting.ProjectRow(**values)


# ----------------------------------------------------------------------- the pure module
def test_the_workbook_layout_header_bold_frozen_filtered() -> None:
    ws = _sheet(exporting.projects_xlsx([_row(), _row(code="ĐA-2026-00002")]))
    assert [c.value for c in ws[1]] == [
        "Mã đề án",
        "Tên đề án",
        "Loại",
        "Nội dung hỗ trợ",
        "Tỉnh",
        "Địa điểm",
        "Cơ sở thụ hưởng",
        "Nguồn",
        "Năm KH",
        "Tổng kinh phí (đồng)",
        "Hỗ trợ đề nghị KCQG (đồng)",
        "Hỗ trợ đề nghị KCĐP (đồng)",
        "Được duyệt KCQG (đồng)",
        "Được duyệt KCĐP (đồng)",
        "Đã giải ngân (tạm ứng + thanh toán, đồng)",
        "Quyết toán (đồng)",
        "Số QĐ phê duyệt",
        "Ngày QĐ",
        "Trạng thái",
    ]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:S3"


def test_money_is_whole_dong_in_integer_cells_and_dates_are_dates() -> None:
    ws = _sheet(exporting.projects_xlsx([_row()]))
    money = [ws.cell(2, column) for column in range(10, 17)]
    assert [c.value for c in money] == [
        600 * MILLION,
        300 * MILLION,
        0,
        300 * MILLION,
        0,
        150 * MILLION,
        0,
    ]
    assert all(type(c.value) is int and c.number_format == "#,##0" for c in money)
    decided = ws.cell(2, 18)
    assert decided.is_date
    assert decided.value.date() == D(2026, 3, 2)
    assert decided.number_format == "dd/mm/yyyy"
    assert ws.cell(2, 9).value == 2026


def test_money_must_be_an_integer_never_a_float() -> None:
    with pytest.raises(TypeError):
        exporting.projects_xlsx([_row(total_cost=600_000_000.0)])


def test_a_title_starting_with_equals_is_text_never_a_formula() -> None:
    title = '=HYPERLINK("http://example.com","bấm vào")'
    ws = _sheet(exporting.projects_xlsx([_row(title=title, beneficiaries=("=1+1", "Cơ sở B"))]))
    assert ws["B2"].data_type == "s"
    assert ws["B2"].value == title
    assert ws["G2"].data_type == "s"
    assert ws["G2"].value == "=1+1; Cơ sở B"


def test_the_filename_carries_the_date() -> None:
    assert exporting.filename(D(2026, 11, 22)) == "de-an-khuyen-cong-20261122.xlsx"


# ----------------------------------------------------------------------- over HTTP
@pytest.mark.django_db
def test_the_export_has_a_row_per_visible_project_with_its_values(
    client, sct, make_project, unit, tea, weaver, time_machine
):
    # Half past midnight in Hà Nội on New Year's Day is still 31/12 in UTC: the file is named
    # after the date in Vietnam.
    time_machine.move_to(datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC))
    approved = make_project(title="Hỗ trợ máy sao chè tự động", state=State.APPROVED)
    approved.location = unit(CHIENG_SON)
    approved.save(update_fields=["location"])
    approved.beneficiaries.add(tea, weaver)
    disburse(Advance, approved, 90 * MILLION, on=D(2026, 4, 1))
    disburse(Payment, approved, 60 * MILLION, on=D(2026, 9, 1))
    draft = make_project(
        title="Hội chợ thổ cẩm Tây Bắc", fund=KCDP, content="hoi-cho-trong-nuoc", year=2027
    )
    client.force_login(sct)

    response = client.get(reverse(EXPORT))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="de-an-khuyen-cong-20270101.xlsx"'
    )
    ws = _sheet(response.getvalue())
    rows = _rows(ws)
    assert len(rows) == 2
    # The list's order: the latest plan year first.
    first, second = rows
    assert first[:9] == [
        draft.code,
        "Hội chợ thổ cẩm Tây Bắc",
        "Đề án thường",
        "Cơ sở CNNT tham gia hội chợ, triển lãm trong nước",  # the content's name, not its code
        "Sơn La",
        None,
        None,
        "KCĐP",
        2027,
    ]
    assert first[17] is None  # no decision yet
    assert first[18] == "Dự thảo"
    assert second == [
        approved.code,
        "Hỗ trợ máy sao chè tự động",
        "Đề án thường",
        MACHINE,
        "Sơn La",
        unit(CHIENG_SON).name,
        "Hộ kinh doanh chè Chiềng Sơn; Hợp tác xã dệt thổ cẩm Tô Hiệu",
        "KCQG",
        2026,
        600 * MILLION,
        300 * MILLION,
        0,
        300 * MILLION,
        0,
        150 * MILLION,
        0,
        "125/QĐ-SCT",
        datetime.datetime(2026, 3, 2),
        "Đã phê duyệt",
    ]
    assert all(type(v) is int for v in second[9:16])
    assert ws.cell(3, 18).is_date
    assert ws.cell(3, 18).number_format == "dd/mm/yyyy"


@pytest.mark.django_db
def test_the_file_stays_vietnamese_in_the_english_interface(sct, make_project):
    make_project(state=State.APPROVED)
    with translation.override("en"):
        rows = list(selectors.export_rows(sct, limit=exporting.MAX_ROWS))
    assert (rows[0].kind, rows[0].status) == ("Đề án thường", "Đã phê duyệt")


@pytest.mark.django_db
def test_filters_apply_exactly_like_the_list(client, sct, make_project, unit, seed_programmes):
    make_project(title="Hỗ trợ máy sao chè tự động", fund=KCQG, state=State.APPROVED)
    make_project(title="Hội chợ thổ cẩm", fund=KCDP, content="hoi-cho-trong-nuoc")
    located = make_project(title="Máy sấy chè Chiềng Sơn", fund=KCDP, year=2025)
    located.location = unit(CHIENG_SON)
    located.save(update_fields=["location"])
    all_titles = {"Hỗ trợ máy sao chè tự động", "Hội chợ thổ cẩm", "Máy sấy chè Chiềng Sơn"}
    line = ActivityLine.objects.filter(programme__code="son-la-2026-2030").order_by("order")[0]
    ProjectOutput.objects.create(project=located, line=line, planned_quantity=1)
    client.force_login(sct)

    def on_the_list(query: dict[str, str]) -> set[str]:
        page = client.get(reverse("projects:project_list"), query).content.decode()
        return {t for t in all_titles if f">{t}</a>" in page}

    cases = [
        ({}, all_titles),
        ({"q": "may sao che"}, {"Hỗ trợ máy sao chè tự động"}),
        ({"q": "  CHE  "}, {"Hỗ trợ máy sao chè tự động", "Máy sấy chè Chiềng Sơn"}),
        ({"nguon": "KCDP"}, {"Hội chợ thổ cẩm", "Máy sấy chè Chiềng Sơn"}),
        ({"trang_thai": "phe-duyet"}, {"Hỗ trợ máy sao chè tự động"}),
        ({"nam": "2025"}, {"Máy sấy chè Chiềng Sơn"}),
        ({"xa": CHIENG_SON}, {"Máy sấy chè Chiềng Sơn"}),
        ({"nguon": "KCDP", "nam": "2026"}, {"Hội chợ thổ cẩm"}),
        ({"trang_thai": "da-duyet-tro-len"}, {"Hỗ trợ máy sao chè tự động"}),
        ({"dong": str(line.pk)}, {"Máy sấy chè Chiềng Sơn"}),
        # Unknown values are ignored, by both.
        ({"trang_thai": "khong-co", "nguon": "XYZ", "nam": "abc"}, all_titles),
        ({"q": "không có đề án nào"}, set()),
    ]
    for query, expected in cases:
        exported = set(_titles(_export(client, **query)))
        assert exported == expected, query
        assert on_the_list(query) == expected, query


@pytest.mark.django_db
def test_the_list_links_the_export_with_the_current_filters(client, sct, make_project):
    make_project()
    client.force_login(sct)
    page = client.get(
        reverse("projects:project_list"), {"q": "chè", "nguon": "KCQG", "trang": "1"}
    ).content.decode()
    assert "Xuất Excel" in page
    assert f'href="{reverse(EXPORT)}?q=ch%C3%A8&amp;nguon=KCQG"' in page


@pytest.mark.django_db
def test_another_province_exports_without_son_la_and_a_commune_officer_gets_none(
    client, user_for, make_project, unit
):
    make_project(title="Đề án của Sơn La", state=State.SUBMITTED)
    make_project(title="Đề án nước mắm Khánh Hòa", province=KHANH_HOA)
    client.force_login(user_for(Role.PROVINCE_SCT, KHANH_HOA))
    assert _titles(_export(client)) == ["Đề án nước mắm Khánh Hòa"]
    client.force_login(user_for(Role.PROVINCE_CENTRE, KHANH_HOA))
    assert _titles(_export(client, q="son la")) == []
    client.force_login(user_for(Role.COMMUNE_OFFICER))
    ws = _export(client)
    assert ws.max_row == 1  # the header only
    assert [c.value for c in ws[1]][:2] == ["Mã đề án", "Tên đề án"]


@pytest.mark.django_db
def test_the_export_needs_a_login(client):
    response = client.get(reverse(EXPORT))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def _bulk(unit: Any, establishments: list[Any], n: int, start: int) -> None:
    son_la, commune = unit("14"), unit(CHIENG_SON)
    projects = []
    for i in range(start, start + n):
        project = Project(
            unit=son_la,
            location=commune,
            fund=KCQG if i % 2 else KCDP,
            plan_year=2026,
            content="may-moc-thiet-bi" if i % 3 else "hoi-cho-trong-nuoc",
            title=f"Đề án máy sao chè số {i}",
            implementing_unit="Trung tâm",
            support_kcqg=100 * MILLION if i % 2 else 0,
            support_kcdp=0 if i % 2 else 100 * MILLION,
            total_cost=100 * MILLION,
            status=State.APPROVED,
            decision_number=f"{i}/QĐ-SCT",
            decision_date=D(2026, 3, 2),
        )
        project.fill_derived_fields()
        projects.append(project)
    created = Project.objects.bulk_create(projects)
    through = Project.beneficiaries.through
    through.objects.bulk_create(
        through(project_id=p.pk, establishment_id=e.pk) for p in created for e in establishments
    )
    Advance.objects.bulk_create(
        Advance(project=p, fund=p.fund, amount=10 * MILLION, paid_on=D(2026, 4, 1)) for p in created
    )
    Payment.objects.bulk_create(
        Payment(project=p, fund=p.fund, amount=5 * MILLION, paid_on=D(2026, 9, 1)) for p in created
    )
    kept_money.recompute(Project.objects.filter(pk__in=[p.pk for p in created]))


@pytest.mark.django_db
def test_the_export_runs_the_same_number_of_queries_for_10_and_200_projects(
    client, sct, unit, tea, weaver
):
    client.force_login(sct)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(EXPORT))
        assert response.status_code == 200
        return len(ctx.captured_queries), len(_rows(_sheet(response.getvalue())))

    _bulk(unit, [tea, weaver], 10, start=0)
    few, rows = queries()
    assert rows == 10
    _bulk(unit, [tea, weaver], 190, start=10)
    many, rows = queries()
    assert rows == 200
    assert few == many, (few, many)
    sample = _rows(_sheet(client.get(reverse(EXPORT)).getvalue()))[0]
    assert sample[6] == "Hộ kinh doanh chè Chiềng Sơn; Hợp tác xã dệt thổ cẩm Tô Hiệu"
    assert sample[14] == 15 * MILLION


@pytest.mark.django_db
def test_rows_read_in_blocks_keep_each_projects_own_beneficiaries_and_money(
    sct, unit, tea, weaver, monkeypatch
):
    """The export reads values a block at a time and each block's beneficiaries in one query:
    across block boundaries every row still carries its own project's figures."""
    monkeypatch.setattr(selectors, "EXPORT_BLOCK", 3)
    _bulk(unit, [tea], 4, start=0)
    _bulk(unit, [weaver], 3, start=4)
    _bulk(unit, [], 1, start=7)
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.export_rows(sct, limit=exporting.MAX_ROWS))
    by_title = {row.title: row for row in rows}
    assert len(rows) == 8
    for i in range(8):
        row = by_title[f"Đề án máy sao chè số {i}"]
        names = () if i == 7 else (tea.name,) if i < 4 else (weaver.name,)
        assert row.beneficiaries == names, i
        assert (row.disbursed, row.total_cost, row.province) == (
            15 * MILLION,
            100 * MILLION,
            "Sơn La",
        )
        assert row.code == Project.objects.get(title=row.title).code
    # the count, the contents' names, then the projects (one cursor) and 3 blocks' beneficiaries
    assert sum("projects_project_beneficiaries" in q["sql"] for q in ctx.captured_queries) == 3


@pytest.mark.django_db
def test_a_title_starting_with_equals_stays_text_in_the_download(client, sct, make_project):
    make_project(title='=HYPERLINK("http://example.com","Bấm")')
    client.force_login(sct)
    ws = _export(client)
    assert ws["B2"].data_type == "s"
    assert ws["B2"].value == '=HYPERLINK("http://example.com","Bấm")'


@pytest.mark.django_db
def test_libreoffice_opens_the_export(client, sct, make_project, libreoffice_pdf):
    make_project(title="Máy sao chè Chiềng Sơn", state=State.APPROVED)
    client.force_login(sct)
    response = client.get(reverse(EXPORT))
    pdf = libreoffice_pdf(response.getvalue(), "de-an-khuyen-cong.xlsx")
    text = pdf_text(pdf)
    assert "Mã đề án" in text
    assert "Máy sao chè Chiềng Sơn" in text


@pytest.mark.django_db
def test_above_the_limit_the_export_is_refused_with_the_limit_stated(
    client, sct, make_project, monkeypatch
):
    monkeypatch.setattr(exporting, "MAX_ROWS", 2)
    for n in range(3):
        make_project(title=f"Đề án số {n}", fund=KCDP if n else KCQG)
    client.force_login(sct)

    response = client.get(reverse(EXPORT), {"nguon": "", "q": "de an"})
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:project_list") + "?nguon=&q=de+an"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "3 đề án" in message
    assert "giới hạn 2 đề án" in message
    assert "lọc bớt" in message

    # Narrowed to the limit, the file comes.
    assert len(_rows(_export(client, nguon="KCDP"))) == 2


@pytest.mark.django_db
def test_the_refusal_shows_on_the_list_page(client, sct, make_project, monkeypatch):
    monkeypatch.setattr(exporting, "MAX_ROWS", 0)
    make_project()
    client.force_login(sct)
    page = client.get(reverse(EXPORT), follow=True).content.decode()
    assert "vượt quá giới hạn 0 đề án" in page
    assert "Hỗ trợ máy sao chè tự động" in page  # back on the list


@pytest.mark.django_db
def test_a_kh_commune_project_is_not_in_son_la_s_export(client, sct, make_project, unit):
    other = make_project(title="Đề án ở Nha Trang", province=KHANH_HOA)
    other.location = unit(KH_COMMUNE)
    other.save(update_fields=["location"])
    client.force_login(sct)
    assert _titles(_export(client)) == []
    assert _titles(_export(client, xa=KH_COMMUNE)) == []


@pytest.mark.django_db
def test_a_long_list_is_exported_by_a_background_job_with_the_same_content(
    client, sct, make_project, settings, tmp_path
):
    from khuyencong.core import exports
    from khuyencong.core.models import ExportJob

    settings.MEDIA_ROOT = tmp_path
    for n in range(3):
        make_project(title=f"Đề án số {n}")
    client.force_login(sct)
    direct = _rows(_export(client))
    settings.EXPORT_BACKGROUND_ROWS = 2
    response = client.get(reverse(EXPORT))
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert exports.run_export_job(job.pk).written_rows == 3
    download = client.get(reverse("export_download", args=[job.pk]))
    assert _rows(_sheet(b"".join(download.streaming_content))) == direct
