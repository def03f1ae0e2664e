"""The access matrix (ma trận phân quyền): every URL × every role at every level, inside and
outside the scope, checked by ``accounts/tests/test_access_matrix.py``.

Each app declares its URLs in ``<app>/tests/access.py`` — one declaration per URL name — and
builds its objects into the shared test world; the test fails for a URL nobody classified.
How a new app declares its URLs: docs/architecture.md, "Access matrix".

The world is a small tree of places, each holding one object of every subject that lives at
that level, every object carrying a unique marker string::

    N (the nation) ─ P (Sơn La) ─ C1 (Chiềng Sơn) ─ E1, E2 (its establishments)
                   │            └ C2 (Tô Hiệu) ─ E3
                   └ Q (Khánh Hòa) ─ D1 (Bắc Nha Trang) ─ F1

The cast is one user per role and level (national roles at N, provincial at P, communal at
C1, the establishment representative of E1). What a user may see is judged here independently
of ``accounts.policy``, from the declared reach: a user sees the places in their unit's subtree
(a representative: only E1 of the establishments) and, for subjects read from below (programmes,
rounds), the places above. A marker of an object at a place the user could not see even with
that widest reach must never appear in any response to them.
"""

from __future__ import annotations

import importlib
import io
import itertools
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from .models import ROLE_LEVELS, Role


# --------------------------------------------------------------------------------------------
# Places and the cast
# --------------------------------------------------------------------------------------------
class Place(StrEnum):
    N = "N"
    P = "P"
    Q = "Q"
    C1 = "C1"
    C2 = "C2"
    D1 = "D1"
    E1 = "E1"
    E2 = "E2"
    E3 = "E3"
    F1 = "F1"


PARENT: dict[Place, Place] = {
    Place.P: Place.N,
    Place.Q: Place.N,
    Place.C1: Place.P,
    Place.C2: Place.P,
    Place.D1: Place.Q,
    Place.E1: Place.C1,
    Place.E2: Place.C1,
    Place.E3: Place.C2,
    Place.F1: Place.D1,
}
#: The official codes of the units at the unit places.
UNIT_CODES: dict[Place, str] = {
    Place.N: "VN",
    Place.P: "14",
    Place.Q: "56",
    Place.C1: "03985",
    Place.C2: "03646",
    Place.D1: "22333",
}
ESTABLISHMENTS = frozenset({Place.E1, Place.E2, Place.E3, Place.F1})
#: Where each level's users sit.
LEVEL_PLACES = {0: Place.N, 1: Place.P, 3: Place.C1}
#: For a user at a place, the places that lie outside their scope, nearest first.
OUTSIDE: dict[Place, tuple[Place, ...]] = {
    Place.N: (),
    Place.P: (Place.Q, Place.D1, Place.F1),
    Place.C1: (Place.C2, Place.E3, Place.D1, Place.F1, Place.Q),
    Place.E1: (Place.E2, Place.E3, Place.C2, Place.F1, Place.D1, Place.Q),
}
HOME_LINE = (Place.N, Place.P, Place.C1, Place.E1)


def ancestors(place: Place) -> list[Place]:
    found = []
    while place in PARENT:
        place = PARENT[place]
        found.append(place)
    return found


def within(place: Place, scope: Place) -> bool:
    return place == scope or scope in ancestors(place)


class Reach(StrEnum):
    SUBTREE = "subtree"
    SUBTREE_AND_ANCESTORS = "subtree+ancestors"
    OWN_UNIT = "own unit"
    EVERYWHERE = "everywhere"  # published data (norms): every user reads it


@dataclass(frozen=True)
class Actor:
    """One member of the cast: a role held at a level (a representative: at E1)."""

    role: Role
    place: Place

    @property
    def label(self) -> str:
        return f"{self.role.value}@{self.place.value}"

    @property
    def unit_place(self) -> Place:
        """The place of the unit the role is held at (a representative's commune)."""
        return PARENT[self.place] if self.place in ESTABLISHMENTS else self.place

    def sees(self, place: Place, reach: Reach = Reach.SUBTREE) -> bool:
        """Is an object at ``place`` inside this user's scope, for a subject of ``reach``?"""
        if reach == Reach.EVERYWHERE:
            return True
        if place in ESTABLISHMENTS and self.place in ESTABLISHMENTS:
            return place == self.place
        scope = self.unit_place
        if within(place, scope):
            return True
        return reach == Reach.SUBTREE_AND_ANCESTORS and within(scope, place)

    def may_change(self, place: Place, reach: Reach) -> bool:
        if reach == Reach.OWN_UNIT:
            return place == self.unit_place
        return self.sees(place, reach)


def cast() -> list[Actor]:
    actors = []
    for role in Role:
        if role == Role.ESTABLISHMENT:
            actors.append(Actor(role, Place.E1))
            continue
        actors.extend(Actor(role, LEVEL_PLACES[level]) for level in sorted(ROLE_LEVELS[role]))
    return actors


# --------------------------------------------------------------------------------------------
# Declarations
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Subject:
    """What an object-level URL is about: where the world holds one, and how far a user's scope
    reaches for reading and for changing it. ``owned``: a user's own things (notifications):
    inside = the user's own, outside = another user's."""

    name: str
    places: tuple[Place, ...] = ()
    view_reach: Reach = Reach.SUBTREE
    change_reach: Reach = Reach.SUBTREE
    owned: bool = False
    #: Roles that never reach it through their unit (council members reach what their seat
    #: on a council gives them): 404 for them.
    unseen_by: frozenset[Role] = frozenset()


ANY_ROLE = frozenset(Role)


@dataclass(frozen=True)
class Access:
    """Who may: these roles (at these levels, when given), for an object they may read
    (``change=False``) or change (``change=True``: judged with the subject's change reach)."""

    roles: frozenset[Role]
    change: bool = False
    places: frozenset[Place] | None = None
    #: (the place of the user's unit, the object's place) → may they; for rights that depend
    #: on where the object lies relative to the user, not only on the scope.
    where: Callable[[Place, Place], bool] | None = None

    def allows(self, actor: Actor, place: Place | None = None) -> bool:
        return (
            actor.role in self.roles
            and (self.places is None or actor.place in self.places)
            and (self.where is None or place is None or self.where(actor.unit_place, place))
        )


Where = Callable[[Place, Place], bool] | None


def view(*roles: Role, at: Iterable[Place] | None = None, where: Where = None) -> Access:
    return Access(frozenset(roles or ANY_ROLE), False, frozenset(at) if at else None, where)


def change(*roles: Role, at: Iterable[Place] | None = None, where: Where = None) -> Access:
    return Access(frozenset(roles), True, frozenset(at) if at else None, where)


def one_level_up(unit: Place, place: Place) -> bool:
    """The object lies at the level just above the user's unit (a round a unit proposes to)."""
    return PARENT.get(unit) == place


class Kind(StrEnum):
    PUBLIC = "public"  # no login needed
    ACCOUNT = "account"  # the signed-in user's own account (allauth)
    STAFF = "staff"  # the Django admin: staff only
    PAGE = "page"  # not object-level: lists, forms for new objects, exports, home pages
    OBJECT = "object"  # one object named in the URL


Data = Callable[["World", Any], dict[str, Any]]


@dataclass(frozen=True)
class Entry:
    key: str
    kind: Kind
    subject: Subject | None = None
    args: Callable[[Any], dict[str, Any]] | None = None
    get: Access | None = None
    post: Access | None = None
    data: Data | None = None
    queries: tuple[Callable[[World], dict[str, Any]], ...] = ()
    #: Roles that take some step here (in some state): an empty form from them is a mistake to
    #: explain, not a refusal. Everyone else gets 403 whatever they send.
    participants: frozenset[Role] = frozenset()
    #: The page is only ever opened with one of its queries (bare, it redirects to a chooser).
    queries_only: bool = False


@dataclass
class AccessMatrix:
    entries: dict[str, Entry] = field(default_factory=dict)
    prefixes: dict[str, Kind] = field(default_factory=dict)
    modules: dict[str, Kind] = field(default_factory=dict)
    builders: list[Callable[[World], None]] = field(default_factory=list)

    def _add(self, entry: Entry) -> None:
        if entry.key in self.entries:
            raise ValueError(f"{entry.key} is declared twice in the access matrix")
        self.entries[entry.key] = entry

    def public(self, *names: str) -> None:
        for name in names:
            self._add(Entry(name, Kind.PUBLIC))

    def page(
        self,
        name: str,
        *,
        get: Access | None = None,
        post: Access | None = None,
        data: Data | None = None,
        queries: Iterable[Callable[[World], dict[str, Any]]] = (),
        queries_only: bool = False,
    ) -> None:
        """A URL without an object: GET by ``get``'s roles → 200, by others → 403 (also with
        each of ``queries``, which may instead answer 404 for what they name out of scope);
        POST (``data``) by ``post``'s roles → not refused, by others → 403."""
        self._add(
            Entry(
                name,
                Kind.PAGE,
                get=get,
                post=post,
                data=data,
                queries=tuple(queries),
                queries_only=queries_only,
            )
        )

    def object(
        self,
        name: str,
        subject: Subject,
        args: Callable[[Any], dict[str, Any]],
        *,
        get: Access | None = None,
        post: Access | None = None,
        data: Data | None = None,
        participants: Iterable[Role] = (),
    ) -> None:
        """A URL naming one object of ``subject``: outside the scope → 404 (GET and POST);
        inside → 200 / accepted for the declared roles, 403 for the others."""
        self._add(
            Entry(name, Kind.OBJECT, subject, args, get, post, data, (), frozenset(participants))
        )

    def third_party(self, *, prefix: str = "", module: str = "", kind: Kind) -> None:
        """Classify URLs we do not write by route prefix or view module (admin, allauth)."""
        if prefix:
            self.prefixes[prefix] = kind
        if module:
            self.modules[module] = kind

    def builder(self, build: Callable[[World], None]) -> Callable[[World], None]:
        """Decorator: ``build(world)`` adds the app's objects to the test world."""
        self.builders.append(build)
        return build


MATRIX = AccessMatrix()


def load_declarations() -> AccessMatrix:
    """Import every app's ``tests/access.py`` (in INSTALLED_APPS order: builders may use the
    objects of the apps before them)."""
    for config in apps.get_app_configs():
        if config.name.startswith("khuyencong."):
            try:
                importlib.import_module(f"{config.name}.tests.access")
            except ModuleNotFoundError as exc:
                if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.access"):
                    raise
    return MATRIX


# --------------------------------------------------------------------------------------------
# The URL conf
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    """One URL pattern: its name (``namespace:name``) or, unnamed, its route."""

    key: str
    route: str
    module: str
    name: str | None


def routes() -> list[Route]:
    def walk(patterns: Iterable[Any], prefix: str, namespace: str | None) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                if namespace and inner:
                    inner = f"{namespace}:{inner}"
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace
                )
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                callback = pattern.callback
                module = getattr(callback, "__module__", "") or ""
                yield Route(name or route, route, module, name)

    return list(walk(get_resolver().url_patterns, "", None))


def kind_of(matrix: AccessMatrix, route: Route) -> Kind | None:
    entry = matrix.entries.get(route.key)
    if entry is not None:
        return entry.kind
    for prefix, kind in matrix.prefixes.items():
        if route.route.startswith(prefix):
            return kind
    for module, kind in matrix.modules.items():
        if route.module.startswith(module):
            return kind
    return None


def unclassified(matrix: AccessMatrix) -> list[str]:
    return sorted({r.key for r in routes() if kind_of(matrix, r) is None})


def sample_path(route: str) -> str:
    """A concrete path for a route of a URL we do not declare (path converters → ``1``)."""
    import re

    path = re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", route)
    path = re.sub(r"\([^)]*\)", "1", path).replace("^", "").replace("$", "")
    return "/" + path


# --------------------------------------------------------------------------------------------
# The world
# --------------------------------------------------------------------------------------------
@dataclass
class World:
    """What the builders made: objects by subject and place, markers by place, the cast's
    users and signed-in session keys."""

    units: dict[Place, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, Place], Any] = field(default_factory=dict)
    owned: dict[tuple[str, str], Any] = field(default_factory=dict)
    markers: dict[str, Place] = field(default_factory=dict)
    media: Path | None = None  # where the builders' files are stored
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def mark(self, place: Place, text: str = "") -> str:
        """A fresh marker for an object at ``place`` (``text`` is kept in front, readable)."""
        marker = f"MRK{next(self._counter):04d}{place.value}X"
        self.markers[marker] = place
        return f"{text} {marker}".strip()

    def put(self, subject: Subject | str, place: Place, obj: Any) -> Any:
        name = subject if isinstance(subject, str) else subject.name
        self.objects[(name, place)] = obj
        return obj

    def get(self, subject: Subject | str, place: Place) -> Any:
        name = subject if isinstance(subject, str) else subject.name
        return self.objects[(name, place)]

    def put_owned(self, subject: Subject, actor: Actor | str, obj: Any) -> Any:
        label = actor if isinstance(actor, str) else actor.label
        self.owned[(subject.name, label)] = obj
        return obj

    def user(self, actor: Actor) -> Any:
        return self.users[actor.label]

    def forbidden_markers(self, actor: Actor) -> list[str]:
        return [
            marker
            for marker, place in self.markers.items()
            if not actor.sees(place, Reach.SUBTREE_AND_ANCESTORS)
        ]


OTHER_OWNER = "someone-else"


def probe(text: str) -> str:
    """How a probe (a search, a form) names an object: in lower case. Pages echo what the user
    typed; that echo is not a leak, and markers are matched in upper case."""
    return text.lower()


def inside_place(actor: Actor, subject: Subject) -> Place | None:
    """The object of ``subject`` nearest the user: their own place, one below on the home
    line, else the nearest above."""
    position = HOME_LINE.index(actor.place)
    order = [*HOME_LINE[position:], *reversed(HOME_LINE[:position])]
    return next((p for p in order if p in subject.places), None)


def outside_place(actor: Actor, subject: Subject) -> Place | None:
    return next((p for p in OUTSIDE[actor.place] if p in subject.places), None)


def above_place(actor: Actor, subject: Subject) -> Place | None:
    """For a subject read from below: the nearest object above the user other than the inside
    one (a province officer and the nation's programme). In scope, and usually not theirs to
    change: the case for 403 rather than 404."""
    if subject.view_reach != Reach.SUBTREE_AND_ANCESTORS:
        return None
    inside = inside_place(actor, subject)
    position = HOME_LINE.index(actor.place)
    return next(
        (p for p in reversed(HOME_LINE[:position]) if p in subject.places and p != inside), None
    )


# --------------------------------------------------------------------------------------------
# Reading responses
# --------------------------------------------------------------------------------------------
def response_text(response: Any) -> str:
    """Everything a response shows: HTML and text as they are, the XML inside .xlsx/.docx, the
    text of a PDF."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith((".xml", ".rels"))
            )
    if content.startswith(b"%PDF"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.pdf"
            path.write_bytes(content)
            read = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
            if read.returncode == 0:
                return read.stdout
            # Not a PDF poppler can lay out (an uploaded file served as it came): its bytes.
    return content.decode("utf-8", "replace")
