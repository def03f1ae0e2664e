"""Chấm điểm (PL4): each judge scores each assigned entry alone — draft, submit, re-open their
own sheet before the close (logged); the chair closes the jury when every sheet is in (or its
judge recorded absent) and each entry has its quorum, and the results are written: mean of the
totals, pass, rank (ties shared), the council's cap. Nothing logged here carries a score."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked

from .. import rules
from ..models import (
    ON_JURY,
    CouncilMember,
    Entry,
    EntryStatus,
    ScoreSheet,
    SelectionRound,
    SheetStatus,
)
from ..workflow import RoundStep
from .common import SelectionError, SelectionInvalid, require
from .rounds import finish_step, lock_for_step

#: How many entries a refusal to close names (a national round has hundreds).
LISTED = 10


def _lock_own(actor: Any, sheet: ScoreSheet, expected_version: int) -> ScoreSheet:
    """The judge's own sheet, locked at the version seen, while its entry is being scored."""
    require(actor, policy.Action.SCORE_ENTRY, sheet.entry)
    if sheet.member.user_id != getattr(actor, "pk", None):
        raise SelectionError(_("Mỗi giám khảo chỉ chấm phiếu của chính mình."))
    locked = lock_current_version(sheet, expected_version)
    if not locked.entry.scoring_open:
        raise SelectionError(_("Ban giám khảo đã khóa chấm hồ sơ này: không sửa phiếu được nữa."))
    return locked


@retry_when_locked
@transaction.atomic
def save_sheet(
    *,
    actor: Any,
    sheet: ScoreSheet,
    expected_version: int,
    scores: Mapping[str, object],
    comment: str = "",
    submit: bool = False,
) -> ScoreSheet:
    """Lưu nháp (items may be empty) or nộp phiếu (every item scored, within its cap)."""
    locked = _lock_own(actor, sheet, expected_version)
    if locked.status == SheetStatus.SUBMITTED:
        raise SelectionError(_("Phiếu đã nộp: muốn sửa, hãy mở lại phiếu trước (có ghi nhật ký)."))
    criteria = locked.round.criteria_list
    read, problems = rules.check_scores(criteria, scores, complete=submit)
    if problems:
        found: dict[str, list[str]] = defaultdict(list)
        for problem in problems:
            found[problem.item].append(problem.message)
        raise SelectionInvalid(dict(found))
    locked.scores = {code: str(value) for code, value in read.items()}
    whole = len(rules.criterion_scores(criteria, read)) == len(criteria)
    locked.total = rules.sheet_total(criteria, read) if whole else None
    locked.comment = comment.strip()
    locked.status = SheetStatus.SUBMITTED if submit else SheetStatus.DRAFT
    if submit:
        locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save()
    if submit:
        record_event(
            EventType.SCORE_SHEET,
            actor=actor,
            obj=locked,
            unit=locked.round.unit,
            data={"action": "nop", "entry": locked.entry_id},
        )
    return locked


@retry_when_locked
@transaction.atomic
def reopen_sheet(
    *, actor: Any, sheet: ScoreSheet, expected_version: int, reason: str
) -> ScoreSheet:
    """Mở lại phiếu: only its judge, only before the close; logged with the reason."""
    locked = _lock_own(actor, sheet, expected_version)
    if locked.status != SheetStatus.SUBMITTED:
        raise SelectionError(_("Phiếu chưa nộp: cứ sửa và lưu."))
    if not reason.strip():
        raise SelectionInvalid({"reason": [_("Cần ghi lý do mở lại phiếu đã nộp.")]})
    locked.status = SheetStatus.DRAFT
    locked.reopen_count += 1
    locked.version += 1
    locked.save()
    record_event(
        EventType.SCORE_SHEET,
        actor=actor,
        obj=locked,
        unit=locked.round.unit,
        comment=reason.strip(),
        data={"action": "mo-lai", "entry": locked.entry_id, "times": locked.reopen_count},
    )
    return locked


# --------------------------------------------------------------------------------------------
# Closing (khóa chấm) and the results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Panel:
    """Hội đồng chấm of one entry, counted in SQL: its sheets (the judges assigned), and those
    submitted by a judge not recorded absent."""

    sheets: int
    submitted: int


def panels(round_: SelectionRound, entries: list[Entry] | None = None) -> dict[int, Panel]:
    """Each entry's panel (of the round, or of ``entries``) in one query grouped by entry:
    the closing checks and the council page's short list read the sheets through it once,
    without a row per sheet."""
    sheets = ScoreSheet.objects.filter(round=round_)
    if entries is not None:
        sheets = sheets.filter(entry_id__in=[e.pk for e in entries])
    rows = (
        sheets.order_by()
        .values("entry_id")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=SheetStatus.SUBMITTED, member__absent_reason="")),
        )
    )
    return {row["entry_id"]: Panel(row["n"], row["done"]) for row in rows}


def closing_problems(
    round_: SelectionRound, entries: list[Entry], counted: dict[int, Panel] | None = None
) -> list[str]:
    """Why the jury cannot close yet: sheets still open (by judge), entries whose panel is not
    the jury's odd size (a conflict not yet filled by a reserve), entries below quorum.
    ``counted``: the entries' :func:`panels` when the caller has them already."""
    jury = CouncilMember.objects.filter(ON_JURY, round=round_).count()
    needed = rules.quorum_needed(jury, round_.quorum_numerator, round_.quorum_denominator)
    counted = panels(round_, entries) if counted is None else counted
    empty = Panel(0, 0)
    open_by_judge = (
        ScoreSheet.objects.filter(
            round=round_, entry_id__in=[e.pk for e in entries], member__absent_reason=""
        )
        .exclude(status=SheetStatus.SUBMITTED)
        .order_by("member__full_name")
        .values_list("member__full_name")
        .annotate(n=Count("pk"))
    )
    problems = [
        _("%(j)s còn %(n)s phiếu chưa nộp (hoặc ghi vắng mặt kèm lý do).") % {"j": name, "n": n}
        for name, n in open_by_judge
    ]
    uneven = [
        found
        for e in entries
        if (
            found := rules.panel_problem(
                product=str(e.product), panel=counted.get(e.pk, empty).sheets, jury=jury
            )
        )
    ]
    problems += uneven[:LISTED]
    if len(uneven) > LISTED:
        problems.append(_("… và %(n)s hồ sơ khác như vậy.") % {"n": len(uneven) - LISTED})
    submitted = {e.pk: counted.get(e.pk, empty).submitted for e in entries}
    short = [e for e in entries if submitted[e.pk] < needed]
    if short:
        problems.append(
            _("Mỗi hồ sơ cần ít nhất %(q)s phiếu (%(a)s/%(b)s ban giám khảo); chưa đủ: %(list)s.")
            % {
                "q": needed,
                "a": round_.quorum_numerator,
                "b": round_.quorum_denominator,
                "list": ", ".join(f"{e.product} ({submitted[e.pk]})" for e in short[:LISTED]),
            }
        )
    return problems


def totals_by_entry(round_: SelectionRound, entries: list[Entry]) -> dict[int, list[Decimal]]:
    """Submitted totals of the present judges, per entry (one query)."""
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for entry_id, total in (
        ScoreSheet.objects.filter(
            round=round_,
            entry__in=entries,
            status=SheetStatus.SUBMITTED,
            member__absent_reason="",
        )
        .order_by("member__full_name", "pk")
        .values_list("entry_id", "total")
    ):
        totals[entry_id].append(Decimal(total))
    return totals


def write_results(round_: SelectionRound) -> None:
    """Mean, pass and rank of every accepted entry of the round (its scoring closed)."""
    entries = list(Entry.objects.filter(round=round_, status=EntryStatus.ACCEPTED))
    totals = totals_by_entry(round_, entries)
    means = {e.pk: rules.result_of(totals[e.pk], round_.pass_mark).mean for e in entries}
    ranked = {
        r.key: r for r in rules.rank(means, pass_mark=round_.pass_mark, cap=round_.max_passing)
    }
    for entry in entries:
        entry.mean = means[entry.pk]
        entry.rank = ranked[entry.pk].rank
        entry.passed = ranked[entry.pk].passed
    Entry.objects.bulk_update(entries, ["mean", "rank", "passed"])


@retry_when_locked
@transaction.atomic
def close_round(*, actor: Any, round_: SelectionRound, expected_version: int) -> SelectionRound:
    """Khóa chấm (the chair): every sheet in or its judge absent, each entry with its quorum;
    then the seals open and the results are written."""
    locked, step = lock_for_step(actor, round_, RoundStep.CLOSE, expected_version)
    entries = list(
        Entry.objects.filter(round=locked, status=EntryStatus.ACCEPTED).select_related("product")
    )
    problems = closing_problems(locked, entries)
    if problems:
        raise SelectionError(" ".join(problems))
    now = timezone.now()
    Entry.objects.filter(pk__in=[e.pk for e in entries]).update(scoring_closed_at=now)
    locked.closed_at = now
    write_results(locked)
    finish_step(locked, step, actor=actor)
    return locked
