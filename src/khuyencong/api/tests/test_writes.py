"""Writes: the web's forms and services behind the API — same messages and bounds, policy
refusals 403 with the reason, If-Match 428/412, Idempotency-Key, project steps as actions."""

from __future__ import annotations

import json

import pytest

from khuyencong.accounts.models import Role
from khuyencong.api.models import SCOPES
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.projects.tests.conftest import build_project
from khuyencong.projects.workflow import State, Step
from khuyencong.registry.forms import EstablishmentForm
from khuyencong.registry.models import Establishment

from .conftest import CHIENG_SON, NHA_TRANG, SON_LA

pytestmark = pytest.mark.django_db
LIST = "/api/v1/establishments"
NEW = {
    "name": "Chè Shan tuyết Chiềng Sơn",
    "legal_form": "hkd",
    "product_group": "2",
    "commune": CHIENG_SON,
    "tax_code": "5500123456",
    "employees_total": 12,
    "owner_ethnic_minority": True,
}


@pytest.fixture
def centre(issue, bearer):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    return bearer(token)


@pytest.fixture
def existing(unit):
    found = Establishment(name="Dệt thổ cẩm", legal_form="hkd", product_group="1")
    found.commune = unit(CHIENG_SON)
    found.save()
    return found


def test_a_client_adds_an_establishment_through_the_service(centre):
    response = centre.post(LIST, NEW, format="json")
    assert response.status_code == 201, response.json()
    created = Establishment.objects.get(pk=response.json()["id"])
    assert (created.commune.code, created.owner_ethnic_minority) == (CHIENG_SON, True)
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"{LIST}/{created.pk}"
    event = ActivityEvent.objects.get(event_type=EventType.ESTABLISHMENT_CREATED)
    assert event.actor == created.history.first().history_user  # the client's account


def test_out_of_bound_values_get_the_web_forms_message_on_the_field(centre, unit):
    body = {**NEW, "founded_year": 3000, "employees_total": -1}
    response = centre.post(LIST, body, format="json")
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert set(problem["errors"]) >= {"founded_year", "employees_total"}
    form = EstablishmentForm({**body, "owner_ethnic_minority": "on"}, user=None)
    form.fields["commune"].queryset = unit(CHIENG_SON).__class__.objects.filter(code=CHIENG_SON)
    assert not form.is_valid()
    assert problem["errors"]["founded_year"] == form.errors["founded_year"]
    assert Establishment.objects.count() == 0


@pytest.mark.parametrize("body", [[], "x", {"name": {"a": 1}}, {"employees_total": "9" * 60}])
def test_malformed_bodies_are_400_never_500(centre, body):
    assert centre.post(LIST, body, format="json").status_code == 400


def test_a_commune_outside_the_scope_is_refused_on_the_field(centre):
    response = centre.post(LIST, {**NEW, "commune": NHA_TRANG}, format="json")
    assert response.status_code == 400
    assert "commune" in response.json()["errors"]


def test_a_role_that_may_not_add_gets_403_with_the_reason(issue, bearer):
    _, token = issue(Role.PROVINCE_FINANCE, SON_LA)
    response = bearer(token).post(LIST, NEW, format="json")
    assert response.status_code == 403
    assert "không được phép" in response.json()["detail"]


def test_a_read_only_client_may_not_write(issue, bearer):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA, scopes=("establishments:read",))
    response = bearer(token).post(LIST, NEW, format="json")
    assert response.status_code == 403
    assert "establishments:write" in response.json()["detail"]


def test_an_update_needs_if_match(centre, existing):
    url = f"{LIST}/{existing.pk}"
    missing = centre.patch(url, {"address": "Bản Mòng"}, format="json")
    assert missing.status_code == 428
    assert missing.json()["current_version"] == 1
    stale = centre.patch(url, {"address": "Bản Mòng"}, format="json", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 1
    done = centre.patch(url, {"address": "Bản Mòng"}, format="json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200, done.json()
    assert done["ETag"] == '"2"'
    existing.refresh_from_db()
    assert (existing.address, existing.name, existing.version) == ("Bản Mòng", "Dệt thổ cẩm", 2)
    again = centre.patch(url, {"address": "Bản Khác"}, format="json", HTTP_IF_MATCH='"1"')
    assert again.status_code == 412


def test_an_update_outside_the_scope_is_404_whatever_is_sent(issue, bearer, existing):
    _, token = issue(Role.PROVINCE_CENTRE, "56")
    response = bearer(token).patch(f"{LIST}/{existing.pk}", {}, format="json")
    assert response.status_code == 404


def test_a_retried_post_with_the_same_key_does_nothing_twice(centre):
    first = centre.post(LIST, NEW, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = centre.post(LIST, NEW, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["id"] == first.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert Establishment.objects.count() == 1
    other = centre.post(LIST, {**NEW, "name": "Khác"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    assert Establishment.objects.count() == 1


def test_without_a_key_a_repeated_post_meets_the_duplicate_rule(centre):
    assert centre.post(LIST, NEW, format="json").status_code == 201
    again = centre.post(LIST, NEW, format="json")
    assert again.status_code == 400
    assert Establishment.objects.count() == 1


@pytest.fixture
def draft(unit):
    return build_project(unit, province=SON_LA, state=State.DRAFT)


def _step(api, project, step, body, version=None):
    url = f"/api/v1/projects/{project.pk}/transitions/{step}"
    return api.post(url, body, format="json", HTTP_IF_MATCH=f'"{version or project.version}"')


def test_a_project_step_is_an_action_with_the_webs_checks(centre, draft):
    missing = _step(centre, draft, Step.CANCEL, {})
    assert missing.status_code == 400
    assert "comment" in missing.json()["errors"]
    done = _step(centre, draft, Step.CANCEL, {"comment": "Cơ sở rút đề nghị"})
    assert done.status_code == 200, done.json()
    assert done.json()["project"]["status"] == State.CANCELLED
    draft.refresh_from_db()
    assert draft.status == State.CANCELLED
    gone = _step(centre, draft, Step.SUBMIT, {}, version=draft.version)
    assert gone.status_code == 409
    assert "Đề án đang ở trạng thái" in gone.json()["detail"]


def test_a_step_the_role_does_not_take_is_403_with_the_reason(issue, bearer, draft):
    _, token = issue(Role.PROVINCE_FINANCE, SON_LA, scopes=SCOPES)
    response = _step(bearer(token), draft, Step.CANCEL, {"comment": "x"})
    assert response.status_code == 403
    assert response.json()["detail"]


def test_a_step_without_if_match_is_428(centre, draft):
    url = f"/api/v1/projects/{draft.pk}/transitions/{Step.CANCEL}"
    assert centre.post(url, {"comment": "x"}, format="json").status_code == 428


@pytest.mark.parametrize(("field", "value"), [("name", "Ch\udb5e x"), ("gh\udb5e", ["x"])])
def test_a_lone_surrogate_in_the_body_is_400_never_500(centre, field, value):
    """Regression (schemathesis, 2026-12-04): JSON may escape half of a UTF-16 pair
    ("\\udb5e"); Python reads it as a lone surrogate that no database can store, and the
    insert failed with a 500."""
    body = json.dumps({**NEW, field: value})  # ensure_ascii: the half pair travels escaped
    response = centre.post(LIST, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "ký tự" in response.json()["detail"]
    assert Establishment.objects.count() == 0
