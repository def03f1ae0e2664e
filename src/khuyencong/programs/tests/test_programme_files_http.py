"""Downloads, uploads and the batch command, end to end through the database."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.programs import excel
from khuyencong.programs.conversion import programme_to_data
from khuyencong.programs.models import ActivityLine, Programme
from khuyencong.programs.selectors import programme_for_cli

pytestmark = pytest.mark.django_db
SON_LA = "son-la-2026-2030"


def exported(code: str = SON_LA) -> bytes:
    return excel.export_appendix(programme_to_data(programme_for_cli(code)))


def edit_workbook(content: bytes, edit) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == 1)
    edit(sheet, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, content: bytes, *, name="phu-luc.xlsx", version=None):
    programme = Programme.objects.get(code=SON_LA)
    return client.post(
        reverse("programs:import_xlsx", args=[SON_LA]),
        {
            "file": SimpleUploadedFile(name, content),
            "version": programme.version if version is None else version,
        },
    )


def snapshot():
    return programme_to_data(programme_for_cli(SON_LA))


@pytest.fixture
def centre(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    return client


@pytest.mark.parametrize(
    ("name", "content_type", "magic"),
    [
        ("export_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        (
            "export_docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK",
        ),
        ("export_pdf", "application/pdf", b"%PDF"),
    ],
)
def test_downloads(name, content_type, magic, centre):
    response = centre.get(reverse(f"programs:{name}", args=[SON_LA]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert "attachment" in response["Content-Disposition"]


def test_downloads_are_scoped(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_SCT, "56"))
    for name in ("export_xlsx", "export_docx", "export_pdf"):
        assert client.get(reverse(f"programs:{name}", args=[SON_LA])).status_code == 404


def test_an_edited_file_replaces_the_lines(centre):
    content = edit_workbook(exported(), lambda sheet, row: sheet.cell(row, 3, "Tên đã sửa"))
    before = Programme.objects.get(code=SON_LA).version
    response = upload(centre, content)
    assert response.status_code == 302
    assert ActivityLine.objects.get(programme__code=SON_LA, order=1).name == "Tên đã sửa"
    assert ActivityLine.objects.filter(programme__code=SON_LA).count() == 25
    assert Programme.objects.get(code=SON_LA).version == before + 1
    assert ActivityEvent.objects.filter(event_type=EventType.PROGRAMME_IMPORTED).exists()


def test_a_re_imported_export_changes_nothing(centre):
    before = snapshot()
    assert upload(centre, exported()).status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "phu-luc.xlsx", "không phải"),
        (b"Ten co so;Ma so thue\n", "phu-luc.xlsx", "không phải"),
        (b"0" * (excel.MAX_UPLOAD_BYTES + 1), "phu-luc.xlsx", "5 MB"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(content, name, expected, centre):
    before = snapshot()
    response = upload(centre, content, name=name)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert snapshot() == before


def test_row_errors_are_listed_and_nothing_is_imported(centre):
    def spoil(sheet, row):
        sheet.cell(row, 3, "Tên mới không được lưu")
        sheet.cell(row + 1, 6, "abc")  # text in a quantity cell of the next line

    before = snapshot()
    response = upload(centre, edit_workbook(exported(), spoil))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dòng" in body
    assert "abc" in body
    assert "chưa nhập dòng nào" in body
    assert snapshot() == before


def test_a_stale_upload_is_refused(centre):
    before = snapshot()
    response = upload(centre, exported(), version=0)
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    assert snapshot() == before


def test_other_provinces_cannot_upload(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "56"))
    assert upload(client, exported()).status_code == 404


def test_command_line_export_import_check(seed_programmes, tmp_path, capsys):
    target = tmp_path / "son-la.xlsx"
    call_command("programme", "export", SON_LA, "--xlsx", str(target))
    assert target.read_bytes().startswith(b"PK")
    before = snapshot()
    call_command("programme", "import", str(target), "--code", SON_LA)
    assert "Đã nhập 25 dòng" in capsys.readouterr().out
    assert snapshot() == before

    target.write_bytes(edit_workbook(target.read_bytes(), lambda s, r: s.cell(r, 6, "-3")))
    with pytest.raises(CommandError, match="không dòng nào được nhập"):
        call_command("programme", "import", str(target), "--code", SON_LA)
    assert "âm" in capsys.readouterr().err
    assert snapshot() == before

    call_command("programme", "check", SON_LA)
    checked = capsys.readouterr().out
    # 4 findings on the money, and 13 of Sơn La's target keys that no reporting indicator matches
    assert checked.count("[info] target-key-unmatched") == 13
    assert "17 phát hiện" in checked
    with pytest.raises(CommandError, match="Không có chương trình"):
        call_command("programme", "check", "khong-co")


# ------------------------------------------------------- lines used by projects (issue 9, 2)
def project_on_line(order: int, title: str = "Hỗ trợ máy sao chè tự động"):
    """A project of Sơn La with one output on line ``order`` of the Sơn La programme."""
    from decimal import Decimal

    from khuyencong.geo.models import AdministrativeUnit
    from khuyencong.projects.models import Project, ProjectOutput

    project = Project.objects.create(
        unit=AdministrativeUnit.objects.current().get(code="14"),
        fund="KCDP",
        plan_year=2026,
        content="may-moc-thiet-bi",
        title=title,
        implementing_unit="Trung tâm khuyến công tỉnh Sơn La",
    )
    line = ActivityLine.objects.get(programme__code=SON_LA, order=order)
    ProjectOutput.objects.create(project=project, line=line, planned_quantity=Decimal(1))
    return project, line


def without_line(content: bytes, order: int) -> bytes:
    """The workbook with the row of line ``order`` deleted (as an official would)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == order)
    sheet.delete_rows(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_re_importing_the_export_with_projects_on_the_lines_keeps_them(centre):
    """Regression: re-importing the export of a minute ago was a 500 (ProtectedError)."""
    project, line = project_on_line(4)
    before = snapshot()
    response = upload(centre, exported())
    assert response.status_code == 302
    assert snapshot() == before
    assert project.outputs.get().line_id == line.pk  # the same row, updated in place


def test_an_edited_line_is_updated_in_place(centre):
    project, line = project_on_line(1)
    content = edit_workbook(exported(), lambda sheet, row: sheet.cell(row, 3, "Tên đã sửa"))
    assert upload(centre, content).status_code == 302
    line.refresh_from_db()
    assert line.name == "Tên đã sửa"
    assert project.outputs.get().line_id == line.pk
    assert line.history.count() == 2  # the change is in the line's history


def test_removing_a_line_used_by_a_project_is_refused_by_name(centre):
    project, _line = project_on_line(4)
    before = snapshot()
    response = upload(centre, without_line(exported(), 4))
    assert response.status_code == 200
    body = response.content.decode()
    assert "STT 4" in body
    assert project.code in body
    assert "chưa nhập dòng nào" in body
    assert snapshot() == before


def test_removing_or_adding_an_unused_line_is_imported(centre):
    project_on_line(4)
    assert upload(centre, without_line(exported(), 25)).status_code == 302
    orders = list(
        ActivityLine.objects.filter(programme__code=SON_LA).values_list("order", flat=True)
    )
    assert orders == list(range(1, 25))


def test_deleting_a_line_used_by_a_project_is_refused(make_user, client, seed_programmes):
    """Regression: deleting a used line was a ProtectedError too."""
    project, line = project_on_line(4)
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    url = reverse("programs:line_delete", args=[SON_LA, 4])
    response = client.post(url, {"reason": "Gộp dòng", "version": line.version}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "đang được dùng cho đề án" in body
    assert project.code in body
    assert ActivityLine.objects.filter(pk=line.pk).exists()


def test_the_command_refuses_an_orphaning_file(seed_programmes, tmp_path, capsys):
    project_on_line(4)
    target = tmp_path / "son-la.xlsx"
    target.write_bytes(without_line(exported(), 4))
    with pytest.raises(CommandError, match="STT 4"):
        call_command("programme", "import", str(target), "--code", SON_LA)


# ------------------------------------------- re-import matches lines by content (issue 9)
def rows_by_order(sheet) -> dict[int, int]:
    return {
        sheet.cell(r, 1).value: r
        for r in range(1, sheet.max_row + 1)
        if isinstance(sheet.cell(r, 1).value, int)
    }


def edited(content: bytes, edit) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    edit(sheet, rows_by_order(sheet))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cells_of(line: ActivityLine) -> set[tuple[int, str, int]]:
    return set(line.cells.values_list("year", "fund", "amount"))


def test_renumbered_lines_keep_their_money_and_projects(centre):
    """Regression: lines were matched by STT, so swapping two STTs moved one line's name and
    money onto the other's row — and a project's output onto another content."""
    project, line = project_on_line(4)
    fifth = ActivityLine.objects.get(programme__code=SON_LA, order=5)
    name4, money4, name5, money5 = line.name, cells_of(line), fifth.name, cells_of(fifth)

    def swap(sheet, rows):
        sheet.cell(rows[4], 1, 5)
        sheet.cell(rows[5], 1, 4)

    assert upload(centre, edited(exported(), swap)).status_code == 302
    line.refresh_from_db()
    fifth.refresh_from_db()
    assert (line.order, line.name, cells_of(line)) == (5, name4, money4)
    assert (fifth.order, fifth.name, cells_of(fifth)) == (4, name5, money5)
    assert project.outputs.get().line_id == line.pk


def test_a_line_inserted_above_shifts_the_others_without_moving_money(centre):
    project, line = project_on_line(4)
    name, money = line.name, cells_of(line)

    def insert(sheet, rows):
        for order in sorted(rows, reverse=True):
            if order >= 2:
                sheet.cell(rows[order], 1, order + 1)
        sheet.cell(rows[1], 1, 2)
        sheet.cell(rows[2], 1, 1)  # the old STT 2 row becomes a new content at STT 1
        sheet.cell(rows[2], 3, "Dòng nội dung mới chèn lên đầu")

    assert upload(centre, edited(exported(), insert)).status_code == 302
    line.refresh_from_db()
    assert (line.order, line.name, cells_of(line)) == (5, name, money)
    assert project.outputs.get().line_id == line.pk
    assert ActivityLine.objects.filter(programme__code=SON_LA).count() == 25


def test_an_ambiguous_match_for_a_used_line_is_refused_with_the_row(centre):
    """Two rows of the file carry the content of a line a project uses, neither at its STT:
    which one is the project's line cannot be told, so the import is refused and says so."""
    project, line = project_on_line(4)
    before = snapshot()

    def duplicate(sheet, rows):
        sheet.cell(rows[4], 3, "Một nội dung khác")
        sheet.cell(rows[5], 3, line.name)
        sheet.cell(rows[3], 3, line.name)

    response = upload(centre, edited(exported(), duplicate))
    assert response.status_code == 200
    body = response.content.decode()
    assert "STT 3" in body
    assert "STT 5" in body
    assert project.code in body
    assert snapshot() == before
