"""Bulk creation of commune officers from an .xlsx: all or nothing, errors by row and column."""

import io

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts import importing, services
from khuyencong.accounts.models import Role, User
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.core.testing import pdf_text
from khuyencong.registry.bench import make_xlsx

pytestmark = pytest.mark.django_db

SON_LA = "14"
CHIENG_SON, TO_HIEU = "03985", "03646"
KH_COMMUNE = "22333"


def xlsx(rows, headers=importing.HEADERS):
    return make_xlsx(rows, headers)


def officer(
    name="Lò Văn Minh",
    email="minh@test.khuyencong.vn",
    phone="0912345678",
    commune=CHIENG_SON,
    title="Công chức Kinh tế",
):
    return [name, email, phone, commune, title]


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, SON_LA)


def run(admin, rf, content, filename="can-bo.xlsx"):
    return services.import_officers(
        actor=admin, content=content, filename=filename, request=rf.get("/")
    )


def test_every_officer_gets_an_account_a_role_and_a_mail(
    admin, rf, unit, django_capture_on_commit_callbacks
):
    content = xlsx(
        [
            officer(),
            officer("Quàng Thị Lan", "LAN@test.khuyencong.vn", 912000111, TO_HIEU, ""),
            # A code typed in a number cell loses its leading zero: it is padded back.
            officer("Lường Văn Hải", "hai@test.khuyencong.vn", "", 3985, ""),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = run(admin, rf, content)
    assert outcome.errors == ()
    assert [u.email for u in outcome.created] == [
        "minh@test.khuyencong.vn",
        "lan@test.khuyencong.vn",
        "hai@test.khuyencong.vn",
    ]
    lan = User.objects.get(email="lan@test.khuyencong.vn")
    assert lan.phone == "0912000111"
    assert lan.current_assignment.role == Role.COMMUNE_OFFICER
    assert lan.current_assignment.unit == unit(TO_HIEU)
    assert User.objects.get(email="hai@test.khuyencong.vn").current_assignment.unit == unit(
        CHIENG_SON
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in outcome.created)
    imported = ActivityEvent.objects.get(event_type=EventType.USERS_IMPORTED)
    assert imported.data == {"users": 3}
    assert imported.actor == admin


def test_one_bad_row_creates_nobody_and_every_error_names_its_row(admin, rf, make_user):
    make_user(Role.PROVINCE_SCT, SON_LA, email="da.co@test.khuyencong.vn")
    content = xlsx(
        [
            officer(),  # row 2: fine
            officer("", "khong-phai-email", "", "99999", ""),  # row 3
            officer("Cán bộ Khánh Hòa", "kh@test.khuyencong.vn", "", KH_COMMUNE, ""),  # row 4
            officer("Trùng", "MINH@test.khuyencong.vn"),  # row 5
            officer("Đã có", "da.co@test.khuyencong.vn"),  # row 6
        ]
    )
    outcome = run(admin, rf, content)
    assert outcome.created == ()
    assert not User.objects.filter(email__in=["minh@test.khuyencong.vn", "kh@test.khuyencong.vn"])
    messages = [e.message for e in outcome.errors]
    assert [e.row for e in outcome.errors] == [3, 3, 3, 4, 5, 6]
    assert messages[0].startswith("Dòng 3, cột “Họ và tên”: ô đang trống")
    assert messages[1].startswith("Dòng 3, cột “Thư điện tử”: “khong-phai-email” không phải")
    assert (
        "Dòng 3, cột “Mã xã”: không có xã/phường nào đang hiệu lực mang mã “99999”" in (messages[2])
    )
    assert "Dòng 4, cột “Mã xã”" in messages[3]
    assert "ngoài phạm vi" in messages[3]
    assert "trùng với dòng 2 của tệp" in messages[4]
    assert "Dòng 6" in messages[5]
    assert "đã là tài khoản" in messages[5]
    assert not ActivityEvent.objects.filter(event_type=EventType.USERS_IMPORTED).exists()


def test_a_file_that_is_not_the_template_is_refused_whole(admin, rf):
    outcome = run(admin, rf, xlsx([["a", "b"]], headers=["Tên", "Email"]))
    assert outcome.created == ()
    assert "không phải dòng tiêu đề của mẫu danh sách cán bộ xã" in outcome.errors[0].message
    outcome = run(admin, rf, b"", "trong.xlsx")
    assert "rỗng" in outcome.errors[0].message
    assert "danh sách cán bộ xã" in outcome.errors[0].message
    outcome = run(admin, rf, b"\xd0\xcf\x11\xe0 old excel", "cu.xls")
    assert ".xls" in outcome.errors[0].message


def test_the_template_is_a_workbook_with_the_columns_and_a_guide(
    admin, client, rf, libreoffice_pdf
):
    client.force_login(admin)
    response = client.get(reverse("accounts:user_import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mau-can-bo-xa-')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [importing.SHEET_DATA, "Hướng dẫn"]
    assert [c.value for c in workbook[importing.SHEET_DATA][1]] == list(importing.HEADERS)
    guide = [c.value for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value]
    assert "Mã xã" in guide
    assert "03985" in guide
    # The filled template imports as it is.
    ws = workbook[importing.SHEET_DATA]
    ws.append(officer())
    filled = io.BytesIO()
    workbook.save(filled)
    assert run(admin, rf, filled.getvalue()).created
    assert "Họ và tên" in pdf_text(libreoffice_pdf(response.content, "mau.xlsx"))


def test_the_import_page_shows_the_errors_or_the_accounts(admin, client, make_user):
    client.force_login(admin)
    page = client.get(reverse("accounts:user_import"))
    assert page.status_code == 200
    assert reverse("accounts:user_import_template") in page.content.decode()
    bad = SimpleUploadedFile("can-bo.xlsx", xlsx([officer(commune=KH_COMMUNE)]))
    body = client.post(reverse("accounts:user_import"), {"file": bad}).content.decode()
    assert 'id="loi-nhap"' in body
    assert "Dòng 2, cột “Mã xã”" in body
    good = SimpleUploadedFile("can-bo.xlsx", xlsx([officer()]))
    body = client.post(reverse("accounts:user_import"), {"file": good}).content.decode()
    assert 'id="da-tao"' in body
    assert "minh@test.khuyencong.vn" in body
