"""The administrators' page for API clients: issue (token shown once), rotate (the new token
shown once, the old one dead), revoke; only within the administrator's scope."""

from __future__ import annotations

import pytest
from django.test import Client

from khuyencong.accounts.models import Role
from khuyencong.api.models import ApiClient
from khuyencong.audit.models import ActivityEvent, EventType

from .conftest import KHANH_HOA, SON_LA

pytestmark = pytest.mark.django_db
LIST = "/may-khach-api/"


@pytest.fixture
def admin(admin_of):
    browser = Client()
    browser.force_login(admin_of(SON_LA))
    return browser


def _token(response) -> str:
    text = response.content.decode()
    start = text.index('id="ma-truy-cap">') + len('id="ma-truy-cap">')
    return text[start : text.index("</code>", start)]


def test_an_administrator_issues_a_client_and_sees_its_token_once(admin, bearer):
    page = admin.post(
        f"{LIST}cap/",
        {
            "name": "Phần mềm TTKC Sơn La",
            "unit": SON_LA,
            "role": Role.PROVINCE_CENTRE,
            "scopes": ["establishments:read", "changes:read"],
        },
    )
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    token = _token(page)
    client = ApiClient.objects.get(name="Phần mềm TTKC Sơn La")
    assert client.scopes == ["changes:read", "establishments:read"]
    assert token not in admin.get(LIST).content.decode()  # never shown again
    assert bearer(token).get("/api/v1/establishments").status_code == 200
    assert ActivityEvent.objects.filter(event_type=EventType.API_CLIENT).count() == 1


def test_rotate_shows_a_new_token_and_the_old_one_stops(admin, issue, bearer):
    client, old = issue(Role.PROVINCE_CENTRE, SON_LA)
    page = admin.post(f"{LIST}{client.pk}/doi-ma/", {"version": client.version})
    new = _token(page)
    assert new != old
    assert bearer(old).get("/api/v1/units").status_code == 401
    assert bearer(new).get("/api/v1/units").status_code == 200
    stale = admin.post(f"{LIST}{client.pk}/doi-ma/", {"version": client.version}, follow=True)
    assert "vừa được người khác sửa" in stale.content.decode()


def test_revoke_ends_the_client(admin, issue, bearer):
    client, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    done = admin.post(f"{LIST}{client.pk}/thu-hoi/", {"version": client.version}, follow=True)
    assert "Đã thu hồi máy khách API" in done.content.decode()
    assert bearer(token).get("/api/v1/units").status_code == 401


def test_another_provinces_clients_are_not_there(admin, issue):
    client, _ = issue(Role.PROVINCE_CENTRE, KHANH_HOA)
    assert client.name not in admin.get(LIST).content.decode()
    assert admin.post(f"{LIST}{client.pk}/thu-hoi/", {"version": 1}).status_code == 404
    refused = admin.post(
        f"{LIST}cap/",
        {"name": "X", "unit": KHANH_HOA, "role": Role.PROVINCE_CENTRE, "scopes": ["units:read"]},
    )
    assert refused.status_code == 200
    assert not ApiClient.objects.filter(name="X").exists()


def test_an_officer_is_refused_with_the_reason(make_user):
    browser = Client()
    browser.force_login(make_user(Role.PROVINCE_CENTRE, SON_LA))
    refused = browser.get(LIST)
    assert refused.status_code == 403
