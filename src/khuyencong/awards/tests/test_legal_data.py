"""The legal numbers are rows with their basis, loaded by the migration; the regions cover each
of the 34 provinces exactly once."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.awards import legal
from khuyencong.awards.models import LevelRule, RegionProvince
from khuyencong.awards.services import SelectionError
from khuyencong.awards.services.legal_data import (
    level_defaults,
    load_selection_rules,
    region_of,
    round_rule_values,
    rule_for,
)
from khuyencong.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db
D = datetime.date


def test_each_level_has_its_rule_with_a_basis():
    for level, council in (
        ("xa", (5, 7)),
        ("tinh", (7, 9)),
        ("khu-vuc", (9, 11)),
        ("quoc-gia", (11, 13)),
    ):
        rule = rule_for(level, D(2026, 1, 1))
        assert (rule.council_min, rule.council_max) == council
        assert rule.pass_mark == 70
        assert rule.validity_years == 3
        assert (rule.complaint_days, rule.complaint_decision_days) == (15, 10)
        assert "26/2014/TT-BCT" in rule.legal_basis
        assert [c.cap for c in rule.criteria_list] == [40, 40, 10, 10]


def test_a_later_row_applies_from_its_date_only():
    rule = rule_for("tinh", D(2026, 1, 1))
    LevelRule.objects.create(
        **{
            f.name: getattr(rule, f.name)
            for f in LevelRule._meta.concrete_fields
            if f.name not in ("id", "effective_from", "pass_mark")
        },
        effective_from=D(2027, 1, 1),
        pass_mark=75,
    )
    assert rule_for("tinh", D(2026, 12, 31)).pass_mark == 70
    assert rule_for("tinh", D(2027, 1, 1)).pass_mark == 75


def test_a_round_copies_the_same_numbers_from_the_rule_or_its_defaults():
    rule = rule_for("tinh", D(2026, 1, 1))
    rule.pass_mark, rule.legal_basis = 75, "Quyết định sửa điểm đạt (mẫu)"
    from_rule = round_rule_values(rule)
    from_defaults = round_rule_values(level_defaults("tinh"))
    assert (from_rule["pass_mark"], from_rule["pass_mark_basis"]) == (
        75,
        "Quyết định sửa điểm đạt (mẫu)",
    )
    assert (from_defaults["pass_mark"], from_defaults["pass_mark_basis"]) == (70, legal.BASIS)
    assert {k: v for k, v in from_rule.items() if not k.startswith("pass_mark")} == {
        k: v for k, v in from_defaults.items() if not k.startswith("pass_mark")
    }
    assert (from_rule["council_min"], from_rule["council_max"], from_rule["fund"]) == (
        7,
        9,
        "KCDP",
    )


def test_no_rule_before_the_first_row_says_what_to_do():
    with pytest.raises(SelectionError, match="quản trị hệ thống cần nhập quy định"):
        rule_for("tinh", D(2020, 1, 1))


def test_an_emptied_database_is_seeded_again_on_first_use():
    LevelRule.objects.all().delete()
    assert rule_for("xa", D(2026, 1, 1)).council_min == 5
    load_selection_rules()  # idempotent
    assert LevelRule.objects.count() == len(legal.LEVELS)


def test_regions_cover_every_current_province_once():
    provinces = set(AdministrativeUnit.objects.current().provinces().values_list("code", flat=True))
    assert len(provinces) == 34
    mapped = list(RegionProvince.objects.values_list("province_code", flat=True))
    assert sorted(mapped) == sorted(provinces)
    assert region_of("14").code == "mien-bac"
    assert region_of("56").code == "mien-trung-tay-nguyen"
    assert region_of("79").code == "mien-nam"
