"""Every figure explains itself: a breakdown cell lists the records it counts (and they add up to
it), a figure from accepted reports lists the reports it sums and the lines where its parts were
entered (who, when, the note) — each within the user's scope."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.projects import cosign
from khuyencong.projects.models import Advance, Payment, Project
from khuyencong.reporting import summary
from khuyencong.reporting.models import Basis, SummaryFigure

from .conftest import CHIENG_SON, H1, KHANH_HOA, MILLION, SON_LA, TO_HIEU, at, open_for, step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]
#: A hand-entered indicator of the default sets (staff-training conferences).
HAND = "hoi-nghi-can-bo"


@pytest.fixture
def paid(data: None) -> None:
    """Money paid in the half-year on two of the known projects: KCQG 90 million (an advance
    and a payment) on the machines project, KCĐP 30 million on the trademark one. A payment
    awaiting Finance's co-signature and a refused one are not disbursed (``cosign.DISBURSED``,
    as the kept figures on the project): they count nowhere."""
    machines = Project.objects.get(content="may-moc-thiet-bi")
    brand = Project.objects.get(content="nhan-hieu")
    day = datetime.date(2026, 5, 4)
    Advance.objects.create(project=machines, fund="KCQG", amount=60 * MILLION, paid_on=day)
    Payment.objects.create(project=machines, fund="KCQG", amount=30 * MILLION, paid_on=day)
    Advance.objects.create(project=brand, fund="KCDP", amount=30 * MILLION, paid_on=day)
    for status in (cosign.PENDING, cosign.REFUSED):
        Payment.objects.create(
            project=brand, fund="KCDP", amount=7 * MILLION, paid_on=day, cosign_status=status
        )


def _query(indicator: str, unit: Any, key: str = "") -> str:
    query = f"?ky=2026-H1&chi_tieu={indicator}&don_vi={unit.pk}"
    return query + (f"&phan_to={key}" if key else "")


def _exported(client: Any, user: Any, query: str) -> list[tuple[Any, ...]]:
    client.force_login(user)
    response = client.get(reverse("reporting:records_export") + query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))


def _cell(unit: Any, indicator: str, key: str) -> Decimal:
    return SummaryFigure.objects.get(
        period=H1.code, unit=unit, indicator_code=indicator, key=key, basis=Basis.LIVE
    ).numerator


# (indicator, breakdown key, records listed, what they add up to): Chiềng Sơn's known data.
CASES = [
    ("de-an-phe-duyet", "KCQG", 2, 2),
    ("de-an-phe-duyet", "KCDP", 1, 1),
    ("de-an-phe-duyet", "nhom-1", 2, 2),
    ("de-an-phe-duyet", "nhom-2", 1, 1),
    ("kinh-phi-phe-duyet", "KCQG", 2, 450 * MILLION),
    ("kinh-phi-phe-duyet", "DOI_UNG", 3, 600 * MILLION),
    ("kinh-phi-phe-duyet", "nhom-2", 1, 300 * MILLION),
    ("kinh-phi-tam-ung", "KCQG", 1, 60 * MILLION),
    ("kinh-phi-tam-ung", "KCDP", 1, 30 * MILLION),
    ("kinh-phi-tam-ung", "nhom-1", 1, 60 * MILLION),
    ("kinh-phi-thanh-toan", "KCQG", 1, 30 * MILLION),
    ("kinh-phi-thanh-toan", "nhom-1", 1, 30 * MILLION),
    ("co-so-duoc-ho-tro", "nu", 1, 1),
    ("co-so-duoc-ho-tro", "dtts", 1, 1),
    ("co-so-duoc-ho-tro", "nsp-2", 2, 2),
    ("may-moc-day-chuyen", "nsp-1", 1, 1),
    ("san-pham-chung-nhan", "tinh", 1, 1),
    ("san-pham-chung-nhan", "nsp-2", 2, 2),
    ("chung-nhan-hieu-luc", "xa", 1, 1),
]


def test_a_breakdown_cell_lists_the_records_that_add_up_to_it(client, officers, unit, paid):
    summary.refresh_period(H1)
    for where in (CHIENG_SON, SON_LA):
        area = unit(where)
        for indicator, key, count, total in CASES:
            assert _cell(area, indicator, key) == total, (where, indicator, key)
            rows = _exported(client, officers["sct"], _query(indicator, area, key))
            assert len(rows) == count, (where, indicator, key)
            assert sum(row[-1] for row in rows) == total, (where, indicator, key)
    # The page lists the same records, each with what it adds.
    client.force_login(officers["sct"])
    for indicator, key, count, _total in CASES:
        url = reverse("reporting:records") + _query(indicator, unit(CHIENG_SON), key)
        body = re.findall(r"<tbody>(.*?)</tbody>", client.get(url).content.decode(), re.S)[0]
        assert body.count("<tr>") == count, (indicator, key)


def test_the_total_adds_up_too(client, officers, unit, paid):
    summary.refresh_period(H1)
    son_la = unit(SON_LA)
    indicators = ("kinh-phi-phe-duyet", "kinh-phi-tam-ung", "kinh-phi-thanh-toan")
    for indicator in (*indicators, "co-so-duoc-ho-tro"):
        rows = _exported(client, officers["national"], _query(indicator, son_la))
        assert sum(row[-1] for row in rows) == _cell(son_la, indicator, "")


def test_the_dashboard_links_every_breakdown_cell_and_keeps_its_query_count(
    client, officers, unit, paid, make_project
):
    summary.refresh_period(H1)
    client.force_login(officers["sct"])
    url = reverse("reporting:dashboard") + "?ky=2026-H1"
    page = client.get(url).content.decode()
    son_la = unit(SON_LA).pk
    for indicator, key, _count, _total in CASES:
        link = f"chi_tieu={indicator}&amp;don_vi={son_la}&amp;phan_to={key}"
        assert f'href="{reverse("reporting:records")}?ky=2026-H1&amp;{link}"' in page
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_project(fund="KCDP", content="san-xuat-sach-hon")
    make_project(commune=TO_HIEU)
    summary.refresh_period(H1)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("national", SON_LA, 200),
        ("sct", SON_LA, 200),
        ("finance", SON_LA, 200),
        ("commune", CHIENG_SON, 200),
        ("kh_sct", SON_LA, 404),  # another province
        ("other_commune", CHIENG_SON, 404),  # another commune
        ("commune", SON_LA, 404),  # above its own unit
        ("establishment", CHIENG_SON, 403),  # a role without reports
    ],
)
def test_a_breakdown_drill_down_is_scoped(client, officers, unit, data, who, where, status):
    client.force_login(officers[who])
    for name in ("reporting:records", "reporting:records_export", "reporting:reported"):
        url = reverse(name) + _query("de-an-phe-duyet", unit(where), "nhom-1")
        assert client.get(url).status_code == status


def test_a_province_lists_only_its_records_and_a_commune_only_its_own(
    client, officers, unit, data, make_project
):
    make_project(commune=TO_HIEU, content="san-xuat-sach-hon")  # nhóm 1, another commune
    make_project(province=KHANH_HOA, commune=None, content="san-xuat-sach-hon")
    son_la, chieng_son = unit(SON_LA), unit(CHIENG_SON)
    assert len(_exported(client, officers["sct"], _query("de-an-phe-duyet", son_la, "nhom-1"))) == 3
    assert (
        len(_exported(client, officers["national"], _query("de-an-phe-duyet", son_la, "nhom-1")))
        == 3
    )
    # A commune officer sees its own commune's establishments.
    query = _query("co-so-duoc-ho-tro", chieng_son, "nsp-2")
    assert len(_exported(client, officers["commune"], query)) == 2
    assert (
        _exported(
            client,
            officers["other_commune"],
            query.replace(str(chieng_son.pk), str(unit(TO_HIEU).pk)),
        )
        == []
    )


def test_a_commune_s_project_figures_explain_themselves_to_the_commune(
    client, officers, unit, paid, make_project
):
    """Regression (issue 14): the commune's figures count the projects located in it, but the
    commune officer's drill-down listed none (projects belong to the province). The policy lets
    the commune read them: the same rows as the province's officer sees for the commune, adding
    up to the cell; never another commune's, nor one located nowhere."""
    make_project(commune=TO_HIEU, content="san-xuat-sach-hon")
    make_project(commune=None, content="san-xuat-sach-hon")
    summary.refresh_period(H1)
    chieng_son, to_hieu = unit(CHIENG_SON), unit(TO_HIEU)
    project_cases = [c for c in CASES if c[0].startswith(("de-an", "kinh-phi"))]
    assert len(project_cases) == 12
    for indicator, key, count, total in project_cases:
        query = _query(indicator, chieng_son, key)
        rows = _exported(client, officers["commune"], query)
        assert rows == _exported(client, officers["sct"], query), (indicator, key)
        assert len(rows) == count, (indicator, key)
        assert sum(row[-1] for row in rows) == total == _cell(chieng_son, indicator, key)
    client.force_login(officers["commune"])
    url = reverse("reporting:records") + _query("de-an-phe-duyet", chieng_son)
    body = re.findall(r"<tbody>(.*?)</tbody>", client.get(url).content.decode(), re.S)[0]
    assert body.count("<tr>") == 3
    for project in Project.objects.filter(location=chieng_son):
        assert reverse("projects:project_detail", args=[project.pk]) in body
        assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 200
    others = _exported(client, officers["other_commune"], _query("de-an-phe-duyet", to_hieu))
    assert len(others) == 1


@pytest.mark.parametrize(
    ("indicator", "key"),
    [
        ("de-an-phe-duyet", "nu"),  # a breakdown the indicator does not declare
        ("ty-trong-kcqg", "KCQG"),  # an indicator without breakdowns
        ("de-an-phe-duyet", "khong-co"),  # no such key
        (HAND, ""),  # a hand-entered indicator has no records
    ],
)
def test_an_undeclared_breakdown_has_no_drill_down(client, officers, unit, data, indicator, key):
    client.force_login(officers["national"])
    url = reverse("reporting:records") + _query(indicator, unit(SON_LA), key)
    assert client.get(url).status_code == 404


@pytest.fixture
def hand_entered(officers: Any, unit: Any) -> dict[str, Any]:
    """Sơn La: Chiềng Sơn's report (40 conferences, entered by its officer with a note) accepted
    by the province; the province's own report (15) with the commune's roll-up,
    approved and accepted by the nation; Khánh Hòa's report (7) accepted too."""
    from khuyencong.reporting import services
    from khuyencong.reporting.models import Indicator

    def enter(actor: Any, report: Any, trainees: int, note: str) -> Any:
        indicator = Indicator.objects.get(indicator_set=report.indicator_set, code=HAND)
        report.refresh_from_db()
        return services.save_entries(
            actor=actor,
            report=report,
            expected_version=report.version,
            narrative="",
            values={indicator.pk: services.HandValue(Decimal(trainees), note=note)},
            at=at(datetime.date(2026, 6, 8)),
        )

    commune = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    enter(officers["commune"], commune, 40, "Sổ theo dõi lớp học của xã")
    for actor, name in ((officers["commune"], "gui"), (officers["commune"], "phe-duyet")):
        commune = step(actor, commune, name)
    commune = step(officers["sct"], commune, "chap-nhan")
    province = open_for(officers["sct"], "tinh-6-thang", unit(SON_LA))
    enter(officers["sct"], province, 15, "Lớp của Sở")
    province = step(officers["sct"], province, "gui")
    province = step(officers["sct"], province, "phe-duyet", missing_note="Các xã khác chưa gửi.")
    province = step(officers["national"], province, "chap-nhan")
    kh_officer = officers["kh_sct"]
    other = open_for(kh_officer, "tinh-6-thang", unit(KHANH_HOA))
    enter(kh_officer, other, 7, "Khánh Hòa")
    other = step(kh_officer, other, "gui")
    other = step(kh_officer, other, "phe-duyet", missing_note="Chưa có xã.")
    other = step(officers["national"], other, "chap-nhan")
    summary.refresh_period(H1)
    return {"commune": commune, "province": province, "other": other}


def _reported(client: Any, user: Any, query: str) -> Any:
    client.force_login(user)
    return client.get(reverse("reporting:reported") + query)


def test_a_hand_entered_figure_lists_the_reports_and_lines_where_it_was_entered(
    client, officers, unit, hand_entered
):
    nation = unit("VN")
    page = _reported(client, officers["national"], _query(HAND, nation))
    html = page.content.decode()
    assert page.status_code == 200
    # The nation's 62 = Sơn La's 55 (15 own + 40 from Chiềng Sơn) + Khánh Hòa's 7.
    assert re.search(r'id="so-lieu-bao-cao">62<', html)
    for report in hand_entered.values():
        link = reverse("reporting:detail", args=[report.pk])
        assert f'href="{link}#chi-tieu-hoi-nghi-can-bo"' in html
    assert "Sổ theo dõi lớp học của xã" in html  # the commune's line, where the 40 was entered
    assert str(officers["commune"]) in html
    assert "08/06/2026" in html
    assert "Lớp của Sở" in html


def test_the_reported_figure_drill_down_is_scoped(client, officers, unit, hand_entered):
    son_la = unit(SON_LA)
    html = _reported(client, officers["sct"], _query(HAND, son_la)).content.decode()
    assert re.search(r'id="so-lieu-bao-cao">55<', html)
    assert "Khánh Hòa" not in html
    assert reverse("reporting:detail", args=[hand_entered["other"].pk]) not in html
    assert _reported(client, officers["kh_sct"], _query(HAND, son_la)).status_code == 404
    nation = _query(HAND, unit("VN"))
    assert _reported(client, officers["sct"], nation).status_code == 404
    # A commune sees its own report's line and nothing of the province's.
    html = _reported(client, officers["commune"], _query(HAND, unit(CHIENG_SON))).content.decode()
    assert re.search(r'id="so-lieu-bao-cao">40<', html)
    assert "Lớp của Sở" not in html


def test_a_computed_figure_from_reports_lists_the_reports_it_sums(
    client, officers, unit, hand_entered
):
    html = _reported(
        client, officers["national"], _query("de-an-phe-duyet", unit("VN"))
    ).content.decode()
    for report in ("province", "other"):
        assert reverse("reporting:detail", args=[hand_entered[report].pk]) in html
    client.force_login(officers["national"])
    board = client.get(reverse("reporting:dashboard") + "?ky=2026-H1").content.decode()
    assert f"{reverse('reporting:reported')}?ky=2026-H1&amp;chi_tieu=hoi-nghi-can-bo" in board


def test_the_reported_drill_down_exports_what_it_shows(client, officers, unit, hand_entered):
    def rows(user: Any, area: Any) -> list[tuple[Any, ...]]:
        client.force_login(user)
        response = client.get(reverse("reporting:reported_export") + _query(HAND, area))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        return list(sheet.iter_rows(min_row=2, values_only=True))

    national = rows(officers["national"], unit("VN"))
    totals = {row[1]: row[4] for row in national if row[3] == "Số liệu của báo cáo"}
    assert totals == {SON_LA: "55", KHANH_HOA: "7"}
    assert ("Sổ theo dõi lớp học của xã", "40") in {(row[7], row[4]) for row in national}
    assert str(officers["commune"]) in {row[5] for row in national}
    province = rows(officers["sct"], unit(SON_LA))
    assert {row[1] for row in province} == {SON_LA, CHIENG_SON}
    client.force_login(officers["kh_sct"])
    url = reverse("reporting:reported_export") + _query(HAND, unit(SON_LA))
    assert client.get(url).status_code == 404
