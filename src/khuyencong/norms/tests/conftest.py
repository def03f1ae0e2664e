"""Norms tests: Vietnamese messages, and the seeded national rates for database tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def national_norms(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep messages Vietnamese whatever language an earlier test left active, and reload the
    national rates a transactional test elsewhere may have flushed from the database."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        from khuyencong.norms.services import load_national_norms

        load_national_norms()
    with translation.override("vi"):
        yield
