"""Sending notifications: stored in the app, and e-mailed once the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation

from khuyencong.geo.models import AdministrativeUnit

from . import text
from .models import Notification

logger = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


def _send_mail(notification_ids: list[int]) -> None:
    notices = list(
        Notification.objects.filter(pk__in=notification_ids, emailed=False).select_related(
            "recipient"
        )
    )
    messages = []
    for notice in notices:
        if not notice.recipient.email or not notice.recipient.is_active:
            continue
        with translation.override(notice.recipient.language or settings.LANGUAGE_CODE):
            title, body = notice.shown_title, notice.shown_body
        if notice.url:
            body = f"{body}\n\n{_absolute(notice.url)}".strip()
        messages.append(
            EmailMessage(
                subject=f"[Khuyến công số] {title}",
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notice.recipient.email],
            )
        )
    if not messages:
        return
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except Exception:  # the notice is stored in the app; the mail is best effort
        logger.exception("Không gửi được thư thông báo (%s thư)", len(messages))
        return
    Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed=True)


def _stored(title: text.Part, body: text.Part) -> tuple[str, str, dict[str, Any] | None]:
    """The Vietnamese title and body (for the admin and older readers) and, for a title or
    body given as :class:`~.text.Msg`, the form rendered in each reader's language."""
    with translation.override(settings.LANGUAGE_CODE):
        shown = str(title)[:255], str(body)
    message = {
        key: text.dump(part)
        for key, part in (("title", title), ("body", body))
        if isinstance(part, text.Msg | text.Lines)
    }
    return *shown, message or None


def notify(
    users: Iterable[Any],
    kind: str,
    title: text.Part,
    body: text.Part = "",
    url: str = "",
    *,
    unit: AdministrativeUnit | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Store a notice for each user (once each) and e-mail it after the transaction commits.

    ``title`` and ``body`` are :class:`~.text.Msg` (or :func:`~.text.lines`) so that each
    recipient reads them in their own language; plain text (data, a reason someone wrote) is
    shown as written. With ``dedupe_key``, a user who already has a notice with that key gets
    nothing new: running a reminder job twice sends nothing twice. Returns the notices created.
    """
    recipients = {user.pk: user for user in users if user is not None and user.pk is not None}
    if dedupe_key and recipients:
        already = set(
            Notification.objects.filter(
                dedupe_key=dedupe_key, recipient_id__in=list(recipients)
            ).values_list("recipient_id", flat=True)
        )
        recipients = {pk: u for pk, u in recipients.items() if pk not in already}
    if not recipients:
        return []
    title_vi, body_vi, message = _stored(title, body)
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                title=title_vi,
                body=body_vi,
                message=message,
                url=url,
                unit=unit,
                dedupe_key=dedupe_key,
            )
            for pk in recipients
        ],
        ignore_conflicts=bool(dedupe_key),
    )
    if dedupe_key:
        # ignore_conflicts leaves primary keys unset: read back what this call created.
        created = list(
            Notification.objects.filter(
                dedupe_key=dedupe_key, recipient_id__in=list(recipients), emailed=False
            )
        )
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: _send_mail(ids))
    return created


def mark_read(*, user: Any, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
