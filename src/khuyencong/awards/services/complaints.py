"""Khiếu nại kết quả bình chọn: an establishment complains about its entry's published result
within the round's window of working days (``complaint_days`` after the decision date; weekends,
Vietnamese public holidays and the stored swaps skipped — ``core.workdays``); the organising
unit decides within ``complaint_decision_days`` working days, with a reason. Upheld, the
complaint re-opens the scoring of that entry only: its judges' sheets go back to draft and are
sealed again; when every sheet is in, the chair (or the organiser) closes the re-scoring, the
entry's result is written again and, if it now passes, its certificate is issued under the
round's decision. The other entries keep their recognition (and certificates). A complaint
still undecided on its due date reminds the organising unit, once on the day and once when
overdue (``send_complaint_reminders``, run by the daily ``send_holder_report_reminders``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core import workdays
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.core.formatting import format_date
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from .. import rules
from ..models import (
    Certificate,
    Complaint,
    ComplaintStatus,
    Entry,
    EntryStatus,
    RoundStatus,
    ScoreSheet,
    SelectionRound,
    SheetStatus,
)
from .common import (
    SelectionError,
    SelectionInvalid,
    representatives_of,
    require,
    today,
    users_with_role,
)
from .entries import ORGANISER_ROLE
from .results import certificate_number, new_codes
from .scoring import closing_problems, totals_by_entry


def complaint_deadline(round_: SelectionRound) -> datetime.date | None:
    """The last day a complaint is received: ``complaint_days`` working days after the
    decision that published the result (none before publication)."""
    if round_.status != RoundStatus.PUBLISHED or round_.decision_date is None:
        return None
    return workdays.add_working_days(round_.decision_date, round_.complaint_days)


def may_lodge(actor: Any, entry: Entry, on: datetime.date) -> tuple[bool, str]:
    """Whether the establishment may complain about ``entry`` on ``on``, and if not why."""
    if not policy.can(actor, policy.Action.LODGE_COMPLAINT, entry):
        return False, ""
    round_ = entry.round
    deadline = complaint_deadline(round_)
    if deadline is None:
        return False, _("Chỉ khiếu nại được sau khi kết quả được công bố.")
    if entry.status != EntryStatus.ACCEPTED:
        return False, _("Chỉ khiếu nại kết quả của hồ sơ đã được chấm điểm.")
    if on > deadline:
        return False, _(
            "Đã hết hạn khiếu nại: %(n)s ngày làm việc kể từ ngày công bố %(d)s, tức đến hết "
            "ngày %(end)s."
        ) % {
            "n": round_.complaint_days,
            "d": format_date(round_.decision_date),
            "end": format_date(deadline),
        }
    if entry.complaints.filter(status=ComplaintStatus.LODGED).exists():
        return False, _("Hồ sơ này đang có một khiếu nại chờ giải quyết.")
    return True, ""


@retry_when_locked
@transaction.atomic
def lodge_complaint(*, actor: Any, entry: Entry, text: str) -> Complaint:
    """Gửi khiếu nại (the entry's establishment), within the window."""
    require(actor, policy.Action.LODGE_COMPLAINT, entry)
    locked = Entry.objects.select_for_update().select_related("round").get(pk=entry.pk)
    on = today()
    allowed, reason = may_lodge(actor, locked, on)
    if not allowed:
        raise SelectionError(reason)
    text = text.strip()
    if len(text) < 10:
        raise SelectionInvalid(
            {"text": [_("Hãy ghi rõ nội dung khiếu nại (điểm nào, tiêu chí nào, vì sao).")]}
        )
    round_ = locked.round
    complaint = Complaint.objects.create(
        entry=locked,
        round=round_,
        establishment_id=locked.establishment_id,
        commune_id=locked.commune_id,
        text=text,
        lodged_on=on,
        reply_due=workdays.add_working_days(on, round_.complaint_decision_days),
        lodged_by=actor,
    )
    record_event(EventType.SELECTION_COMPLAINT, actor=actor, obj=complaint, data={"action": "gui"})
    organisers = users_with_role([ORGANISER_ROLE[round_.level]], [round_.unit])
    notify(
        [u for u in organisers if u != actor],
        NotificationKind.SELECTION,
        Msg(
            gettext_noop("Khiếu nại kết quả bình chọn “%(p)s”: giải quyết trước %(d)s"),
            p=str(locked.product),
            d=format_date(complaint.reply_due),
        ),
        text[:300],
        reverse("awards:complaint_detail", args=[complaint.pk]),
        unit=round_.unit,
    )
    return complaint


def send_complaint_reminders(on: datetime.date | None = None) -> int:
    """Nhắc giải quyết khiếu nại: the organising unit of every complaint not decided by its
    due date (``complaint_decision_days`` working days after it was lodged) gets a notice on
    that day and another once it is overdue — one per complaint and stage, so running the
    daily job twice sends nothing twice. Returns how many notices were sent."""
    on = on or today()
    organisers: dict[tuple[str, int], list[Any]] = {}
    sent = 0
    for complaint in Complaint.objects.filter(
        status=ComplaintStatus.LODGED, reply_due__lte=on
    ).select_related("round__unit", "entry__product"):
        round_ = complaint.round
        key = (round_.level, round_.unit_id)
        if key not in organisers:
            organisers[key] = list(users_with_role([ORGANISER_ROLE[round_.level]], [round_.unit]))
        if on > complaint.reply_due:
            stage = "qua-han"
            title = gettext_noop("Quá hạn giải quyết khiếu nại về “%(p)s” (hạn %(d)s)")
        else:
            stage = "den-han"
            title = gettext_noop("Hôm nay (%(d)s) là hạn giải quyết khiếu nại về “%(p)s”")
        sent += len(
            notify(
                organisers[key],
                NotificationKind.SELECTION,
                Msg(title, p=str(complaint.entry.product), d=format_date(complaint.reply_due)),
                Msg(
                    gettext_noop(
                        "Khiếu nại kết quả bình chọn phải được giải quyết trong %(n)s ngày làm "
                        "việc kể từ ngày nhận (%(r)s), kèm lý do."
                    ),
                    n=round_.complaint_decision_days,
                    r=format_date(complaint.lodged_on),
                ),
                reverse("awards:complaint_detail", args=[complaint.pk]),
                unit=round_.unit,
                dedupe_key=f"khieu-nai:{complaint.pk}:{stage}",
            )
        )
    return sent


@retry_when_locked
@transaction.atomic
def decide_complaint(
    *, actor: Any, complaint: Complaint, expected_version: int, upheld: bool, decision: str
) -> Complaint:
    """Giải quyết khiếu nại (the organising unit), with its reason; upheld, it re-opens the
    scoring of that entry only."""
    require(actor, policy.Action.RUN_SELECTION, complaint.round)
    locked = lock_current_version(complaint, expected_version)
    if locked.status != ComplaintStatus.LODGED:
        raise SelectionError(_("Khiếu nại này đã được giải quyết."))
    decision = decision.strip()
    if not decision:
        raise SelectionInvalid(
            {"decision": [_("Cần ghi kết quả giải quyết và lý do (chấp nhận hay không, vì sao).")]}
        )
    locked.status = ComplaintStatus.UPHELD if upheld else ComplaintStatus.DISMISSED
    locked.decision = decision
    locked.decided_on = today()
    locked.decided_by = actor
    locked.version += 1
    locked.save()
    if upheld:
        _reopen_entry(locked.entry, actor=actor, complaint=locked)
    record_event(
        EventType.SELECTION_COMPLAINT,
        actor=actor,
        obj=locked,
        comment=decision,
        data={
            "action": "chap-nhan" if upheld else "bac",
            "late": locked.decided_on > locked.reply_due,
        },
    )
    users = [u for u in representatives_of(locked.establishment_id) if u != actor]
    notify(
        users,
        NotificationKind.SELECTION,
        Msg(
            gettext_noop("Khiếu nại về “%(p)s”: %(s)s"),
            p=str(locked.entry.product),
            s=Msg.label(ComplaintStatus(locked.status).label),
        ),
        decision[:300],
        reverse("awards:complaint_detail", args=[locked.pk]),
        unit=locked.commune,
    )
    return locked


def _reopen_entry(entry: Entry, *, actor: Any, complaint: Complaint) -> None:
    """Chấm lại one entry: its result withdrawn, its present judges' sheets back to draft
    (their scores kept for them to amend) and sealed again."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    sheets = list(
        ScoreSheet.objects.select_for_update().filter(entry=locked, member__absent_reason="")
    )
    for sheet in sheets:
        sheet.status = SheetStatus.DRAFT
        sheet.reopen_count += 1
        sheet.version += 1
    ScoreSheet.objects.bulk_update(sheets, ["status", "reopen_count", "version"])
    locked.scoring_closed_at = None
    locked.mean = None
    locked.passed = None
    locked.rank = None
    locked.version += 1
    locked.save()
    record_event(
        EventType.SELECTION_ENTRY,
        actor=actor,
        obj=locked,
        comment=complaint.decision,
        data={"action": "cham-lai", "complaint": complaint.pk, "sheets": len(sheets)},
    )
    judges = [
        s.member.user
        for s in ScoreSheet.objects.filter(pk__in=[s.pk for s in sheets]).select_related(
            "member__user"
        )
        if s.member.user is not None
    ]
    notify(
        judges,
        NotificationKind.SELECTION,
        Msg(
            gettext_noop("Chấm lại hồ sơ “%(p)s” theo khiếu nại được chấp nhận"),
            p=str(locked.product),
        ),
        "",
        reverse("awards:judge_home", args=[locked.round.code]),
        unit=locked.round.unit,
    )


def may_close_rescoring(actor: Any, entry: Entry) -> policy.Decision:
    """The chair closes a re-scoring, as they close the jury; the organiser may too."""
    chair = policy.can(actor, policy.Action.CHAIR_JURY, entry.round)
    return chair if chair else policy.can(actor, policy.Action.RUN_SELECTION, entry.round)


@retry_when_locked
@transaction.atomic
def close_rescoring(*, actor: Any, entry: Entry, expected_version: int) -> Entry:
    """Khóa chấm lại: every present judge's sheet in; the entry's mean, pass and rank written
    again, the round's ranking renumbered; a certificate issued if it now passes."""
    decision = may_close_rescoring(actor, entry)
    if not decision:
        raise PermissionDenied(decision.reason)
    locked = lock_current_version(entry, expected_version)
    round_ = SelectionRound.objects.select_for_update().get(pk=locked.round_id)
    if not locked.is_being_rescored:
        raise SelectionError(_("Hồ sơ này không đang được chấm lại."))
    problems = closing_problems(round_, [locked])
    if problems:
        raise SelectionError(" ".join(problems))
    totals = totals_by_entry(round_, [locked])[locked.pk]
    locked.mean = rules.result_of(totals, round_.pass_mark).mean
    locked.scoring_closed_at = timezone.now()
    locked.version += 1
    locked.save()
    _rank_again(round_, locked)
    locked.refresh_from_db()
    certificate = _certify(round_, locked, actor) if locked.passed else None
    record_event(
        EventType.SELECTION_ENTRY,
        actor=actor,
        obj=locked,
        data={
            "action": "khoa-cham-lai",
            "passed": bool(locked.passed),
            "certificate": certificate.number if certificate else None,
        },
    )
    return locked


def _rank_again(round_: SelectionRound, rescored: Entry) -> None:
    """Ranks renumbered with the new mean; only the re-scored entry's pass changes (the others
    keep what the published decision recognised)."""
    entries = list(
        Entry.objects.filter(round=round_, status=EntryStatus.ACCEPTED, mean__isnull=False)
    )
    means = {e.pk: e.mean for e in entries}
    ranked = {
        r.key: r for r in rules.rank(means, pass_mark=round_.pass_mark, cap=round_.max_passing)
    }
    for entry in entries:
        entry.rank = ranked[entry.pk].rank
        if entry.pk == rescored.pk:
            entry.passed = ranked[entry.pk].passed
    Entry.objects.bulk_update(entries, ["rank", "passed"])


def _certify(round_: SelectionRound, entry: Entry, actor: Any) -> Certificate | None:
    if Certificate.objects.filter(entry=entry).exists():
        return None
    assert round_.decision_date is not None
    issued_on = today()
    count = Certificate.objects.filter(round=round_).count()
    certificate = Certificate.objects.create(
        number=certificate_number(round_, count + 1),
        code=new_codes(1)[0],
        entry=entry,
        product=entry.product,
        establishment_id=entry.establishment_id,
        round=round_,
        level=round_.level,
        commune_id=entry.commune_id,
        issued_on=issued_on,
        valid_until=rules.valid_until(issued_on, round_.validity_years),
        decision=_("Quyết định số %(n)s ngày %(d)s (bổ sung sau khiếu nại)")
        % {"n": round_.decision_number, "d": format_date(round_.decision_date)},
        is_demo=round_.is_demo,
    )
    record_event(
        EventType.CERTIFICATE,
        actor=actor,
        obj=certificate,
        comment=certificate.decision,
        data={"action": "cap", "round": round_.pk, "entry": entry.pk, "after_complaint": True},
    )
    return certificate
