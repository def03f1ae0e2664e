"""The establishments' search text follows a renamed commune or province (``load_units``
renames units in place): it carries their names (``models.place_names``)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save

from khuyencong.geo.models import AdministrativeUnit


def _remember_name(sender: Any, instance: AdministrativeUnit, **kwargs: Any) -> None:
    if instance._state.adding:
        instance._renamed = False  # type: ignore[attr-defined]
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    instance._renamed = stored is not None and stored != instance.name  # type: ignore[attr-defined]


def _rewrite_place_names(sender: Any, instance: AdministrativeUnit, **kwargs: Any) -> None:
    if getattr(instance, "_renamed", False):
        from .services import refresh_place_names

        refresh_place_names(instance)


def connect() -> None:
    pre_save.connect(_remember_name, sender=AdministrativeUnit, dispatch_uid="registry-unit-name")
    post_save.connect(
        _rewrite_place_names, sender=AdministrativeUnit, dispatch_uid="registry-place-names"
    )
