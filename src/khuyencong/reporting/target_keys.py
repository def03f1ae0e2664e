"""Which programme targets measure an indicator (khóa chỉ tiêu): a target whose key is the
indicator's ``target_key``, or a key mapped onto it (``TargetKeyAlias``: a province's own wording
of a national target). One small query; the callers then read ``Target`` rows by these keys."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Indicator, TargetKeyAlias


def programme_keys(keys: Iterable[str]) -> dict[str, str]:
    """Every programme target key that counts towards one of ``keys`` → that key."""
    wanted = set(keys)
    mapping = {key: key for key in wanted}
    for alias, target_key in TargetKeyAlias.objects.filter(target_key__in=wanted).values_list(
        "key", "target_key"
    ):
        mapping.setdefault(alias, target_key)
    return mapping


def comparable_keys() -> frozenset[str]:
    """The target keys the dashboards compare (any indicator set's, and their aliases): a
    programme target with another key is not rolled up to a national indicator."""
    keys = set(Indicator.objects.exclude(target_key="").values_list("target_key", flat=True))
    return frozenset(programme_keys(keys))
