"""The round and certificate lists: every cell of a row, and queries that do not grow with the
rows. Both lists read their rows as dicts and write labels and dates once a page (issue 11);
these pin what each cell shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.awards import rules
from khuyencong.awards.models import Certificate
from khuyencong.core.testing import queries_below_and_above_the_count_limit

from .conftest import (
    CHIENG_SON,
    SON_LA,
    D,
    build_entry,
    build_establishment,
    build_product,
    build_round,
)

pytestmark = pytest.mark.django_db


def _row_of(body: str, text: str) -> str:
    start = body.rindex("<tr>", 0, body.index(text))
    return body[start : body.index("</tr>", start)]


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_round_row_shows_its_title_code_level_organiser_dates_and_status(client, make_user, unit):
    round_ = build_round(unit, code="son-la-2026")
    build_round(unit, code="son-la-2025", year=2025, status="da-cong-bo")
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    body = client.get(reverse("awards:round_list")).content.decode()
    row = _row_of(body, "son-la-2026<")
    detail = reverse("awards:round_detail", args=[round_.code])
    assert f'<td><a href="{detail}">{round_.title}</a><div class="small text-muted">' in row
    assert "<td>Cấp tỉnh</td>" in row
    assert f"<td>{unit(SON_LA).name}</td>" in row
    assert '<td class="text-nowrap">01/03/2026 – 30/06/2026</td>' in row
    assert f"<td>{round_.get_status_display()}</td>" in row
    older = _row_of(body, "son-la-2025<")
    assert "01/03/2025 – 30/06/2025" in older
    assert "<td>Đã công bố kết quả</td>" in older


def test_the_round_list_issues_the_same_queries_for_2_and_20_rounds(client, make_user, unit):
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    for year in (2024, 2025):
        build_round(unit, code=f"son-la-{year}", year=year)
    few = _queries(client, reverse("awards:round_list"))
    for n in range(18):
        build_round(unit, code=f"son-la-them-{n}", year=2000 + n)
    assert _queries(client, reverse("awards:round_list")) == few


def _certificate(unit: Any, round_: Any, n: int, **fields: Any) -> Certificate:
    establishment = build_establishment(unit, name=f"HTX chè số {n}")
    product = build_product(establishment, name=f"Chè búp số {n}")
    values: dict[str, Any] = {
        "number": f"{n:03d}/GCN-SCT",
        "code": f"MA{n:06d}",
        "issued_on": D(2026, 1, 15),
        "valid_until": D(2028, 12, 31),
        "decision": "1234/QĐ-UBND",
    }
    values.update(fields)
    return Certificate.objects.create(
        entry=build_entry(round_, product),
        product=product,
        establishment=establishment,
        round=round_,
        level=rules.Level.PROVINCE,
        commune=unit(CHIENG_SON),
        **values,
    )


@pytest.mark.usefixtures("in_may_2026")
def test_a_certificate_row_shows_its_number_product_holder_level_dates_and_status(
    client, make_user, unit
):
    round_ = build_round(unit, status="da-cong-bo")
    valid = _certificate(unit, round_, 1)
    _certificate(unit, round_, 2, valid_until=D(2026, 4, 30))
    _certificate(unit, round_, 3, revoked_on=D(2026, 5, 1), revocation_reason="Sai.")
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    body = client.get(reverse("awards:certificate_list")).content.decode()
    row = _row_of(body, "001/GCN-SCT")
    detail = reverse("awards:certificate_detail", args=[valid.pk])
    assert (
        f'<td><a href="{detail}">001/GCN-SCT</a></td><td>Chè búp số 1</td>'
        f'<td>HTX chè số 1<div class="small text-muted">{unit(CHIENG_SON).name}</div></td>'
    ) in row
    assert ("<td>Cấp tỉnh</td><td>15/01/2026</td><td>31/12/2028</td><td>Còn hiệu lực</td>") in row
    assert "<td>30/04/2026</td><td>Hết hiệu lực</td>" in _row_of(body, "002/GCN-SCT")
    assert "<td>Bị thu hồi</td>" in _row_of(body, "003/GCN-SCT")


def test_the_certificate_list_issues_the_same_queries_for_2_and_20_certificates(
    client, make_user, unit
):
    round_ = build_round(unit, status="da-cong-bo")
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    for n in range(2):
        _certificate(unit, round_, n)
    few = _queries(client, reverse("awards:certificate_list"))
    for n in range(2, 20):
        _certificate(unit, round_, n)
    assert _queries(client, reverse("awards:certificate_list")) == few


def test_the_certificate_list_keeps_its_level_filter_on_the_next_page(
    client, make_user, unit, monkeypatch
):
    """Regression: the pages' links dropped ``cap``, so page 2 listed every level."""
    monkeypatch.setattr("khuyencong.awards.views.results.PAGE_SIZE", 1)
    round_ = build_round(unit, status="da-cong-bo")
    for n in range(2):
        _certificate(unit, round_, n)
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    level = rules.Level.PROVINCE.value
    body = client.get(reverse("awards:certificate_list"), {"cap": level}).content.decode()
    assert f'href="?cap={level}&amp;trang=2"' in body
    unfiltered = client.get(reverse("awards:certificate_list")).content.decode()
    assert 'href="?trang=2"' in unfiltered


def test_the_round_and_certificate_lists_count_without_joining_the_names_they_show(
    client, make_user, unit
):
    """Regression (issue 11, quiet-run-2026-12-05-c.md): the rows carry joined names, and the
    count read the rows themselves, joins included (the national certificate list: 35 → 72 ms
    at scale 1.0, 34,424 buffers for 9,876 certificates)."""
    round_ = build_round(unit, status="da-cong-bo")
    _certificate(unit, round_, 1)
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    for url in (reverse("awards:round_list"), reverse("awards:certificate_list")):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
        assert counts, url
        assert not [sql for sql in counts if "JOIN" in sql.upper()], url


def test_the_product_round_and_certificate_lists_count_a_bounded_number_of_rows(
    client, make_user, unit, settings
):
    """Regression (issue 11): the three lists counted every row in scope on every page — the
    national product list all 30,000 products, 3.5 ms at scale 1.0 against 0.04 ms at 0.01.
    They count up to ``LIST_EXACT_COUNT_LIMIT`` rows (a bounded subquery), then show an
    estimate or "hơn N" with the link to the exact figure, in as many queries either side."""
    round_ = build_round(unit, status="da-cong-bo")
    for n in (1, 2):
        _certificate(unit, round_, n)
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    for name in ("awards:product_list", "awards:round_list", "awards:certificate_list"):
        below, above = queries_below_and_above_the_count_limit(client, reverse(name), settings)
        assert below == above, name
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        # The count statements (not the planner's EXPLAIN on PostgreSQL, which reads no row).
        counts = [q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(")]
        assert counts, name
        assert all("LIMIT" in sql.upper() for sql in counts), (name, counts)
    settings.LIST_EXACT_COUNT_LIMIT = 1
    rough = client.get(reverse("awards:product_list")).content.decode()
    assert 'id="dem-chinh-xac"' in rough
    assert "2 sản phẩm" not in rough
    exact = client.get(reverse("awards:product_list"), {"dem": "du"}).content.decode()
    shown = exact[exact.index('id="so-san-pham">') :]
    assert shown[: shown.index("</p>")].split(">", 1)[1].strip() == "2 sản phẩm", shown[:200]
