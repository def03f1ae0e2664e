from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from khuyencong.accounts.models import Role
from khuyencong.api import services
from khuyencong.api.models import SCOPES

SON_LA = "14"
KHANH_HOA = "56"
CHIENG_SON = "03985"
TO_HIEU = "03646"
NHA_TRANG = "22366"


@pytest.fixture
def admin_of(make_user: Callable[..., Any]) -> Callable[[str], Any]:
    return lambda code: make_user(Role.SYSTEM_ADMIN, code)


@pytest.fixture
def issue(admin_of: Callable[[str], Any], unit: Callable[[str], Any]) -> Callable[..., Any]:
    """``issue(role, unit_code, scopes=…)`` → (client, token), issued by that province's (or
    the nation's) administrator."""

    def make(role: str, code: str, scopes: tuple[str, ...] = SCOPES, **kwargs: Any) -> Any:
        where = unit(code)
        admin_unit = "VN" if where.level == 0 else (where.province or where).code
        issued = services.issue_client(
            actor=admin_of(admin_unit),
            name=f"Phần mềm {code}",
            unit=where,
            role=role,
            scopes=scopes,
            **kwargs,
        )
        return issued.client, issued.token

    return make


@pytest.fixture
def bearer() -> Callable[[str], APIClient]:
    def make(token: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


@pytest.fixture
def as_user() -> Callable[[Any], APIClient]:
    def make(user: Any) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make
