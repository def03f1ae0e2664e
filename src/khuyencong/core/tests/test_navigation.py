"""The menu as data: groups, one-entry groups shown as links, the entry of the current page."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

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
    navigation._menu_html.cache_clear()
    yield
    navigation._visible.cache_clear()
    navigation._menu_html.cache_clear()


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


def _fresh_bar(role, path):
    """The bar as the layout rendered it on every page before it was kept per process."""
    return render_to_string("core/_menu.html", {"menu": menu_for(role, path)})


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_kept_bar_is_the_bar_rendered_afresh(language):
    """menu_bar renders once per (role, lit entry, language): each is what the page showed."""
    paths = ["/", "/de-an/12/", "/ke-hoach/phieu/", "/co-so/7/", "/khong-co-trong-menu/"]
    with translation.override(language):
        for role in [*Role, None]:
            for path in paths:
                first = navigation.menu_bar(role, path)
                assert str(first) == _fresh_bar(role, path)
                assert navigation.menu_bar(role, path) is first  # kept, not rendered again
    assert 'href="/de-an/"' in _fresh_bar(Role.NATIONAL_OFFICER, "/")


def test_the_bar_follows_the_language():
    with translation.override("vi"):
        vi = navigation.menu_bar(Role.NATIONAL_OFFICER, "/")
    with translation.override("en"):
        en = navigation.menu_bar(Role.NATIONAL_OFFICER, "/")
    assert "Cơ sở, sản phẩm" in vi
    assert "Cơ sở, sản phẩm" not in en


@pytest.mark.django_db
def test_a_change_of_role_changes_the_bar_on_the_next_page(make_user, unit, client):
    """The kept bars are per role: a user whose role changes sees the new role's bar on the
    next page, never the old role's links the policy now refuses."""
    from khuyencong.accounts import services
    from khuyencong.accounts.models import RoleAssignment

    admin = make_user(Role.SYSTEM_ADMIN, "VN")
    user = make_user(Role.PROVINCE_SCT, "14")
    client.force_login(user)
    staff_link = f'href="{reverse("audit:activity_log")}"'
    sct_bar = client.get("/").content.decode()
    assert staff_link in sct_bar  # the SCT reads its province's activity log
    council = RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit("14"))
    services.revoke_role(
        actor=admin,
        assignment=user.current_assignment,
        reason="Chuyển công tác",
        expected_version=1,
    )
    user.refresh_from_db()
    user.current_assignment = council
    user.save(update_fields=["current_assignment"])
    council_bar = client.get("/").content.decode()
    assert staff_link not in council_bar
    assert str(navigation.menu_bar(Role.COUNCIL_MEMBER, "/")) in council_bar
    assert str(navigation.menu_bar(Role.PROVINCE_SCT, "/")) not in council_bar
