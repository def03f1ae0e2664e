"""A user's own notices: nobody reads another user's notices."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification


def notices_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    notices = Notification.objects.filter(recipient=user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return notices_for(user, unread_only=True).count()


def notice_for(user: Any, pk: int) -> Notification:
    notice = notices_for(user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice
