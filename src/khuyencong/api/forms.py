"""The web's own forms read API bodies, so the API says exactly what the pages say: the same
fields, bounds (core/bounds.py through core/forms.py), identifiers, duplicates and messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from khuyencong.registry.forms import ArtisanForm, EstablishmentForm
from khuyencong.registry.models import Artisan, Establishment
from khuyencong.registry.services import ARTISAN_FIELDS, EDITABLE_FIELDS


def _as_form_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "on" if value else ""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return str(value)
    return value


def json_object(body: Any) -> Mapping[str, Any]:
    """The body, when it is a JSON object (else 400)."""
    if not isinstance(body, Mapping):
        raise ValidationError(
            {"non_field_errors": [_("Nội dung gửi lên phải là một đối tượng JSON.")]}
        )
    return body


def form_data(body: Any, *, prefix: str = "") -> dict[str, Any]:
    """A JSON object as the form data a browser would send (``prefix-name`` keys)."""
    body = json_object(body)
    key = (lambda name: f"{prefix}-{name}") if prefix else (lambda name: name)
    return {key(str(name)): _as_form_value(value) for name, value in body.items()}


def current_values(establishment: Establishment | None = None) -> dict[str, Any]:
    """What the establishment holds now, as form data (a PATCH changes only what it sends);
    for a new one, the model's defaults (a body may leave out what has one)."""
    establishment = establishment or Establishment()
    values = {name: getattr(establishment, name) for name in EDITABLE_FIELDS if name != "commune"}
    if establishment.commune_id is not None:
        values["commune"] = establishment.commune.code
    return {name: _as_form_value(value) for name, value in values.items()}


def valid(form: forms.BaseForm) -> dict[str, Any]:
    """The cleaned data, or the form's errors (field → Vietnamese messages) as a 400."""
    if not form.is_valid():
        raise ValidationError(
            {field or "non_field_errors": list(errors) for field, errors in form.errors.items()}
        )
    return form.cleaned_data


def establishment_form(user: Any, data: Mapping[str, Any], instance: Any = None) -> Any:
    return EstablishmentForm(data, user=user, instance=instance)


def current_artisan_values(artisan: Artisan | None = None) -> dict[str, Any]:
    """What the artisan holds now, as form data (the commune by its code); for a new one, the
    model's defaults."""
    artisan = artisan or Artisan()
    relations = ("commune", "establishment")
    values = {name: getattr(artisan, name) for name in ARTISAN_FIELDS if name not in relations}
    values["commune"] = artisan.commune.code if artisan.commune_id is not None else None
    values["establishment"] = artisan.establishment_id
    return {name: _as_form_value(value) for name, value in values.items()}


def artisan_form(user: Any, data: Mapping[str, Any], instance: Any = None) -> Any:
    return ArtisanForm(data, user=user, instance=instance)
