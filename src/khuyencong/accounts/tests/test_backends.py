"""The user of a request is read with their role assignments in one query
(accounts.backends, issue 11 item 7): the same user and the same assignments as before."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts import policy
from khuyencong.accounts.backends import AuthenticationBackend, held
from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.core.testing import as_read

pytestmark = pytest.mark.django_db


def _policys_own(user):
    return list(
        RoleAssignment.objects.filter(user=user, is_active=True)
        .select_related("unit")
        .order_by("id")
    )


def test_the_user_and_the_assignments_are_one_query(make_user, unit, django_assert_num_queries):
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit("56"))
    RoleAssignment.objects.create(
        user=user, role=Role.PROVINCE_SCT, unit=unit("56"), is_active=False
    )
    make_user(Role.PROVINCE_SCT, "56")  # someone else's assignment stays theirs
    with django_assert_num_queries(1):
        loaded = AuthenticationBackend().get_user(user.pk)
        held = policy.assignments(loaded)
        current = policy.active_assignment(loaded)
        units = [a.unit.code for a in held]
        assert {a.user for a in held} == {loaded}
    assert loaded == user
    assert held == _policys_own(user)
    assert units == ["03646", "56"]
    assert current == user.current_assignment
    assert all(a.user is loaded for a in held)


def test_a_user_without_an_active_assignment_is_read_alone(make_user, django_assert_num_queries):
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    RoleAssignment.objects.filter(user=user).update(is_active=False)
    with django_assert_num_queries(2):  # no assignment, then the user
        loaded = AuthenticationBackend().get_user(user.pk)
        assert policy.assignments(loaded) == []
        assert policy.active_assignment(loaded) is None
    assert loaded == user
    assert AuthenticationBackend().get_user(10**9) is None


def test_a_deactivated_user_is_not_signed_in(make_user, client):
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    assert AuthenticationBackend().get_user(user.pk) == user
    client.force_login(user)
    assert client.get("/").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert AuthenticationBackend().get_user(user.pk) is None
    assert client.get("/").status_code == 302  # to the login page: the session no longer holds


def test_a_page_reads_the_session_then_the_user_with_the_assignments(make_user, client):
    """The fixed queries of every page: two, no longer three (the user, then the roles)."""
    user = make_user(Role.PROVINCE_SCT, "56")
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    tables = [q["sql"].split(" FROM ", 1)[1].split(" ", 1)[0] for q in captured[:2]]
    assert tables == ['"django_session"', '"accounts_roleassignment"']
    assert not any(q["sql"].split(" WHERE ")[0].endswith('FROM "accounts_user"') for q in captured)
    assert (
        settings.AUTHENTICATION_BACKENDS[-1] == "khuyencong.accounts.backends.AuthenticationBackend"
    )


def test_a_revoked_assignment_is_gone_on_the_next_request(make_user, unit, client):
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    council = RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit("56"))
    client.force_login(user)
    assert "Thành viên hội đồng" in client.get("/").content.decode()
    council.is_active = False
    council.save(update_fields=["is_active"])
    assert "Thành viên hội đồng" not in client.get("/").content.decode()


def _orms(user_id):
    """What the ORM gives for the query the backend keeps compiled (compiled afresh here)."""
    return list(
        RoleAssignment.objects.filter(user_id=user_id, is_active=True)
        .select_related("user", "unit")
        .order_by("id")
    )


def test_the_compiled_read_gives_what_the_orm_gives(make_user, unit):
    """Several assignments at different levels (one ended), the user joined to each: the same
    instances, column for column, as the queryset compiled afresh."""
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit("56"))
    RoleAssignment.objects.create(
        user=user, role=Role.PROVINCE_SCT, unit=unit("56"), is_active=False
    )
    RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN, unit=unit("VN"))
    make_user(Role.PROVINCE_SCT, "56")
    for user_id in (user.pk, str(user.pk)):  # the session keeps it as text
        read = held(user_id)
        assert [as_read(a) for a in read] == [as_read(a) for a in _orms(user.pk)]
        assert [as_read(a.user) for a in read] == [as_read(a.user) for a in _orms(user.pk)]
        assert [a.role for a in read] == [
            Role.COMMUNE_OFFICER,
            Role.COUNCIL_MEMBER,
            Role.SYSTEM_ADMIN,
        ]
    assert held(10**9) == []


def test_the_query_is_compiled_once_and_run_every_time(make_user, unit):
    """The SQL is kept; the rows are not: a role added, then one revoked, between two requests
    shows on the next one (the policy decides from them: a stale role would be a leak)."""
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    backend = AuthenticationBackend()
    backend.get_user(user.pk)
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled")):
        with CaptureQueriesContext(connection) as captured:
            first = backend.get_user(user.pk)
        assert len(captured) == 1
        assert [a.role for a in policy.assignments(first)] == [Role.COMMUNE_OFFICER]
    council = RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit("56"))
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled")):
        second = backend.get_user(user.pk)
    assert [a.role for a in policy.assignments(second)] == [
        Role.COMMUNE_OFFICER,
        Role.COUNCIL_MEMBER,
    ]
    RoleAssignment.objects.filter(pk=user.current_assignment.pk).update(is_active=False)
    third = backend.get_user(user.pk)
    assert policy.assignments(third) == [council]
    assert policy.active_assignment(third) == council
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert held(user.pk) == [council]  # the assignment is still there…
    assert backend.get_user(user.pk) is None  # …but a deactivated user is not signed in
