"""The access matrix of /api/v1/ as API clients (máy khách API): every API URL declared in
``api/tests/access.py``, for an API client of every role a client may hold at every level the
cast holds it (commune, province, nation), inside and outside its scope.

It is the same table and the same expectations as the people's matrix
(``accounts/tests/test_access_matrix.py``, which runs every role over a session): only the way
in differs (``Authorization: Bearer``), so a client must reach exactly what a person of its role
at its unit reaches — no second permission layer. A refusal must also be a problem+json whose
``detail`` is a Vietnamese sentence (the policy's reason for a 403).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from khuyencong.accounts.access_matrix import Actor, Kind, Place, World, routes
from khuyencong.accounts.models import Role
from khuyencong.accounts.tests import test_access_matrix as matrix
from khuyencong.api import services
from khuyencong.api.models import SCOPES
from khuyencong.api.problems import PROBLEM_JSON

# The matrix's module-scoped world, built again for this module (rolled back at its end).
built_world = matrix.built_world
world = matrix.world

API = "api:"
CLIENT_ACTORS = [a for a in matrix.CAST if a.role in services.CLIENT_ROLES]
#: Generic sentences a refusal must not fall back to (DRF's English defaults).
ENGLISH = ("You do not have permission", "Not found.", "Authentication credentials")


def _api_cases() -> list[Any]:
    return [
        case
        for case in matrix._cases()
        if case.entry.key.startswith(API) and case.actor.role in services.CLIENT_ROLES
    ]


@pytest.fixture(scope="module")
def tokens(built_world: World, django_db_blocker: Any) -> dict[str, str]:
    """One client per member of the cast a client may stand for, with every scope (scopes only
    narrow; ``test_clients`` tests them), issued by the nation's administrator."""
    admin = built_world.users[f"{Role.SYSTEM_ADMIN.value}@{Place.N.value}"]
    issued = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for actor in CLIENT_ACTORS:
            issued[actor.label] = services.issue_client(
                actor=admin,
                name=f"Máy khách {actor.label}",
                unit=built_world.units[actor.unit_place],
                role=actor.role,
                scopes=SCOPES,
            ).token
    return issued


def _expect_problem(expect: Any) -> Any:
    """The matrix's status check, and for a refusal: problem+json with a Vietnamese detail."""

    def check(response: Any, expected: int | str, what: str) -> None:
        expect(response, expected, what)
        if response.status_code not in (403, 404):
            return
        assert response["Content-Type"].startswith(PROBLEM_JSON), f"{what}: not problem+json"
        detail = response.json()["detail"]
        assert not detail.startswith(ENGLISH), f"{what}: detail {detail!r}"
        assert any(ord(c) > 127 for c in detail), f"{what}: detail not Vietnamese: {detail!r}"

    return check


def test_every_api_url_has_client_cases() -> None:
    """A new /api/v1/ route without a row in ``api/tests/access.py`` fails here (and in the
    people's matrix); every declared non-public API URL is tried by clients."""
    api_routes = {r.key for r in routes() if r.key.startswith(API)}
    declared = {key for key in matrix.MATRIX.entries if key.startswith(API)}
    assert api_routes - declared == set(), "API URLs without a row: " + ", ".join(
        sorted(api_routes - declared)
    )
    tried = {case.entry.key for case in _api_cases()}
    public = {k for k in declared if matrix.MATRIX.entries[k].kind == Kind.PUBLIC}
    assert declared - public - tried == set()
    levels = {actor.unit_place for actor in CLIENT_ACTORS}
    assert levels == {Place.N, Place.P, Place.C1}, levels


@pytest.mark.django_db
@pytest.mark.parametrize("case", _api_cases(), ids=str)
def test_client_access(
    case: Any, world: World, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def bearer(_world: World, actor: Actor) -> Client:
        return Client(headers={"authorization": f"Bearer {tokens[actor.label]}"})

    monkeypatch.setattr(matrix, "_client", bearer)
    monkeypatch.setattr(matrix, "_expect", _expect_problem(matrix._expect))
    matrix.test_access(case, world)
