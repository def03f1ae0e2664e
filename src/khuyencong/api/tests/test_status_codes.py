"""Every status code the schema documents is one the API can give: the test walks the OpenAPI
schema and, for every (operation, documented status), sends the request that produces it — over
the access matrix's world (its declarations find an object for every path), as API clients.

A code nobody can produce is a defect of the schema (``api.schema.possible_errors`` decides
which errors an operation documents), and so is a success nobody can reach.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from drf_spectacular.generators import SchemaGenerator

from khuyencong.accounts.access_matrix import Kind, Place, World
from khuyencong.accounts.models import Role
from khuyencong.accounts.tests import test_access_matrix as matrix
from khuyencong.api import schema, services
from khuyencong.api.models import SCOPES
from khuyencong.registry import importing
from khuyencong.registry.tests.helpers import csv_bytes, row

from . import access as api_access

built_world = matrix.built_world
world = matrix.world

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = {
    op["operationId"]: (method.upper(), path, op)
    for path, ops in SCHEMA["paths"].items()
    for method, op in ops.items()
}
#: Who sends the valid request of a write (the roles the web lets do it).
NATION = f"{Role.NATIONAL_OFFICER.value}@N"
COMMUNE = f"{Role.COMMUNE_OFFICER.value}@C1"
ACTORS = (NATION, f"{Role.PROVINCE_CENTRE.value}@P", COMMUNE)
STEP = re.compile(r"/transitions/[^/]+$")
#: A judge's own sheet is written by the judge, signed in (no client is ever a judge): the valid
#: request is on the first sheet (scores the draft, reopens the submitted one), the 409 on the
#: second (``api/tests/access.py``'s open sheets).
JUDGE = "judge"
SHEET_WRITES = {
    "awards_sheets_update": (Place.E1, Place.E2),
    "awards_sheets_partial_update": (Place.E1, Place.E2),
    "awards_sheets_reopen_create": (Place.E2, Place.E1),
}


def _pairs() -> list[tuple[str, str]]:
    return [(op_id, code) for op_id, (_m, _p, op) in OPERATIONS.items() for code in op["responses"]]


@dataclass
class Call:
    """One request, as the valid one of its operation, then changed by a status's recipe."""

    method: str
    url: str
    body: Any = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    query: str = ""

    def send(self, client: Client) -> Any:
        raw = (
            self.body
            if isinstance(self.body, bytes | str)
            else ("" if self.body is None else json.dumps(self.body))
        )
        url = f"{self.url}?{self.query}" if self.query else self.url
        return client.generic(
            self.method, url, raw, content_type=self.content_type, headers=self.headers
        )


def _entry_for(path: str) -> Any:
    """The access matrix's row whose URL has this schema path's shape."""
    shape = re.compile(re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
    for entry in matrix.MATRIX.entries.values():
        if not entry.key.startswith("api:") or entry.kind == Kind.PUBLIC:
            continue
        if entry.kind == Kind.PAGE:
            if shape.match(reverse(entry.key)):
                return entry, None
            continue
        sample = {k: ("1" if k != "step" else "trinh") for k in ("pk", "code", "document", "step")}
        try:
            url = reverse(entry.key, kwargs={k: sample[k] for k in entry.args(_Any())})
        except NoReverseMatch:  # a row with other arguments: not this path
            continue
        if shape.match(url):
            return entry, entry.subject
    raise LookupError(f"no access-matrix row for {path}")


class _Any:
    """Stands for an object when a row's arguments are only being named."""

    pk = project_id = code = version = 1


def _valid(world: World, op_id: str, actor: str, conflict: bool = False) -> Call:
    method, path, op = OPERATIONS[op_id]
    entry, subject = _entry_for(path)
    obj = None
    if subject is None:
        url = reverse(entry.key)
    else:
        place = subject.places[0] if actor != COMMUNE else _home(subject)
        obj = world.get(subject, place)
        if op_id in SHEET_WRITES:
            obj = world.get(api_access.OPEN_SHEET, SHEET_WRITES[op_id][int(conflict)])
        url = reverse(entry.key, kwargs=entry.args(obj))
    call = Call(method, url)
    if method == "GET":
        return call
    call.body = BODIES.get(op_id, lambda w, o: {})(world, obj)
    if "application/json" not in op.get("requestBody", {}).get("content", {}):
        call.content_type, call.query = "text/csv", "dry_run=true"
        call.body = csv_bytes([row(name="Cơ sở nhập thử", tax_code="")])
    target = obj.project if hasattr(obj, "project") else obj
    if any(p["name"] == "If-Match" for p in op.get("parameters", [])):
        call.headers["If-Match"] = f'"{target.version}"'
    return call


def _home(subject: Any) -> Place:
    return next((p for p in (Place.C1, Place.E1) if p in subject.places), subject.places[0])


BODIES: dict[str, Callable[[World, Any], Any]] = {
    "establishments_create": lambda w, _: {
        "name": "Cơ sở thử mã trạng thái",
        "legal_form": "hkd",
        "product_group": "2",
        "commune": w.units[Place.C1].code,
    },
    "artisans_create": lambda w, _: {
        "full_name": "Nghệ nhân thử mã trạng thái",
        "title": "cap-tinh",
        "commune": w.units[Place.C1].code,
    },
    "norms_support_limit_create": lambda w, _: {
        "content": "may-moc-thiet-bi",
        "fund": "KCQG",
        "eligible_cost": 700_000_000,
    },
    "projects_transitions_create": lambda w, _: {"comment": "Trình đề án"},
    "awards_sheets_update": lambda w, _: {"scores": {"van-hoa": "8"}, "comment": "Nháp"},
    "awards_sheets_partial_update": lambda w, _: {"scores": {"van-hoa": "8,5"}},
    "awards_sheets_reopen_create": lambda w, _: {"reason": "Chấm nhầm"},
    "registrations_create": lambda w, _: _registration(
        w.get("round", Place.P), w.get("establishment", Place.E1)
    ),
}


def _registration(round_: Any, establishment: Any) -> dict[str, Any]:
    return {
        "round": round_.pk,
        "establishment": establishment.pk,
        "content_group": "nhom-1",
        "activity": "Hỗ trợ máy sao chè",
        "total_cost": 500_000_000,
        "support_kcdp": 200_000_000,
        "counterpart": 300_000_000,
        "start_month": f"{round_.plan_year}-03",
        "end_month": f"11/{round_.plan_year}",
    }


STEPS = {"projects_transitions_create": "trinh", "registrations_transitions_create": "gui"}


def _bad(call: Call, op_id: str, op: dict[str, Any]) -> Call:
    """A 400: a parameter out of its bounds, a body that is no object, a too long key."""
    if call.method == "GET":
        call.query = next(
            f"{p['name']}={_out_of_bounds(p['schema'])}"
            for p in op.get("parameters", [])
            if p["in"] == "query" and schema.bounded(p)
        )
    elif call.content_type != "application/json":
        call.body = b"khong phai bang tinh\x00\x01"
    elif any(p["name"] == "Idempotency-Key" for p in op.get("parameters", [])):
        call.headers["Idempotency-Key"] = "k" * 256
    else:
        call.body = "chuỗi, không phải đối tượng"
    return call


def _out_of_bounds(parameter: dict[str, Any]) -> str:
    if "enum" in parameter:
        return "khong-co-gia-tri-nay"
    if "minimum" in parameter:
        return str(parameter["minimum"] - 1)
    return "x" * (parameter["maxLength"] + 1)


def _missing(call: Call, op_id: str, op: dict[str, Any]) -> Call:
    """A 404: an id nobody has (in the path), a cursor the API never gave, a round unknown."""
    if op_id == "registrations_create":
        call.body = {**call.body, "round": 10**17}
        return call
    if op_id == "reports_rollup_retrieve":
        call.query = "don_vi=999999999999"
        return call
    parts = call.url.rstrip("/").split("/")
    index = 4  # /api/v1/<resource>/<id or code>
    if parts[3] == "awards":
        index = 5
    if len(parts) > index:
        parts[index] = "999999999999" if parts[index].isdigit() else "khong-co-ma-nay"
        call.url = "/".join(parts)
    else:
        call.query = "cursor=khong-hop-le"
    return call


def _recipe(code: str) -> Callable[[Call, str, dict[str, Any]], Call] | None:
    def headers(**extra: str) -> Callable[[Call, str, dict[str, Any]], Call]:
        def change(call: Call, op_id: str, op: dict[str, Any]) -> Call:
            call.headers.update(extra)
            return call

        return change

    def no_if_match(call: Call, op_id: str, op: dict[str, Any]) -> Call:
        call.headers.pop("If-Match")
        return call

    def text(call: Call, op_id: str, op: dict[str, Any]) -> Call:
        call.content_type, call.body = "text/plain", "x"
        return call

    def unknown_step(call: Call, op_id: str, op: dict[str, Any]) -> Call:
        call.url = STEP.sub("/transitions/buoc-khong-co", call.url)
        return call

    return {
        "400": _bad,
        "404": _missing,
        "406": headers(Accept="application/xml"),
        "409": unknown_step,
        "412": headers(**{"If-Match": '"999999"'}),
        "415": text,
        "428": no_if_match,
    }.get(code)


@pytest.fixture(scope="module")
def tokens(built_world: World, django_db_blocker: Any) -> dict[str, str]:
    """A client (every scope) for each sender, and one of the nation with no scope it needs."""
    admin = built_world.users[f"{Role.SYSTEM_ADMIN.value}@{Place.N.value}"]
    issued = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for label in (*ACTORS, "unscoped"):
            role, place = (label if "@" in label else NATION).split("@")
            issued[label] = services.issue_client(
                actor=admin,
                name=f"Mã trạng thái {label}",
                unit=built_world.units[Place(place)],
                role=Role(role),
                scopes=SCOPES if label != "unscoped" else ["norms:write"],
            ).token
    return issued


def _client(token: str) -> Client:
    return Client(headers={"authorization": f"Bearer {token}"})


def _sender(world: World, tokens: dict[str, str], actor: str) -> Client:
    if actor != JUDGE:
        return _client(tokens[actor])
    signed_in = Client()
    signed_in.force_login(world.get("council-member", Place.P).user)
    return signed_in


def _produce(
    world: World, tokens: dict[str, str], op_id: str, code: str, settings: Any
) -> dict[str, str]:
    """What the recipe of ``code`` got from each sender (stops at the first match): status →
    the start of the answer."""
    seen, rate = {}, settings.API_RATE_PER_MINUTE
    senders = (JUDGE,) if op_id in SHEET_WRITES else ACTORS
    for actor in senders:
        call = _valid(world, op_id, actor)
        if op_id in STEPS:
            call.url = STEP.sub(f"/transitions/{STEPS[op_id]}", call.url)
        client = _sender(world, tokens, actor)
        with transaction.atomic():
            if code == "401":
                client = _client("kc_khongco_sai")
            elif code == "403" and actor == senders[0]:
                client = _client(tokens["unscoped"])
            elif code == "409" and op_id in SHEET_WRITES:
                call = _valid(world, op_id, actor, conflict=True)
            elif code == "429":
                settings.API_RATE_PER_MINUTE = 0
            elif code == "201" and call.query:  # the import, for real this time
                call.query = ""
            elif code == "413":  # a file: the import's limit; JSON: the form data's
                size = importing.MAX_UPLOAD_BYTES if call.content_type == "text/csv" else 0
                call.body = b"x" * (max(size, settings.DATA_UPLOAD_MAX_MEMORY_SIZE) + 1)
            elif code == "422":
                call.headers["Idempotency-Key"] = "khoa-thu"
                call.send(client)
                call.body = {**(call.body or {}), "khac": "nội dung khác"}
            elif (recipe := _recipe(code)) is not None:
                call = recipe(call, op_id, OPERATIONS[op_id][2])
            response = call.send(client)
            settings.API_RATE_PER_MINUTE = rate
            transaction.set_rollback(True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[str(response.status_code)] = body[:300].decode(errors="replace")
        if str(response.status_code) == code:
            if code == "429":
                assert response["Retry-After"]
            if int(code) >= 400:
                assert response["Content-Type"].startswith("application/problem+json")
            return seen
    return seen


def test_405_is_never_documented() -> None:
    """405 answers a method the path lacks: no operation can give it."""
    assert all("405" not in op["responses"] for _m, _p, op in OPERATIONS.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("op_id", "code"), _pairs(), ids=lambda v: v)
def test_documented_status_is_reachable(
    op_id: str, code: str, world: World, tokens: dict[str, str], settings: Any
) -> None:
    seen = _produce(world, tokens, op_id, code, settings)
    assert code in seen, f"{op_id}: wanted {code}, got {seen}"
