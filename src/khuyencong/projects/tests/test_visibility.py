"""What an establishment reads of its project, and what stays internal — for every role.

Internal or shared is a property of each comment, event and file (``core.models.Visibility``);
the access policy (``may_read``, ``readable``, ``internal_only``) decides who reads it."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role
from khuyencong.audit import selectors as audit_selectors
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.core.models import Visibility
from khuyencong.projects import selectors, services, workflow
from khuyencong.projects.models import ProjectTransition
from khuyencong.projects.workflow import Step

from .conftest import D, project_data, walk_to_contract

pytestmark = pytest.mark.django_db

SCT_COMMENT = "Ý KIẾN NỘI BỘ CỦA SỞ CÔNG THƯƠNG"
FINANCE_COMMENT = "NHẬN XÉT NỘI BỘ CỦA SỞ TÀI CHÍNH"
APPROVAL_COMMENT = "Cơ sở triển khai đúng tiến độ đã cam kết"
CONTRACT_NOTE = "GHI CHÚ NỘI BỘ VỀ HỢP ĐỒNG"
INSPECTION = "KẾT QUẢ KIỂM TRA NỘI BỘ"


def pdf(text: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=f"<p>{text}</p>").write_pdf() or b"")


@pytest.fixture
def walked(centre, sct, finance, national, tea):
    return walk_with_internal_notes(centre, sct, finance, national, tea)


def walk_with_internal_notes(centre, sct, finance, national, tea):
    """A KCQG project for the tea household, appraised (with internal opinions and scores),
    approved (with a shared comment), contracted (with an internal note), inspected, with one
    internal and one shared file (the browser journey walks it too)."""
    project, _ = services.create_project(actor=centre, data=project_data(beneficiaries=[tea]))
    walk_to_contract(
        project,
        centre,
        sct,
        finance,
        national,
        sct_comment=SCT_COMMENT,
        finance_comment=FINANCE_COMMENT,
        approval_comment=APPROVAL_COMMENT,
        contract_note=CONTRACT_NOTE,
    )
    project.refresh_from_db()
    services.record_inspection(
        actor=sct,
        project=project,
        expected_version=project.version,
        inspected_on=D(2026, 4, 1),
        findings=INSPECTION,
    )
    for name, shared in (("ghi-chu-noi-bo.pdf", False), ("hop-dong-da-ky.pdf", True)):
        services.add_attachment(
            actor=centre,
            project=project,
            upload=SimpleUploadedFile(name, pdf(name)),
            shared=shared,
        )
    return project


def test_the_defaults_per_step_and_per_event_type(walked):
    comments = {
        (t.action, t.role): t.visibility for t in ProjectTransition.objects.filter(project=walked)
    }
    assert comments[(Step.SUBMIT, workflow.CENTRE)] == Visibility.SHARED
    assert comments[(Step.APPRAISE_PROVINCE, workflow.SCT)] == Visibility.INTERNAL
    assert comments[(Step.APPRAISE_PROVINCE, workflow.FINANCE)] == Visibility.INTERNAL
    assert comments[(Step.APPROVE, workflow.NATIONAL)] == Visibility.SHARED
    assert comments[(Step.CONTRACT, workflow.CENTRE)] == Visibility.INTERNAL  # chosen
    events = ActivityEvent.objects.filter(object_id=str(walked.pk))
    assert {e.visibility for e in events.filter(event_type=EventType.PROJECT_INSPECTED)} == {
        Visibility.INTERNAL
    }
    approve = events.get(event_type=EventType.PROJECT_STEP, data__action=Step.APPROVE)
    assert approve.visibility == Visibility.SHARED
    assert ActivityEvent.objects.filter(event_type=EventType.LOGIN_FAILED).count() == 0
    assert workflow.comment_visibility(Step.APPROVE, completed=False) == Visibility.INTERNAL


#: Where a user of each role sits so that the project (Sơn La) is in scope, when it can be.
SEES_THE_PROJECT = {
    Role.PROVINCE_CENTRE,
    Role.PROVINCE_SCT,
    Role.PROVINCE_FINANCE,
    Role.NATIONAL_OFFICER,
    Role.COUNCIL_MEMBER,
    Role.SYSTEM_ADMIN,
    Role.ESTABLISHMENT,
}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_what_the_policy_lets_it(role, walked, tea, user_for, client):
    user = user_for(role, establishment=tea)
    internal = role != Role.ESTABLISHMENT
    assert policy.sees_internal(user) is internal
    client.force_login(user)
    response = client.get(reverse("projects:project_detail", args=[walked.pk]))
    if role not in SEES_THE_PROJECT:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.content.decode()
    # Shared for everyone who sees the project: the steps, the decision, shared comments and
    # files, the decision document.
    for shared in (
        APPROVAL_COMMENT,
        "45/QĐ-ĐCK",
        "hop-dong-da-ky.pdf",
        "Quyết định phê duyệt đề án",
    ):
        assert shared in body, shared
    assert "Ký hợp đồng" in body  # the step itself is shown, its internal note is not
    # Internal: comments, appraisal scores and sheets, inspections, internal files, the
    # appraisal sheet document, officers' names and e-mail logins.
    for secret in (
        SCT_COMMENT,
        FINANCE_COMMENT,
        CONTRACT_NOTE,
        INSPECTION,
        "85 điểm",
        "Phiếu SCT",
        "ghi-chu-noi-bo.pdf",
        "Phiếu thẩm định đề án",
    ):
        assert (secret in body) is internal, secret
    for name, email in walked.transitions.exclude(actor=None).values_list(
        "actor__full_name", "actor__email"
    ):
        assert (name in body) is internal, name
        assert email not in body or internal, email


def test_an_establishment_cannot_fetch_what_is_internal(walked, tea, user_for, client):
    representative = user_for(Role.ESTABLISHMENT, establishment=tea)
    client.force_login(representative)
    internal_file, shared_file = walked.attachments.order_by("pk")
    download = reverse("projects:attachment_download", args=[walked.pk, internal_file.pk])
    assert client.get(download).status_code == 404
    shared = reverse("projects:attachment_download", args=[walked.pk, shared_file.pk])
    assert client.get(shared).status_code == 200
    sheet = reverse("projects:project_document", args=[walked.pk, "phieu-tham-dinh", "pdf"])
    assert client.get(sheet).status_code == 404
    decision = reverse("projects:project_document", args=[walked.pk, "quyet-dinh", "pdf"])
    assert client.get(decision).status_code == 200


def test_the_activity_log_keeps_internal_events_from_establishments(walked, tea, user_for, sct):
    representative = user_for(Role.ESTABLISHMENT, establishment=tea)
    seen = set(
        audit_selectors.activity_for_user(representative).values_list("visibility", flat=True)
    )
    assert seen <= {Visibility.SHARED}
    assert (
        audit_selectors.activity_for_object(representative, walked)
        .filter(event_type=EventType.PROJECT_INSPECTED)
        .count()
        == 0
    )
    assert (
        audit_selectors.activity_for_object(sct, walked)
        .filter(event_type=EventType.PROJECT_INSPECTED)
        .count()
        == 1
    )


def test_the_page_read_by_an_establishment_hides_internal_relations(walked, tea, user_for, sct):
    representative = user_for(Role.ESTABLISHMENT, establishment=tea)
    page = selectors.project_page(representative, walked.pk)
    assert list(page.signoffs.all()) == []
    assert list(page.inspections.all()) == []
    assert [a.original_name for a in page.attachments.all()] == ["hop-dong-da-ky.pdf"]
    assert {t.comment for t in page.transitions.all() if not t.is_shared} == {""}
    full = selectors.project_page(sct, walked.pk)
    assert {s.action for s in full.signoffs.all()} >= {
        Step.APPRAISE_PROVINCE,
        Step.APPRAISE_NATIONAL,
    }
    assert any(CONTRACT_NOTE in t.comment for t in full.transitions.all())


def test_the_step_form_offers_the_choice_with_the_step_s_default(walked, centre, client):
    client.force_login(centre)
    walked.refresh_from_db()
    body = client.get(reverse("projects:project_detail", args=[walked.pk])).content.decode()
    assert "Cơ sở thụ hưởng được đọc ý kiến này" in body
    assert 'name="trien-khai-shared"' in body
    box = re.search(r'<input[^>]*name="trien-khai-shared"[^>]*>', body)
    assert box is not None
    assert "checked" in box.group(0)  # starting the work is a milestone: shared by default
    response = client.post(
        reverse("projects:project_transition", args=[walked.pk]),
        {"action": Step.START, "version": walked.version, "trien-khai-comment": "Chỉ nội bộ"},
    )
    assert response.status_code == 302
    started = ProjectTransition.objects.get(project=walked, action=Step.START)
    assert started.comment == "Chỉ nội bộ"
    assert started.visibility == Visibility.INTERNAL  # the box was left unticked


def test_the_home_page_activity_names_no_officer_to_an_establishment(walked, tea, user_for, client):
    representative = user_for(Role.ESTABLISHMENT, establishment=tea)
    client.force_login(representative)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kiểm tra, giám sát đề án" not in body  # internal events
    for name, email in walked.transitions.exclude(actor=None).values_list(
        "actor__full_name", "actor__email"
    ):
        assert name not in body
        assert email not in body
