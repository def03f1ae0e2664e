"""Events name the establishment they concern, so a representative's feed can be narrowed."""

import importlib

import pytest
from django.apps import apps

from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.audit.services import record_event
from khuyencong.registry.models import Establishment

pytestmark = pytest.mark.django_db
backfill = importlib.import_module(
    "khuyencong.audit.migrations.0007_activity_event_establishment"
).events_about_an_establishment


def _establishment(unit):
    return Establishment.objects.create(
        name="Hộ chè", legal_form="hkd", commune=unit("03985"), product_group="2"
    )


def test_an_event_on_an_establishment_names_it(unit):
    tea = _establishment(unit)
    event = record_event(EventType.ESTABLISHMENT_UPDATED, obj=tea)
    assert event.establishment == tea
    assert record_event(EventType.LOGGED_IN, unit=unit("03985")).establishment is None


def test_the_migration_names_the_establishment_of_earlier_events(unit):
    tea = _establishment(unit)
    earlier = record_event(EventType.ESTABLISHMENT_CREATED, obj=tea)
    ActivityEvent.objects.filter(pk=earlier.pk).update(establishment=None)
    other = record_event(EventType.LOGGED_IN, unit=unit("03985"))
    backfill(apps, None)
    earlier.refresh_from_db()
    other.refresh_from_db()
    assert (earlier.establishment, other.establishment) == (tea, None)
