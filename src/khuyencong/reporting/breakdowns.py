"""Phân tổ: the breakdowns an indicator declares and the keys each one yields (pure).

An indicator declares its breakdowns (``Indicator.disaggregations``); only those are computed,
stored on reports and in the summary, and shown. Every breakdown has its own family of keys in
the one key space of a figure (``""`` is always the total): funds, content groups of 2646,
product groups, owners, certificate levels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from khuyencong.programs.programme_data import CONTENT_GROUPS

FUND = "nguon"
CONTENT = "noi-dung"
PRODUCT_GROUP = "nhom-san-pham"
OWNER = "chu-so-huu"
LEVEL = "cap"

PRODUCT_GROUP_PREFIX = "nsp-"
#: registry.ProductGroup values (kept here so this module stays free of models).
PRODUCT_GROUPS = ("1", "2", "3", "4")

#: Each breakdown's keys, families in the order they are shown.
FAMILIES: dict[str, tuple[str, ...]] = {
    FUND: ("KCQG", "KCDP", "NSXA", "DOI_UNG", "KHAC"),
    CONTENT: tuple(group.code for group in CONTENT_GROUPS),
    PRODUCT_GROUP: tuple(f"{PRODUCT_GROUP_PREFIX}{group}" for group in PRODUCT_GROUPS),
    OWNER: ("nu", "dtts"),
    LEVEL: ("xa", "tinh", "khu-vuc", "quoc-gia"),
}
ALL = frozenset(FAMILIES)

_KIND = {key: kind for kind, keys in FAMILIES.items() for key in keys}

T = TypeVar("T")


def kind_of(key: str) -> str | None:
    """The breakdown a key belongs to (``None`` for the total or an unknown key)."""
    return _KIND.get(key)


def shown(key: str, kinds: Iterable[str]) -> bool:
    """Whether a figure of ``key`` belongs to an indicator declaring ``kinds``: the total
    always, a key only when its breakdown is declared."""
    return key == "" or kind_of(key) in set(kinds)


def declared(figures: Mapping[str, T], kinds: Iterable[str]) -> dict[str, T]:
    """Only the total and the keys of the declared breakdowns."""
    wanted = set(kinds)
    return {key: value for key, value in figures.items() if key == "" or _KIND.get(key) in wanted}
