"""API clients: issued per unit within the administrator's scope, token shown once and kept
only as a hash, expiry, rotation, revocation, last use, the activity log; problem+json."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.api import services
from khuyencong.api.models import ApiClient
from khuyencong.api.selectors import clients_for
from khuyencong.audit.models import ActivityEvent, EventType

from .conftest import CHIENG_SON, KHANH_HOA, SON_LA

pytestmark = pytest.mark.django_db
LIST = "/api/v1/establishments"


def test_the_token_is_shown_once_and_kept_only_as_a_hash(issue):
    client, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    stored = ApiClient.objects.get(pk=client.pk)
    assert token.startswith("kc_")
    assert token not in str(ApiClient.objects.filter(pk=client.pk).values().first())
    assert stored.token_hash != token
    assert len(stored.token_hash) == 64
    event = ActivityEvent.objects.get(event_type=EventType.API_CLIENT, object_id=str(client.pk))
    assert event.data["step"] == "issue"
    assert event.unit.code == SON_LA


def test_the_client_acts_with_exactly_its_units_role(issue):
    client, _ = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    assignment = client.account.current_assignment
    assert (assignment.role, assignment.unit.code) == (Role.COMMUNE_OFFICER, CHIENG_SON)
    assert client.account.has_usable_password() is False


def test_a_provincial_administrator_issues_only_within_its_province(admin_of, unit):
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        services.issue_client(
            actor=admin_of(SON_LA),
            name="Phần mềm Khánh Hòa",
            unit=unit(KHANH_HOA),
            role=Role.PROVINCE_CENTRE,
            scopes=["establishments:read"],
        )


@pytest.mark.parametrize(
    ("role", "code", "field"),
    [
        (Role.SYSTEM_ADMIN, SON_LA, "role"),  # a system never administers
        (Role.COMMUNE_OFFICER, SON_LA, "role"),  # a commune role at a province
    ],
)
def test_roles_a_client_may_not_hold(admin_of, unit, role, code, field):
    with pytest.raises(ValidationError) as refused:
        services.issue_client(
            actor=admin_of(SON_LA), name="X", unit=unit(code), role=role, scopes=["units:read"]
        )
    assert field in refused.value.message_dict


def test_unknown_scopes_are_refused_with_the_known_ones(admin_of, unit):
    with pytest.raises(ValidationError) as refused:
        services.issue_client(
            actor=admin_of(SON_LA),
            name="X",
            unit=unit(SON_LA),
            role=Role.PROVINCE_SCT,
            scopes=["everything"],
        )
    assert "establishments:read" in refused.value.message_dict["scopes"][0]


def test_a_token_signs_in_and_records_its_last_use(issue, bearer):
    client, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    assert bearer(token).get(LIST).status_code == 200
    client.refresh_from_db()
    assert client.last_used_at is not None


@pytest.mark.parametrize(
    ("token", "says"),
    [
        ("kc_nothing_here", "Mã truy cập không đúng"),
        ("kc_", "Mã truy cập không đúng"),
        ("kc_a_b_c", "Mã truy cập không đúng"),
        ("two words", "phải có dạng “Bearer <mã truy cập>”"),
    ],
)
def test_a_wrong_token_gets_401_in_problem_json(issue, bearer, token, says):
    issue(Role.PROVINCE_CENTRE, SON_LA)
    response = bearer(token).get(LIST)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    assert says in response.json()["detail"]


def test_an_expired_token_stops_working(issue, bearer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    _, token = issue(
        Role.PROVINCE_CENTRE, SON_LA, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert bearer(token).get(LIST).status_code == 200
    time_machine.shift(datetime.timedelta(days=1, seconds=1))
    assert bearer(token).get(LIST).status_code == 401


def test_rotation_retires_the_old_token(issue, bearer, admin_of):
    client, old = issue(Role.PROVINCE_CENTRE, SON_LA)
    new = services.rotate_token(
        actor=admin_of(SON_LA), client=client, expected_version=client.version
    ).token
    assert bearer(old).get(LIST).status_code == 401
    assert bearer(new).get(LIST).status_code == 200
    assert ActivityEvent.objects.filter(data__step="rotate").count() == 1


def test_revocation_ends_the_client_for_good(issue, bearer, admin_of):
    client, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    services.revoke_client(actor=admin_of(SON_LA), client=client, expected_version=1)
    assert bearer(token).get(LIST).status_code == 401
    client.refresh_from_db()
    assert client.account.is_active is False
    with pytest.raises(ValidationError):
        services.rotate_token(actor=admin_of(SON_LA), client=client, expected_version=2)


def test_administrators_see_the_clients_of_their_scope(issue, admin_of):
    son_la, _ = issue(Role.PROVINCE_CENTRE, SON_LA)
    issue(Role.PROVINCE_CENTRE, KHANH_HOA)
    assert list(clients_for(admin_of(SON_LA))) == [son_la]
    assert clients_for(admin_of("VN")).count() == 2


def test_a_client_without_the_scope_gets_403_with_the_reason(issue, bearer):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA, scopes=("units:read",))
    assert bearer(token).get("/api/v1/units").status_code == 200
    response = bearer(token).get(LIST)
    assert response.status_code == 403
    assert "establishments:read" in response.json()["detail"]


def test_anonymous_requests_get_401(client):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["title"] == "Chưa xác thực"


def test_requests_over_the_rate_get_429_with_retry_after(issue, bearer, settings):
    settings.API_RATE_PER_MINUTE = 2
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    api = bearer(token)
    assert [api.get(LIST).status_code for _ in range(2)] == [200, 200]
    response = api.get(LIST)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/problem+json"


def test_the_command_issues_rotates_and_revokes_as_the_administrator(admin_of, bearer):
    from io import StringIO

    from django.core.management import CommandError, call_command

    admin = admin_of(SON_LA)
    out = StringIO()
    call_command(
        "api_client",
        "issue",
        actor=admin.email,
        name="Phần mềm tỉnh",
        unit=SON_LA,
        scopes="establishments:read",
        stdout=out,
    )
    token = out.getvalue().split()[-1]
    assert bearer(token).get(LIST).status_code == 200
    client = ApiClient.objects.get()
    call_command("api_client", "revoke", actor=admin.email, client=client.pk, stdout=StringIO())
    assert bearer(token).get(LIST).status_code == 401
    with pytest.raises(CommandError, match="ngoài phạm vi"):
        call_command(
            "api_client",
            "issue",
            actor=admin.email,
            name="X",
            unit=KHANH_HOA,
            scopes="units:read",
            stdout=StringIO(),
        )
