"""What the home page's "Hoạt động gần đây" column shows, pinned before its read changed
(issue 11: the ten events read as the shown columns, not as events with their actor, unit and
content type built as models)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from khuyencong.accounts.models import Role, User
from khuyencong.audit.models import ActivityEvent, EventType, Visibility
from khuyencong.audit.services import record_event
from khuyencong.core.formatting import format_date
from khuyencong.registry.models import Establishment, LegalForm, ProductGroup

pytestmark = pytest.mark.django_db

SHOWN = 10
_ITEM = re.compile(r'<li class="list-group-item small">(.*?)</li>', re.S)


def _activity(body: str, heading: str = "Hoạt động gần đây trong phạm vi") -> list[str]:
    return _ITEM.findall(body.split(heading, 1)[1])


def _line(event: ActivityEvent, *, names: bool) -> str:
    """The item as the page printed it before the change (its template, spelt out)."""
    line = f"{format_date(event.at)} · {escape(event.get_event_type_display())}"
    if event.object_repr:
        line += f": {escape(event.object_repr)}"
    if event.actor is not None and names:
        line += f' <span class="text-muted">({escape(str(event.actor))})</span>'
    return line


def _spread(events: list[ActivityEvent]) -> None:
    """Distinct instants in the past, oldest first as created (``at`` is set on insert)."""
    start = timezone.now() - timedelta(days=4)
    for n, event in enumerate(events):
        ActivityEvent.objects.filter(pk=event.pk).update(at=start + timedelta(hours=5 * n))


@pytest.fixture
def events(make_user: Any, unit: Any) -> dict[str, Any]:
    officer = make_user(Role.PROVINCE_SCT, "14")
    nameless = make_user(Role.COMMUNE_OFFICER, "03985")
    User.objects.filter(pk=nameless.pk).update(full_name="")  # shown by their address
    nameless.refresh_from_db()
    province = officer.current_assignment.unit
    establishment = Establishment.objects.create(
        commune=unit("03985"),
        name="Cơ sở <Tấm & Mành>",
        legal_form=LegalForm.HOUSEHOLD,
        product_group=ProductGroup.PROCESSED_FOOD,
    )
    made = []
    for n in range(7):
        made.append(record_event(EventType.UNIT_UPDATED, actor=officer, obj=province))
        made.append(
            record_event(
                EventType.ESTABLISHMENT_UPDATED,
                actor=nameless if n % 2 else None,
                obj=establishment,
                visibility=Visibility.INTERNAL if n % 3 == 0 else Visibility.SHARED,
            )
        )
    made.append(record_event(EventType.UNITS_LOADED, unit=province))  # no object, no actor
    made.append(record_event(EventType.ESTABLISHMENT_CREATED, actor=nameless, obj=establishment))
    _spread(made)
    other = make_user(Role.PROVINCE_SCT, "56")  # Khánh Hòa: out of Sơn La's scope
    outside = record_event(EventType.UNIT_UPDATED, actor=other, obj=other.current_assignment.unit)
    return {"officer": officer, "establishment": establishment, "outside": outside.pk}


def _newest(events: dict[str, Any], **narrower: Any) -> list[ActivityEvent]:
    """What the page shows, newest first; logging in records an event too (now)."""
    found = ActivityEvent.objects.exclude(pk=events["outside"]).filter(**narrower)
    return list(found.select_related("actor").order_by("-at", "-id")[:SHOWN])


def test_an_officer_sees_the_ten_newest_events_of_the_scope_with_their_actors(events, client):
    client.force_login(events["officer"])
    body = client.get(reverse("home")).content.decode()
    lines = [_line(e, names=True) for e in _newest(events)]
    assert _activity(body) == lines
    assert any("<span" in line for line in lines)
    assert any("@" in line for line in lines)
    assert any(": Cơ sở &lt;Tấm &amp; Mành&gt;" in line for line in lines)
    assert any(line.endswith("Tải cây đơn vị hành chính") for line in lines)


def test_a_representative_sees_their_shared_events_without_names(events, client, make_user):
    representative = make_user(Role.ESTABLISHMENT, "03985")
    representative.assignments.update(establishment=events["establishment"])
    client.force_login(representative)
    body = client.get(reverse("home")).content.decode()
    expected = _newest(events, establishment=events["establishment"], visibility=Visibility.SHARED)
    assert len(expected) > 1
    assert any(e.actor is not None for e in expected)
    assert _activity(body) == [_line(e, names=False) for e in expected]


def test_the_event_names_follow_the_language(events, client):
    client.force_login(events["officer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    with translation.override("en"):
        lines = [_line(e, names=True) for e in _newest(events)]
    assert _activity(body, "Recent activity in your scope") == lines
    assert any("Unit details edited" in line for line in lines)
