"""Long list exports run in the background (core.exports): the job, its progress page, the
download, the same content as the direct export, the time budget, and who may see it."""

from __future__ import annotations

import io
import itertools

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.accounts.models import Role
from khuyencong.core import exports
from khuyencong.core.models import ExportJob, ExportJobState
from khuyencong.core.tasks import export_list_job

from .conftest import CHIENG_SON, NHA_TRANG, TO_HIEU

pytestmark = pytest.mark.django_db

EXPORT = "registry:establishment_export"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def five(make_establishment):
    for n in range(4):
        make_establishment(name=f"Cơ sở dệt {n}", commune=TO_HIEU if n % 2 else CHIENG_SON)
    make_establishment(name="Cơ sở yến sào", commune=NHA_TRANG)  # another province


def _downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def _rows(content: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_above_the_threshold_the_export_is_a_job_with_the_same_rows(
    client, make_user, five, media, settings
):
    officer = make_user(Role.PROVINCE_CENTRE, "14")
    client.force_login(officer)
    direct = _rows(client.get(reverse(EXPORT), {"q": "det"}).getvalue())
    assert len(direct) == 5  # header + the 4 of Sơn La

    settings.EXPORT_BACKGROUND_ROWS = 3
    response = client.get(reverse(EXPORT), {"q": "det"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert (job.kind, job.query, job.format, job.state) == ("co-so", "q=det", "xlsx", "queued")
    assert job.filename.startswith("co-so-cnnt-")
    page = client.get(response["Location"]).content.decode()
    assert "Đang chờ xử lý" in page
    assert 'hx-trigger="every 2s"' in page  # polls until finished

    assert export_list_job.call(job.pk) == {"rows": 4}
    job.refresh_from_db()
    assert (job.state, job.total_rows, job.written_rows, job.percent) == ("done", 4, 4, 100)
    status = client.get(reverse("export_job", args=[job.pk]), headers={"HX-Request": "true"})
    body = status.content.decode()
    assert "every 2s" not in body  # finished: no more polling
    assert "Đã xuất 4 dòng." in body
    assert reverse("export_download", args=[job.pk]) in body
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"
    assert _rows(_downloaded(download)) == direct
    # A retried task writes nothing twice.
    assert export_list_job.call(job.pk) == {"rows": 4}


def test_the_csv_export_runs_as_a_job_too(client, make_user, five, media, settings):
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    direct = client.get(reverse(EXPORT), {"dinh_dang": "csv"}).getvalue()
    settings.EXPORT_BACKGROUND_ROWS = 4
    client.get(reverse(EXPORT), {"dinh_dang": "csv"})
    job = ExportJob.objects.get()
    exports.run_export_job(job.pk)
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download["Content-Type"].startswith("text/csv")
    assert _downloaded(download) == direct
    assert direct.decode("utf-8-sig").count("\r\n") == 6  # header + all 5 establishments


def test_only_the_user_who_asked_sees_the_job_and_its_file(
    client, make_user, five, media, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    officer = make_user(Role.PROVINCE_CENTRE, "14")
    client.force_login(officer)
    client.get(reverse(EXPORT))
    job = ExportJob.objects.get()
    # Not finished yet: nothing to download.
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    exports.run_export_job(job.pk)
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 200
    for other in (make_user(Role.PROVINCE_CENTRE, "14"), make_user(Role.NATIONAL_OFFICER, "VN")):
        client.force_login(other)
        assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("export_download", args=[job.pk])).status_code == 404


def test_the_job_reads_with_the_scope_of_the_role_it_was_asked_under(
    client, make_user, five, media, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client.force_login(make_user(Role.COMMUNE_OFFICER, TO_HIEU))
    client.get(reverse(EXPORT), {"dinh_dang": "csv"})
    job = exports.run_export_job(ExportJob.objects.get().pk)
    text = job.file.open("rb").read().decode("utf-8-sig")
    assert (job.written_rows, text.count("Cơ sở dệt")) == (2, 2)  # Tô Hiệu's two only


def test_a_job_whose_role_was_revoked_meanwhile_writes_nothing(
    client, make_user, five, media, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    officer = make_user(Role.PROVINCE_CENTRE, "14")
    client.force_login(officer)
    client.get(reverse(EXPORT))
    officer.assignments.all().delete()
    job = exports.run_export_job(ExportJob.objects.get().pk)
    assert (job.state, job.file.name) == (ExportJobState.FAILED, "")
    assert "không còn hiệu lực" in job.message


def test_a_job_over_its_time_budget_stops_with_a_message(
    client, make_user, five, media, settings, monkeypatch
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    client.get(reverse(EXPORT))
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    ticks = itertools.count(0, 100)  # each look at the clock: 100 s later
    job = exports.run_export_job(
        ExportJob.objects.get().pk, seconds=120, clock=lambda: float(next(ticks))
    )
    assert (job.state, job.file.name, job.written_rows) == ("failed", "", 4)
    assert job.message.startswith("Việc xuất cần quá 2 phút nên đã dừng sau 4 dòng")
    assert "lọc bớt" in job.message
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "Việc xuất cần quá 2 phút" in page


@override_settings(TASKS=IMMEDIATE, EXPORT_BACKGROUND_ROWS=1)
def test_the_job_runs_through_the_tasks_backend_after_commit(
    client, make_user, five, media, django_capture_on_commit_callbacks
):
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse(EXPORT))
    job = ExportJob.objects.get()
    assert job.task_id
    assert (job.state, job.written_rows) == ("done", 5)
