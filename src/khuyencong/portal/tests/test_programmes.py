"""Chương trình công khai: only approved programmes; the figures are tested against the
programme page's own counting in projects/tests/test_progress.py (its fixtures live there)."""

from __future__ import annotations

import re

import pytest

from khuyencong.programs.models import Programme

pytestmark = pytest.mark.django_db


def public_totals(page: str, fund: str) -> list[str]:
    """The programme total's planned, approved and disbursed money of ``fund`` (millions)."""
    start = page.index(f'data-fund="{fund}"')
    cells = re.findall(r">([^<]*)</td>", page[start:])[:3]
    return [c.strip() for c in cells]


@pytest.fixture
def programmes(unit):
    approved = Programme.objects.create(
        code="sla-2026",
        level="province",
        unit=unit("14"),
        title="Chương trình khuyến công tỉnh Sơn La 2026-2030",
        start_year=2026,
        end_year=2030,
        status="approved",
        decision_number="15/QĐ-UBND",
    )
    draft = Programme.objects.create(
        code="nhap-2026",
        level="province",
        unit=unit("56"),
        title="Dự thảo chương trình Khánh Hòa",
        start_year=2026,
        end_year=2030,
    )
    return approved, draft


def test_only_approved_programmes_are_listed(client, programmes):
    approved, draft = programmes
    response = client.get("/cong-khai/chuong-trinh/")
    body = response.content.decode()
    assert response.status_code == 200
    assert approved.title in body
    assert "15/QĐ-UBND" in body
    assert draft.title not in body
    assert client.get("/cong-khai/chuong-trinh/nhap-2026/").status_code == 404
    assert client.get("/cong-khai/chuong-trinh/sla-2026/").status_code == 200


def test_aggregate_pages_answer_304_to_their_etag(client, programmes):
    first = client.get("/cong-khai/chuong-trinh/sla-2026/")
    assert "public" in first["Cache-Control"]
    again = client.get("/cong-khai/chuong-trinh/sla-2026/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_year_that_is_not_the_programmes_shows_the_whole_period(client, programmes):
    response = client.get("/cong-khai/chuong-trinh/sla-2026/", {"nam": "1900<x>"})
    assert response.status_code == 200
    assert response.context["progress"].year is None
