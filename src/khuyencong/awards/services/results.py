"""Kết quả và giấy chứng nhận: after the close the council may cap how many products pass
(recorded with its basis, the results written again); the organiser publishes the result with
the recognising decision, which issues a certificate (PL6) to every product that passed, valid
to 31 December of the round's ``validity_years``-th year counting the year of issue; the
organiser revokes a certificate with the reason and the decision."""

from __future__ import annotations

import datetime
import secrets
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
from khuyencong.core import bounds
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.core.formatting import format_date
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from .. import rules
from ..models import Certificate, Entry, EntryStatus, RoundStatus, SelectionRound
from ..workflow import RoundStep
from .common import SelectionError, SelectionInvalid, representatives_of, require
from .rounds import finish_step, lock_for_step
from .scoring import write_results

#: Letters of the public code printed in the QR (no 0/O, 1/I/L: read aloud or typed by hand).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def may_record_cap(actor: Any, round_: SelectionRound) -> policy.Decision:
    """The council decides how many pass: its chair, or the organiser, records it."""
    run = policy.can(actor, policy.Action.RUN_SELECTION, round_)
    if run:
        return run
    chair = policy.can(actor, policy.Action.CHAIR_JURY, round_)
    return chair if chair else run


@retry_when_locked
@transaction.atomic
def set_pass_cap(
    *,
    actor: Any,
    round_: SelectionRound,
    expected_version: int,
    max_passing: int | None,
    basis: str,
) -> SelectionRound:
    """Ghi số sản phẩm được công nhận tối đa (or lift the cap) and rank again."""
    decision = may_record_cap(actor, round_)
    if not decision:
        raise PermissionDenied(decision.reason)
    locked = lock_current_version(round_, expected_version)
    if locked.status != RoundStatus.CLOSED:
        raise SelectionError(
            _(
                "Chỉ ghi giới hạn số sản phẩm được công nhận sau khi khóa chấm và trước khi công "
                "bố kết quả (kỳ đang ở trạng thái “%(s)s”)."
            )
            % {"s": locked.get_status_display()}
        )
    basis = " ".join(basis.split())
    if max_passing is not None and max_passing < 1:
        raise SelectionInvalid(
            {"max_passing": [_("Số sản phẩm được công nhận tối đa phải từ 1 trở lên.")]}
        )
    if max_passing is not None and not basis:
        raise SelectionInvalid(
            {"max_passing_basis": [_("Cần ghi căn cứ giới hạn (ý kiến, biên bản của hội đồng).")]}
        )
    locked.max_passing = max_passing
    locked.max_passing_basis = basis if max_passing is not None else ""
    locked.version += 1
    locked.save()
    write_results(locked)
    record_event(
        EventType.SELECTION_ROUND,
        actor=actor,
        obj=locked,
        comment=basis,
        data={"action": "gioi-han", "max_passing": max_passing},
    )
    return locked


# --------------------------------------------------------------------------------------------
# Publishing and certificates
# --------------------------------------------------------------------------------------------
def certificate_number(round_: SelectionRound, n: int) -> str:
    """``012/2026/GCN-7``: the n-th certificate of the round (its id), the year of the round."""
    return f"{n:03d}/{round_.year}/GCN-{round_.pk}"


def new_codes(count: int) -> list[str]:
    """``count`` public codes not yet used (random, so a code says nothing of its neighbours)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        fresh = {
            "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
            for _j in range(wanted)
        }
        taken = set(Certificate.objects.filter(code__in=fresh).values_list("code", flat=True))
        codes |= fresh - taken
    return sorted(codes)[:count]


def _check_decision(
    locked: SelectionRound, number: str, day: datetime.date | None
) -> tuple[str, datetime.date]:
    problems: dict[str, list[str]] = {}
    number = " ".join(number.split())
    if not number:
        problems["decision_number"] = [
            _("Cần ghi số quyết định công nhận sản phẩm, ví dụ 1234/QĐ-UBND.")
        ]
    if day is None:
        problems["decision_date"] = [_("Cần ghi ngày ký quyết định công nhận.")]
    else:
        try:
            bounds.PAST_DATE.check(day, str(_("Ngày quyết định")))
        except bounds.OutOfBounds as exc:
            problems["decision_date"] = [str(exc)]
        closed_on = timezone.localdate(locked.closed_at) if locked.closed_at else None
        if closed_on is not None and day < closed_on:
            problems.setdefault("decision_date", []).append(
                _("Quyết định công nhận không thể ký trước ngày khóa chấm (%(d)s).")
                % {"d": format_date(closed_on)}
            )
    if problems:
        raise SelectionInvalid(problems)
    assert day is not None
    return number, day


@retry_when_locked
@transaction.atomic
def publish_round(
    *,
    actor: Any,
    round_: SelectionRound,
    expected_version: int,
    decision_number: str,
    decision_date: datetime.date | None,
) -> list[Certificate]:
    """Công bố kết quả: the recognising decision, a certificate for each product that passed."""
    locked, step = lock_for_step(actor, round_, RoundStep.PUBLISH, expected_version)
    number, day = _check_decision(locked, decision_number, decision_date)
    locked.decision_number = number
    locked.decision_date = day
    passed = list(
        Entry.objects.filter(round=locked, status=EntryStatus.ACCEPTED, passed=True)
        .select_related("product", "commune")
        .order_by("rank", "product__name_sort", "pk")
    )
    valid_until = rules.valid_until(day, locked.validity_years)
    decision = _("Quyết định số %(n)s ngày %(d)s") % {"n": number, "d": format_date(day)}
    issued = []
    for n, (entry, code) in enumerate(zip(passed, new_codes(len(passed)), strict=True), start=1):
        certificate = Certificate.objects.create(
            number=certificate_number(locked, n),
            code=code,
            entry=entry,
            product=entry.product,
            establishment_id=entry.establishment_id,
            round=locked,
            level=locked.level,
            commune=entry.commune,
            issued_on=day,
            valid_until=valid_until,
            decision=decision,
            is_demo=locked.is_demo,
        )
        record_event(
            EventType.CERTIFICATE,
            actor=actor,
            obj=certificate,
            comment=decision,
            data={"action": "cap", "round": locked.pk, "entry": entry.pk},
        )
        issued.append(certificate)
    finish_step(locked, step, actor=actor, comment=decision)
    _notify_entrants(locked, actor)
    return issued


def _notify_entrants(round_: SelectionRound, actor: Any) -> None:
    """Each establishment in the round hears of the result of its own entries."""
    for entry in Entry.objects.filter(round=round_, status=EntryStatus.ACCEPTED).select_related(
        "product"
    ):
        users = [u for u in representatives_of(entry.establishment_id) if u != actor]
        if not users:
            continue
        verdict = gettext_noop("đạt") if entry.passed else gettext_noop("không đạt")
        notify(
            users,
            NotificationKind.SELECTION,
            Msg(
                gettext_noop("Kết quả bình chọn “%(p)s”: %(v)s"),
                p=str(entry.product),
                v=Msg(verdict),
            ),
            "",
            reverse("awards:entry_detail", args=[entry.pk]),
            unit=round_.unit,
        )


@retry_when_locked
@transaction.atomic
def revoke_certificate(
    *,
    actor: Any,
    certificate: Certificate,
    expected_version: int,
    revoked_on: datetime.date | None,
    reason: str,
    decision: str,
) -> Certificate:
    """Thu hồi giấy chứng nhận (a breach of the product rules): by the issuing organiser."""
    require(actor, policy.Action.RUN_SELECTION, certificate.round)
    locked = lock_current_version(certificate, expected_version)
    if locked.revoked_on is not None:
        raise SelectionError(
            _("Giấy chứng nhận số %(n)s đã bị thu hồi ngày %(d)s.")
            % {"n": locked.number, "d": format_date(locked.revoked_on)}
        )
    problems: dict[str, list[str]] = {}
    reason, decision = reason.strip(), " ".join(decision.split())
    if not reason:
        problems["reason"] = [_("Cần ghi lý do thu hồi (vi phạm gì).")]
    if not decision:
        problems["decision"] = [_("Cần ghi số, ngày quyết định thu hồi.")]
    if revoked_on is None:
        problems["revoked_on"] = [_("Cần ghi ngày thu hồi.")]
    else:
        try:
            bounds.PAST_DATE.check(revoked_on, str(_("Ngày thu hồi")))
        except bounds.OutOfBounds as exc:
            problems["revoked_on"] = [str(exc)]
        if revoked_on < locked.issued_on:
            problems.setdefault("revoked_on", []).append(
                _("Ngày thu hồi không thể trước ngày cấp (%(d)s).")
                % {"d": format_date(locked.issued_on)}
            )
    if problems:
        raise SelectionInvalid(problems)
    locked.revoked_on = revoked_on
    locked.revocation_reason = reason
    locked.revocation_decision = decision
    locked.version += 1
    locked.save()
    record_event(
        EventType.CERTIFICATE,
        actor=actor,
        obj=locked,
        comment=reason,
        data={"action": "thu-hoi", "decision": decision},
    )
    users = [u for u in representatives_of(locked.establishment_id) if u != actor]
    if users:
        notify(
            users,
            NotificationKind.SELECTION,
            Msg(gettext_noop("Giấy chứng nhận số %(n)s bị thu hồi"), n=locked.number),
            reason,
            reverse("awards:certificate_detail", args=[locked.pk]),
            unit=locked.commune,
        )
    return locked
