"""What the activity log (``/nhat-ky/``) prints, pinned before its rows changed from events
built as models (actor, unit and content type joined) to the shown columns (issue 11)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from khuyencong.accounts.models import Role, User
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.audit.services import record_event
from khuyencong.core.formatting import format_date

pytestmark = pytest.mark.django_db

PER_PAGE = 50
_ROW = re.compile(r"<tr><td>(.*?)</td></tr>", re.S)


def _rows(body: str) -> list[str]:
    return _ROW.findall(body.split("<tbody>", 1)[1].split("</tbody>", 1)[0])


def _row(event: ActivityEvent) -> str:
    """The row as the page printed it before the change (its template, spelt out)."""
    cells = [
        format_date(event.at),
        escape(event.get_event_type_display()),
        escape(str(event.actor)) if event.actor is not None else "—",
        escape(event.object_repr),
        escape(str(event.unit)) if event.unit is not None else "",
        escape(event.comment),
    ]
    return "</td><td>".join(cells)


@pytest.fixture
def officer(make_user: Any, unit: Any) -> Any:
    officer = make_user(Role.PROVINCE_SCT, "14")
    nameless = make_user(Role.COMMUNE_OFFICER, "03985")
    User.objects.filter(pk=nameless.pk).update(full_name="")  # shown by their address
    nameless.refresh_from_db()
    commune = nameless.current_assignment.unit
    made = []
    for n in range(PER_PAGE + 5):
        actor = (officer, nameless, None)[n % 3]
        made.append(
            record_event(
                (EventType.UNIT_UPDATED, EventType.ROUND_OPENED)[n % 2],
                actor=actor,
                obj=commune if n % 4 else None,
                unit=None if n % 4 else officer.current_assignment.unit,
                comment=f"Ghi chú <{n}> & số" if n % 5 else "",
            )
        )
    start = timezone.now() - timedelta(days=3)
    for n, event in enumerate(made):  # distinct instants, in the past
        ActivityEvent.objects.filter(pk=event.pk).update(at=start + timedelta(minutes=30 * n))
    other = make_user(Role.PROVINCE_SCT, "56")  # Khánh Hòa: out of Sơn La's scope
    record_event(EventType.UNIT_UPDATED, actor=other, obj=other.current_assignment.unit)
    officer.outside = other
    return officer


def _expected(officer: Any) -> list[ActivityEvent]:
    """Every event of Sơn La, newest first (logging in records one too)."""
    found = ActivityEvent.objects.exclude(actor=officer.outside).exclude(
        unit=officer.outside.current_assignment.unit
    )
    return list(found.select_related("actor", "unit").order_by("-at", "-id"))


def test_the_log_prints_each_event_of_the_scope_newest_first(officer, client):
    client.force_login(officer)
    expected = _expected(officer)
    assert len(expected) > PER_PAGE
    first = client.get(reverse("audit:activity_log")).content.decode()
    assert _rows(first) == [_row(e) for e in expected[:PER_PAGE]]
    second = client.get(reverse("audit:activity_log"), {"trang": 2}).content.decode()
    assert _rows(second) == [_row(e) for e in expected[PER_PAGE : 2 * PER_PAGE]]
    shown = first + second
    assert "&lt;1&gt; &amp; số" in shown
    assert "—" in shown  # an event without actor
    assert "@test.khuyencong.vn" in shown  # an actor without a name


def test_the_filter_and_the_language(officer, client):
    client.force_login(officer)
    body = client.get(reverse("audit:activity_log"), {"loai": EventType.ROUND_OPENED})
    expected = [e for e in _expected(officer) if e.event_type == EventType.ROUND_OPENED]
    assert _rows(body.content.decode()) == [_row(e) for e in expected[:PER_PAGE]]
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("audit:activity_log")).content.decode()
    with translation.override("en"):
        assert _rows(english) == [_row(e) for e in _expected(officer)[:PER_PAGE]]


def test_nothing_in_the_filter(officer, client):
    client.force_login(officer)
    body = client.get(reverse("audit:activity_log"), {"loai": EventType.CERTIFICATE})
    assert "Chưa có sự kiện nào." in body.content.decode()
