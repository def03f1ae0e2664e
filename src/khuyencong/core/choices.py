"""``get_FOO_display()`` without rebuilding the field's choices on every call (issue 11 item 7).

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on every
call: ``make_hashable`` hashes each ``(value, label)`` pair, and hashing a lazy label translates
it, so one call costs one ``gettext`` per choice (56 for an activity event's type, 0.3 ms). A
list page calls it a few times per row: ~2 ms of CPU per request of the load run's mix. The
choices of a field are fixed once the models are loaded, so :func:`install` swaps each generated
method for one that reads a dict built once per field; the labels stay lazy (translated in the
request's language when read), and the result is the same as Django's for every value, a value
outside the choices included (it is returned as is).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db.models import Field, Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _fast_display(field: Field[Any, Any]) -> Callable[[Model], Any]:
    labels = {make_hashable(value): label for value, label in field.flatchoices}

    def display(self: Model) -> Any:
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    return display


def install() -> int:
    """Swap Django's generated ``get_FOO_display`` of every loaded model whose choices are a
    fixed list (not a callable, re-read on each use; not a method the model defines itself).
    Returns how many were swapped."""
    swapped = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            generated = model.__dict__.get(name)
            if not field.choices or not isinstance(generated, partialmethod):
                continue
            if not isinstance(field.choices, list | tuple):
                continue
            setattr(model, name, _fast_display(field))
            swapped += 1
    return swapped
