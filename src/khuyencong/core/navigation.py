"""The main menu per role (menu theo vai trò). Domains add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.policy import ACTION_ROLES, ALL_ROLES, Action


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU: list[NavItem] = [
    NavItem(_("Trang chủ"), "home", ALL_ROLES),
    NavItem(_("Chương trình"), "programs:programme_list", ACTION_ROLES[Action.VIEW_PROGRAMME]),
    NavItem(_("Cơ sở CNNT"), "registry:establishment_list", ALL_ROLES),
    NavItem(
        _("Đăng ký"),
        "planning:registration_list",
        ACTION_ROLES[Action.REGISTER_NEED] | ACTION_ROLES[Action.REVIEW_REGISTRATION],
    ),
    NavItem(
        _("Kế hoạch năm"),
        "planning:plan_list",
        ACTION_ROLES[Action.PREPARE_PLAN]
        | ACTION_ROLES[Action.APPRAISE_PLAN]
        | ACTION_ROLES[Action.APPROVE_PLAN]
        | {Role.NATIONAL_OFFICER},
    ),
    NavItem(_("Đề án"), "projects:project_list", ALL_ROLES - {Role.COMMUNE_OFFICER}),
    NavItem(_("Sản phẩm"), "awards:product_list", ALL_ROLES - {Role.COUNCIL_MEMBER}),
    NavItem(_("Định mức"), "norms:norm_list", ALL_ROLES - {Role.ESTABLISHMENT}),
    NavItem(_("Đơn vị"), "geo:unit_list", ALL_ROLES - {Role.ESTABLISHMENT}),
    NavItem(_("Cán bộ"), "accounts:staff_list", ACTION_ROLES[Action.MANAGE_USERS]),
    NavItem(_("Nhật ký"), "audit:activity_log", ACTION_ROLES[Action.VIEW_HISTORY]),
    NavItem(_("Thông báo"), "notifications:list", ALL_ROLES),
]


def menu_for(role: str | None) -> list[NavItem]:
    return [item for item in MENU if role in item.roles]
