"""Selection entries and score sheets over the API: entries in the reader's scope (filters,
404 outside); a judge reads their own sheets only (another judge's: 404) until the close, when
the roles that may see scores read them as on the sheet page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.awards.models import Entry
from khuyencong.awards.tests.conftest import (
    build_entry,
    build_establishment,
    build_product,
    build_round,
    build_sheet,
    seat,
)

from .conftest import CHIENG_SON, NHA_TRANG, SON_LA, TO_HIEU

pytestmark = pytest.mark.django_db
ENTRIES = "/api/v1/awards/entries"
SHEETS = "/api/v1/awards/sheets"


@pytest.fixture
def entries(unit):
    round_ = build_round(unit)
    tea = build_entry(round_, build_product(build_establishment(unit)))
    cloth = build_entry(
        round_,
        build_product(build_establishment(unit, TO_HIEU, "HTX dệt"), "Thổ cẩm"),
        status="da-nop",
    )
    khanh_hoa = build_round(unit, code="khanh-hoa-2026", organiser="56")
    nest = build_entry(
        khanh_hoa, build_product(build_establishment(unit, NHA_TRANG, "Cơ sở yến"), "Yến sào")
    )
    return {"round": round_, "tea": tea, "cloth": cloth, "nest": nest}


def _names(response):
    assert response.status_code == 200, response.content
    return sorted(row["product_name"] for row in response.json()["results"])


def test_entries_are_read_in_scope_with_the_lists_filters(issue, bearer, entries):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    tea = "Chè Shan tuyết Chiềng Sơn"
    assert _names(api.get(ENTRIES)) == [tea, "Thổ cẩm"]
    assert _names(api.get(ENTRIES, {"trang_thai": "da-nop"})) == ["Thổ cẩm"]
    assert _names(api.get(ENTRIES, {"xa": CHIENG_SON})) == [tea]
    assert _names(api.get(ENTRIES, {"ky_binh_chon": "khanh-hoa-2026"})) == []
    one = api.get(f"{ENTRIES}/{entries['tea'].pk}")
    assert one.status_code == 200
    assert one["ETag"] == f'"{entries["tea"].version}"'
    assert one.json()["round"] == "son-la-2026"
    assert api.get(f"{ENTRIES}/{entries['nest'].pk}").status_code == 404
    assert api.get(ENTRIES, {"trang_thai": "xong"}).status_code == 400


def test_a_commune_reads_its_own_entries_only(issue, bearer, entries):
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    api = bearer(token)
    assert _names(api.get(ENTRIES)) == ["Chè Shan tuyết Chiềng Sơn"]
    assert api.get(f"{ENTRIES}/{entries['cloth'].pk}").status_code == 404


@pytest.fixture
def judged(entries, make_user):
    """Two judges of the Sơn La round, each with a draft sheet of the tea (scoring open)."""
    judges = [make_user(Role.COUNCIL_MEMBER, SON_LA) for _ in range(2)]
    sheets = [build_sheet(entries["tea"], seat(entries["round"], judge), 80) for judge in judges]
    return judges, sheets


def test_a_judge_reads_their_own_sheets_only(as_user, judged):
    (first, _second), (mine, theirs) = judged
    api = as_user(first)
    listed = api.get(SHEETS).json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert listed[0]["scores"] == mine.scores
    one = api.get(f"{SHEETS}/{mine.pk}")
    assert one.status_code == 200
    assert one["ETag"] == f'"{mine.version}"'
    assert api.get(f"{SHEETS}/{theirs.pk}").status_code == 404


def test_sealed_sheets_are_read_by_nobody_else_and_closed_ones_as_on_the_page(
    issue, bearer, judged, entries
):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    assert api.get(SHEETS).json()["results"] == []  # scoring still open: sealed
    Entry.objects.filter(pk=entries["tea"].pk).update(scoring_closed_at=timezone.now())
    assert len(api.get(SHEETS).json()["results"]) == 2
    _, other = issue(Role.PROVINCE_SCT, "56")
    assert bearer(other).get(f"{SHEETS}/{judged[1][0].pk}").status_code == 404
