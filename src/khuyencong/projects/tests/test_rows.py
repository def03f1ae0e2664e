"""The list's row writer (``projects.rows``) without HTTP: a cell repeated on a page is
written once and looked up after (issue 11), and each row still shows its own values."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils import translation

from khuyencong.core.templatetags.badges import badge
from khuyencong.projects.rows import table_rows
from khuyencong.projects.workflow import KCDP, KCQG

from .conftest import MILLION

_ROW: dict[str, Any] = {
    "pk": 7,
    "plan_year": 2026,
    "title": "Máy sấy",
    "kind": "thuong",
    "is_demo": False,
    "fund": KCQG,
    "status": "nhap",
    "support_kcqg": 300 * MILLION,
    "support_kcdp": 0,
    "approved_kcqg": 0,
    "approved_kcdp": 0,
    "unit_name": "Sơn La",
    "location_name": None,
}


def _link(pk: int) -> str:
    return reverse("projects:project_detail", args=[pk])


def _cells(html: str) -> list[list[str]]:
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in html.split("</tr>")[:-1]]


def test_rows_sharing_cells_each_show_their_own_values():
    rows = [
        _ROW,
        {
            **_ROW,
            "pk": 123_456,
            "plan_year": 2025,
            "title": 'Lò <nung> & "gốm"',
            "kind": "diem",
            "is_demo": True,
            "fund": KCDP,
            "status": "huy",
            "support_kcqg": 0,
            "support_kcdp": 62_500_000,
            "approved_kcdp": 1_234_567_890_123,
            "unit_name": "Khánh <Hòa>",
            "location_name": "Xã A & B",
        },
        {**_ROW, "pk": 8, "location_name": "", "status": "khong-co", "kind": "khac"},
        {**_ROW, "pk": 9, "unit_name": "Khánh <Hòa>", "location_name": "Xã A & B"},
    ]
    with translation.override("vi"):
        cells = _cells(table_rows(rows))
    assert [row[0] for row in cells] == [
        f'<a href="{_link(pk)}">ĐA-{year}-{pk:05d}</a>'
        for pk, year in [(7, 2026), (123_456, 2025), (8, 2026), (9, 2026)]
    ]
    assert [row[1:] for row in cells] == [
        [
            f'<a href="{_link(7)}">Máy sấy</a><div class="small text-muted">Đề án thường</div>',
            "Sơn La", "—", "KCQG", "2026", "300", "—",
            str(badge("projects", "nhap", "Dự thảo")),
        ],
        [
            f'<a href="{_link(123_456)}">Lò &lt;nung&gt; &amp; &quot;gốm&quot;</a>'
            '<div class="small text-muted">Đề án điểm · dữ liệu mẫu</div>',
            "Khánh &lt;Hòa&gt;", "Xã A &amp; B", "KCĐP", "2025", "62,5", "1.234.567,890123",
            str(badge("projects", "huy", "Đã hủy")),
        ],
        [
            f'<a href="{_link(8)}">Máy sấy</a><div class="small text-muted">khac</div>',
            "Sơn La", "—", "KCQG", "2026", "300", "—",
            str(badge("projects", "khong-co", "khong-co")),
        ],
        [
            f'<a href="{_link(9)}">Máy sấy</a><div class="small text-muted">Đề án thường</div>',
            "Khánh &lt;Hòa&gt;", "Xã A &amp; B", "KCQG", "2026", "300", "—",
            str(badge("projects", "nhap", "Dự thảo")),
        ],
    ]  # fmt: skip


def test_the_labels_are_the_page_s_language():
    with translation.override("en"):
        html = table_rows([{**_ROW, "is_demo": True}])
    assert "Ordinary project · demo data</div>" in html
    assert "Draft</span>" in html


def test_no_rows_write_nothing():
    assert table_rows([]) == ""
