"""The reporting pages through HTTP: who sees what (in scope, out of scope, every role), the
buttons each role gets, downloads, the dashboard and its drill-down, the exports."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.accounts.models import Role
from khuyencong.reporting import dashboard, summary
from khuyencong.reporting.models import Basis, ReportStatus, SummaryFigure

from .conftest import CHIENG_SON, H1, KHANH_HOA, SON_LA, TO_HIEU, open_for, step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]


@pytest.fixture
def commune_report(officers, unit, make_project):
    make_project()
    return open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))


def get(client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("commune", 200),
        ("sct", 200),
        ("centre", 200),
        ("finance", 200),
        ("national", 200),
        ("other_commune", 404),
        ("kh_sct", 404),
        ("establishment", 403),  # in its commune's scope, but a role without reports
    ],
)
def test_a_commune_report_is_seen_by_its_commune_its_province_and_the_nation(
    client, officers, commune_report, who, status
):
    url = reverse("reporting:detail", args=[commune_report.pk])
    assert get(client, officers[who], url).status_code == status
    download = reverse("reporting:download", args=[commune_report.pk, "xlsx"])
    assert get(client, officers[who], download).status_code == status


def test_a_report_reads_its_indicators_in_english(client, officers, commune_report):
    url = reverse("reporting:detail", args=[commune_report.pk])
    vietnamese = get(client, officers["commune"], url).content.decode()
    assert 'Đề án khuyến công được phê duyệt <span class="small text-muted">(đề án)' in vietnamese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Industrial extension projects approved <span" in english
    assert "(projects)" in english
    assert "Đề án khuyến công được phê duyệt" not in english


@pytest.mark.parametrize("who", ["establishment"])
def test_roles_without_reports_get_a_reason(client, officers, who):
    response = get(client, officers[who], reverse("reporting:list"))
    assert response.status_code == 403
    assert "không được phép xem báo cáo định kỳ" in response.content.decode()


def test_council_members_have_no_reports(client, make_user):
    member = make_user(Role.COUNCIL_MEMBER, SON_LA)
    assert get(client, member, reverse("reporting:list")).status_code == 403
    assert get(client, member, reverse("reporting:dashboard")).status_code == 403


def test_lists_are_scoped(client, officers, commune_report, unit):
    other = open_for(officers["other_commune"], "xa-6-thang", unit("03646"))
    page = get(client, officers["commune"], reverse("reporting:list")).content.decode()
    assert reverse("reporting:detail", args=[commune_report.pk]) in page
    assert reverse("reporting:detail", args=[other.pk]) not in page
    page = get(client, officers["sct"], reverse("reporting:list")).content.decode()
    assert reverse("reporting:detail", args=[other.pk]) in page
    page = get(client, officers["kh_sct"], reverse("reporting:list")).content.decode()
    assert reverse("reporting:detail", args=[other.pk]) not in page


def test_the_commune_enters_figures_and_submits_through_the_page(client, officers, commune_report):
    client.force_login(officers["commune"])
    url = reverse("reporting:detail", args=[commune_report.pk])
    page = client.get(url).content.decode()
    assert 'id="nhap-so-lieu"' in page
    assert 'id="buoc-gui"' in page
    assert 'id="buoc-chap-nhan"' not in page
    hoc_vien = commune_report.indicator_set.indicators.get(code="hoi-nghi-can-bo")
    response = client.post(
        reverse("reporting:entries", args=[commune_report.pk]),
        {
            "version": commune_report.version,
            "narrative": "Sáu tháng đầu năm.",
            f"so_{hoc_vien.pk}": "1.200",
        },
        follow=True,
    )
    assert "Đã lưu số liệu" in response.content.decode()
    commune_report.refresh_from_db()
    response = client.post(
        reverse("reporting:entries", args=[commune_report.pk]),
        {"version": commune_report.version, f"so_{hoc_vien.pk}": "mười"},
        follow=True,
    )
    assert "không phải là số" in response.content.decode()
    commune_report.refresh_from_db()
    response = client.post(
        reverse("reporting:step", args=[commune_report.pk]),
        {"version": commune_report.version - 1, "step": "gui"},
        follow=True,
    )
    assert "vừa được người khác sửa" in response.content.decode()
    client.post(
        reverse("reporting:step", args=[commune_report.pk]),
        {"version": commune_report.version, "step": "gui"},
    )
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.SUBMITTED
    assert commune_report.submission["values"]["hoi-nghi-can-bo||rieng"][0] == "1200.000"


def test_the_province_sees_accept_and_return_only_when_approved(client, officers, commune_report):
    report = step(officers["commune"], commune_report, "gui")
    page = get(
        client, officers["sct"], reverse("reporting:detail", args=[report.pk])
    ).content.decode()
    assert 'id="buoc-chap-nhan"' not in page
    report = step(officers["commune"], report, "phe-duyet")
    page = get(
        client, officers["sct"], reverse("reporting:detail", args=[report.pk])
    ).content.decode()
    assert 'id="buoc-chap-nhan"' in page
    assert 'id="buoc-tra-lai"' in page
    page = get(
        client, officers["national"], reverse("reporting:detail", args=[report.pk])
    ).content.decode()
    assert 'id="buoc-chap-nhan"' not in page
    response = client.post(
        reverse("reporting:step", args=[report.pk]),
        {"version": report.version, "step": "chap-nhan"},
    )
    assert response.status_code == 403  # the national officer: the SCT receives commune reports


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_a_report_downloads_in_decree_30_layout(client, officers, commune_report, fmt, tmp_path):
    response = get(
        client, officers["commune"], reverse("reporting:download", args=[commune_report.pk, fmt])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert "de-an-phe-duyet" in codes
    elif fmt == "pdf":
        from khuyencong.core.testing import pdf_text

        (tmp_path / "bao-cao.pdf").write_bytes(body)
        text = pdf_text(tmp_path / "bao-cao.pdf")
        assert "BÁO CÁO" in text
        assert "Đề án khuyến công được phê duyệt" in text
    else:
        from docx import Document

        text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
        assert "BÁO CÁO" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in _header_text(body)


def _header_text(body: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(body))
    return "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


def test_status_page_shows_late_and_missing_for_the_scope(client, officers, commune_report):
    page = get(
        client, officers["sct"], reverse("reporting:status") + "?ky=2026-H1"
    ).content.decode()
    assert "Chiềng Sơn" in page
    assert "Tô Hiệu" in page
    assert "Chưa có báo cáo" in page
    page = get(
        client, officers["kh_sct"], reverse("reporting:status") + "?ky=2026-H1"
    ).content.decode()
    assert "Chiềng Sơn" not in page
    page = get(
        client, officers["sct"], reverse("reporting:status") + "?ky=2026-H9"
    ).content.decode()
    assert "Kỳ báo cáo không hợp lệ" in page


def test_status_export_is_what_the_page_shows(client, officers, commune_report):
    url = reverse("reporting:status_export") + "?ky=2026-H1"
    sheet = load_workbook(io.BytesIO(get(client, officers["sct"], url).content)).active
    units = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert units["Xã Chiềng Sơn"][3] == "Đang lập"
    assert units["Phường Tô Hiệu"][3] == "Chưa có báo cáo"
    sheet = load_workbook(io.BytesIO(get(client, officers["kh_sct"], url).content)).active
    assert "Xã Chiềng Sơn" not in {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert get(client, officers["establishment"], url).status_code == 403


def test_extension_page_is_for_the_receiving_level(client, officers, commune_report):
    url = reverse("reporting:extension")
    assert get(client, officers["commune"], url).status_code == 403
    client.force_login(officers["sct"])
    data = {
        "schedule": commune_report.schedule.pk,
        "unit_code": CHIENG_SON,
        "period": "2026-H1",
        "lock_until": "31/7/2026",
        "reason": "Cán bộ mới.",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    commune_report.refresh_from_db()
    assert commune_report.lock_on.isoformat() == "2026-07-31"
    client.force_login(officers["kh_sct"])
    response = client.post(url, data)
    assert "Không có đơn vị mã này trong phạm vi" in response.content.decode()


@pytest.fixture
def accepted_province(officers, unit, make_project):
    from khuyencong.programs.services import load_seed_programmes

    load_seed_programmes()
    make_project()
    make_project(province=KHANH_HOA, commune=None, fund="KCDP")
    province = open_for(officers["sct"], "tinh-6-thang", unit(SON_LA))
    province = step(officers["sct"], province, "gui")
    province = step(officers["sct"], province, "phe-duyet", missing_note="Hai xã chưa gửi.")
    province = step(officers["national"], province, "chap-nhan")
    make_project(support=10_000_000)  # after acceptance: live differs from reported
    summary.refresh_period(H1)
    return province


def test_the_national_dashboard_adds_up_the_provinces_and_flags_differences(
    client, officers, accepted_province
):
    page = get(
        client,
        officers["national"],
        reverse("reporting:dashboard") + "?ky=2026-H1&chi_tieu=de-an-phe-duyet",
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Sơn La" in html
    assert "Khánh Hòa" in html
    assert "chênh lệch" in html
    assert "<svg" in html
    assert "1.600" in html  # the 2646 target of machinery establishments


def _unit_table(html: str) -> str:
    found = re.search(r'<table[^>]*id="bang-don-vi">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert found is not None
    return found.group(1)


def test_the_unit_table_shows_each_unit_s_figures_links_and_difference(
    client, officers, accepted_province, unit
):
    """Every cell of the table of lower units, pinned: its rows are written in Python once
    a page (issue 11: a province's table has ~150 communes) and must read as they did."""
    son_la, khanh_hoa, commune = unit(SON_LA), unit(KHANH_HOA), unit(CHIENG_SON)
    reported, records = reverse("reporting:reported"), reverse("reporting:records")
    dashboard_url = reverse("reporting:dashboard")

    def row(name: str, reported_cell: str, live_cell: str, badge: str = "") -> str:
        return (
            f'<tr>\n    <td>{name}</td>\n    <td class="text-end">{reported_cell}</td>\n'
            f'    <td class="text-end">{live_cell}</td>\n    <td>{badge}</td></tr>'
        )

    def query(code: str, pk: int) -> str:
        return f"?ky=2026-H1&amp;chi_tieu={code}&amp;don_vi={pk}"

    code = "de-an-phe-duyet"
    national = get(client, officers["national"], f"{dashboard_url}?ky=2026-H1&chi_tieu={code}")
    assert _unit_table(national.content.decode()) == row(
        f'<a href="{query(code, khanh_hoa.pk)}">Khánh Hòa</a>',
        "—",
        f'<a href="{records}{query(code, khanh_hoa.pk)}">1</a>',
    ) + row(
        f'<a href="{query(code, son_la.pk)}">Sơn La</a>',
        f'<a href="{reported}{query(code, son_la.pk)}">1</a>',
        f'<a href="{records}{query(code, son_la.pk)}">2</a>',
        '<span class="badge text-bg-warning">chênh lệch 1</span>',
    )
    manual = "hoi-cho-nuoc-ngoai"  # entered by hand: no records behind the live figure
    national = get(client, officers["national"], f"{dashboard_url}?ky=2026-H1&chi_tieu={manual}")
    assert _unit_table(national.content.decode()) == row(
        f'<a href="{query(manual, khanh_hoa.pk)}">Khánh Hòa</a>', "—", "—"
    ) + row(f'<a href="{query(manual, son_la.pk)}">Sơn La</a>', "—", "—")
    province = get(client, officers["sct"], f"{dashboard_url}?ky=2026-H1&chi_tieu={code}")
    assert _unit_table(province.content.decode()) == row(
        commune.name, "—", f'<a href="{records}{query(code, commune.pk)}">2</a>'
    )


def test_a_province_sees_its_own_dashboard_and_not_another(
    client, officers, accepted_province, unit
):
    html = get(
        client, officers["sct"], reverse("reporting:dashboard") + "?ky=2026-H1"
    ).content.decode()
    assert "Sơn La" in html
    assert "Khánh Hòa" not in html
    kh = unit(KHANH_HOA)
    response = get(
        client, officers["sct"], reverse("reporting:dashboard") + f"?ky=2026-H1&don_vi={kh.pk}"
    )
    assert response.status_code == 404


def test_drill_down_reaches_the_records_within_scope(client, officers, accepted_province, unit):
    son_la = unit(SON_LA)
    url = reverse("reporting:records") + f"?ky=2026-H1&chi_tieu=de-an-phe-duyet&don_vi={son_la.pk}"
    html = get(client, officers["national"], url).content.decode()
    assert html.count("/de-an/") >= 2
    html = get(client, officers["sct"], url).content.decode()
    assert "/de-an/" in html
    assert get(client, officers["kh_sct"], url).status_code == 404


def test_the_dashboard_export_is_what_the_page_shows(client, officers, accepted_province):
    url = reverse("reporting:dashboard_export") + "?ky=2026-H1&chi_tieu=de-an-phe-duyet"
    response = get(client, officers["sct"], url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    units = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "Sơn La" in units
    assert "Khánh Hòa" not in units


def test_dashboard_queries_do_not_grow_with_the_data(
    client, officers, accepted_province, make_project
):
    client.force_login(officers["national"])
    url = reverse("reporting:dashboard") + "?ky=2026-H1"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        make_project(province=KHANH_HOA, commune=None)
    summary.refresh_period(H1)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_only_the_nation_refreshes_the_summary(client, officers):
    url = reverse("reporting:refresh")
    client.force_login(officers["sct"])
    assert client.post(url, {"ky": "2026-H1"}).status_code == 403
    client.force_login(officers["national"])
    response = client.post(url, {"ky": "2026-H1"})
    assert response.status_code == 302


def test_the_drill_down_exports_every_record_in_scope(
    client, officers, accepted_province, unit, make_project, monkeypatch
):
    monkeypatch.setattr(dashboard, "RECORD_LIMIT", 1)  # the page shows the first record only
    son_la = unit(SON_LA)
    query = f"?ky=2026-H1&chi_tieu=de-an-phe-duyet&don_vi={son_la.pk}"
    page = get(client, officers["sct"], reverse("reporting:records") + query).content.decode()
    assert len(re.findall(r'href="/de-an/\d+/"', page)) == 1
    assert "xuat-ban-ghi" in page
    url = reverse("reporting:records_export") + query

    def rows() -> list[tuple[Any, ...]]:
        response = get(client, officers["sct"], url)
        assert response["Content-Disposition"].startswith("attachment")
        content = b"".join(response.streaming_content)
        sheet = load_workbook(io.BytesIO(content)).active
        return list(sheet.iter_rows(min_row=2, values_only=True))

    found = rows()
    assert len(found) == 2  # both Sơn La projects, not the page's one
    assert {row[3] for row in found} == {"KCQG"}
    assert sorted(row[5] for row in found) == [10_000_000, 300 * 1_000_000]
    with CaptureQueriesContext(connection) as few:
        rows()
    for _ in range(3):
        make_project()
    with CaptureQueriesContext(connection) as more:
        assert len(rows()) == 5
    assert len(more) == len(few)
    assert get(client, officers["kh_sct"], url).status_code == 404


def test_the_board_reads_the_lower_units_figures_of_the_indicator_shown_only(unit):
    """Regression (issue 11, scale 1.0): a province's board read its 144 communes' figures of
    every indicator to show one. The communes listed are still those with any figure."""
    son_la, chieng_son, to_hieu = unit(SON_LA), unit(CHIENG_SON), unit(TO_HIEU)
    shown, other = summary.dashboard_indicators()[:2]
    for commune, code, value in ((chieng_son, shown.code, 3), (to_hieu, other.code, 5)):
        SummaryFigure.objects.create(
            unit=commune,
            level=commune.level,
            province=son_la,
            period=H1.code,
            indicator_code=code,
            key="",
            basis=Basis.LIVE,
            numerator=value,
        )
    every = dashboard.board(son_la, H1)
    one = dashboard.board(son_la, H1, shown=shown)
    assert [u.code for u in one.units] == [u.code for u in every.units]
    assert {u.code for u in one.units} == {CHIENG_SON, TO_HIEU}
    assert dashboard.by_unit(one, shown.code) == dashboard.by_unit(every, shown.code)
    assert one.cell(chieng_son, shown.code).live.value == 3
    assert one.cell(to_hieu, shown.code).live is None  # listed, no figure: "—"
    assert one.cell(to_hieu, other.code).live is None  # not read
    assert every.cell(to_hieu, other.code).live.value == 5
