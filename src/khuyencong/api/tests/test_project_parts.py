"""A project's sign-offs, disbursements and documents over the API: the project page's own
reads (scope 404; what the role may read of it), files served through the access check."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Role
from khuyencong.projects import services
from khuyencong.projects.models import ProjectSignOff
from khuyencong.projects.tests.conftest import MILLION, D, build_project, establishment
from khuyencong.projects.workflow import KCQG, State

from .conftest import CHIENG_SON, KHANH_HOA, SON_LA

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def live(unit, make_user):
    """A Sơn La project being carried out: one advance, one internal and one shared file, one
    sign-off; its beneficiary is a Chiềng Sơn establishment."""
    centre = make_user(Role.PROVINCE_CENTRE, SON_LA)
    project = build_project(unit, fund=KCQG, state=State.IMPLEMENTING)
    beneficiary = establishment(unit, CHIENG_SON, "Chè Chiềng Sơn")
    project.beneficiaries.add(beneficiary)
    services.record_advance(
        actor=centre,
        project=project,
        expected_version=project.version,
        fund=KCQG,
        amount=100 * MILLION,
        paid_on=D(2026, 4, 1),
    )
    internal = services.add_attachment(
        actor=centre, project=project, upload=SimpleUploadedFile("noi-bo.pdf", PDF)
    )
    shared = services.add_attachment(
        actor=centre,
        project=project,
        upload=SimpleUploadedFile("chung.pdf", PDF),
        shared=True,
    )
    ProjectSignOff.objects.create(
        project=project, action="tham-dinh", from_state="da-trinh", round=1, role="so-cong-thuong"
    )
    project.refresh_from_db()
    return {"project": project, "internal": internal, "shared": shared, "who": beneficiary}


def test_officers_of_the_province_read_every_part(issue, bearer, live):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    base = f"/api/v1/projects/{live['project'].pk}"
    money = api.get(f"{base}/disbursements").json()
    assert [(row["kind"], row["amount"], row["paid_on"]) for row in money] == [
        ("advance", 100 * MILLION, "2026-04-01")
    ]
    assert [row["action"] for row in api.get(f"{base}/signoffs").json()] == ["tham-dinh"]
    documents = api.get(f"{base}/documents").json()
    assert sorted(row["original_name"] for row in documents) == ["chung.pdf", "noi-bo.pdf"]
    file = api.get(documents[0]["download"])
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == PDF
    assert file["Cache-Control"] == "private, no-store"


def test_the_beneficiary_reads_only_what_is_shared_with_it(as_user, make_user, live):
    user = make_user(Role.ESTABLISHMENT, CHIENG_SON)
    user.assignments.update(establishment=live["who"])
    api = as_user(user)
    base = f"/api/v1/projects/{live['project'].pk}"
    assert api.get(f"{base}/signoffs").json() == []  # appraisal sign-offs are internal
    assert [row["original_name"] for row in api.get(f"{base}/documents").json()] == ["chung.pdf"]
    assert api.get(f"{base}/documents/{live['internal'].pk}/file").status_code == 404
    assert api.get(f"{base}/documents/{live['shared'].pk}/file").status_code == 200


@pytest.mark.parametrize("part", ["signoffs", "disbursements", "documents"])
def test_another_province_gets_404(issue, bearer, live, part):
    _, token = issue(Role.PROVINCE_CENTRE, KHANH_HOA)
    response = bearer(token).get(f"/api/v1/projects/{live['project'].pk}/{part}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    other = bearer(token).get(
        f"/api/v1/projects/{live['project'].pk}/documents/{live['shared'].pk}/file"
    )
    assert other.status_code == 404


def test_one_project_carries_its_budget_in_dong(issue, bearer, live):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    project = bearer(token).get(f"/api/v1/projects/{live['project'].pk}").json()
    assert [line["item"] for line in project["budget_lines"]] == [
        "Mua máy sao chè",
        "Lắp đặt, chạy thử",
    ]
    assert sum(line["kcqg"] for line in project["budget_lines"]) == project["support_kcqg"]
    assert project["outputs"] == []
    listed = bearer(token).get("/api/v1/projects").json()["results"][0]
    assert "budget_lines" not in listed  # the list stays one row per project
