"""Rounds and entries an actor may see: a round is addressed to every unit below its organiser
(and read by the levels above); entries follow the establishment's place (an establishment its
own, a commune its commune's, a province its province's, the nation all); a council member
sees the rounds and entries of their seats."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet
from django.http import Http404

from khuyencong.accounts import policy
from khuyencong.core import rows as core_rows
from khuyencong.geo.models import AdministrativeUnit

from ..models import (
    Entry,
    EntryStatus,
    EntryTransition,
    Forwarding,
    Product,
    ProductPaper,
    ProductPhoto,
    RoundExtension,
    RoundStatus,
    RoundTransition,
    SelectionLevel,
    SelectionRound,
)
from ..services import entries as entry_services


def visible_rounds(user: Any) -> QuerySet[SelectionRound]:
    return policy.scope_queryset(
        user,
        SelectionRound.objects.select_related("unit", "region"),
        unit_field="unit",
        action=policy.Action.VIEW_SELECTION,
    )


def rounds(
    user: Any, *, year: int | None = None, level: str = "", status: str = ""
) -> QuerySet[SelectionRound]:
    found = visible_rounds(user)
    if year is not None:
        found = found.filter(year=year)
    if level:
        found = found.filter(level=level)
    if status:
        found = found.filter(status=status)
    return found.order_by("-year", "level", "code")


def round_rows(
    user: Any, *, year: int | None = None, level: str = ""
) -> QuerySet[SelectionRound, Mapping[str, Any]]:
    """The round list's rows: only the columns it shows, as dicts (a round's instance carries
    its criteria, its legal texts, its unit and region; issue 11). Label them with
    :func:`labelled_round_rows`."""
    return rounds(user, year=year, level=level).values(
        "code",
        "title",
        "level",
        "status",
        "registration_opens",
        "registration_closes",
        unit_name=F("unit__name"),
    )


def labelled_round_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their level's and status's labels and their dates as shown, prepared
    once a page rather than by the template for every row (``core.rows``)."""
    found = list(rows)
    core_rows.add_labels(found, level=SelectionLevel.choices, status=RoundStatus.choices)
    for row in found:
        row["opens"] = core_rows.day(row["registration_opens"])
        row["closes"] = core_rows.day(row["registration_closes"])
    return found


def round_for_view(user: Any, code: str) -> SelectionRound:
    found = (
        visible_rounds(user)
        .prefetch_related(
            Prefetch("extensions", queryset=RoundExtension.objects.select_related("actor")),
            Prefetch("transitions", queryset=RoundTransition.objects.select_related("actor")),
            "provinces",
        )
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    return found


def visible_entries(user: Any) -> QuerySet[Entry]:
    return policy.scope_queryset(
        user,
        Entry.objects.select_related("round", "product", "establishment", "commune", "province"),
        unit_field="commune",
        establishment_field="establishment",
    )


def entries_of_round(user: Any, round_: SelectionRound, *, status: str = "") -> QuerySet[Entry]:
    found = visible_entries(user).filter(round=round_)
    if status:
        found = found.filter(status=status)
    return found.order_by("product__name_sort", "pk")


def entry_counts(user: Any, round_: SelectionRound) -> dict[str, int]:
    rows = (
        visible_entries(user)
        .filter(round=round_)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def entry_for_view(user: Any, pk: int) -> Entry:
    found = (
        visible_entries(user)
        .select_related("forwarding", "basis_certificate", "round__unit")
        .prefetch_related(
            Prefetch("transitions", queryset=EntryTransition.objects.select_related("actor")),
            Prefetch("product__photos", queryset=ProductPhoto.objects.order_by("view", "pk")),
            Prefetch("product__papers", queryset=ProductPaper.objects.order_by("kind", "pk")),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def products_to_enter(user: Any, round_: SelectionRound) -> list[Product]:
    """The user's products of the round's area without an entry in it yet."""
    from .products import visible_products

    found = visible_products(user).exclude(entries__round=round_)
    return [p for p in found.order_by("name_sort", "pk")[:500] if entry_services.in_area(round_, p)]


def forwardable_entries(
    user: Any, round_: SelectionRound, unit: AdministrativeUnit
) -> QuerySet[Entry]:
    return visible_entries(user).filter(entry_services.forwardable(round_, unit))


def forwardings(user: Any, round_: SelectionRound) -> QuerySet[Forwarding]:
    return (
        policy.scope_queryset(user, Forwarding.objects.select_related("unit"), unit_field="unit")
        .filter(round=round_)
        .annotate(n=Count("entries"))
        .order_by("unit__name")
    )


def forwarding_for_export(
    user: Any, round_: SelectionRound, pk: int
) -> tuple[Forwarding, list[Entry]]:
    forwarding = forwardings(user, round_).filter(pk=pk).first()
    if forwarding is None:
        raise Http404
    rows = list(
        Entry.objects.filter(forwarding=forwarding)
        .select_related("product", "establishment", "commune", "basis_certificate")
        .order_by("product__name_sort", "pk")
    )
    return forwarding, rows


def open_rounds_for(user: Any) -> QuerySet[SelectionRound]:
    return visible_rounds(user).filter(status=RoundStatus.OPEN)


PENDING = [EntryStatus.SUBMITTED, EntryStatus.FORWARDED]


def waiting_entries(user: Any, round_: SelectionRound) -> QuerySet[Entry]:
    """Entries waiting for the organiser: forwarded (above the commune) or submitted."""
    state = EntryStatus.FORWARDED if round_.needs_forwarding else EntryStatus.SUBMITTED
    return entries_of_round(user, round_, status=state)
