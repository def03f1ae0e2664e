"""Pure rules: budget totals, the norm cap, repeat support, overseas fairs, money limits, the
change summary and file detection — no database, no HTTP."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.projects import changes, rules, uploads
from khuyencong.projects.workflow import KCDP, KCQG

from .conftest import MILLION, D


# ------------------------------------------------------------------------------------- budget
def test_totals_and_budget_checks():
    rows = [
        rules.BudgetRow("Máy", kcqg=300 * MILLION),
        rules.BudgetRow("Lắp đặt", kcdp=50 * MILLION, counterpart=250 * MILLION, other=5),
    ]
    sums = rules.totals(rows)
    assert (sums.support, sums.total, sums.for_fund(KCDP)) == (
        350 * MILLION,
        600 * MILLION + 5,
        50 * MILLION,
    )
    assert rules.check_budget(rows, KCQG) == []
    codes = {f.code for f in rules.check_budget(rows, KCDP)}
    assert codes == {"budget-kcqg-in-local"}
    assert {f.code for f in rules.check_budget([], KCQG)} == {"budget-empty"}
    bad = rules.check_budget([rules.BudgetRow(" ", counterpart=-1)], KCQG)
    assert {f.code for f in bad} == {"budget-item", "budget-negative", "budget-no-support"}


def test_schedule_order():
    found = rules.check_schedule([rules.TaskRow("Lắp máy", D(2026, 6, 1), D(2026, 5, 1))], 2026)
    assert [f.code for f in found] == ["task-order"]
    assert "Lắp máy" in found[0].message


# ------------------------------------------------------------------------------- norm cap
LIMIT = rules.Limit(
    maximum=300 * MILLION,
    sentence="Hỗ trợ tối đa 50% chi phí, không quá 300.000.000 đ (Thông tư 28/2018/TT-BTC).",
    legal_basis="Thông tư 28/2018/TT-BTC",
)


def test_support_above_the_cap_names_the_rule():
    assert rules.check_support_cap(300 * MILLION, LIMIT, content_label="Máy", fund=KCQG) == []
    (finding,) = rules.check_support_cap(300 * MILLION + 1, LIMIT, content_label="Máy", fund=KCQG)
    assert finding.is_error
    assert finding.message == (
        "Kinh phí hỗ trợ đề nghị (KCQG + KCĐP) 300.000.001 đ vượt mức tối đa 300.000.000 đ, "
        "vượt 1 đ. " + LIMIT.sentence
    )


def test_no_norm_or_an_unverified_norm_is_said_not_hidden():
    (missing,) = rules.check_support_cap(1, None, content_label="Hội chợ", fund=KCDP)
    assert missing.severity == rules.WARNING
    assert "KCĐP" in missing.message
    unverified = rules.Limit(35 * MILLION, "…", "Thông tư 28", needs_verification=True)
    (note,) = rules.check_support_cap(1, unverified, content_label="Nhãn hiệu", fund=KCQG)
    assert note.severity == rules.INFO
    assert "cần xác minh" in note.message


def test_repeat_support_looks_at_the_same_and_the_previous_year():
    prior = [
        rules.PriorSupport("Cơ sở A", "Đề án 2024", 2024, "/de-an/1/"),
        rules.PriorSupport("Cơ sở A", "Đề án 2025", 2025, "/de-an/2/"),
        rules.PriorSupport("Cơ sở B", "Đề án 2026", 2026, "/de-an/3/"),
    ]
    found = rules.check_repeat_support(prior, content_label="Máy", year=2026)
    assert [(f.severity, [link.url for link in f.links]) for f in found] == [
        (rules.WARNING, ["/de-an/2/"]),
        (rules.WARNING, ["/de-an/3/"]),
    ]


def test_overseas_fairs_allow_two_per_year():
    one = rules.PriorSupport("A", "Hội chợ 1", 2026, "/de-an/1/")
    two = rules.PriorSupport("A", "Hội chợ 2", 2026, "/de-an/2/")
    assert rules.check_overseas_fairs([rules.FairCount("A", [one])], year=2026) == []
    (error,) = rules.check_overseas_fairs([rules.FairCount("A", [one, two])], year=2026)
    assert error.is_error
    assert len(error.links) == 2


# ------------------------------------------------------------------------------------- money
def test_advance_refusal_says_the_limit_and_the_rule():
    assert rules.advance_limit(300 * MILLION, Decimal("0.70")) == 210 * MILLION
    assert rules.advance_limit(333_333_333, Decimal("0.70")) == 233_333_333  # rounded down
    assert (
        rules.advance_refusal(
            fund=KCQG, approved=300 * MILLION, rate=Decimal("0.7"), advanced=0, amount=210 * MILLION
        )
        is None
    )
    message = rules.advance_refusal(
        fund=KCDP,
        approved=300 * MILLION,
        rate=Decimal("0.70"),
        advanced=150 * MILLION,
        amount=100 * MILLION,
    )
    assert message == (
        "Tạm ứng tối đa 70% kinh phí hỗ trợ được duyệt (KCĐP 300.000.000 đ): 210.000.000 đ; "
        "đã tạm ứng 150.000.000 đ, lần này 100.000.000 đ — vượt 40.000.000 đ."
    )
    assert "30%" in rules.advance_refusal(
        fund=KCQG, approved=100, rate=Decimal("0.30"), advanced=0, amount=31
    )


@given(
    approved=st.integers(min_value=0, max_value=10**12),
    rate=st.decimals(min_value=0, max_value=1, places=2),
    advanced=st.integers(min_value=0, max_value=10**12),
    amount=st.integers(min_value=1, max_value=10**12),
)
def test_an_advance_is_accepted_exactly_up_to_the_ceiling(approved, rate, advanced, amount):
    refusal = rules.advance_refusal(
        fund=KCQG, approved=approved, rate=rate, advanced=advanced, amount=amount
    )
    assert (refusal is None) == (advanced + amount <= approved * rate)


def test_payments_and_settlement_never_above_approved():
    assert rules.payment_refusal(fund=KCQG, approved=10, disbursed=4, amount=6) is None
    assert "vượt 1 đ" in rules.payment_refusal(fund=KCQG, approved=10, disbursed=4, amount=7)
    approved = rules.Totals(kcqg=100, kcdp=50)
    assert rules.check_settlement(actual=approved, approved=approved, date=D(2026, 12, 1)) == []
    problems = rules.check_settlement(
        actual=rules.Totals(kcqg=101), approved=approved, date=D(2026, 12, 1)
    )
    assert problems
    assert "KCQG quyết toán 101 đ vượt kinh phí được duyệt 100 đ" in problems[0]


# ---------------------------------------------------------------------------- change summary
def test_diff_names_each_change():
    old = {
        "fields": {"title": "Máy sao chè", "objectives": "Tăng năng suất"},
        "budget": [{"item": "Máy", "kcqg": 300}, {"item": "Lắp đặt", "counterpart": 100}],
        "tasks": [{"name": "Lắp máy", "start": "1/3/2026", "end": "30/6/2026"}],
        "outputs": [{"line": "1. Máy móc", "planned": "2"}],
        "beneficiaries": ["Cơ sở A"],
    }
    new = {
        "fields": {"title": "Máy sao chè tự động", "objectives": "Tăng năng suất"},
        "budget": [{"item": "Máy", "kcqg": 280}, {"item": "Vận chuyển", "other": 5}],
        "tasks": [{"name": "Lắp máy", "start": "1/4/2026", "end": "30/6/2026"}],
        "outputs": [{"line": "1. Máy móc", "planned": "2"}],
        "beneficiaries": ["Cơ sở A", "Cơ sở B"],
    }
    found = [(c.section, c.label, c.kind) for c in changes.diff(old, new)]
    assert found == [
        ("Thông tin chung", "Tên đề án", "changed"),
        ("Dự toán kinh phí", "Máy", "changed"),
        ("Dự toán kinh phí", "Lắp đặt", "removed"),
        ("Dự toán kinh phí", "Vận chuyển", "added"),
        ("Dự toán kinh phí", "Tổng kinh phí hỗ trợ (KCQG + KCĐP)", "changed"),
        ("Tiến độ thực hiện", "Lắp máy", "changed"),
        ("Cơ sở thụ hưởng", "Cơ sở B", "added"),
    ]
    assert changes.diff(new, new) == []


# ------------------------------------------------------------------------------------- files
def _detect(content: bytes, name: str = "tep.pdf", size: int | None = None):
    return uploads.detect(
        io.BytesIO(content), name=name, size=len(content) if size is None else size
    )


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def test_files_are_recognised_by_their_content_not_their_name():
    assert _detect(b"%PDF-1.7\n...", "anh.png") is uploads.PDF
    assert _detect(b"\x89PNG\r\n\x1a\n....", "bao-cao.pdf") is uploads.PNG
    assert _detect(b"\xff\xd8\xff\xe0....", "x") is uploads.JPEG
    assert _detect(_zip("[Content_Types].xml", "word/document.xml"), "a.xlsx") is uploads.DOCX
    assert _detect(_zip("[Content_Types].xml", "xl/workbook.xml"), "a.docx") is uploads.XLSX


def test_real_office_files_are_accepted():
    import docx
    import openpyxl

    document, workbook = io.BytesIO(), io.BytesIO()
    docx.Document().save(document)
    openpyxl.Workbook().save(workbook)
    assert _detect(document.getvalue(), "phieu.docx") is uploads.DOCX
    assert _detect(workbook.getvalue(), "du-toan.xlsx") is uploads.XLSX


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(100), "Windows"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "Linux"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
    ],
)
def test_a_renamed_executable_is_refused(content, what):
    with pytest.raises(uploads.UploadRefused) as info:
        _detect(content, "quyet-dinh-phe-duyet.pdf")
    assert "chương trình chạy được" in str(info.value)
    assert what in str(info.value)
    assert "quyet-dinh-phe-duyet.pdf" in str(info.value)


def test_other_content_and_oversized_files_are_refused():
    with pytest.raises(uploads.UploadRefused, match="không phải PDF, DOCX, XLSX, JPEG, PNG"):
        _detect(_zip("mimetype", "content.xml"), "bang.xlsx")  # an .ods is not accepted
    with pytest.raises(uploads.UploadRefused, match="không phải PDF"):
        _detect(b"<html>", "trang.pdf")
    with pytest.raises(uploads.UploadRefused, match="vượt giới hạn 10 MB"):
        _detect(b"%PDF-1.7", "lon.pdf", size=uploads.MAX_SIZE + 1)
    with pytest.raises(uploads.UploadRefused, match="rỗng"):
        _detect(b"", "rong.pdf")


def test_an_office_file_that_is_a_zip_bomb_is_refused():
    """The attachment guard is the shared one (core/uploads.py): a DOCX whose members declare
    more inflated bytes than the limit is refused before anything opens it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("word/media/big.bin", bytes(uploads.LIMITS.max_inflated + 1))
    with pytest.raises(uploads.UploadRefused, match=r"“bom\.docx” sau khi giải nén lớn hơn"):
        _detect(buffer.getvalue(), "bom.docx")


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)))
def test_month_end_is_the_last_day_of_the_month(day):
    end = rules.month_end(day)
    assert (end.year, end.month) == (day.year, day.month)
    assert (end + datetime.timedelta(days=1)).day == 1


def test_month_end_examples():
    assert rules.month_end(D(2026, 12, 1)) == D(2026, 12, 31)
    assert rules.month_end(D(2027, 6, 1)) == D(2027, 6, 30)
    assert rules.month_end(D(2028, 2, 1)) == D(2028, 2, 29)


def test_a_project_without_outputs_is_warned_that_progress_will_not_count_it():
    assert rules.check_outputs(2) == []
    [finding] = rules.check_outputs(0)
    assert (finding.code, finding.severity) == ("outputs-missing", rules.WARNING)
    assert "tiến độ thực hiện chương trình sẽ không tính đề án này" in finding.message
