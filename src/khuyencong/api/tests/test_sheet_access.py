"""Who may write a score sheet over the API (PUT, PATCH; the reopen is a POST, in the access
matrix itself): the access matrix's world and cast, every role at every level, signed in and
as an API client of its role. Only the sheet's judge writes it, and no judge is in the cast:
whoever reads the sheet (the roles that see scores, after the close) is refused with the
reason, everybody else learns nothing (404) — and a sealed sheet (scoring open) is nobody's
but its judge's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from khuyencong.accounts.access_matrix import Actor, Place, World
from khuyencong.accounts.tests import test_access_matrix as matrix

from . import access as api_access
from . import test_access_matrix_clients as clients

# The matrix's module-scoped world and the client matrix's tokens, built again for this module.
built_world = matrix.built_world
world = matrix.world
tokens = clients.tokens

SHEET = api_access.SHEET
CASES = [
    (actor, way, where)
    for actor in matrix.CAST
    for way in ("session", "client")
    if way == "session" or actor in clients.CLIENT_ACTORS
    for where in ("in", "out", "sealed")
    if where != "out" or matrix.outside_place(actor, SHEET) is not None
]


def _sheet(world: World, actor: Actor, where: str) -> tuple[Any, bool]:
    """The sheet tried, and whether the actor reads it (as the matrix judges reading)."""
    if where == "sealed":
        return world.get(api_access.OPEN_SHEET, Place.E1), False
    place = (matrix.inside_place if where == "in" else matrix.outside_place)(actor, SHEET)
    reads = actor.sees(place, SHEET.view_reach) and actor.role not in SHEET.unseen_by
    return world.get(SHEET, place), reads


@pytest.mark.django_db
@pytest.mark.parametrize(("actor", "way", "where"), CASES, ids=lambda v: getattr(v, "label", v))
def test_only_the_judge_writes_a_sheet(
    actor: Actor, way: str, where: str, world: World, tokens: dict[str, str]
) -> None:
    sheet, reads = _sheet(world, actor, where)
    if way == "session":
        client = matrix._client(world, actor)
    else:
        client = Client(headers={"authorization": f"Bearer {tokens[actor.label]}"})
    url = reverse("api:score-sheet-detail", kwargs={"pk": sheet.pk})
    headers = {"If-Match": f'"{sheet.version}"'}
    for method in ("put", "patch"):
        response = getattr(client, method)(
            url, {"comment": "Sửa"}, content_type="application/json", headers=headers
        )
        what = f"{actor.label} {way} {where} {method.upper()}"
        assert response.status_code == (403 if reads else 404), what
        assert response["Content-Type"] == "application/problem+json", what
        if reads:
            detail = response.json()["detail"]
            expected = "Máy khách API không chấm điểm" if way == "client" else "Chỉ giám khảo"
            assert detail.startswith(expected), f"{what}: {detail}"
    sheet.refresh_from_db()
    assert sheet.comment != "Sửa"


@pytest.mark.django_db
def test_the_judge_writes_their_own(world: World) -> None:
    judge = Client()
    judge.force_login(world.get("council-member", Place.P).user)
    draft = world.get(api_access.OPEN_SHEET, Place.E1)
    response = judge.patch(
        reverse("api:score-sheet-detail", kwargs={"pk": draft.pk}),
        {"scores": {"van-hoa": "8"}},
        content_type="application/json",
        headers={"If-Match": f'"{draft.version}"'},
    )
    assert response.status_code == 200, response.content
    assert response.json()["scores"] == {"van-hoa": "8.00"}
