"""Importing establishments: all or nothing, scope, duplicates, command line, background jobs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import override_settings

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.registry import importing, services
from khuyencong.registry.bench import bench_import, sample_rows
from khuyencong.registry.models import Establishment, ImportJob, ImportJobState

from .conftest import CHIENG_SON, NHA_TRANG, TO_HIEU
from .helpers import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_valid_file_is_imported_with_history_and_one_event(make_user):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    content = csv_bytes([row(), row(name="Cơ sở Đông Hưng", tax_code="", main_products="Mây tre")])
    outcome = services.import_establishments(actor=officer, content=content, filename="ds.csv")
    assert (outcome.imported, outcome.errors) == (2, [])
    saved = Establishment.objects.get(name="Cơ sở Đông Hưng")
    assert (saved.name_folded, saved.search_folded, saved.commune.code) == (
        "co so dong hung",
        # name, products, owner (no tax code), commune, province
        "co so dong hung | may tre | lo thi hoa | xa chieng son | son la",
        CHIENG_SON,
    )
    record = saved.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        officer,
        "Nhập từ tệp ds.csv",
    )
    event = ActivityEvent.objects.get(event_type=EventType.ESTABLISHMENTS_IMPORTED)
    assert event.actor == officer
    assert event.data["count"] == 2


def test_ten_thousand_rows_with_row_9999_bad_import_nothing(make_user):
    officer = make_user(Role.PROVINCE_CENTRE, "14")
    rows = sample_rows(10_000, [CHIENG_SON, TO_HIEU])
    # Row 9,999 of the sheet: the header is row 1, so it is the 9,998th establishment.
    assert rows[9_997][0] == "Cơ sở chế biến nông sản số 9998"
    rows[9_997][13] = "năm ngoái"
    before = Establishment.objects.count()
    outcome = services.import_establishments(
        actor=officer, content=xlsx_bytes(rows), filename="lon.xlsx"
    )
    assert outcome.imported == 0
    assert outcome.total_rows == 10_000
    assert [e.message for e in outcome.errors] == [
        "Dòng 9999, cột “Năm thành lập”: “năm ngoái” không phải năm: hãy nhập năm có 4 chữ số, "
        "ví dụ 2015."
    ]
    assert Establishment.objects.count() == before


def test_a_commune_officer_cannot_import_into_another_commune_even_of_the_same_province(
    make_user,
):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    content = csv_bytes([row(), row(name="Cơ sở ở Tô Hiệu", tax_code="", commune_code=TO_HIEU)])
    outcome = services.import_establishments(actor=officer, content=content, filename="ds.csv")
    assert outcome.imported == 0
    assert [e.message for e in outcome.errors] == [
        "Dòng 3, cột “Mã xã”: Phường Tô Hiệu (mã 03646) nằm ngoài phạm vi Xã Chiềng Sơn của bạn: "
        "bạn chỉ nhập được cơ sở của các xã trong phạm vi; hãy bỏ dòng này hoặc gửi cho đơn vị "
        "quản lý xã đó."
    ]
    assert not Establishment.objects.exists()


def test_a_province_may_import_into_its_communes_but_not_another_provinces(make_user):
    son_la = make_user(Role.PROVINCE_CENTRE, "14")
    khanh_hoa = make_user(Role.PROVINCE_SCT, "56")
    content = csv_bytes([row(), row(name="Cơ sở ở Tô Hiệu", tax_code="", commune_code=TO_HIEU)])
    refused = services.import_establishments(actor=khanh_hoa, content=content, filename="a.csv")
    assert refused.imported == 0
    assert len(refused.errors) == 2
    assert all("nằm ngoài phạm vi Khánh Hòa của bạn" in e.message for e in refused.errors)
    accepted = services.import_establishments(actor=son_la, content=content, filename="a.csv")
    assert (accepted.imported, accepted.errors) == (2, [])


def test_roles_that_may_not_change_establishments_cannot_import(make_user):
    finance = make_user(Role.PROVINCE_FINANCE, "14")
    with pytest.raises(PermissionDenied) as info:
        services.import_establishments(actor=finance, content=csv_bytes([row()]), filename="a.csv")
    assert "không được phép thêm, sửa, nhập cơ sở" in str(info.value)


def test_duplicates_against_the_registry_are_reported_never_merged(make_user, make_establishment):
    officer = make_user(Role.PROVINCE_CENTRE, "14")
    make_establishment(name="Hợp tác xã chè Chiềng Sơn", tax_code="")
    make_establishment(name="Cơ sở Khánh Hòa", commune=NHA_TRANG, tax_code="4201234567")
    content = csv_bytes(
        [row(tax_code=""), row(name="Cơ sở mới", tax_code="4201234567"), row(name="Cơ sở mới 2")]
    )
    outcome = services.import_establishments(actor=officer, content=content, filename="a.csv")
    assert outcome.imported == 0
    messages = [e.message for e in outcome.errors]
    assert messages[0].startswith(
        "Dòng 2, cột “Tên cơ sở”: Xã Chiềng Sơn (mã 03985) đã có cơ sở “Hợp tác xã"
    )
    # The other holder lies outside the Sơn La scope: its name is not revealed.
    assert messages[1] == (
        "Dòng 3, cột “Mã số thuế”: mã số thuế “4201234567” đã được đăng ký cho một cơ sở khác "
        "trong hệ thống (ngoài phạm vi của bạn): hãy kiểm tra lại mã."
    )
    assert len(messages) == 2
    assert Establishment.objects.count() == 2


def test_file_problems_come_back_as_errors_not_exceptions(make_user):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    outcome = services.import_establishments(
        actor=officer, content=b"%PDF-1.4\x00\x00", filename="bao-cao.xlsx"
    )
    assert outcome.imported == 0
    assert outcome.errors[0].row is None
    assert "không phải bảng tính .xlsx hay tệp .csv" in outcome.errors[0].message


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def test_import_command_prints_counts_and_ignores_user_scope(tmp_path: Path):
    path = tmp_path / "ds.csv"
    path.write_bytes(
        csv_bytes([row(), row(name="Cơ sở Nha Trang", tax_code="", commune_code=NHA_TRANG)])
    )
    out = io.StringIO()
    call_command("import_establishments", str(path), stdout=out)
    assert out.getvalue().splitlines() == ["imported: 2, errors: 0"]
    assert Establishment.objects.count() == 2


def test_import_command_fails_with_the_errors_and_imports_nothing(tmp_path: Path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx_bytes([row(), row(name="Cơ sở B", commune_code="99999", tax_code="")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Tệp có 1 lỗi; không cơ sở nào được nhập"):
        call_command("import_establishments", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "imported: 0, errors: 1"
    assert lines[1].startswith("Dòng 3, cột “Mã xã”: không có xã/phường nào đang hiệu lực")
    assert not Establishment.objects.exists()


def test_import_command_on_a_missing_file(tmp_path: Path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_establishments", str(tmp_path / "khong-co.csv"))


def test_export_command_writes_the_template_columns_with_a_bom(tmp_path: Path, make_establishment):
    make_establishment(name="Cơ sở chè Đông Hưng", tax_code="5500123456", owner_gender="nu")
    make_establishment(name="Cơ sở yến", commune=NHA_TRANG)
    path = tmp_path / "all.csv"
    out = io.StringIO()
    call_command("export_establishments", "--csv", str(path), stdout=out)
    content = path.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(importing.HEADERS)
    assert len(lines) == 3
    assert "Cơ sở chè Đông Hưng,Hộ kinh doanh,5500123456,,03985" in content.decode("utf-8-sig")
    assert out.getvalue().startswith("exported: 2")
    # What was exported imports again once the registry no longer holds it.
    Establishment.objects.all().delete()
    call_command("import_establishments", str(path), stdout=io.StringIO())
    assert Establishment.objects.get(tax_code="5500123456").owner_gender == "nu"


# --------------------------------------------------------------------------------------------
# Background jobs
# --------------------------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def large_csv(count: int = importing.BACKGROUND_THRESHOLD + 1, *, bad_row: int | None = None):
    rows = sample_rows(count, [CHIENG_SON])
    if bad_row is not None:
        rows[bad_row - 2][4] = "99999"
    return csv_bytes(rows)


def test_a_large_file_becomes_a_queued_job_that_the_task_imports(make_user, media):
    from khuyencong.registry.tasks import import_establishments_job

    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    job = services.submit_import(actor=officer, content=large_csv(), filename="lon.csv")
    assert isinstance(job, ImportJob)
    # The request read only the first rows: the job counts the file when it reads it.
    assert (job.state, job.total_rows, job.unit.code) == (ImportJobState.QUEUED, 0, CHIENG_SON)
    stored = Path(job.file.path)
    assert stored.exists()
    assert stored.suffix == ".csv"
    assert not Establishment.objects.exists()

    result = import_establishments_job.call(job.pk)
    job.refresh_from_db()
    assert result == {"imported": 2001, "errors": 0}
    assert (job.state, job.imported_rows, job.processed_rows) == (ImportJobState.DONE, 2001, 2001)
    assert job.total_rows == 2001
    assert job.percent == 100
    assert job.finished_at is not None
    assert not stored.exists()  # personal data is not kept after the job
    assert Establishment.objects.count() == 2001
    # Running the same job again (a retried task) imports nothing twice.
    import_establishments_job.call(job.pk)
    assert Establishment.objects.count() == 2001


@override_settings(TASKS=IMMEDIATE)
def test_a_job_runs_through_the_tasks_backend_after_commit(
    make_user, media, django_capture_on_commit_callbacks
):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit_import(
            actor=officer, content=large_csv(2_600, bad_row=2_500), filename="lon.csv"
        )
    assert isinstance(job, ImportJob)
    job.refresh_from_db()
    assert job.state == ImportJobState.FAILED
    assert job.task_id
    assert job.error_count == 1
    assert job.imported_rows == 0
    assert job.errors[0]["row"] == 2_500
    assert job.errors[0]["message"].startswith("Dòng 2500, cột “Mã xã”")
    assert not Establishment.objects.exists()


def test_a_job_keeps_the_first_200_errors_and_their_count(make_user, media):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    rows = sample_rows(2_100, [CHIENG_SON])
    for r in rows[:300]:
        r[1] = "Công ty đa quốc gia"
    job = services.submit_import(actor=officer, content=csv_bytes(rows), filename="loi.csv")
    assert isinstance(job, ImportJob)
    job = services.run_import_job(job.pk)
    assert (job.state, job.error_count, len(job.errors)) == (ImportJobState.FAILED, 300, 200)


def test_a_job_whose_role_was_revoked_meanwhile_does_not_run(make_user, media):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    job = services.submit_import(actor=officer, content=large_csv(), filename="lon.csv")
    assert isinstance(job, ImportJob)
    officer.assignments.update(is_active=False)
    job = services.run_import_job(job.pk)
    assert job.state == ImportJobState.FAILED
    assert "không còn hiệu lực" in job.errors[0]["message"]
    assert not Establishment.objects.exists()


def test_bench_import_imports_and_cleans_up():
    seconds = bench_import(rows=300)
    assert seconds > 0
    assert not Establishment.objects.exists()
