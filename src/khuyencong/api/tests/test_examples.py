"""The schema's examples are true: each conforms to its schema, and the main flows' request
examples, sent to the API, give the answers their response examples show."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from khuyencong.accounts.models import Role
from khuyencong.api import examples
from khuyencong.norms.services import load_national_norms

from .conftest import SON_LA

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)


def _examples() -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(where, example value, its schema) for every example in the schema."""
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            bodies = [("request", operation.get("requestBody", {}).get("content", {}))]
            bodies += [(code, r.get("content", {})) for code, r in operation["responses"].items()]
            for where, content in bodies:
                for media, described in content.items():
                    for name, example in described.get("examples", {}).items():
                        label = f"{method.upper()} {path} {where} {media} {name}"
                        yield label, example["value"], described["schema"]


def test_the_main_flows_have_examples() -> None:
    labels = " ".join(label for label, _v, _s in _examples())
    for flow in (
        "POST /api/v1/establishments request",
        "POST /api/v1/establishments 201",
        "POST /api/v1/projects/{id}/transitions/{step} request",
        "POST /api/v1/norms/support-limit 200",
        "PUT /api/v1/awards/sheets/{id} request",
        "PUT /api/v1/awards/sheets/{id} 200",
        "GET /api/v1/changes 200",
        "POST /api/v1/establishments 400 application/problem+json",
    ):
        assert flow in labels, flow


@pytest.mark.parametrize(("label", "value", "schema"), list(_examples()), ids=lambda v: v)
def test_every_example_conforms_to_its_schema(label: str, value: Any, schema: Any) -> None:
    document = {**schema, "components": SCHEMA["components"]}
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER  # (email: "" is no address)
    jsonschema.Draft202012Validator(document, format_checker=checker).validate(value)


@pytest.mark.django_db
def test_the_establishment_example_is_what_the_api_answers(issue, bearer, unit) -> None:
    unit("03985")
    api = bearer(issue(Role.PROVINCE_CENTRE, SON_LA)[1])
    created = api.post("/api/v1/establishments", examples.NEW_ESTABLISHMENT, format="json")
    assert created.status_code == 201, created.content
    assert created["ETag"] == '"1"'
    shown = examples.ESTABLISHMENT_CREATED
    assert set(created.json()) == set(shown)
    changing = {"id", "created_at", "updated_at"}
    assert {k: v for k, v in created.json().items() if k not in changing} == {
        k: v for k, v in shown.items() if k not in changing
    }
    refused = api.post(
        "/api/v1/establishments",
        {**examples.NEW_ESTABLISHMENT, "commune": "99999", "tax_code": ""},
        format="json",
    )
    assert refused.json() == examples.PROBLEMS["400"]


@pytest.mark.django_db
def test_the_support_limit_example_is_what_the_api_answers(issue, bearer) -> None:
    load_national_norms()
    api = bearer(issue(Role.COMMUNE_OFFICER, "03985", scopes=("norms:read",))[1])
    answer = api.post("/api/v1/norms/support-limit", examples.SUPPORT_LIMIT_QUESTION, format="json")
    assert answer.status_code == 200, answer.content
    shown = examples.SUPPORT_LIMIT_ANSWER
    assert {**answer.json(), "norm": shown["norm"]} == shown
