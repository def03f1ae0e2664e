from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from khuyencong.accounts.models import Role

CHIENG_SON = "03985"  # Xã Chiềng Sơn, Sơn La (the demo commune)
TO_HIEU = "03646"  # Phường Tô Hiệu, Sơn La
NHA_TRANG = "22366"  # Phường Nha Trang, Khánh Hòa


@pytest.fixture
def make_establishment(db: Any, unit: Callable[[str], Any]) -> Callable[..., Any]:
    """Save an establishment (through the model, no policy): ``make_establishment(name=...)``."""
    from khuyencong.registry.models import Establishment, LegalForm, ProductGroup

    counter = {"n": 0}

    def make(commune: str = CHIENG_SON, **fields: Any) -> Establishment:
        counter["n"] += 1
        values: dict[str, Any] = {
            "name": f"Cơ sở thử {counter['n']}",
            "legal_form": LegalForm.HOUSEHOLD,
            "product_group": ProductGroup.PROCESSED_FOOD,
        }
        values.update(fields)
        establishment = Establishment(commune=unit(commune), **values)
        establishment.save()
        return establishment

    return make


@pytest.fixture
def representative(make_user: Callable[..., Any]) -> Callable[[Any], Any]:
    """A user holding the establishment-representative role for ``establishment``."""

    def make(establishment: Any) -> Any:
        user = make_user(Role.ESTABLISHMENT, establishment.commune)
        user.assignments.update(establishment=establishment)
        return user

    return make
