"""Writes to the rate table: one transaction each, checked by the access policy, logged."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version
from khuyencong.core.formatting import format_date
from khuyencong.geo.models import UnitLevel
from khuyencong.programs.models import ContentGroup, Fund

from . import seed
from .models import NormContent, SupportNorm

EDITABLE_FIELDS = (
    "content",
    "fund",
    "jurisdiction",
    "legal_basis",
    "max_percent",
    "cap_per_unit",
    "unit",
    "priority_multiplier",
    "advance_ceiling",
    "effective_from",
    "effective_to",
    "needs_verification",
    "notes",
)


def _require(actor: Any, obj: Any = None) -> None:
    decision = policy.can(actor, policy.Action.MANAGE_NORMS, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def _validate(norm: SupportNorm) -> None:
    """The rules a form may not know: Vietnamese messages keyed by field."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if norm.jurisdiction is not None and norm.jurisdiction.level != UnitLevel.PROVINCE:
        add("jurisdiction", _("Phạm vi áp dụng phải là toàn quốc hoặc một tỉnh, thành phố."))
    if norm.fund == Fund.KCQG and norm.jurisdiction_id is not None:
        add(
            "jurisdiction",
            _(
                "Định mức kinh phí khuyến công quốc gia (KCQG) áp dụng toàn quốc: để trống phạm "
                "vi áp dụng, hoặc chọn nguồn KCĐP cho định mức của tỉnh."
            ),
        )
    if norm.max_percent is None and norm.cap_per_unit is None:
        add("max_percent", _("Cần ghi tỷ lệ tối đa, mức trần, hoặc cả hai."))
    if norm.effective_to is not None and norm.effective_to <= norm.effective_from:
        add(
            "effective_to",
            _("Ngày hết hiệu lực %(to)s phải sau ngày có hiệu lực %(from)s.")
            % {"to": format_date(norm.effective_to), "from": format_date(norm.effective_from)},
        )
    if not norm.legal_basis.strip():
        add("legal_basis", _("Cần ghi căn cứ pháp lý (số, ký hiệu văn bản)."))
    if not norm.unit.strip():
        add("unit", _("Cần ghi đơn vị hỗ trợ (mô hình, cơ sở, nhãn hiệu…)."))
    if norm.content_id is not None:
        twins = SupportNorm.objects.filter(
            content_id=norm.content_id,
            fund=norm.fund,
            jurisdiction_id=norm.jurisdiction_id,
            effective_from=norm.effective_from,
        ).exclude(pk=norm.pk)
        if twins.exists():
            add(
                "effective_from",
                _(
                    "Đã có định mức cùng nội dung, nguồn và phạm vi có hiệu lực từ %(date)s: sửa "
                    "dòng đó, hoặc chọn ngày có hiệu lực khác."
                )
                % {"date": format_date(norm.effective_from)},
            )
    if errors:
        raise ValidationError(errors)


def _apply(norm: SupportNorm, data: Mapping[str, Any]) -> list[str]:
    changed = []
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        field = SupportNorm._meta.get_field(name)
        if field.is_relation:  # compare ids: an unsaved row has no related object yet
            current = getattr(norm, field.attname)  # type: ignore[union-attr]
            differs = current != (value.pk if value is not None else None)
        else:
            differs = getattr(norm, name) != value
        if differs:
            setattr(norm, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def create_norm(*, actor: Any, data: Mapping[str, Any]) -> SupportNorm:
    """Thêm định mức. A provincial administrator adds only rows of their own province."""
    _require(actor)
    norm = SupportNorm()
    _apply(norm, data)
    _require(actor, norm)
    _validate(norm)
    norm._change_reason = "Thêm định mức"  # type: ignore[attr-defined]
    norm.save()
    record_event(EventType.NORM_CREATED, actor=actor, obj=norm, data=_summary(norm))
    return norm


@transaction.atomic
def update_norm(
    *, actor: Any, norm: SupportNorm, expected_version: int, data: Mapping[str, Any]
) -> SupportNorm:
    """Sửa định mức: refused when someone changed it since the form was opened."""
    locked = lock_current_version(norm, expected_version)
    _require(actor, locked)
    changed = _apply(locked, data)
    if not changed:
        return locked
    _require(actor, locked)  # may not move a row out of the actor's scope either
    _validate(locked)
    locked.version += 1
    locked._change_reason = "Sửa định mức"  # type: ignore[attr-defined]
    locked.save()
    record_event(
        EventType.NORM_UPDATED,
        actor=actor,
        obj=locked,
        data={"fields": sorted(changed), **_summary(locked)},
    )
    return locked


def _summary(norm: SupportNorm) -> dict[str, Any]:
    def text(value: Decimal | datetime.date | None) -> str | None:
        return None if value is None else str(value)

    return {
        "content": norm.content.code,
        "fund": norm.fund,
        "jurisdiction": norm.jurisdiction.code if norm.jurisdiction else None,
        "max_percent": text(norm.max_percent),
        "cap_per_unit": norm.cap_per_unit,
        "effective_from": text(norm.effective_from),
        "effective_to": text(norm.effective_to),
    }


def sync_contents() -> dict[str, NormContent]:
    """Make sure the content catalogue holds the codes other apps refer to (idempotent).

    Names and groups already there are kept (an administrator may have reworded them).
    """
    groups = {g.code: g for g in ContentGroup.objects.all()}
    contents = {c.code: c for c in NormContent.objects.all()}
    for code, name, group, order in seed.CONTENTS:
        if code not in contents:
            contents[code] = NormContent.objects.create(
                code=code, name=name, group=groups.get(group), order=order
            )
    return contents


@transaction.atomic
def load_national_norms() -> int:
    """Load the DOMAIN.md §4 rows that are missing (never overwrites an edited row).

    The data migration does this on a new database; this is for a database emptied since
    (tests that flush it, a restored dump). Returns how many rows were added.
    """
    contents = sync_contents()
    added = 0
    for code, values in seed.national_rows():
        norm, created = SupportNorm.objects.get_or_create(
            content=contents[code],
            fund=Fund.KCQG,
            jurisdiction=None,
            effective_from=seed.IN_FORCE,
            defaults=values,
        )
        if created:
            norm.history.filter(history_type="+").update(history_change_reason=seed.CHANGE_REASON)
            added += 1
    return added
