"""Đồng ký của Sở Tài chính: which recorded payment needs the finance department's
co-signature (the threshold rows, ``CoSignRule``), and the co-signature itself. The rule is
``cosign.rule_for`` (pure); this module reads the rows and writes the decision."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.core.formatting import format_money
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from . import cosign, kept_money, rules
from .models import CoSignRule, Payment, Project


class CoSignError(Exception):
    """A co-signature that cannot be given; the message says why."""


def rule_for(
    project: Project, *, fund: str, stage: str, amount: int, on: datetime.date
) -> CoSignRule | None:
    """The threshold row that makes this payment need Finance's co-signature (one query)."""
    rows = {
        r.pk: r
        for r in CoSignRule.objects.filter(
            Q(province__isnull=True) | Q(province_id=project.unit_id), fund=fund
        )
    }
    found = cosign.rule_for(
        [r.as_rule() for r in rows.values()],
        fund=fund,
        stage=stage,
        amount=amount,
        on=on,
        province_id=project.unit_id,
    )
    return rows[found.pk] if found is not None else None


def rules_in_force(project_unit_id: int | None, on: datetime.date) -> list[CoSignRule]:
    """The rows in force on ``on`` for a province (its own and the national ones)."""
    found = CoSignRule.objects.filter(effective_from__lte=on).exclude(effective_to__lte=on)
    if project_unit_id is not None:
        found = found.filter(Q(province__isnull=True) | Q(province_id=project_unit_id))
    return list(found.select_related("province").order_by("fund", "province", "min_amount"))


def finance_officers(project: Project) -> list[Any]:
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.PROVINCE_FINANCE, unit=project.unit, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def ask_for_cosignature(payment: Payment, actor: Any) -> None:
    """Tell the province's finance department a payment awaits its co-signature."""
    project = payment.project
    recipients = [u for u in finance_officers(project) if u != actor]
    if recipients:
        notify(
            recipients,
            NotificationKind.PROJECT,
            Msg(
                gettext_noop("Thanh toán %(amount)s của đề án “%(p)s” chờ Sở Tài chính đồng ký"),
                amount=format_money(payment.amount),
                p=project.title,
            ),
            payment.cosign_rule.legal_basis if payment.cosign_rule else "",
            reverse("projects:disbursement"),
            unit=project.unit,
        )


@retry_when_locked
@transaction.atomic
def cosign_payment(
    *, actor: Any, payment: Payment, expected_version: int, agree: bool, note: str = ""
) -> Payment:
    """Sở Tài chính đồng ký (or refuses, with the reason) a payment awaiting its signature.

    Co-signed, the payment counts as disbursed; refused, it counts nowhere (the centre may
    record a corrected one). The project is locked at the version the officer saw."""
    project = payment.project
    decision = policy.can(actor, policy.Action.COSIGN_PAYMENT, project)
    if not decision:
        raise PermissionDenied(decision.reason)
    locked = lock_current_version(project, expected_version)
    current = Payment.objects.select_for_update().get(pk=payment.pk)
    if current.cosign_status != cosign.PENDING:
        raise CoSignError(
            _("Khoản thanh toán này không chờ đồng ký (%(state)s).")
            % {"state": current.get_cosign_status_display()}
        )
    note = note.strip()
    if not agree and not note:
        raise CoSignError(_("Cần ghi lý do khi không đồng ý thanh toán."))
    current.cosign_status = cosign.COSIGNED if agree else cosign.REFUSED
    current.cosigned_by = actor
    current.cosigned_at = timezone.now()
    current.cosign_note = note[:500]
    current.save(update_fields=["cosign_status", "cosigned_by", "cosigned_at", "cosign_note"])
    kept_money.keep(locked)  # co-signed, the payment now counts as disbursed
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    summary = f"{rules.fund_label(current.fund)} {format_money(current.amount)}"
    record_event(
        EventType.PAYMENT_COSIGNED if agree else EventType.PAYMENT_COSIGN_REFUSED,
        actor=actor,
        obj=locked,
        comment=" — ".join(part for part in (summary, note) if part),
        data={"payment": current.pk, "fund": current.fund, "amount": current.amount},
    )
    _tell_the_centre(locked, current, actor, agree)
    return current


def _tell_the_centre(project: Project, payment: Payment, actor: Any, agree: bool) -> None:
    recipients = [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.PROVINCE_CENTRE, unit=project.unit, is_active=True, user__is_active=True
        ).select_related("user")
        if a.user != actor
    ]
    if not recipients:
        return
    title = Msg(
        gettext_noop("Sở Tài chính đã đồng ký thanh toán %(amount)s của đề án “%(p)s”")
        if agree
        else gettext_noop("Sở Tài chính không đồng ý thanh toán %(amount)s của đề án “%(p)s”"),
        amount=format_money(payment.amount),
        p=project.title,
    )
    notify(
        recipients,
        NotificationKind.PROJECT,
        title,
        payment.cosign_note,
        reverse("projects:project_detail", args=[project.pk]),
        unit=project.unit,
    )


def load_default_rules() -> int:
    """The national default threshold rows (also created by migration 0006), for a database
    emptied since. Returns how many were created."""
    created = 0
    for row in cosign.DEFAULT_RULES:
        _rule, made = CoSignRule.objects.get_or_create(
            province=None,
            effective_from=cosign.DEFAULT_EFFECTIVE_FROM,
            **row,
            defaults={"legal_basis": cosign.DEFAULT_LEGAL_BASIS},
        )
        created += made
    return created
