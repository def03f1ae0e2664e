"""The establishment import over the API: the web import's file, checks and row errors, all or
nothing; ``dry_run`` checks without saving; the role is checked before the file is read."""

from __future__ import annotations

import pytest

from khuyencong.accounts.models import Role
from khuyencong.registry import services
from khuyencong.registry.models import Establishment
from khuyencong.registry.tests.helpers import csv_bytes, row, xlsx_bytes

from .conftest import CHIENG_SON, SON_LA

pytestmark = pytest.mark.django_db
IMPORT = "/api/v1/establishments/import"
CSV = "text/csv"


def _send(api, content, content_type=CSV, **query):
    url = IMPORT + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return api.generic("POST", url, content, content_type=content_type)


def test_a_dry_run_checks_everything_and_saves_nothing(issue, bearer):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    content = csv_bytes([row(), row(name="Cơ sở Đông Hưng", tax_code="")])
    checked = _send(bearer(token), content, dry_run="true")
    assert checked.status_code == 200, checked.content
    assert checked.json() == {
        "dry_run": True,
        "total_rows": 2,
        "imported": 0,
        "would_import": 2,
        "row_errors": [],
    }
    assert not Establishment.objects.exists()
    imported = _send(bearer(token), content, filename="ds.csv")
    assert imported.status_code == 201
    assert imported.json()["imported"] == 2
    assert Establishment.objects.count() == 2


@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_row_errors_are_the_web_imports_and_nothing_is_saved(issue, bearer, make_user, dry_run):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    content = xlsx_bytes([row(), row(name="Cơ sở hai", tax_code="", founded_year="năm ngoái")])
    refused = _send(bearer(token), content, "application/octet-stream", dry_run=dry_run)
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    web = services.import_establishments(
        actor=make_user(Role.PROVINCE_CENTRE, SON_LA), content=content, dry_run=True
    )
    assert refused.json()["row_errors"] == [e.as_dict() for e in web.errors]
    assert refused.json()["row_errors"][0]["row"] == 3
    assert "1 lỗi" in refused.json()["detail"]
    assert not Establishment.objects.exists()


def test_a_mistyped_dry_run_is_refused_not_read_as_a_real_import(issue, bearer):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    api = bearer(token)
    refused = _send(api, csv_bytes([row()]), dry_run="treu")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"dry_run": ["Chỉ nhận true hoặc false."]}
    assert not Establishment.objects.exists()
    assert _send(api, csv_bytes([row()]), dry_run="yes").json()["dry_run"] is True
    assert not Establishment.objects.exists()


def test_a_file_that_is_no_spreadsheet_is_a_row_error_not_a_500(issue, bearer):
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    refused = _send(bearer(token), b"\x00\x01 not a table")
    assert refused.status_code == 400
    assert refused.json()["row_errors"][0]["row"] is None


def test_roles_that_may_not_change_establishments_are_refused_before_the_file(issue, bearer):
    _, token = issue(Role.PROVINCE_FINANCE, SON_LA)
    refused = _send(bearer(token), csv_bytes([row()]))
    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert not Establishment.objects.exists()


def test_a_client_without_the_write_scope_is_refused(issue, bearer):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA, scopes=("establishments:read",))
    assert _send(bearer(token), csv_bytes([row()]), dry_run="true").status_code == 403
