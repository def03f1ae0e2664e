"""Attachments: judged by content, at most 10 MB, stored under MEDIA_ROOT/projects/<id>/,
downloaded only through the scoped view."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.projects import services, uploads
from khuyencong.projects.models import Attachment
from khuyencong.projects.workflow import KCQG, State

from .conftest import KHANH_HOA

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Quyết định phê duyệt đề án khuyến công</p>").write_pdf()


def _upload(client, project, name: str, content: bytes, content_type: str = "application/pdf"):
    return client.post(
        reverse("projects:attachment_upload", args=[project.pk]),
        {"file": SimpleUploadedFile(name, content, content_type), "description": "Tờ trình"},
        follow=True,
    )


def test_a_real_pdf_is_accepted_stored_privately_and_downloaded_in_scope(
    client, centre, user_for, make_project, real_pdf
):
    project = make_project(state=State.SUBMITTED)
    client.force_login(centre)
    page = _upload(client, project, "Tờ trình đề án.pdf", real_pdf).content.decode()
    assert "Đã đính kèm “Tờ trình đề án.pdf”" in page
    attachment = Attachment.objects.get()
    assert (attachment.step, attachment.size, attachment.content_type) == (
        State.SUBMITTED,
        len(real_pdf),
        "application/pdf",
    )
    assert attachment.uploaded_by == centre
    stored = Path(settings.MEDIA_ROOT) / attachment.file.name
    assert attachment.file.name.startswith(f"projects/{project.pk}/")
    assert stored.read_bytes() == real_pdf
    assert "Tờ trình" not in attachment.file.name  # the stored name never comes from the user
    url = reverse("projects:attachment_download", args=[project.pk, attachment.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == real_pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    for outsider in (
        user_for(Role.PROVINCE_CENTRE, KHANH_HOA),
        user_for(Role.PROVINCE_SCT, KHANH_HOA),
        user_for(Role.COMMUNE_OFFICER),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(user_for(Role.NATIONAL_OFFICER))
    assert client.get(url).status_code == 200
    other = make_project(state=State.SUBMITTED)
    client.force_login(centre)  # the attachment id does not open under another project
    wrong = reverse("projects:attachment_download", args=[other.pk, attachment.pk])
    assert client.get(wrong).status_code == 404


def test_a_renamed_executable_is_refused_with_a_clear_message(client, centre, make_project):
    project = make_project()
    client.force_login(centre)
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(2000)
    page = _upload(client, project, "bien-ban-nghiem-thu.pdf", exe).content.decode()
    assert "Tệp “bien-ban-nghiem-thu.pdf” là chương trình chạy được (Windows (EXE/DLL))" in page
    assert not Attachment.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "projects").exists()


def test_an_oversized_file_is_refused(client, centre, make_project):
    project = make_project()
    client.force_login(centre)
    big = b"%PDF-1.7\n" + bytes(uploads.MAX_SIZE)
    page = _upload(client, project, "du-toan.pdf", big).content.decode()
    assert "vượt giới hạn 10 MB mỗi tệp" in page
    assert not Attachment.objects.exists()


def test_office_files_are_accepted_by_content(centre, make_project):
    import io

    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    project = make_project()
    attachment = services.add_attachment(
        actor=centre,
        project=project,
        upload=SimpleUploadedFile("du-toan-mau-1.xlsx", buffer.getvalue()),
    )
    assert attachment.content_type.endswith("spreadsheetml.sheet")
    assert attachment.file.name.endswith(".xlsx")


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.ESTABLISHMENT, Role.COUNCIL_MEMBER])
def test_roles_without_the_right_cannot_attach(role, user_for, make_project, real_pdf):
    from django.core.exceptions import PermissionDenied

    project = make_project()
    with pytest.raises(PermissionDenied):
        services.add_attachment(
            actor=user_for(role), project=project, upload=SimpleUploadedFile("a.pdf", real_pdf)
        )


def test_nothing_is_attached_after_settlement(centre, make_project, real_pdf):
    project = make_project(fund=KCQG, state=State.SETTLED)
    with pytest.raises(services.ProjectError, match="đã quyết toán"):
        services.add_attachment(
            actor=centre, project=project, upload=SimpleUploadedFile("a.pdf", real_pdf)
        )


def test_a_name_with_a_right_to_left_override_is_stored_and_served_without_it(
    client, centre, make_project, real_pdf
):
    """Issue 10: "hoa-don\u202efdp.exe" reads as "hoa-donexe.pdf" in a browser or explorer."""
    project = make_project(state=State.SUBMITTED)
    client.force_login(centre)
    _upload(client, project, "hoa-don\u202efdp.exe", real_pdf)
    attachment = Attachment.objects.get()
    assert attachment.original_name == "hoa-donfdp.exe"
    Attachment.objects.filter(pk=attachment.pk).update(original_name="cu\u202efdp.exe")
    url = reverse("projects:attachment_download", args=[project.pk, attachment.pk])
    header = client.get(url)["Content-Disposition"]
    assert header == 'attachment; filename="cufdp.exe"'
