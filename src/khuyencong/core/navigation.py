"""The main menu (menu chính) per role, as data: entries in groups, each group a dropdown.

A domain adds its page with one line in :data:`MENU` — a label, the URL name, the roles that
see it, and the group it belongs to (``None``: on the bar itself)::

    NavItem(_("Bình chọn sản phẩm"), "awards:round_list", ACTION_ROLES[Action.VIEW_SELECTION],
            group=ESTABLISHMENTS),

Groups keep the bar one line wide from 1280 px for every role; a group the role sees only one
entry of is shown as that entry (no dropdown of one).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.policy import ACTION_ROLES, ALL_ROLES, Action


@dataclass(frozen=True)
class NavGroup:
    """A dropdown of the bar; ``key`` names it in the page (``id="menu-<key>"``)."""

    key: str
    label: str | Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]
    group: NavGroup | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


PLANNING = NavGroup("ke-hoach", pgettext_lazy("menu", "Kế hoạch"))
PROJECTS = NavGroup("de-an", pgettext_lazy("menu", "Đề án"))
ESTABLISHMENTS = NavGroup("co-so", _("Cơ sở, sản phẩm"))
SYSTEM = NavGroup("he-thong", _("Hệ thống"))

MENU: list[NavItem] = [
    NavItem(_("Trang chủ"), "home", ALL_ROLES),
    NavItem(
        _("Chương trình khuyến công"),
        "programs:programme_list",
        ACTION_ROLES[Action.VIEW_PROGRAMME],
        group=PLANNING,
    ),
    NavItem(
        _("Đợt đăng ký"), "planning:round_list", ACTION_ROLES[Action.MANAGE_ROUNDS], group=PLANNING
    ),
    NavItem(
        _("Phiếu đăng ký nhu cầu"),
        "planning:registration_list",
        ACTION_ROLES[Action.REGISTER_NEED] | ACTION_ROLES[Action.REVIEW_REGISTRATION],
        group=PLANNING,
    ),
    NavItem(
        _("Kế hoạch năm"),
        "planning:plan_list",
        ACTION_ROLES[Action.PREPARE_PLAN]
        | ACTION_ROLES[Action.APPRAISE_PLAN]
        | ACTION_ROLES[Action.APPROVE_PLAN]
        | {Role.NATIONAL_OFFICER},
        group=PLANNING,
    ),
    NavItem(
        _("Định mức hỗ trợ"), "norms:norm_list", ALL_ROLES - {Role.ESTABLISHMENT}, group=PLANNING
    ),
    NavItem(
        _("Báo cáo định kỳ"), "reporting:list", ACTION_ROLES[Action.VIEW_REPORTS], group=PLANNING
    ),
    NavItem(
        _("Tổng hợp báo cáo"),
        "reporting:dashboard",
        ACTION_ROLES[Action.VIEW_REPORTS],
        group=PLANNING,
    ),
    # Every role reads some projects (a commune those located in it: ``policy.PLACE_READS``).
    NavItem(_("Đề án"), "projects:project_list", ALL_ROLES, group=PROJECTS),
    NavItem(
        _("Giải ngân kinh phí"),
        "projects:disbursement",
        ACTION_ROLES[Action.VIEW_DISBURSEMENT],
        group=PROJECTS,
    ),
    NavItem(_("Cơ sở CNNT"), "registry:establishment_list", ALL_ROLES, group=ESTABLISHMENTS),
    NavItem(
        _("Sản phẩm"),
        "awards:product_list",
        ALL_ROLES - {Role.COUNCIL_MEMBER},
        group=ESTABLISHMENTS,
    ),
    NavItem(
        _("Bình chọn sản phẩm"),
        "awards:round_list",
        ACTION_ROLES[Action.VIEW_SELECTION],
        group=ESTABLISHMENTS,
    ),
    NavItem(
        _("Giấy chứng nhận"),
        "awards:certificate_list",
        ALL_ROLES - {Role.COUNCIL_MEMBER},
        group=ESTABLISHMENTS,
    ),
    NavItem(
        _("Khiếu nại bình chọn"),
        "awards:complaint_list",
        ALL_ROLES - {Role.COUNCIL_MEMBER},
        group=ESTABLISHMENTS,
    ),
    NavItem(
        _("Báo cáo hằng năm"),
        "awards:holder_report_list",
        ALL_ROLES - {Role.COUNCIL_MEMBER},
        group=ESTABLISHMENTS,
    ),
    NavItem(
        _("Đơn vị hành chính"), "geo:unit_list", ALL_ROLES - {Role.ESTABLISHMENT}, group=SYSTEM
    ),
    NavItem(_("Cán bộ"), "accounts:staff_list", ACTION_ROLES[Action.MANAGE_USERS], group=SYSTEM),
    NavItem(
        _("Máy khách API"), "api_clients:list", ACTION_ROLES[Action.MANAGE_USERS], group=SYSTEM
    ),
    NavItem(
        _("Nhật ký hoạt động"),
        "audit:activity_log",
        ACTION_ROLES[Action.VIEW_HISTORY],
        group=SYSTEM,
    ),
    NavItem(_("Thông báo"), "notifications:list", ALL_ROLES),
]


@dataclass(frozen=True)
class MenuLink:
    """A menu item as one page shows it: its URL reversed once (the bar reads each URL three
    times per page: ~60 ``reverse`` calls a request before, issue 11's fixed overhead)."""

    label: str | Promise
    url_name: str
    url: str


@dataclass
class MenuEntry:
    """One place on the bar: a link (``items`` has one entry, ``group`` is ``None``) or a
    dropdown. ``active`` marks the entry holding the page being shown."""

    label: str | Promise
    items: list[MenuLink]
    group: NavGroup | None = None
    active_url: str = ""

    @property
    def is_dropdown(self) -> bool:
        return self.group is not None

    @property
    def active(self) -> bool:
        return bool(self.active_url)


def _active_url(urls: list[str], path: str) -> str:
    """The menu URL the page belongs to: the longest one ``path`` starts with ("/" only for
    itself), so /de-an/12/ lights "Đề án" and /ke-hoach/phieu/ "Phiếu", not "Kế hoạch năm"."""
    matches = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(matches, key=len, default="")


@lru_cache(maxsize=256)
def _visible(
    role: str | None, _prefix: str, _urlconf: str | None
) -> tuple[tuple[NavItem, MenuLink], ...]:
    """The items ``role`` sees with their URLs, once per process: a menu URL names no object
    and no language (none is under ``i18n_patterns``), so it depends only on the deployment's
    prefix and URLconf, which are in the key (issue 11: ~15 ``reverse`` calls a request)."""
    return tuple(
        (item, MenuLink(item.label, item.url_name, item.url)) for item in MENU if role in item.roles
    )


@receiver(setting_changed)
def _forget_urls(*, setting: str, **_kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _visible.cache_clear()
        _menu_html.cache_clear()


def menu_for(role: str | None, path: str = "") -> list[MenuEntry]:
    """The bar for ``role``: entries in :data:`MENU` order, a group where its first entry is."""
    visible = _visible(role, get_script_prefix(), get_urlconf())
    active = _active_url([link.url for _item, link in visible], path)
    entries: list[MenuEntry] = []
    by_group: dict[str, MenuEntry] = {}
    for item, link in visible:
        if item.group is None:
            entries.append(MenuEntry(item.label, [link]))
        elif item.group.key in by_group:
            by_group[item.group.key].items.append(link)
        else:
            by_group[item.group.key] = MenuEntry(item.group.label, [link], item.group)
            entries.append(by_group[item.group.key])
    for entry in entries:
        if entry.group is not None and len(entry.items) == 1:
            entry.label, entry.group = entry.items[0].label, None
        entry.active_url = active if any(i.url == active for i in entry.items) else ""
    return entries


@lru_cache(maxsize=1024)
def _menu_html(
    role: str | None, active: str, _language: str | None, _prefix: str, _urlconf: str | None
) -> str:
    # A SafeString (what the template renders), so the layout's {{ menu_bar }} keeps it as is.
    return render_to_string("core/_menu.html", {"menu": menu_for(role, active)})


def menu_bar(role: str | None, path: str) -> str:
    """The bar's HTML for ``role`` on the page at ``path``: rendered once per process for each
    (role, lit entry, language, prefix, URLconf), every part of what it shows (~0.7 ms a page,
    ~5 % of a request's CPU, issue 11 item 7). Nothing about the user is in it: whoever holds
    the role sees the same bar, and a change of role (switch, assignment ended or added) is a
    change of key on the user's next page, so it is never stale."""
    prefix, urlconf = get_script_prefix(), get_urlconf()
    active = _active_url([link.url for _item, link in _visible(role, prefix, urlconf)], path)
    return _menu_html(role, active, get_language(), prefix, urlconf)
