"""The access matrix: every URL of every app × every role at every level, for an object inside
and one outside the scope, GET and POST; no response ever shows an out-of-scope marker.

Declarations: ``<app>/tests/access.py`` (see ``accounts/access_matrix.py`` and
docs/architecture.md). The world is built once per module inside a transaction that is rolled
back at the end; every case runs in a savepoint of its own (pytest-django's ``db``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from khuyencong.accounts.access_matrix import (
    OTHER_OWNER,
    UNIT_CODES,
    Access,
    Actor,
    Entry,
    Kind,
    Place,
    World,
    above_place,
    cast,
    inside_place,
    kind_of,
    load_declarations,
    outside_place,
    response_text,
    routes,
    sample_path,
    unclassified,
)
from khuyencong.accounts.models import Role, RoleAssignment, User

MATRIX = load_declarations()
CAST = cast()
REFUSED = {403, 404, 405}


def test_every_url_is_classified():
    """A URL without a declaration in some ``<app>/tests/access.py`` is a defect."""
    missing = unclassified(MATRIX)
    assert not missing, (
        "URLs nobody classified: declare each in its app's tests/access.py "
        "(MATRIX.public / page / object; docs/architecture.md, 'Access matrix'): "
        + ", ".join(missing)
    )


def test_every_declaration_names_a_url():
    known = {r.key for r in routes()}
    stale = sorted(set(MATRIX.entries) - known)
    assert not stale, "declared in the access matrix but no such URL: " + ", ".join(stale)


# --------------------------------------------------------------------------------------------
# The world
# --------------------------------------------------------------------------------------------
def _user(world: World, label: str, role: Role, place: Place, name: str) -> User:
    user = User.objects.create_user(f"{label.replace('@', '.')}@matrix.test", "x", full_name=name)
    assignment = RoleAssignment.objects.create(user=user, role=role, unit=world.units[place])
    user.current_assignment = assignment
    user.save(update_fields=["current_assignment"])
    world.users[label] = user
    return user


def _base(world: World) -> None:
    """The units (their addresses marked), the cast, someone else at C1 (for owned subjects),
    and officers at the places outside the cast's scopes (their names marked)."""
    from khuyencong.geo.models import AdministrativeUnit
    from khuyencong.geo.services import load_units

    load_units()  # a transactional test may have emptied the database
    for place, code in UNIT_CODES.items():
        unit = AdministrativeUnit.objects.current().get(code=code)
        unit.address = world.mark(place, "Trụ sở")
        unit.save(update_fields=["address"])
        world.units[place] = unit
    for actor in CAST:
        _user(world, actor.label, actor.role, actor.unit_place, f"Người {actor.label}")
    _user(world, OTHER_OWNER, Role.COMMUNE_OFFICER, Place.C1, "Người khác cùng xã")
    for role, place in (
        (Role.PROVINCE_CENTRE, Place.Q),
        (Role.COMMUNE_OFFICER, Place.C2),
        (Role.COMMUNE_OFFICER, Place.D1),
    ):
        _user(world, f"{role.value}@{place.value}", role, place, world.mark(place, "Cán bộ"))


def _finish(world: World) -> None:
    """Link the representative to E1, then sign everybody in (sessions live in the world)."""
    representative = next(a for a in CAST if a.role == Role.ESTABLISHMENT)
    RoleAssignment.objects.filter(user=world.user(representative)).update(
        establishment=world.get("establishment", Place.E1)
    )
    for label, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.sessions[label] = client.cookies[settings.SESSION_COOKIE_NAME].value


_broken: list[str] = []
PLACE_OF = {"in": inside_place, "above": above_place, "out": outside_place}


@pytest.fixture(scope="module")
def built_world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[World]:
    from django.test import override_settings

    if _broken:  # pytest would build a broken world again for every case
        pytest.fail(f"the world could not be built: {_broken[0]}")
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        built = World(media=media)
        try:
            _base(built)
            for build in MATRIX.builders:
                build(built)
            _finish(built)
        except Exception as exc:
            _broken.append(repr(exc))
            raise
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def world(built_world: World, settings: Any) -> World:
    """The world, its stored files (photos, papers, attachments) where the builders put them,
    whatever a test's own uploads default to."""
    settings.MEDIA_ROOT = built_world.media
    return built_world


# --------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    entry: Entry
    actor: Actor
    where: str  # "in" | "above" | "out" | "page"

    def __str__(self) -> str:
        return f"{self.entry.key}|{self.actor.label}|{self.where}"


def _cases() -> list[Case]:
    found = []
    for entry in MATRIX.entries.values():
        if entry.kind in (Kind.PUBLIC,):
            continue
        for actor in CAST:
            if entry.kind != Kind.OBJECT:
                found.append(Case(entry, actor, "page"))
                continue
            found.append(Case(entry, actor, "in"))
            if not entry.subject.owned and above_place(actor, entry.subject) is not None:
                found.append(Case(entry, actor, "above"))
            if entry.subject.owned or outside_place(actor, entry.subject) is not None:
                found.append(Case(entry, actor, "out"))
    return found


def _third_party() -> list[Any]:
    return [r for r in routes() if r.key not in MATRIX.entries and kind_of(MATRIX, r)]


def _client(world: World, actor: Actor) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[actor.label]
    return client


def _check_markers(world: World, actor: Actor, response: Any, what: str) -> None:
    forbidden = world.forbidden_markers(actor)
    if not forbidden:  # the nation's users may see everything
        return
    text = response_text(response)
    leaked = [m for m in forbidden if m in text]
    assert not leaked, f"{what}: shows what lies outside the scope of {actor.label}: " + ", ".join(
        f"{m} (at {world.markers[m]})" for m in leaked
    )


def _allowed(
    access: Access | None, actor: Actor, may_change: bool, place: Place | None = None
) -> bool:
    return access is not None and access.allows(actor, place) and (not access.change or may_change)


def _expect(response: Any, expected: int | str, what: str) -> None:
    status = response.status_code
    if expected == "accepted":
        assert status not in REFUSED, f"{what}: refused ({status}), expected to be allowed"
        return
    detail = f" → {response.get('Location')}" if status in (301, 302) else ""
    assert status == expected, f"{what}: answered {status}{detail}, expected {expected}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", _cases(), ids=str)
def test_access(case: Case, world: World) -> None:
    entry, actor = case.entry, case.actor
    client = _client(world, actor)
    what = str(case)
    if entry.kind == Kind.PAGE:
        url, obj = reverse(entry.key), None
        get_expected: int | str = 200 if _allowed(entry.get, actor, True) else 403
        post_expected: int | str = "accepted" if _allowed(entry.post, actor, True) else 403
        if entry.get is not None and not entry.queries_only:
            response = client.get(url)
            _expect(response, get_expected, f"{what} GET")
            _check_markers(world, actor, response, f"{what} GET")
        for query in entry.queries:  # a probe may name what is out of scope: 404 is fine
            params = query(world)
            response = client.get(url, params)
            if response.status_code != 404:
                _expect(response, get_expected, f"{what} GET {params}")
            _check_markers(world, actor, response, f"{what} GET {params}")
    else:
        subject = entry.subject
        if subject.owned:
            owner = actor.label if case.where == "in" else OTHER_OWNER
            place = None
            obj = world.owned[(subject.name, owner)]
            # Only one's own; and none for a role that may not have any (404, not 403).
            visible = may_change = case.where == "in" and any(
                a is not None and a.allows(actor) for a in (entry.get, entry.post)
            )
        else:
            place = PLACE_OF[case.where](actor, subject)
            obj = world.get(subject, place)
            visible = actor.sees(place, subject.view_reach) and actor.role not in subject.unseen_by
            may_change = visible and actor.may_change(place, subject.change_reach)
        url = reverse(entry.key, kwargs=entry.args(obj))
        if not visible:
            get_expected = post_expected = 404
        else:
            get_expected = 200 if _allowed(entry.get, actor, may_change, place) else 403
            post_expected = "accepted" if _allowed(entry.post, actor, may_change, place) else 403
        response = client.get(url)
        _expect(response, get_expected if entry.get is not None else 405, f"{what} GET")
        _check_markers(world, actor, response, f"{what} GET")
    if entry.post is not None:
        data = entry.data(world, obj) if entry.data else {}
        response = client.post(url, data)
        _expect(response, post_expected, f"{what} POST")
        _check_markers(world, actor, response, f"{what} POST")
        if post_expected == 403 and data and actor.role not in entry.participants:
            # Refused whatever the body: the scope and the role are checked before the form.
            _expect(client.post(url, {}), 403, f"{what} POST (empty form)")
        if post_expected == 404 and data:
            _expect(client.post(url, {}), 404, f"{what} POST (empty form)")
        if (
            response.status_code in (301, 302)
            and response["Location"].startswith("/")
            and world.forbidden_markers(actor)
        ):
            shown = client.get(response["Location"])  # the message the redirect carries
            _check_markers(world, actor, shown, f"{what} POST → {response['Location']}")


@pytest.mark.django_db
@pytest.mark.parametrize("actor", CAST, ids=lambda a: a.label)
def test_pages_we_do_not_write(actor: Actor, world: World) -> None:
    """allauth's pages show the user's own account, nothing out of scope. The admin is for
    staff: its gate does not depend on the role, so one member of the cast tries every admin
    URL (a custom admin view that skipped the gate would answer them)."""
    client = _client(world, actor)
    for route in _third_party():
        staff = kind_of(MATRIX, route) == Kind.STAFF
        if staff and actor != CAST[0]:
            continue
        path = sample_path(route.route)
        response = client.get(path)
        what = f"{route.key}|{actor.label} GET {path}"
        assert response.status_code < 500, what
        if staff:
            assert response.status_code in (302, 403, 404), what
        _check_markers(world, actor, response, what)
