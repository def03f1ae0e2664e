"""``get_FOO_display()`` read from a dict built once per field (core.choices): the same label
as Django's own method for every choice of every model, in either language."""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils import translation

from khuyencong.audit.models import ActivityEvent, EventType


def _choice_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_generated_display_method_is_swapped():
    generated = [
        f"{model.__name__}.{field.name}"
        for model, field in _choice_fields()
        if isinstance(getattr(model, f"get_{field.name}_display"), partialmethod)
        or isinstance(model.__dict__.get(f"get_{field.name}_display"), partialmethod)
    ]
    assert generated == []
    assert len(list(_choice_fields())) > 100  # the project's models, their history included


def test_the_same_label_as_djangos_for_every_choice_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            for model, field in _choice_fields():
                instance = model()
                for value, _label in field.flatchoices:
                    setattr(instance, field.attname, value)
                    ours = getattr(instance, f"get_{field.name}_display")()
                    assert ours == Model._get_FIELD_display(instance, field), (model, value)
                    assert type(ours) is str


def test_a_value_outside_the_choices_is_shown_as_is():
    assert ActivityEvent(event_type="khong-co").get_event_type_display() == "khong-co"
    assert ActivityEvent(event_type=None).get_event_type_display() is None


def test_the_label_follows_the_language_of_the_request():
    event = ActivityEvent(event_type=EventType.choices[0][0])
    shown = {}
    for language in ("vi", "en"):
        with translation.override(language):
            shown[language] = event.get_event_type_display()
            assert shown[language] == str(EventType(event.event_type).label)
    assert shown["vi"] != shown["en"]
