"""The legal data of the selection (``legal.py``) loaded into its tables, and read back."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from .. import legal
from ..models import LevelRule, Region, RegionProvince
from .common import SelectionError

#: The legal numbers a round copies from its level's rule (``LevelRule``) or its defaults.
ROUND_RULE_FIELDS = (
    "pass_mark",
    "criteria",
    "outlier_margin",
    "quorum_numerator",
    "quorum_denominator",
    "validity_years",
    "complaint_days",
    "complaint_decision_days",
    "council_min",
    "council_max",
    "fund",
)


def round_rule_values(defaults: legal.LevelDefaults | LevelRule) -> dict[str, Any]:
    """A round's copy of its level's legal numbers, with the basis of its pass mark: the rule's
    own basis, or the circular's for the seeded defaults (demo, tests, benchmarks)."""
    basis = defaults.legal_basis if isinstance(defaults, LevelRule) else legal.BASIS
    values = {name: getattr(defaults, name) for name in ROUND_RULE_FIELDS}
    return {"pass_mark_basis": basis, **values}


def level_rule_values(defaults: legal.LevelDefaults) -> dict[str, Any]:
    return {
        **{name: getattr(defaults, name) for name in ROUND_RULE_FIELDS},
        "report_due_month": defaults.report_due_month,
        "report_due_day": defaults.report_due_day,
        "legal_basis": defaults.basis,
    }


def load_selection_rules(
    level_rule: Any = LevelRule, region: Any = Region, region_province: Any = RegionProvince
) -> None:
    """Seed the level rules and the regions (kept when present: the administrator may have
    corrected them). Also used by the data migration, with its historical models."""
    for defaults in legal.LEVELS:
        level_rule.objects.get_or_create(
            level=defaults.level.value,
            effective_from=legal.IN_FORCE,
            defaults=level_rule_values(defaults),
        )
    for code, name, provinces in legal.REGIONS:
        found, _created = region.objects.get_or_create(
            code=code, defaults={"name": name, "legal_basis": legal.REGION_BASIS}
        )
        for province in provinces:
            region_province.objects.get_or_create(
                province_code=province, defaults={"region": found}
            )


def rule_for(level: str, on: datetime.date) -> LevelRule:
    """The level's rule in force on ``on``; seeded on first use in a database emptied since."""
    rule = LevelRule.objects.in_force(level, on)
    if rule is None and not LevelRule.objects.exists():
        load_selection_rules()
        rule = LevelRule.objects.in_force(level, on)
    if rule is None:
        raise SelectionError(
            _(
                "Chưa có quy định bình chọn %(level)s áp dụng cho ngày %(date)s: quản trị hệ "
                "thống cần nhập quy định (điểm đạt, hội đồng, thời hạn) trước."
            )
            % {"level": level, "date": on.strftime("%d/%m/%Y")}
        )
    return rule


def level_defaults(level: str) -> legal.LevelDefaults:
    return next(d for d in legal.LEVELS if d.level.value == level)


def region_of(province_code: str) -> Region | None:
    link = RegionProvince.objects.select_related("region").filter(province_code=province_code)
    found = link.first()
    return found.region if found is not None else None
