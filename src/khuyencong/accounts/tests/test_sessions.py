"""Sessions stay server-side rows (accounts.sessions, issue 11 item 7): the read of each request
is compiled once per process, and reads what Django's own database store reads."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangosStore
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_engine_is_the_database_one():
    assert settings.SESSION_ENGINE == "khuyencong.accounts.sessions"
    assert issubclass(SessionStore, DjangosStore)


def test_a_session_reads_as_djangos_store_reads_it():
    store = SessionStore()
    store["_auth_user_id"] = "12"
    store["note"] = "Khuyến công"
    store.save()
    key = store.session_key
    SessionStore(key).load()  # compiled on the process's first read, then never again
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled")):
        ours = SessionStore(key).load()
    assert ours == DjangosStore(key).load() == {"_auth_user_id": "12", "note": "Khuyến công"}


def test_an_expired_or_unknown_session_is_empty_and_forgotten():
    store = SessionStore()
    store["note"] = "cũ"
    store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (store.session_key, "khong-co-phien-nay-abcdefgh12345678"):
        ours, djangos = SessionStore(key), DjangosStore(key)
        assert ours.load() == djangos.load() == {}
        assert ours.session_key is None
        assert djangos.session_key is None


def test_logging_out_ends_the_session_on_the_server(make_user, client):
    """The row is what holds a sign-in: a copy of the cookie is worth nothing after logout."""
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    client.force_login(user)
    assert client.get("/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/tai-khoan/logout/")
    assert not Session.objects.filter(pk=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the stolen cookie, replayed
    assert client.get("/").status_code == 302
