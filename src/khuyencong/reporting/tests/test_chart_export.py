"""Every chart has "export what I see" (issue 14): the dashboard's bar chart downloads as its
data (.xlsx, the same period, area, indicator and scope) and as the SVG drawn on the page."""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.reporting import display, summary

from .conftest import CHIENG_SON, H1, KHANH_HOA, SON_LA, TO_HIEU, latest_indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]

INDICATOR = "de-an-phe-duyet"


@pytest.fixture
def board(data: None, make_project: Any) -> None:
    """Three projects in Chiềng Sơn (``data``), one in Tô Hiệu, two in Khánh Hòa."""
    make_project(commune=TO_HIEU)
    make_project(province=KHANH_HOA, commune=None)
    make_project(province=KHANH_HOA, commune=None, fund="KCDP")
    summary.refresh_period(H1)


def _page(client: Any, user: Any, query: str) -> str:
    client.force_login(user)
    response = client.get(reverse("reporting:dashboard") + query)
    assert response.status_code == 200
    return response.content.decode()


def _drawn(page: str) -> str:
    return re.search(r'<div[^>]*id="bieu-do">(<svg.*?</svg>)</div>', page, re.S).group(1)


def _bars(svg: str) -> list[tuple[str, str]]:
    """(label, value as written) of each bar drawn."""
    found = re.findall(r"<rect [^>]*><title>(.*?): (.*?)</title></rect>", svg)
    return [(html.unescape(label), html.unescape(value)) for label, value in found]


def _rows(client: Any, query: str) -> list[tuple[Any, ...]]:
    response = client.get(reverse("reporting:chart_export") + query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize(
    ("role", "area", "units"),
    [
        ("national", None, {SON_LA: 4, KHANH_HOA: 2}),
        ("sct", None, {CHIENG_SON: 3, TO_HIEU: 1}),
        ("national", SON_LA, {CHIENG_SON: 3, TO_HIEU: 1}),
    ],
)
def test_the_chart_exports_the_bars_it_draws(client, officers, unit, board, role, area, units):
    query = f"?ky=2026-H1&chi_tieu={INDICATOR}"
    if area:
        query += f"&don_vi={unit(area).pk}"
    page = _page(client, officers[role], query)
    svg = _drawn(page)
    indicator = latest_indicator(INDICATOR)
    rows = _rows(client, query)
    assert [
        (name, display.number_text(Decimal(value), indicator)) for name, *_r, value in rows
    ] == (_bars(svg))
    counted = {code: value for _name, code, *_r, value in rows if value}
    assert counted == units
    assert {row[2] for row in rows} == {INDICATOR}
    # The SVG download is the chart on the page, and the page links both downloads.
    drawn = client.get(reverse("reporting:chart_svg") + query)
    assert drawn["Content-Type"] == "image/svg+xml"
    assert drawn.content.decode() == svg
    for name in ("reporting:chart_export", "reporting:chart_svg"):
        assert f'href="{reverse(name)}{html.escape(query)}"' in page


def test_a_page_without_bars_exports_none_and_another_area_is_out_of_scope(
    client, officers, unit, board
):
    query = f"?ky=2026-H1&chi_tieu={INDICATOR}"
    assert 'id="bieu-do"' not in _page(client, officers["commune"], query)  # no lower units
    assert _rows(client, query) == []
    assert "<rect" not in client.get(reverse("reporting:chart_svg") + query).content.decode()
    client.force_login(officers["kh_sct"])
    outside = f"{query}&don_vi={unit(SON_LA).pk}"
    for name in ("reporting:chart_export", "reporting:chart_svg"):
        assert client.get(reverse(name) + outside).status_code == 404
