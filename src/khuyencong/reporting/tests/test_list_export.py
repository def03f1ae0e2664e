"""Export what I see: the report list as .xlsx, with the page's filters and the user's scope
(every role), streamed with a query count that does not grow with the rows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.accounts.models import Role

from .conftest import CHIENG_SON, KHANH_HOA, SON_LA, TO_HIEU, open_for, step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]

URL = reverse("reporting:list_export")


@pytest.fixture
def reports(officers: Any, unit: Any) -> dict[str, Any]:
    chieng_son = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    chieng_son.narrative = "Thuyết minh Chiềng Sơn"
    chieng_son.save()
    step(officers["commune"], chieng_son, "gui")
    return {
        "chieng_son": chieng_son,
        "to_hieu": open_for(officers["other_commune"], "xa-6-thang", unit(TO_HIEU)),
        "son_la": open_for(officers["sct"], "tinh-6-thang", unit(SON_LA)),
        "khanh_hoa": open_for(officers["kh_sct"], "tinh-6-thang", unit(KHANH_HOA)),
    }


def rows(client: Any, user: Any, query: str = "") -> list[tuple[Any, ...]]:
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[1]][:3] == ["Kỳ", "Mã đơn vị", "Đơn vị"]
    return list(sheet.iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize(
    ("who", "units"),
    [
        ("national", {CHIENG_SON, TO_HIEU, SON_LA, KHANH_HOA}),
        ("sct", {CHIENG_SON, TO_HIEU, SON_LA}),
        ("centre", {CHIENG_SON, TO_HIEU, SON_LA}),
        ("finance", {CHIENG_SON, TO_HIEU, SON_LA}),
        ("kh_sct", {KHANH_HOA}),
        ("commune", {CHIENG_SON}),
        ("other_commune", {TO_HIEU}),
    ],
)
def test_each_role_exports_the_reports_it_sees(client, officers, reports, who, units):
    assert {row[1] for row in rows(client, officers[who])} == units


def test_roles_without_reports_export_nothing(client, officers, make_user, reports):
    client.force_login(officers["establishment"])
    assert client.get(URL).status_code == 403
    client.force_login(make_user(Role.COUNCIL_MEMBER, SON_LA))
    assert client.get(URL).status_code == 403


def test_the_export_keeps_the_page_filters_and_shows_the_row(client, officers, reports):
    (submitted,) = rows(client, officers["sct"], "?ky=2026-H1&trang_thai=da-gui")
    assert submitted[:5] == (
        "2026-H1",
        CHIENG_SON,
        reports["chieng_son"].unit.name,
        reports["chieng_son"].schedule.name,
        "Đã gửi, chờ thủ trưởng phê duyệt",
    )
    assert submitted[7] == "Đúng hạn"
    assert submitted[11] == "Thuyết minh Chiềng Sơn"
    assert rows(client, officers["sct"], "?ky=2026-H2") == []
    page = client.get(reverse("reporting:list") + "?ky=2026-H1&trang_thai=da-gui")
    assert f"{URL}?ky=2026-H1&amp;trang_thai=da-gui" in page.content.decode()


def test_the_export_query_count_does_not_grow_with_the_rows(client, officers, reports, unit):
    rows(client, officers["national"])  # the session's first request
    with CaptureQueriesContext(connection) as few:
        rows(client, officers["national"])
    open_for(officers["centre"], "trung-tam-6-thang", unit(SON_LA))
    with CaptureQueriesContext(connection) as more:
        assert len(rows(client, officers["national"])) == 5
    assert len(more) == len(few)
