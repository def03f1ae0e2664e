"""What changed since the last submission (thay đổi so với lần trình trước): pure.

At each submission the service stores a snapshot of the project's content (a plain,
JSON-ready dict made by ``services.snapshot_of``). ``diff`` compares two snapshots and says, in
words an appraiser reads, what the centre changed after the project was returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from khuyencong.core.formatting import format_money

FIELD_LABELS: dict[str, Promise] = {
    "title": _("Tên đề án"),
    "kind": _("Loại đề án"),
    "content": _("Nội dung hỗ trợ (định mức)"),
    "fund": _("Nguồn kinh phí"),
    "plan_year": _("Năm kế hoạch"),
    "implementing_unit": _("Đơn vị thực hiện"),
    "partners": _("Đơn vị phối hợp"),
    "location": _("Địa điểm"),
    "need": _("Sự cần thiết, căn cứ pháp lý"),
    "objectives": _("Mục tiêu"),
    "scale_technology": _("Quy mô, công nghệ"),
    "organisation": _("Tổ chức thực hiện"),
    "expected_effects": _("Hiệu quả dự kiến"),
    "priority": _("Thuộc đối tượng ưu tiên"),
}
MONEY_LABELS: dict[str, Promise] = {
    "kcqg": _("KCQG"),
    "kcdp": _("KCĐP"),
    "counterpart": _("vốn đối ứng"),
    "other": _("nguồn khác"),
}


@dataclass(frozen=True)
class Change:
    section: str
    label: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _money_text(row: Mapping[str, Any]) -> str:
    return "; ".join(
        f"{label} {format_money(int(row.get(key, 0)))}"
        for key, label in MONEY_LABELS.items()
        if int(row.get(key, 0))
    )


def _keyed(rows: Sequence[Mapping[str, Any]], key: str) -> dict[str, Mapping[str, Any]]:
    """Rows by their name; a repeated name gets its position appended so none is lost."""
    found: dict[str, Mapping[str, Any]] = {}
    for n, row in enumerate(rows, start=1):
        name = str(row.get(key, "")).strip() or f"#{n}"
        found[name if name not in found else f"{name} (#{n})"] = row
    return found


def _rows_diff(
    section: str,
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
    key: str,
    describe: Any,
) -> list[Change]:
    before, after = _keyed(old, key), _keyed(new, key)
    changes = []
    for name in [*before, *(n for n in after if n not in before)]:
        a = describe(before[name]) if name in before else ""
        b = describe(after[name]) if name in after else ""
        if a != b:
            changes.append(Change(section, name, a, b))
    return changes


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """The changes from snapshot ``old`` to snapshot ``new``, section by section."""
    changes: list[Change] = []
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for name, label in FIELD_LABELS.items():
        a, b = str(old_fields.get(name, "")), str(new_fields.get(name, ""))
        if a != b:
            changes.append(Change(str(_("Thông tin chung")), str(label), _short(a), _short(b)))
    changes += _rows_diff(
        str(_("Dự toán kinh phí")),
        old.get("budget", []),
        new.get("budget", []),
        "item",
        _money_text,
    )
    old_total = sum(int(r.get(k, 0)) for r in old.get("budget", []) for k in ("kcqg", "kcdp"))
    new_total = sum(int(r.get(k, 0)) for r in new.get("budget", []) for k in ("kcqg", "kcdp"))
    if old_total != new_total:
        changes.append(
            Change(
                str(_("Dự toán kinh phí")),
                str(_("Tổng kinh phí hỗ trợ (KCQG + KCĐP)")),
                format_money(old_total),
                format_money(new_total),
            )
        )
    changes += _rows_diff(
        str(_("Tiến độ thực hiện")),
        old.get("tasks", []),
        new.get("tasks", []),
        "name",
        lambda r: f"{r.get('start', '')} – {r.get('end', '')}",
    )
    changes += _rows_diff(
        str(_("Sản phẩm đầu ra")),
        old.get("outputs", []),
        new.get("outputs", []),
        "line",
        lambda r: str(r.get("planned", "")),
    )
    old_b, new_b = set(old.get("beneficiaries", [])), set(new.get("beneficiaries", []))
    for name in sorted(old_b - new_b):
        changes.append(Change(str(_("Cơ sở thụ hưởng")), name, str(_("có")), ""))
    for name in sorted(new_b - old_b):
        changes.append(Change(str(_("Cơ sở thụ hưởng")), name, "", str(_("có"))))
    return changes
