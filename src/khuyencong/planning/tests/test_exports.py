"""The Mẫu 2 workbook and the Word plan, opened by real LibreOffice."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from khuyencong.core.testing import pdf_text
from khuyencong.planning import services
from khuyencong.planning.rules import Amounts

from .conftest import TODAY, need

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan_with_items(officer, sct, centre, round_, tea, groups):
    registration, _ = services.create_registration(
        actor=officer,
        round=round_,
        establishment=tea,
        data=need(
            groups["nhom-2"],
            total=80_000_000,
            kcdp=62_500_000,
            counterpart=17_500_000,
            activity="Hỗ trợ đăng ký nhãn hiệu chè Chiềng Sơn",
        ),
    )
    sent = services.transition_registration(
        actor=officer, registration=registration, action="gui", on=TODAY
    )
    services.transition_registration(actor=sct, registration=sent, action="chap-nhan")
    plan = services.create_plan(actor=centre, year=2026, fund="KCDP")
    services.consolidate(actor=centre, plan=plan, expected_version=plan.version)
    plan.refresh_from_db()
    services.add_item(
        actor=centre,
        plan=plan,
        expected_version=plan.version,
        data=services.ItemData(
            name="Tham gia hội chợ hàng CNNT khu vực phía Bắc",
            implementing_unit="Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La",
            content_group=groups["nhom-2"],
            amounts=Amounts(150_000_000, kcdp=100_000_000, other=50_000_000),
            start_month=D(2026, 9, 1),
            end_month=D(2026, 10, 1),
            beneficiary="Các cơ sở CNNT tiêu biểu",
        ),
    )
    return plan


def test_mau_2_workbook(client, centre, plan_with_items, libreoffice_pdf):
    client.force_login(centre)
    response = client.get(reverse("planning:plan_xlsx", args=[plan_with_items.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-mau-2.xlsx"')
    content = response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "TỔNG HỢP KẾ HOẠCH KHUYẾN CÔNG ĐỊA PHƯƠNG NĂM 2026" in flat
    assert "Mẫu 2" in flat
    assert "Đơn vị tính: triệu đồng" in flat
    assert values[7][:7] == [
        "STT",
        "Tên đề án",
        "Đơn vị thực hiện",
        "Đơn vị thụ hưởng",
        "Địa điểm thực hiện",
        "Nội dung hỗ trợ",
        "Tổng kinh phí",
    ]
    assert values[7][7] == "Trong đó"
    assert values[7][10] == "Thời gian thực hiện"
    # A KCĐP plan: the fund column is KCĐP (no empty KCQG column), so every row adds up.
    assert values[8][7:10] == ["Kinh phí KCĐP", "Vốn đối ứng", "Nguồn khác"]
    assert values[9][:3] == ["(1)", "(2)", "(3)"]
    first = next(row for row in values if row[0] == 1)
    assert first[1] == "Hỗ trợ đăng ký nhãn hiệu chè Chiềng Sơn"
    assert first[3] == "Hộ kinh doanh chè Chiềng Sơn"
    assert first[4] == "Xã Chiềng Sơn"
    assert first[6] == 80
    assert first[7] == 62.5
    assert first[8] == 17.5
    total = next(row for row in values if row[0] == "Tổng cộng")
    assert total[6:10] == [230, 162.5, 17.5, 50]
    assert sheet.merged_cells.ranges  # merged title and header cells

    text = pdf_text(libreoffice_pdf(content, "mau-2.xlsx"))
    assert "TỔNG HỢP KẾ HOẠCH KHUYẾN CÔNG ĐỊA PHƯƠNG NĂM 2026" in text
    assert "62,5" in text
    assert "162,5" in text
    assert "Chiềng Sơn" in text


def test_plan_docx(client, centre, plan_with_items, libreoffice_pdf):
    client.force_login(centre)
    response = client.get(reverse("planning:plan_docx", args=[plan_with_items.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "KẾ HOẠCH" in paragraphs
    assert "Khuyến công địa phương năm 2026" in paragraphs
    assert any(p.startswith("I. MỤC ĐÍCH") for p in paragraphs)
    assert any(
        "Tổng kinh phí thực hiện: 230 triệu đồng (Bằng chữ: Hai trăm ba mươi triệu đồng)" in p
        for p in paragraphs
    )
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in " ".join(cells)
    assert any("Số:" in c and "/KH-SCT" in c for c in cells)
    assert (
        "Hỗ trợ đăng ký nhãn hiệu chè Chiềng Sơn (Phát triển sản phẩm công nghiệp nông thôn)"
        in cells
    )
    assert "62,5" in cells
    assert "Nơi nhận:" in " ".join(cells)

    text = pdf_text(libreoffice_pdf(response.content, "ke-hoach.docx"))
    for expected in ("KẾ HOẠCH", "Khuyến công địa phương năm 2026", "Độc lập - Tự do - Hạnh phúc"):
        assert expected in text
    assert "Sơn La, ngày" in text
    assert "KT. GIÁM ĐỐC" in text
    assert "Lưu: VT, QLCN." in text


def test_mau_2_workbook_of_a_plan_with_no_items(client, centre, groups, libreoffice_pdf):
    """Regression (issue 9, defect 3): an empty plan's Mẫu 2 was a 500 ('MergedCell' object is
    not iterable). It is the empty form with its header, a zero total and the signatures."""
    plan = services.create_plan(actor=centre, year=2026, fund="KCDP")
    client.force_login(centre)
    response = client.get(reverse("planning:plan_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[7][:2] == ["STT", "Tên đề án"]
    total = next(row for row in values if row[0] == "Tổng cộng")
    assert total[6:10] == [0, 0, 0, 0]
    assert not any(isinstance(row[0], int) for row in values)  # no project row
    assert "THỦ TRƯỞNG ĐƠN VỊ" in [v for row in values for v in row if v]
    assert "TỔNG HỢP KẾ HOẠCH" in pdf_text(libreoffice_pdf(response.content, "mau-2.xlsx"))


def test_word_plan_with_no_items(client, centre, groups):
    plan = services.create_plan(actor=centre, year=2026, fund="KCDP")
    client.force_login(centre)
    response = client.get(reverse("planning:plan_docx", args=[plan.pk]))
    assert response.status_code == 200
    assert "KẾ HOẠCH" in [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
