"""A national search's page (issue 11): the names holding the phrase, walked in name order,
when they fill it; otherwise the matches ranked. Either way the rows and their order are the
ranking's (``establishments_for``), page after page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.registry import selectors
from khuyencong.registry.models import Establishment
from khuyencong.registry.selectors import EstablishmentFilter, establishments_for

pytestmark = pytest.mark.django_db
LIST = reverse("registry:establishment_list")


def shown(client, query: dict[str, str]) -> list[int]:
    return [row["pk"] for row in client.get(LIST, query).context["page"]]


def ranking(user, search: str) -> list[int]:
    """Every match in the search's order, as the export reads it."""
    found = establishments_for(user, EstablishmentFilter(search=search))
    return list(found.values_list("pk", flat=True))


@pytest.fixture
def national(client, make_user):
    user = make_user(Role.NATIONAL_OFFICER, "VN")
    client.force_login(user)
    return user


@pytest.fixture
def three_ranks(make_establishment):
    """30 names holding "thổ cẩm", 15 holding both words apart, 20 selling it; and two that
    hold one word only (no match). Names that sort first are the weakest matches."""
    for n in range(30):
        make_establishment(name=f"Dệt thổ cẩm {n:02d}")
    for n in range(15):
        make_establishment(name=f"Cẩm Thổ {n:02d}")
    for n in range(20):
        make_establishment(name=f"An Bình {n:02d}", main_products="Khăn thổ cẩm")
    make_establishment(name="Cơ sở thổ sản", main_products="Mật ong")
    make_establishment(name="Cẩm thạch", main_products="Đá")


def test_a_page_spanning_the_three_ranks_is_the_rankings(client, national, three_ranks):
    expected = ranking(national, "tho cam")
    assert len(expected) == 65
    assert shown(client, {"q": "tho cam"}) == expected[:50]  # 30 + 15 + 5
    assert shown(client, {"q": "tho cam", "trang": "2"}) == expected[50:]
    assert "65 cơ sở" in client.get(LIST, {"q": "tho cam"}).content.decode()  # the count


def test_names_holding_the_phrase_fill_the_first_page_and_the_next_continues(
    client, national, make_establishment
):
    for n in range(60):
        make_establishment(name=f"Hợp tác xã thổ cẩm {n:02d}")
    for n in range(5):
        make_establishment(name=f"An {n}", main_products="Thổ cẩm")  # sorts first, ranks last
    expected = ranking(national, "tho cam")
    first = shown(client, {"q": "tho cam"})
    assert first == expected[:50]
    assert shown(client, {"q": "tho cam", "trang": "2"}) == expected[50:]
    names = dict(Establishment.objects.values_list("pk", "name"))
    assert all("thổ cẩm" in names[pk] for pk in first)


def test_a_walk_too_short_for_the_window_ranks_the_matches(
    client, national, make_establishment, monkeypatch
):
    """The walk stops after ``NAME_WALK`` names: past it, the page is the ranking's."""
    for n in range(60):
        make_establishment(name=f"Hợp tác xã thổ cẩm {n:02d}")
    for n in range(5):
        make_establishment(name=f"An {n}", main_products="Thổ cẩm")
    expected = ranking(national, "tho cam")
    monkeypatch.setattr(selectors, "NAME_WALK", 40)
    assert shown(client, {"q": "tho cam"}) == expected[:50]
    assert shown(client, {"q": "tho cam", "trang": "2"}) == expected[50:]


def test_matches_only_elsewhere_and_no_match(client, national, three_ranks):
    """No name holds "an binh" as a phrase… they all do; "khan" is only in the products, and
    one word is its own phrase."""
    assert shown(client, {"q": "khan"}) == ranking(national, "khan")
    assert len(ranking(national, "khan")) == 20
    assert shown(client, {"q": "cam"}) == ranking(national, "cam")[:50]
    assert shown(client, {"q": "khong co co so nao"}) == []


def test_the_window_is_the_walks_or_the_rankings_never_both(national, make_establishment):
    """The walk decides alone: given a ranking that finds nothing, a window the names holding
    the phrase fill is theirs, and any other window is the ranking's (empty)."""
    for n in range(12):
        make_establishment(name=f"Dệt thổ cẩm {n:02d}")
    make_establishment(name="An Bình", main_products="Thổ cẩm")
    scope = Establishment.objects.all()
    nothing = Establishment.objects.filter(pk=-1)
    words = ["tho", "cam"]

    def window(start: int, stop: int) -> list[int]:
        ids = selectors.named_first_window(scope, nothing, words, slice(start, stop))
        found = Establishment.objects.filter(pk__in=ids).order_by("name_sort", "pk")
        return list(found.values_list("pk", flat=True))

    named = list(
        Establishment.objects.filter(name_folded__contains="tho cam")
        .order_by("name_sort", "pk")
        .values_list("pk", flat=True)
    )
    assert window(0, 5) == named[:5]
    assert window(5, 12) == named[5:12]
    assert window(10, 15) == []  # 12 names: the window's end is past them
    assert window(0, 13) == []


def test_a_search_issues_the_same_queries_whether_the_names_fill_the_page_or_not(
    client, national, three_ranks, make_establishment
):
    with CaptureQueriesContext(connection) as ranked:
        client.get(LIST, {"q": "tho cam"})  # 30 names: the ranking
    for n in range(30):
        make_establishment(name=f"Dệt thổ cẩm {n + 30:02d}")
    with CaptureQueriesContext(connection) as walked:
        client.get(LIST, {"q": "tho cam"})  # 60 names: the walk
    assert len(walked.captured_queries) == len(ranked.captured_queries)


@pytest.mark.parametrize(
    ("role", "scope", "query", "walks"),
    [
        (Role.NATIONAL_OFFICER, "VN", {"q": "tho cam"}, True),
        (Role.NATIONAL_OFFICER, "VN", {"q": "tho cam", "loai": "hkd"}, False),
        (Role.PROVINCE_SCT, "14", {"q": "tho cam"}, False),
    ],
)
def test_only_a_national_search_without_filters_walks_the_name_order(
    client, make_user, make_establishment, role, scope, query, walks
):
    """A province's matches are few enough to rank; a filter leaves no index to walk."""
    make_establishment(name="Dệt thổ cẩm")
    client.force_login(make_user(role, scope))
    with CaptureQueriesContext(connection) as ctx:
        assert len(client.get(LIST, query).context["page"]) == 1
    assert any("WITH named" in q["sql"] for q in ctx.captured_queries) is walks
