"""Chấm điểm (PL4): each judge scores each assigned entry alone — draft, submit, re-open their
own sheet before the close (logged); the chair closes the jury when every sheet is in (or its
judge recorded absent) and each entry has its quorum, and the results are written: mean of the
totals, pass, rank (ties shared), the council's cap. Nothing logged here carries a score."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked

from .. import rules
from ..models import (
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
def closing_problems(round_: SelectionRound, entries: list[Entry]) -> list[str]:
    """Why the jury cannot close yet: sheets still open (by judge), entries whose panel is not
    the jury's odd size (a conflict not yet filled by a reserve), entries below quorum."""
    judges = list(CouncilMember.objects.filter(round=round_, is_judge=True))
    present = {j.pk for j in judges if not j.is_absent}
    jury = sum(1 for j in judges if j.on_jury)
    needed = rules.quorum_needed(jury, round_.quorum_numerator, round_.quorum_denominator)
    open_by_judge: dict[str, int] = defaultdict(int)
    submitted: dict[int, int] = defaultdict(int)
    panel: dict[int, int] = defaultdict(int)
    ids = {e.pk for e in entries}
    for member_id, name, entry_id, status in ScoreSheet.objects.filter(
        round=round_, entry_id__in=ids
    ).values_list("member_id", "member__full_name", "entry_id", "status"):
        panel[entry_id] += 1
        if member_id not in present:
            continue
        if status == SheetStatus.SUBMITTED:
            submitted[entry_id] += 1
        else:
            open_by_judge[name] += 1
    problems = [
        _("%(j)s còn %(n)s phiếu chưa nộp (hoặc ghi vắng mặt kèm lý do).") % {"j": name, "n": n}
        for name, n in sorted(open_by_judge.items())
    ]
    panels = [
        found
        for e in entries
        if (found := rules.panel_problem(product=str(e.product), panel=panel[e.pk], jury=jury))
    ]
    problems += panels[:LISTED]
    if len(panels) > LISTED:
        problems.append(_("… và %(n)s hồ sơ khác như vậy.") % {"n": len(panels) - LISTED})
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
