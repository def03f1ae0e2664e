"""Reads of the results: who may see them, and the result table of a round — each entry's
judges' totals (as the policy lets the reader see the sheets), the mean with its arithmetic,
the rank (ties shown), passed or not, the certificate. The whole table (documents, .xlsx, the
IT staff's command) in three queries whatever the size of the round (the round, its entries
with their certificates, the submitted sheets); the results page reads one page of it
(:func:`result_entries` + :func:`result_page`) in a constant number of queries too, so a
national round of 500 entries × 13 judges does not build 500 rows to show 50."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from khuyencong.accounts import policy

from .. import rules
from ..models import (
    Certificate,
    Entry,
    EntryStatus,
    RoundStatus,
    ScoreSheet,
    SelectionRound,
    SheetStatus,
)
from .certificates import visible_certificates
from .jury import visible_sheets
from .rounds import visible_entries


def may_see_results(user: Any, round_: SelectionRound) -> bool:
    """Before publication the results are the organiser's and the council's (who may read
    the sheets of the round); once published, everyone who sees the round sees the results of
    the entries in their scope."""
    if not round_.has_results:
        return False
    if round_.status == RoundStatus.PUBLISHED:
        return True
    return bool(policy.can(user, policy.Action.VIEW_SCORES, round_))


def may_read_minutes(user: Any, round_: SelectionRound) -> bool:
    """The jury's minutes record every judge's total: those who may read the round's sheets."""
    return round_.has_results and bool(policy.can(user, policy.Action.VIEW_SCORES, round_))


@dataclass(frozen=True)
class Judge:
    pk: int
    name: str


@dataclass(frozen=True)
class Row:
    entry: Entry
    by_judge: dict[int, Decimal]
    totals: tuple[Decimal, ...]
    tied: bool
    certificate: Certificate | None
    #: The row's total under each judge's column of the table (None: not assigned, not seen).
    cells: tuple[Decimal | None, ...] = ()

    @property
    def arithmetic(self) -> str:
        """``(78 + 82 + 75) / 3 = 78,33`` (empty when the reader does not see the totals)."""
        if not self.totals or self.entry.mean is None:
            return ""
        return rules.Result(self.totals, self.entry.mean, bool(self.entry.passed)).arithmetic


@dataclass(frozen=True)
class ResultTable:
    round: SelectionRound
    rows: list[Row]
    judges: list[Judge] = field(default_factory=list)
    #: Entries that passed in the whole table (not only in ``rows`` when they are one page).
    passed: int = 0

    @property
    def ties_beyond_cap(self) -> bool:
        cap = self.round.max_passing
        return cap is not None and self.passed > cap


def result_table(user: Any, round_: SelectionRound) -> ResultTable:
    """The results as ``user`` may read them: the entries in their scope, the judges' totals
    of the sheets the policy shows them."""
    if not may_see_results(user, round_):
        return ResultTable(round_, [])
    return _table(round_, visible_entries(user), visible_sheets(user))


def round_result_table(round_: SelectionRound) -> ResultTable:
    """The whole round's results, for its documents (minutes, decision) and the IT staff's
    command: the caller has checked who reads them (:func:`may_read_minutes`)."""
    if not round_.has_results:
        return ResultTable(round_, [])
    return _table(
        round_,
        Entry.objects.select_related("product", "establishment", "commune", "province"),
        ScoreSheet.objects.all(),
    )


def result_entries(user: Any, round_: SelectionRound) -> QuerySet[Entry]:
    """The entries of the result table ``user`` may read, in rank order (to page through)."""
    if not may_see_results(user, round_):
        return Entry.objects.none()
    return _ranked(visible_entries(user), round_)


def result_page(user: Any, round_: SelectionRound, entries: list[Entry]) -> ResultTable:
    """The rows of one page of :func:`result_entries`, with the judges' columns, the ties and
    the number of passes of the whole table: four queries whatever the round's size."""
    if not may_see_results(user, round_):
        return ResultTable(round_, [])
    scoped = _ranked(visible_entries(user), round_).order_by()
    means = {e.mean for e in entries if e.mean is not None}
    tied = set(
        scoped.filter(mean__in=means)
        .values("mean")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("mean", flat=True)
    )
    sheets = _counted_sheets(visible_sheets(user), round_)
    judges = dict(
        sheets.order_by("member__full_name", "member_id")
        .values_list("member_id", "member__full_name")
        .distinct()
    )
    return _rows(
        round_,
        entries,
        sheets.filter(entry_id__in=[e.pk for e in entries]),
        tied=tied,
        judges=judges,
        passed=scoped.filter(passed=True).count(),
    )


def _ranked(entries_from: QuerySet[Entry], round_: SelectionRound) -> QuerySet[Entry]:
    return (
        entries_from.filter(round=round_, status=EntryStatus.ACCEPTED)
        .select_related("certificate")
        .order_by("rank", "product__name_sort", "pk")
    )


def _counted_sheets(sheets_from: QuerySet[ScoreSheet], round_: SelectionRound) -> Any:
    """The sheets that count in the results: submitted, of a present judge, entry closed."""
    return sheets_from.filter(
        round=round_,
        entry__scoring_closed_at__isnull=False,
        status=SheetStatus.SUBMITTED,
        member__absent_reason="",
    )


def _table(
    round_: SelectionRound, entries_from: QuerySet[Entry], sheets_from: QuerySet[ScoreSheet]
) -> ResultTable:
    entries = list(_ranked(entries_from, round_))
    means = Counter(e.mean for e in entries if e.mean is not None)
    return _rows(
        round_,
        entries,
        _counted_sheets(sheets_from, round_),
        tied={mean for mean, n in means.items() if n > 1},
        judges=None,
        passed=sum(1 for e in entries if e.passed),
    )


def _rows(
    round_: SelectionRound,
    entries: list[Entry],
    sheets: QuerySet[ScoreSheet],
    *,
    tied: set[Decimal],
    judges: dict[int, str] | None,
    passed: int,
) -> ResultTable:
    """Rows of ``entries`` with the totals of ``sheets`` (one query); the judges' columns are
    ``judges`` or, when None, those who scored these entries."""
    ids = {e.pk for e in entries}
    by_entry: dict[int, dict[int, Decimal]] = {pk: {} for pk in ids}
    seen: dict[int, str] = {}
    for entry_id, member_id, name, total in sheets.order_by(
        "member__full_name", "member_id"
    ).values_list("entry_id", "member_id", "member__full_name", "total"):
        if entry_id in ids:
            by_entry[entry_id][member_id] = Decimal(total)
            seen.setdefault(member_id, name)
    columns = seen if judges is None else judges
    rows = [
        Row(
            entry=e,
            by_judge=by_entry[e.pk],
            totals=tuple(by_entry[e.pk].values()),
            tied=e.mean is not None and e.mean in tied,
            certificate=getattr(e, "certificate", None),
            cells=tuple(by_entry[e.pk].get(pk) for pk in columns),
        )
        for e in entries
    ]
    return ResultTable(
        round_, rows, [Judge(pk, name) for pk, name in columns.items()], passed=passed
    )


def result_of_entry(user: Any, entry: Entry) -> Row | None:
    """One entry's result for its page (None while there is none the user may see)."""
    if entry.status != EntryStatus.ACCEPTED or entry.mean is None:
        return None
    if not may_see_results(user, entry.round):
        return None
    totals = {
        member_id: Decimal(total)
        for member_id, total in visible_sheets(user)
        .filter(
            entry=entry,
            entry__scoring_closed_at__isnull=False,
            status=SheetStatus.SUBMITTED,
            member__absent_reason="",
        )
        .order_by("member__full_name", "member_id")
        .values_list("member_id", "total")
    }
    certificate = visible_certificates(user).filter(entry=entry).first()
    return Row(entry, totals, tuple(totals.values()), False, certificate)


def certificate_for_view(user: Any, pk: int) -> Certificate:
    found = visible_certificates(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
