"""A query compiled once per process (core.prepared, issue 11 item 7): the same instances as the
queryset it was compiled from, with the values of each call."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.core.prepared import Prepared
from khuyencong.core.testing import as_read
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

pytestmark = pytest.mark.django_db


def _recent(user_id, since, role):
    return (
        RoleAssignment.objects.filter(user_id=user_id, created_at__gt=since, role=role)
        .select_related("unit", "establishment")
        .order_by("-id")
    )


RECENT = Prepared(
    _recent,
    user_id=User._meta.pk,
    since=RoleAssignment._meta.get_field("created_at"),
    role=RoleAssignment._meta.get_field("role"),
)


def test_instances_values_and_conversions_as_the_orm_gives(make_user, unit):
    """Datetimes come back aware (SQLite's converters), a null foreign key as None (the
    populator), the order as the queryset's; each call its own values."""
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit("56"))
    RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit("14"))
    other = make_user(Role.COUNCIL_MEMBER, "14")
    before = timezone.now() - timedelta(minutes=1)
    for user_id, since, role in [
        (user.pk, before, Role.COUNCIL_MEMBER),
        (user.pk, before, Role.COMMUNE_OFFICER),
        (other.pk, before, Role.COUNCIL_MEMBER),
        (user.pk, timezone.now() + timedelta(minutes=1), Role.COUNCIL_MEMBER),
    ]:
        expected = list(_recent(user_id, since, role))
        found = RECENT.all(user_id=user_id, since=since, role=role)
        assert [as_read(a) for a in found] == [as_read(a) for a in expected]
    found = RECENT.all(user_id=user.pk, since=before, role=Role.COUNCIL_MEMBER)
    assert [a.unit.code for a in found] == ["14", "56"]
    assert found[0].establishment is None
    assert found[0].created_at.tzinfo is not None


def test_a_small_integer_column(unit):
    """The marker of an integer value lies inside the column's range (outside it, Django
    compiles the lookup to no query at all)."""
    level = AdministrativeUnit._meta.get_field("level")
    at_level = Prepared(
        lambda level: AdministrativeUnit.objects.filter(level=level).order_by("pk"), level=level
    )
    for value in (UnitLevel.PROVINCE, UnitLevel.COMMUNE, 99):
        expected = list(AdministrativeUnit.objects.filter(level=value).order_by("pk"))
        assert [as_read(u) for u in at_level.all(level=value)] == [as_read(u) for u in expected]
    assert unit("14") in at_level.all(level=UnitLevel.PROVINCE)


def test_compiled_once(make_user):
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    since = timezone.now() - timedelta(minutes=1)
    RECENT.all(user_id=user.pk, since=since, role=Role.COMMUNE_OFFICER)
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled")):
        assert len(RECENT.all(user_id=user.pk, since=since, role=Role.COMMUNE_OFFICER)) == 1


def test_every_value_is_needed():
    with pytest.raises(TypeError):
        RECENT.all(user_id=1, role=Role.COMMUNE_OFFICER)


def test_a_lookup_that_changes_the_value_is_refused():
    """``contains`` wraps the value in ``%…%``: the compiled parameter is no longer the value,
    so there is nothing to fill in; refused when compiled, never a wrong query."""
    named = Prepared(
        lambda name: User.objects.filter(full_name__contains=name),
        name=User._meta.get_field("full_name"),
    )
    with pytest.raises(ValueError, match="not one parameter"):
        named.all(name="Lan")
