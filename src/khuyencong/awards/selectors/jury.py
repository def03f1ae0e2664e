"""Reads of the council and the scoring. Score values leave this module only through the
policy (``scope_queryset`` with ``VIEW_SCORES`` keeps every sealed sheet out); the progress
(who has submitted) and the outlier flags are computed here and returned without a score
while the jury is open."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from khuyencong.accounts import policy

from .. import rules
from ..models import (
    ConflictDeclaration,
    CouncilMember,
    Entry,
    RoundStatus,
    ScoreSheet,
    SelectionRound,
    SheetStatus,
)
from ..services import jury as jury_services
from ..services import scoring


def members(round_: SelectionRound) -> list[CouncilMember]:
    """The council and jury of a round the caller may see (the round came through the policy)."""
    return list(
        CouncilMember.objects.filter(round=round_)
        .select_related("user", "workplace")
        .order_by("council_role", "full_name")
    )


def seat_of(user: Any, round_: SelectionRound) -> CouncilMember | None:
    return CouncilMember.objects.filter(round=round_, user_id=getattr(user, "pk", 0) or 0).first()


def may_watch(user: Any, round_: SelectionRound) -> bool:
    """The organiser and the chair follow the scoring (who has submitted, the flags)."""
    return bool(
        policy.can(user, policy.Action.RUN_SELECTION, round_)
        or policy.can(user, policy.Action.CHAIR_JURY, round_)
    )


@dataclass(frozen=True)
class Progress:
    member: CouncilMember | None  # None: the reader's own sheets
    assigned: int
    submitted: int

    @property
    def done(self) -> bool:
        return self.assigned == self.submitted


def progress(user: Any, round_: SelectionRound) -> list[Progress]:
    """Each judge's sheets: how many assigned, how many submitted (never what). One query."""
    if not may_watch(user, round_):
        return []
    counts = {
        row["member_id"]: row
        for row in ScoreSheet.objects.filter(round=round_)
        .order_by()
        .values("member_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=SheetStatus.SUBMITTED)))
    }
    return [
        Progress(m, counts.get(m.pk, {}).get("n", 0), counts.get(m.pk, {}).get("done", 0))
        for m in members(round_)
        if m.is_judge
    ]


@dataclass(frozen=True)
class Flag:
    entry: Entry
    judge: str
    criterion: str  # "" for the total
    difference: Decimal | None  # None while the jury is open: the flag says only "too far"
    margin: Decimal


def outlier_flags(
    user: Any, round_: SelectionRound, entries: list[Entry] | None = None
) -> list[Flag]:
    """Judges whose total (or criterion score) differs from the others' mean by more than the
    round's margin. Before the close only the chair sees them, without the figures; after
    it, whoever may run or watch the round, with the figures. ``entries``: only theirs (one
    page of the results)."""
    closed = round_.has_results
    if not (
        policy.can(user, policy.Action.CHAIR_JURY, round_) or (closed and may_watch(user, round_))
    ):
        return []
    return round_flags(round_, entries)


def round_flags(round_: SelectionRound, entries: list[Entry] | None = None) -> list[Flag]:
    """The flags of a round, or of some of its ``entries`` (figures only for entries whose
    scoring is closed); the caller decides who reads them (:func:`outlier_flags`, the jury's
    minutes)."""
    criteria = round_.criteria_list
    names = {c.code: c.name for c in criteria}
    # Rows, not model instances: a national round holds thousands of sheets, and only the
    # flagged entries are loaded afterwards.
    sheets = ScoreSheet.objects.filter(
        round=round_, status=SheetStatus.SUBMITTED, member__absent_reason=""
    )
    if entries is not None:
        sheets = sheets.filter(entry_id__in=[e.pk for e in entries])
    rows = sheets.order_by("entry_id", "member__full_name").values_list(
        "entry_id", "member__full_name", "total", "scores"
    )
    pure = [
        rules.Sheet(
            entry_id,
            name,
            Decimal(total or 0),
            rules.criterion_scores(
                criteria, {code: Decimal(str(v)) for code, v in (scores or {}).items()}
            ),
        )
        for entry_id, name, total, scores in rows
    ]
    found = rules.outliers(pure, criteria, round_.outlier_margin)
    flagged: dict[Any, Entry] = (
        {e.pk: e for e in entries}
        if entries is not None
        else Entry.objects.select_related("product").in_bulk({f.entry for f in found})
    )
    flags = []
    for f in found:
        entry = flagged[f.entry]
        closed = entry.scoring_closed_at is not None
        flags.append(
            Flag(
                entry,
                str(f.judge),
                names.get(f.criterion, ""),
                f.difference if closed else None,
                f.margin,
            )
        )
    return flags


def conflict_table(
    user: Any, round_: SelectionRound
) -> list[tuple[CouncilMember, Entry, list[str]]]:
    """Who may not score what, and why (organiser and chair)."""
    if not may_watch(user, round_):
        return []
    found = jury_services.conflicts(round_)
    if not found:
        return []
    by_pk = {m.pk: m for m in members(round_)}
    entries = Entry.objects.in_bulk({entry for _member, entry in found})
    return [
        (by_pk[member], entries[entry], reasons)
        for (member, entry), reasons in sorted(found.items())
    ]


def declarations(round_: SelectionRound) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(member__round=round_).select_related(
        "member", "establishment"
    )


def sheets_without_judge(
    user: Any, round_: SelectionRound, entries: list[Entry], counted: dict[int, scoring.Panel]
) -> list[tuple[Entry, int]]:
    """Accepted ``entries`` still being scored whose panel (``counted``, from
    ``scoring.panels``) is not the jury's size, and how many judges they have, fewest first (for
    the chair to assign a reserve after a conflict)."""
    if round_.status != RoundStatus.SCORING or not may_watch(user, round_):
        return []
    jury = jury_services.jury_size(round_)
    sizes = [
        (e, counted[e.pk].sheets if e.pk in counted else 0)
        for e in entries
        if e.scoring_closed_at is None
    ]
    short = [(e, n) for e, n in sizes if n != jury]
    return sorted(short, key=lambda row: (row[1], row[0].product.name_sort, row[0].pk))


def reserves_first(members: list[CouncilMember]) -> list[CouncilMember]:
    """The judges the chair may assign, reserve judges first, none recorded absent."""
    judges = [m for m in members if m.is_judge and not m.is_absent]
    return sorted(judges, key=lambda m: not m.is_reserve)


# --------------------------------------------------------------------------------------------
# A judge's own sheets
# --------------------------------------------------------------------------------------------
def visible_sheets(user: Any) -> QuerySet[ScoreSheet]:
    """Sheets the policy shows ``user`` (their own until the close; sealed ones never)."""
    return policy.scope_queryset(
        user,
        ScoreSheet.objects.select_related(
            "round", "member", "entry__product", "entry__establishment", "entry__commune"
        ),
        unit_field="round__unit",
        action=policy.Action.VIEW_SCORES,
    )


def my_sheets(user: Any, round_: SelectionRound) -> QuerySet[ScoreSheet]:
    return (
        visible_sheets(user)
        .filter(round=round_, member__user_id=getattr(user, "pk", 0) or 0)
        .order_by("entry__product__name_sort", "pk")
    )


def my_progress(user: Any, round_: SelectionRound) -> Progress:
    """How many sheets ``user`` has in the round and how many they submitted (one query)."""
    counts = (
        my_sheets(user, round_)
        .order_by()
        .aggregate(n=Count("pk"), done=Count("pk", filter=Q(status=SheetStatus.SUBMITTED)))
    )
    return Progress(None, counts["n"], counts["done"])


def sheet_for_view(user: Any, pk: int) -> ScoreSheet:
    sheet = visible_sheets(user).filter(pk=pk).first()
    if sheet is None:
        raise Http404
    return sheet


def sheets_of_entry(user: Any, entry: Entry) -> list[ScoreSheet]:
    """The sheets of an entry the user may read (every one after the close, for those in
    scope; the user's own before it)."""
    return list(visible_sheets(user).filter(entry=entry).order_by("member__full_name", "pk"))


def judge_totals(user: Any, entries: list[Entry]) -> dict[int, list[Decimal]]:
    """Submitted totals of present judges for the closed entries, as the policy lets ``user``
    read them (one query)."""
    totals: dict[int, list[Decimal]] = defaultdict(list)
    closed = [e.pk for e in entries if e.scoring_closed_at is not None]
    for entry_id, total in (
        visible_sheets(user)
        .filter(entry_id__in=closed, status=SheetStatus.SUBMITTED, member__absent_reason="")
        .order_by("member__full_name", "pk")
        .values_list("entry_id", "total")
    ):
        totals[entry_id].append(Decimal(total))
    return totals
