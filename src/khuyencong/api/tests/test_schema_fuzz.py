"""Schemathesis over the whole schema, in-process (WSGI), as a province's client with every
scope: no server error, every answer as the schema says (status documented, body conforming).
Bounded examples per operation keep it fast; the schema's own validity is checked too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from khuyencong.accounts.models import Role
from khuyencong.awards.models import RoundStatus, ScoreSheet
from khuyencong.awards.tests.conftest import (
    build_entry,
    build_establishment,
    build_product,
    build_round,
    build_sheet,
    seat,
)
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


def _check(operation, prepare, headers):
    """Run the operation's bounded examples; its failures as text (none: empty)."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        prepare(case)
        case.call_and_validate(headers=headers, excluded_checks=BUSINESS_RULES)

    try:
        run()
    except Exception as exc:  # every operation's failures, not only the first one's
        return [f"{operation.label}: {exc}"]
    return []


@pytest.mark.django_db
@pytest.mark.usefixtures("_connection_kept")
def test_the_api_answers_as_its_schema_says(token):
    headers = {"Authorization": f"Bearer {token}"}
    operations = _operations()
    assert len(operations) >= 10
    failures = []
    for operation in operations:
        failures += _check(operation, lambda case: None, headers)
    assert not failures, "\n\n".join(failures)


@pytest.fixture
def open_sheet(unit, make_user):
    """A judge's unscored sheet in a Sơn La round being scored."""
    round_ = build_round(unit, status=RoundStatus.SCORING)
    entry = build_entry(round_, build_product(build_establishment(unit)))
    return build_sheet(entry, seat(round_, make_user(Role.COUNCIL_MEMBER, SON_LA)))


@pytest.mark.django_db
@pytest.mark.usefixtures("_connection_kept")
def test_a_judge_writing_their_open_sheet_gets_no_server_error(open_sheet):
    """Random bodies on the judge's own open sheet, signed in (a client is never a judge), at
    its current version: the sheet form and the scoring service answer, never a 500."""
    browser = Client()
    browser.force_login(open_sheet.member.user)
    csrf = _get_new_csrf_string()
    session = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    headers = {
        "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={session}; "
        f"{django_settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }

    def on_the_sheet(case):
        case.path_parameters = {"id": open_sheet.pk}
        version = ScoreSheet.objects.get(pk=open_sheet.pk).version
        case.headers = {**(case.headers or {}), "If-Match": f'"{version}"'}

    writes = [
        op
        for op in _operations()
        if op.path.startswith("/api/v1/awards/sheets/{id}") and op.method.upper() != "GET"
    ]
    assert len(writes) == 3
    failures = [f for op in writes for f in _check(op, on_the_sheet, headers)]
    assert not failures, "\n\n".join(failures)
