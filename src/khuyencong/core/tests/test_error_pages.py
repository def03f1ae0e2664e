"""Issue 9 (defect 6): "Lịch sử" links only where the history opens, and the system's own
404/403/500 pages — never Django's technical pages, not even with DEBUG on (``make run``)."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from khuyencong.accounts.models import Role

pytestmark = pytest.mark.django_db

HISTORY_LINK = re.compile(r'href="(/nhat-ky/[^"]+)"')


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = False


def test_not_found_is_our_page_with_debug_on(client, make_user, debug_on):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    for url in ("/khong-co-trang-nay/", "/de-an/999999/", "/nhat-ky/programs.Programme/9999/"):
        response = client.get(url)
        assert response.status_code == 404, url
        page = response.content.decode()
        assert "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu" in page, url
        assert "DEBUG = True" not in page, url
        assert "Đăng xuất" in page  # the site's own page, with its menu


def test_forbidden_is_our_page_with_the_reason_with_debug_on(client, make_user, debug_on):
    client.force_login(make_user(Role.COMMUNE_OFFICER, "03985"))
    response = client.get(reverse("projects:project_create"))
    assert response.status_code == 403
    assert "không được phép" in response.content.decode()


@override_settings(ROOT_URLCONF="khuyencong.core.tests.urls_boom")
def test_a_failure_is_our_page_with_debug_on(make_user, debug_on):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    response = client.get("/thu-loi-500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in page
    assert "RuntimeError" not in page
    assert "hỏng có chủ đích" not in page


@override_settings(ROOT_URLCONF="khuyencong.core.tests.urls_boom")
def test_developers_may_ask_for_the_technical_pages(make_user, settings):
    settings.DEBUG, settings.TECHNICAL_ERROR_PAGES = True, True
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    assert "RuntimeError" in client.get("/thu-loi-500/").content.decode()


# ------------------------------------------------------------------------- history links
def _pages(seeded):
    return [
        reverse("programs:programme_detail", args=["quoc-gia-2026-2030"]),
        reverse("programs:programme_detail", args=["son-la-2026-2030"]),
        reverse("geo:unit_detail", args=["14"]),
        reverse("geo:unit_detail", args=["VN"]),
        reverse("norms:norm_list"),
        *seeded,
    ]


ROLES = [
    (Role.COMMUNE_OFFICER, "03985"),
    (Role.PROVINCE_CENTRE, "14"),
    (Role.PROVINCE_SCT, "14"),
    (Role.PROVINCE_FINANCE, "14"),
    (Role.NATIONAL_OFFICER, "VN"),
    (Role.COUNCIL_MEMBER, "14"),
    (Role.SYSTEM_ADMIN, "VN"),
]


def test_every_history_link_shown_opens(client, make_user, debug_on):
    """Regression: a commune officer (or Finance) saw "Lịch sử" on pages whose history they may
    not open, and got a 404 — with DEBUG on, Django's technical page."""
    from khuyencong.core.demo import seed_demo
    from khuyencong.projects.models import Project

    seed_demo()
    project = Project.objects.filter(is_demo=True).first()
    pages = _pages([reverse("projects:project_detail", args=[project.pk])])
    shown = 0
    for role, code in ROLES:
        client.force_login(make_user(role, code))
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue
            for link in HISTORY_LINK.findall(response.content.decode()):
                shown += 1
                assert client.get(link).status_code == 200, (role, url, link)
    assert shown > 5  # the links are there for those who may use them
    client.force_login(make_user(Role.COMMUNE_OFFICER, "03985"))
    page = client.get(reverse("programs:programme_detail", args=["son-la-2026-2030"]))
    assert page.status_code == 200
    assert not HISTORY_LINK.findall(page.content.decode())
