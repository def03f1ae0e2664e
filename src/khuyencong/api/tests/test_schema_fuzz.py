"""Schemathesis over the whole schema, in-process (WSGI), as a province's client with every
scope: no server error, every answer as the schema says (status documented, body conforming).
Bounded examples per operation keep it fast; the schema's own validity is checked too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from khuyencong.accounts.models import Role
from khuyencong.wsgi import application

from .conftest import SON_LA

#: A body the schema allows may still break a rule only the service knows (a commune outside
#: the scope, a duplicate, a step the state does not allow): 400/409 with the reason is right.
BUSINESS_RULES = [positive_data_acceptance]


@pytest.fixture
def _connection_kept() -> Iterator[None]:
    """Requests sent straight to the WSGI application end with Django closing the database
    connection (``close_old_connections``), which would end the test's transaction on
    PostgreSQL; Django's own test client unhooks it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(issue):
    return issue(Role.PROVINCE_CENTRE, SON_LA)[1]


def _operations():
    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    return [result.ok() for result in loaded.get_all_operations()]


@pytest.mark.django_db
@pytest.mark.usefixtures("_connection_kept")
def test_the_api_answers_as_its_schema_says(token):
    headers = {"Authorization": f"Bearer {token}"}
    operations = _operations()
    assert len(operations) >= 10
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, excluded_checks=BUSINESS_RULES)

        try:
            run()
        except Exception as exc:  # every operation's failures, not only the first one's
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
