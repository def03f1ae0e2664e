"""The round's documents (jury minutes, recognising decision with its appendix), the
certificate (PL6) and the result list: real files that LibreOffice opens, whose PDF text reads
right, and whose QR code a reader (zbarimg) decodes to the certificate's public page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from khuyencong.accounts.models import Role
from khuyencong.awards.documents import unit_phrase
from khuyencong.core.testing import pdf_qr_codes, pdf_text
from khuyencong.geo.models import AdministrativeUnit

from .conftest import SON_LA, publish, seat

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    """pdftotext lays lines out as on the page: join them to search sentences."""
    return " ".join(text.split())


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response) if response.streaming else response.content


def pdf(tmp_path, content: bytes, name: str) -> str:
    assert content.startswith(b"%PDF")
    path = tmp_path / name
    path.write_bytes(content)
    return flat(pdf_text(path))


def test_the_minutes_record_the_council_the_arithmetic_and_the_flags(closed, sct, client, tmp_path):
    client.force_login(sct)
    round_ = closed["round"]
    url = reverse("awards:round_document", args=[round_.code, "bien-ban", "pdf"])
    text = pdf(tmp_path, fetch(client, url), "bien-ban.pdf")
    for expected in (
        "BIÊN BẢN",
        "Họp Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2026",
        "HỘI ĐỒNG BÌNH CHỌN",
        "ngày 10 tháng 11 năm 2026",
        "Giám khảo 1",
        "Chủ tịch hội đồng",
        "Số giám khảo có mặt: 7/7.",
        "80,43",
        "70,00",
        "lệch -17,50 điểm",
        "công nhận 2 sản phẩm",
        "THƯ KÝ HỘI ĐỒNG",
    ):
        assert expected in text, expected
    # The arithmetic wraps inside its narrow column on paper: read it from the Word table.
    docx = fetch(client, reverse("awards:round_document", args=[round_.code, "bien-ban", "docx"]))
    cells = {c.text for table in Document(io.BytesIO(docx)).tables for c in table._cells}
    assert "(80 + 82 + 78 + 81 + 79 + 80 + 83) / 7 = 80,43" in cells


def test_the_decision_lists_the_recognised_products_in_its_appendix(
    closed, sct, client, tmp_path, libreoffice_pdf
):
    issued = publish(closed, sct)
    client.force_login(sct)
    round_ = closed["round"]
    base = ("awards:round_document", round_.code, "quyet-dinh")
    text = pdf(tmp_path, fetch(client, reverse(base[0], args=[*base[1:], "pdf"])), "qd.pdf")
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH SƠN LA",
        "Số: 1234/QĐ-UBND",
        "Sơn La, ngày 15 tháng 11 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2026",
        "Công nhận 2 sản phẩm",
        "có giá trị đến hết ngày 31/12/2028",
        "DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU CẤP TỈNH NĂM 2026",
        "Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/11/2026",
    ):
        assert expected in text, expected
    # The appendix's cells wrap on paper: read its rows from the Word table.
    docx = fetch(client, reverse(base[0], args=[*base[1:], "docx"]))
    rows = [[c.text for c in r.cells] for t in Document(io.BytesIO(docx)).tables for r in t.rows]
    assert ["1", "Chè Shan tuyết Chiềng Sơn", "2", "HTX chè Chiềng Sơn"] in [r[:4] for r in rows]
    assert "xã Chiềng Sơn, tỉnh Sơn La" in [c for r in rows for c in r]
    assert {issued[0].number, issued[1].number} <= {c for r in rows for c in r}
    opened = flat(pdf_text(libreoffice_pdf(docx, "quyet-dinh.docx")))
    assert "DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU" in opened
    assert "70,00" in opened
    minutes = fetch(
        client, reverse("awards:round_document", args=[round_.code, "bien-ban", "docx"])
    )
    assert "80,43" in flat(pdf_text(libreoffice_pdf(minutes, "bien-ban.docx")))


def test_the_certificate_qr_code_opens_its_public_page(
    closed, sct, client, tmp_path, libreoffice_pdf, settings
):
    settings.SITE_URL = "https://khuyencong.example.vn"
    tea = publish(closed, sct)[0]
    client.force_login(sct)
    content = fetch(client, reverse("awards:certificate_file", args=[tea.pk, "pdf"]))
    text = pdf(tmp_path, content, "gcn.pdf")
    for expected in (
        "GIẤY CHỨNG NHẬN",
        "SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU CẤP TỈNH NĂM 2026",
        "Chứng nhận sản phẩm: Chè Shan tuyết Chiềng Sơn",
        "Của cơ sở: HTX chè Chiềng Sơn",
        "xã Chiềng Sơn, tỉnh Sơn La",
        "Quyết định số 1234/QĐ-UBND ngày 15/11/2026",
        "có giá trị đến hết ngày 31/12/2028",
        f"Số: {tea.number}",
    ):
        assert expected in text, expected
    url = f"https://khuyencong.example.vn/c/{tea.code}"
    qr_dir = tmp_path / "qr-pdf"
    qr_dir.mkdir()
    assert pdf_qr_codes(tmp_path / "gcn.pdf", qr_dir) == [url]
    docx = fetch(client, reverse("awards:certificate_file", args=[tea.pk, "docx"]))
    assert any(
        p.text == f"Số: {tea.number}"
        for c in Document(io.BytesIO(docx)).tables[0]._cells
        for p in c.paragraphs
    )
    opened = libreoffice_pdf(docx, "gcn.docx")
    qr_dir = tmp_path / "qr-docx"
    qr_dir.mkdir()
    assert pdf_qr_codes(opened, qr_dir) == [url]
    client.logout()
    page = client.get(url.removeprefix("https://khuyencong.example.vn")).content.decode()
    assert "Chè Shan tuyết Chiềng Sơn" in page


def test_the_result_list_opens_in_libreoffice(closed, sct, client, libreoffice_pdf):
    client.force_login(sct)
    content = fetch(client, reverse("awards:results_xlsx", args=[closed["round"].code]))
    text = flat(pdf_text(libreoffice_pdf(content, "ket-qua.xlsx")))
    assert "Chè Shan tuyết Chiềng Sơn" in text
    assert "Giám khảo 1" in text


@pytest.mark.parametrize(
    ("name", "unit_type", "phrase"),
    [
        ("Xã Chiềng Sơn", "xa", "xã Chiềng Sơn"),
        ("Phường Tô Hiệu", "phuong", "phường Tô Hiệu"),
        ("Sơn La", "tinh", "tỉnh Sơn La"),
        ("Hà Nội", "thanh-pho-tw", "thành phố Hà Nội"),
        ("Xuân Sơn", "xa", "xã Xuân Sơn"),
    ],
)
def test_a_unit_is_named_once_with_its_type(name, unit_type, phrase):
    assert unit_phrase(AdministrativeUnit(name=name, unit_type=unit_type)) == phrase


def test_the_minutes_name_a_reserve_judge_and_count_the_jury_proper(closed, sct, client, make_user):
    """A reserve judge (giám khảo dự khuyết) is listed as such; the attendance counts the
    jury proper, whose size the reserves do not change."""
    user = make_user(Role.COUNCIL_MEMBER, SON_LA)
    user.full_name = "Giám khảo dự khuyết"
    user.save(update_fields=["full_name"])
    reserve = seat(closed["round"], user, "", judge=True)
    reserve.is_reserve = True
    reserve.save(update_fields=["is_reserve"])
    client.force_login(sct)
    url = reverse("awards:round_document", args=[closed["round"].code, "bien-ban", "docx"])
    document = Document(io.BytesIO(fetch(client, url)))
    cells = {c.text for table in document.tables for c in table._cells}
    assert "Giám khảo (không là thành viên hội đồng) (giám khảo dự khuyết)" in cells
    assert "Số giám khảo có mặt: 7/7." in {p.text for p in document.paragraphs}
