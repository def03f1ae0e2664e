"""The menu as data: groups, one-entry groups shown as links, the entry of the current page."""

from __future__ import annotations

import pytest

from khuyencong.accounts.models import Role
from khuyencong.core import navigation
from khuyencong.core.navigation import MENU, NavItem, menu_for

#: Entries on the bar itself: what fits one line from 1280 px with the role switcher and the
#: logout button (the browser test measures it; this keeps a new entry from adding a place).
MOST_PLACES = 6


@pytest.fixture(autouse=True)
def _menu_urls_reversed_afresh():
    """menu_for keeps each role's URLs for the process: a test that swaps MENU starts clean."""
    navigation._visible.cache_clear()
    yield
    navigation._visible.cache_clear()


def test_every_entry_resolves_and_every_role_has_a_home():
    for item in MENU:
        assert item.url.startswith("/")
    for role in Role:
        assert menu_for(role)[0].items[0].url_name == "home"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_few_places_on_the_bar(role):
    assert len(menu_for(role)) <= MOST_PLACES


def test_groups_are_dropdowns_in_the_place_of_their_first_entry():
    entries = menu_for(Role.NATIONAL_OFFICER)
    labels = [str(e.label) for e in entries]
    assert labels == ["Trang chủ", "Kế hoạch", "Đề án", "Cơ sở, sản phẩm", "Hệ thống", "Thông báo"]
    planning = entries[1]
    assert planning.is_dropdown
    assert [str(i.label) for i in planning.items] == [
        "Chương trình khuyến công",
        "Đợt đăng ký",
        "Kế hoạch năm",
        "Định mức hỗ trợ",
        "Báo cáo định kỳ",
        "Tổng hợp báo cáo",
    ]


def test_a_group_with_one_entry_for_the_role_is_a_plain_link():
    # A council member sees one entry of the system group (no activity log).
    entries = {str(e.label): e for e in menu_for(Role.COUNCIL_MEMBER)}
    assert "Đơn vị hành chính" in entries
    assert not entries["Đơn vị hành chính"].is_dropdown


def test_the_disbursement_page_is_in_the_projects_group_of_the_roles_that_read_it():
    finance = {str(e.label): e for e in menu_for(Role.PROVINCE_FINANCE, "/de-an/giai-ngan/")}
    projects = finance["Đề án"]
    assert projects.is_dropdown
    assert [str(i.label) for i in projects.items] == ["Đề án", "Giải ngân kinh phí"]
    assert projects.active_url == "/de-an/giai-ngan/"  # not /de-an/ (the list)
    # An establishment reads no disbursement: its one projects entry is a plain link.
    establishment = [str(e.label) for e in menu_for(Role.ESTABLISHMENT)]
    assert "Đề án" in establishment
    assert "Giải ngân kinh phí" not in establishment


def test_the_current_page_lights_its_entry_and_group():
    entries = {str(e.label): e for e in menu_for(Role.PROVINCE_CENTRE, "/ke-hoach/phieu/12/")}
    assert entries["Kế hoạch"].active
    assert entries["Kế hoạch"].active_url == "/ke-hoach/phieu/"  # not /ke-hoach/ (the plans)
    assert not entries["Trang chủ"].active
    home = {str(e.label): e for e in menu_for(Role.PROVINCE_CENTRE, "/")}
    assert home["Trang chủ"].active
    assert not home["Kế hoạch"].active


def test_a_new_app_adds_its_entry_with_one_line(monkeypatch):
    line = NavItem(
        "Nghệ nhân", "home", frozenset({Role.ESTABLISHMENT}), group=navigation.ESTABLISHMENTS
    )
    monkeypatch.setattr(navigation, "MENU", [*MENU, line])
    entries = {str(e.label): e for e in navigation.menu_for(Role.ESTABLISHMENT)}
    assert entries["Cơ sở, sản phẩm"].is_dropdown
    assert [str(i.label) for i in entries["Cơ sở, sản phẩm"].items] == [
        "Cơ sở CNNT",
        "Sản phẩm",
        "Bình chọn sản phẩm",
        "Giấy chứng nhận",
        "Khiếu nại bình chọn",
        "Báo cáo hằng năm",
        "Nghệ nhân",
    ]


def test_the_bar_reverses_each_url_once_per_page(monkeypatch):
    """Issue 11 (fixed cost of every page): the template read ``item.url`` three times per
    item, each a ``reverse`` — about 60 a request. Now once per item, in ``menu_for``."""
    calls = []
    real = navigation.reverse

    def counted(name, *args, **kwargs):
        calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(navigation, "reverse", counted)
    entries = menu_for(Role.NATIONAL_OFFICER, "/de-an/12/")
    reversed_once = len(calls)
    assert reversed_once == sum(len(e.items) for e in entries)
    for entry in entries:
        for link in entry.items:
            assert link.url.startswith("/")
            assert (link.url == entry.active_url) == (link.url_name == "projects:project_list")
    assert len(calls) == reversed_once
    # The next pages of the process reverse nothing: the URLs are kept per role.
    again = menu_for(Role.NATIONAL_OFFICER, "/co-so/")
    assert len(calls) == reversed_once
    assert [[link.url for link in e.items] for e in again] == [
        [link.url for link in e.items] for e in entries
    ]
    assert [e.active_url for e in again if e.active] == ["/co-so/"]


def test_the_kept_urls_follow_the_deployments_prefix():
    from django.urls import set_script_prefix

    assert menu_for(Role.NATIONAL_OFFICER)[0].items[0].url == "/"
    set_script_prefix("/khuyencong/")
    try:
        assert menu_for(Role.NATIONAL_OFFICER)[0].items[0].url == "/khuyencong/"
    finally:
        set_script_prefix("/")
    assert menu_for(Role.NATIONAL_OFFICER)[0].items[0].url == "/"


def test_a_commune_officer_has_the_projects_located_in_the_commune_on_the_bar():
    """The commune reads the projects located in it (``policy.PLACE_READS``): the list is on its
    bar, as a plain link (no disbursement: the commune pays nothing)."""
    entries = {str(e.label): e for e in menu_for(Role.COMMUNE_OFFICER)}
    assert [link.url_name for link in entries["Đề án"].items] == ["projects:project_list"]
    assert not entries["Đề án"].is_dropdown
