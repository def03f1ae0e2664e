"""Generated project documents (documents.py): phiếu thẩm định, quyết định phê duyệt, biên bản
nghiệm thu as Word and PDF; the download view (scope, state, content type, flat queries)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from khuyencong.accounts.models import Role
from khuyencong.core.testing import pdf_text
from khuyencong.programs.models import ActivityLine
from khuyencong.projects import documents, selectors, services
from khuyencong.projects.models import ProjectOutput
from khuyencong.projects.workflow import KCDP, State, Step

from .conftest import KHANH_HOA, MILLION, D, project_data, step

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = ("phieu-tham-dinh", "quyet-dinh", "bien-ban-nghiem-thu")
SCT_SHEET = "Đề án phù hợp nội dung chương trình; máy sao chè đáp ứng yêu cầu kỹ thuật."
FINANCE_SHEET = "Dự toán lập đúng định mức chi; vốn đối ứng bảo đảm."
NATIONAL_SHEET = "Đề án đủ điều kiện hỗ trợ từ kinh phí khuyến công quốc gia."
MINUTES = "Máy sao chè đã lắp đặt, chạy thử ổn định, công suất đạt thiết kế."


def _son_la_line(order: int) -> ActivityLine:
    return ActivityLine.objects.get(programme__code="son-la-2026-2030", order=order)


@pytest.fixture
def make_accepted(centre, sct, finance, national, tea, seed_programmes):
    """Takes a KCQG project through the whole workflow up to acceptance (recorded by
    ``recorder``, the SCT by default), with two outputs (one reached, one short of plan) and a
    decision approving less than proposed."""

    def make(recorder: Any = None) -> Any:
        lines = [_son_la_line(1), _son_la_line(2)]
        project, _ = services.create_project(
            actor=centre,
            data=project_data(
                beneficiaries=[tea],
                outputs=[services.OutputRow(lines[0], Decimal(2)), services.OutputRow(lines[1], 3)],
            ),
        )
        step(centre, project, Step.SUBMIT)
        step(sct, project, Step.APPRAISE_PROVINCE, sheet=SCT_SHEET, score=85, conclusion="dat")
        step(
            finance,
            project,
            Step.APPRAISE_PROVINCE,
            sheet=FINANCE_SHEET,
            score=None,
            conclusion="dat-co-dieu-kien",
        )
        step(
            national,
            project,
            Step.APPRAISE_NATIONAL,
            sheet=NATIONAL_SHEET,
            score=90,
            conclusion="dat",
        )
        step(
            national,
            project,
            Step.APPROVE,
            decision_number="45/QĐ-ĐCK",
            decision_date=D(2026, 3, 2),
            approved_kcqg=250 * MILLION,
            approved_kcdp=0,
        )
        step(centre, project, Step.CONTRACT)
        step(centre, project, Step.START)
        outputs = list(project.outputs.order_by("pk"))
        step(
            recorder or sct,
            project,
            Step.ACCEPT,
            minutes=MINUTES,
            accepted_on=D(2026, 11, 30),
            actual={outputs[0].pk: Decimal(2), outputs[1].pk: Decimal(1)},
        )
        return selectors.project_for_view(sct, project.pk)

    return make


@pytest.fixture
def accepted(make_accepted):
    return make_accepted()


def _docx_text(content: bytes) -> str:
    """Every paragraph of the body and of every table cell (nested tables too)."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]

    def cells(tables) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    return "\n".join(parts)


def _pdf(tmp_path: Path, content: bytes) -> str:
    assert content.startswith(b"%PDF")
    path = tmp_path / "van-ban.pdf"
    path.write_bytes(content)
    return pdf_text(path)


def _has_all(text: str, *expected: str) -> None:
    for item in expected:
        assert item in text, item


def _flat(text: str) -> str:
    """pdftotext lays lines out as on the page: join them to search sentences."""
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Contents
# --------------------------------------------------------------------------------------------
def test_the_appraisal_sheet_lists_every_appraisal_of_the_round(accepted, sct, finance, national):
    text = _docx_text(documents.render("phieu-tham-dinh", "docx", accepted))
    _has_all(
        text,
        "UBND TỈNH SƠN LA",
        "SỞ CÔNG THƯƠNG",
        "PHIẾU THẨM ĐỊNH",
        "Đề án khuyến công quốc gia năm 2026",
        accepted.code,
        "Hỗ trợ máy sao chè tự động",
        "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La",
        "Hộ kinh doanh chè Chiềng Sơn",
        "Kinh phí đề nghị: 600.000.000 đồng (Bằng chữ: Sáu trăm triệu đồng), trong đó:",
        "- Kinh phí khuyến công quốc gia (KCQG): 300.000.000 đồng;",
        "- Vốn đối ứng của cơ sở thụ hưởng: 300.000.000 đồng.",
        SCT_SHEET,
        FINANCE_SHEET,
        NATIONAL_SHEET,
        "Sở Công Thương — Thẩm định nội dung, kỹ thuật",
        "Sở Tài chính — Thẩm định kinh phí",
        "Điểm thẩm định: 85/100.",
        "Điểm thẩm định: 90/100.",
        "Kết luận: Đạt.",
        "Kết luận: Đạt, cần hoàn thiện theo ý kiến thẩm định.",
        sct.full_name,
        finance.full_name,
        national.full_name,
        "ĐẠI DIỆN SỞ TÀI CHÍNH",
    )
    # The finance sheet has no score: no "None/100".
    assert text.count("Điểm thẩm định") == 2


def test_the_decision_cites_the_legal_bases_and_approves_the_amounts(accepted):
    text = _docx_text(documents.render("quyet-dinh", "docx", accepted))
    _has_all(
        text,
        # A KCQG project is approved by the national department.
        "BỘ CÔNG THƯƠNG",
        "CỤC ĐỔI MỚI SÁNG TẠO,",
        "Số: 45/QĐ-ĐCK",
        "Hà Nội, ngày 02 tháng 3 năm 2026",
        "QUYẾT ĐỊNH",
        "Phê duyệt đề án khuyến công “Hỗ trợ máy sao chè tự động”",
        "CỤC TRƯỞNG CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG",
        "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công",
        "Nghị định số 235/2025/NĐ-CP ngày 27 tháng 8 năm 2025",
        "Thông tư số 36/2013/TT-BCT",
        # The norm's own legal basis (norms table) and the programme's decision.
        "Căn cứ Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC;",
        "Căn cứ Quyết định số 1113/QĐ-UBND ngày 11/5/2026 của UBND tỉnh Sơn La phê duyệt "
        "Chương trình khuyến công tỉnh Sơn La giai đoạn 2026 - 2030;",
        "Căn cứ kết quả thẩm định đề án của Sở Công Thương, Sở Tài chính, Cục",
        "Theo đề nghị của Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Phê duyệt đề án khuyến công quốc gia năm 2026",
        "Kinh phí được duyệt: 550.000.000 đồng (Bằng chữ: Năm trăm năm mươi triệu đồng), trong đó:",
        "- Kinh phí khuyến công quốc gia (KCQG): 250.000.000 đồng;",
        "Điều 2.",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT, ĐCK.",
        "CỤC TRƯỞNG",
    )
    document = Document(io.BytesIO(documents.render("quyet-dinh", "docx", accepted)))
    outputs = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    assert len(outputs) == 1
    assert [c.text for c in outputs[0].rows[0].cells][-1] == "Kế hoạch"
    assert [c.text for c in outputs[0].rows[1].cells][3] == "2"


def test_a_local_fund_decision_is_issued_by_the_province(make_project, sct):
    project = make_project(fund=KCDP, state=State.APPROVED, support=25_965_000)
    project = selectors.project_for_view(sct, project.pk)
    text = _docx_text(documents.render("quyet-dinh", "docx", project))
    _has_all(
        text,
        "UBND TỈNH SƠN LA",
        "Số: 125/QĐ-SCT",
        "Sơn La, ngày 02 tháng 3 năm 2026",
        "GIÁM ĐỐC SỞ CÔNG THƯƠNG TỈNH SƠN LA",
        "- Kinh phí khuyến công địa phương (KCĐP): 25.965.000 đồng;",
        "325.965.000 đồng (Bằng chữ: Ba trăm hai mươi lăm triệu chín trăm sáu mươi lăm nghìn đồng)",
        "KT. GIÁM ĐỐC",
        "- UBND tỉnh Sơn La (để b/c);",
        "- Lưu: VT, QLCN.",
    )
    assert "Thông tư số 36/2013/TT-BCT" not in text  # national funds only


def test_the_acceptance_minutes_compare_planned_and_actual_outputs(accepted, sct):
    content = documents.render("bien-ban-nghiem-thu", "docx", accepted)
    text = _docx_text(content)
    _has_all(
        text,
        "Số:       /BB-SCT",
        "Sơn La, ngày 30 tháng 11 năm 2026",
        "BIÊN BẢN",
        "Căn cứ Quyết định số 45/QĐ-ĐCK ngày 2/3/2026 của Cục Đổi mới sáng tạo",
        "Căn cứ Hợp đồng số 15/HĐ-KC ngày 20/3/2026;",
        "Hôm nay, ngày 30 tháng 11 năm 2026, chúng tôi gồm:",
        f"1. Đại diện Sở Công Thương tỉnh Sơn La: Ông/Bà {sct.full_name}.",
        "3. Đại diện cơ sở thụ hưởng: Hộ kinh doanh chè Chiềng Sơn.",
        "Kinh phí được duyệt: 550.000.000 đồng (Bằng chữ: Năm trăm năm mươi triệu đồng), trong đó:",
        "- Kinh phí khuyến công quốc gia (KCQG): 250.000.000 đồng;",
        MINUTES,
        "Một số sản phẩm đầu ra chưa đạt kế hoạch",
        "thực hiện 1/3",
        "ĐẠI DIỆN ĐƠN VỊ THỰC HIỆN",
        "ĐẠI DIỆN CƠ SỞ THỤ HƯỞNG",
    )
    table = next(t for t in Document(io.BytesIO(content)).tables if t.cell(0, 0).text == "STT")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][3:] == ["Kế hoạch", "Thực hiện"]
    lines = [_son_la_line(1), _son_la_line(2)]
    assert rows[1] == ["1", lines[0].name, lines[0].unit_of_measure, "2", "2"]
    assert rows[2] == ["2", lines[1].name, lines[1].unit_of_measure, "3", "1"]


def test_minutes_recorded_by_the_centre_carry_its_officer_on_its_side(make_accepted, centre):
    text = _docx_text(documents.render("bien-ban-nghiem-thu", "docx", make_accepted(centre)))
    assert "1. Đại diện Sở Công Thương tỉnh Sơn La: \n" in text + "\n"
    assert f", Ông/Bà {centre.full_name}." in text
    assert text.count(centre.full_name) == 2  # the participants, the signature


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("phieu-tham-dinh", ["PHIẾU THẨM ĐỊNH", "Hộ kinh doanh chè Chiềng Sơn", "Kết luận: Đạt."]),
        (
            "quyet-dinh",
            [
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số: 45/QĐ-ĐCK",
                "Điều 1.",
                "250.000.000 đồng",
                "(Bằng chữ: Năm trăm năm mươi triệu đồng)",
                "Nghị định số 235/2025/NĐ-CP",
                "Nơi nhận:",
            ],
        ),
        ("bien-ban-nghiem-thu", ["BIÊN BẢN", "Thực hiện", MINUTES, "ĐẠI DIỆN ĐƠN VỊ"]),
    ],
)
def test_the_pdf_is_a_real_pdf_with_vietnamese_text(accepted, tmp_path, kind, expected):
    text = _flat(_pdf(tmp_path, documents.render(kind, "pdf", accepted)))
    _has_all(text, *(_flat(item) for item in expected))
    assert "Sơn La" in text


@pytest.mark.parametrize("kind", KINDS)
def test_libreoffice_opens_the_docx(accepted, libreoffice_pdf, kind):
    pdf = libreoffice_pdf(documents.render(kind, "docx", accepted), f"{kind}.docx")
    text = _flat(pdf_text(pdf))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Hỗ trợ máy sao chè tự động" in text


def test_which_documents_a_state_has(make_project):
    assert documents.available(make_project(state=State.DRAFT)) == []
    assert [k.slug for k in documents.available(make_project(state=State.APPROVED))] == [
        "quyet-dinh"
    ]
    assert [k.slug for k in documents.available(make_project(state=State.SETTLED))] == [
        "quyet-dinh",
        "bien-ban-nghiem-thu",
    ]
    assert documents.available(make_project(state=State.CANCELLED)) == []


def test_the_sheet_comes_only_after_a_completed_province_appraisal(centre, sct, make_project):
    project = make_project()
    step(centre, project, Step.SUBMIT)
    step(sct, project, Step.APPRAISE_PROVINCE)  # the finance department has not signed yet
    project = selectors.project_for_view(sct, project.pk)
    assert documents.available(project) == []


# --------------------------------------------------------------------------------------------
# The download view and the detail page
# --------------------------------------------------------------------------------------------
def _url(project, kind: str, fmt: str) -> str:
    return reverse("projects:project_document", args=[project.pk, kind, fmt])


def test_an_officer_in_scope_downloads_each_document(client, accepted, sct):
    client.force_login(sct)
    for kind in KINDS:
        response = client.get(_url(accepted, kind, "docx"))
        assert response.status_code == 200
        assert response["Content-Type"] == DOCX
        expected = f'attachment; filename="{kind}-da-2026-{accepted.pk:05d}.docx"'
        assert response["Content-Disposition"] == expected
        Document(io.BytesIO(response.content))
    response = client.get(_url(accepted, "quyet-dinh", "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    page = client.get(reverse("projects:project_detail", args=[accepted.pk])).content.decode()
    assert 'id="van-ban"' in page
    for kind in KINDS:
        assert _url(accepted, kind, "docx") in page
        assert _url(accepted, kind, "pdf") in page


def test_another_province_gets_404(client, accepted, user_for):
    client.force_login(user_for(Role.PROVINCE_SCT, KHANH_HOA))
    for kind in KINDS:
        assert client.get(_url(accepted, kind, "docx")).status_code == 404


def test_a_document_the_state_does_not_have_is_404_with_the_reason(client, sct, make_project):
    draft = make_project(state=State.DRAFT)
    client.force_login(sct)
    response = client.get(_url(draft, "quyet-dinh", "docx"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Đề án đang ở trạng thái “Dự thảo”: chưa có “Quyết định phê duyệt đề án”." in page
    assert client.get(_url(draft, "phieu-tham-dinh", "pdf")).status_code == 404
    assert client.get(_url(draft, "cong-van", "docx")).status_code == 404
    assert client.get(_url(draft, "quyet-dinh", "odt")).status_code == 404
    detail = client.get(reverse("projects:project_detail", args=[draft.pk])).content.decode()
    assert 'id="van-ban"' not in detail


def test_only_the_documents_of_the_state_are_linked(client, sct, make_project):
    approved = make_project(state=State.APPROVED)
    client.force_login(sct)
    page = client.get(reverse("projects:project_detail", args=[approved.pk])).content.decode()
    assert _url(approved, "quyet-dinh", "docx") in page
    assert _url(approved, "bien-ban-nghiem-thu", "docx") not in page
    assert _url(approved, "phieu-tham-dinh", "docx") not in page


def _accepted_with_outputs(make_project, count: int):
    project = make_project(state=State.ACCEPTED)
    lines = ActivityLine.objects.filter(programme__code="son-la-2026-2030").order_by("order")
    ProjectOutput.objects.bulk_create(
        ProjectOutput(project=project, line=line, planned_quantity=2, actual_quantity=1)
        for line in lines[:count]
    )
    return project


def _queries(client, project, kind: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url(project, kind, "docx"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_output_lines(client, sct, make_project, seed_programmes):
    one = _accepted_with_outputs(make_project, 1)
    ten = _accepted_with_outputs(make_project, 10)
    client.force_login(sct)
    for kind in ("quyet-dinh", "bien-ban-nghiem-thu"):
        assert _queries(client, one, kind) == _queries(client, ten, kind), kind
