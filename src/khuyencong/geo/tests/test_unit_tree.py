import datetime

import pytest
from django.db import IntegrityError, transaction

from khuyencong.geo import selectors
from khuyencong.geo.models import AdministrativeUnit, UnitLevel, UnitType
from khuyencong.geo.services import load_units

pytestmark = pytest.mark.django_db


def test_the_2025_tree_has_34_provinces_and_3321_communes():
    current = AdministrativeUnit.objects.current()
    assert current.filter(level=UnitLevel.NATIONAL).count() == 1
    assert current.provinces().count() == 34
    assert current.communes().count() == 3321


def test_son_la_has_75_communes(unit):
    son_la = unit("14")
    assert son_la.name == "Sơn La"
    assert selectors.communes_of(son_la).count() == 75
    assert {c.parent_id for c in selectors.communes_of(son_la)} == {son_la.pk}


def test_units_carry_official_codes_types_and_paths(unit):
    to_hieu = unit("03646")
    assert to_hieu.name == "Phường Tô Hiệu"
    assert to_hieu.unit_type == UnitType.WARD
    assert to_hieu.path == "VN/14/03646"
    assert to_hieu.province == unit("14")
    assert unit("01").unit_type == UnitType.CENTRAL_CITY
    assert to_hieu.valid_from == datetime.date(2025, 7, 1)
    assert to_hieu.valid_to is None


def test_loading_again_changes_nothing():
    before = AdministrativeUnit.objects.count()
    result = load_units()
    assert result.created == 0
    assert result.updated == 0
    assert result.unchanged == before
    assert AdministrativeUnit.objects.count() == before


def test_loading_again_repairs_a_renamed_unit(unit):
    son_la = unit("14")
    son_la.name = "Son La (sai)"
    son_la.save()
    result = load_units()
    assert result.updated == 1
    assert unit("14").name == "Sơn La"


@pytest.mark.parametrize("code", ["VN", "14", "01", "03646"])
def test_a_subtree_is_one_query_whatever_its_size(code, unit, django_assert_num_queries):
    root = unit(code)
    with django_assert_num_queries(1):
        units = list(selectors.subtree(root))
    assert root in units
    assert all(u.is_within(root) for u in units)


def test_subtree_sizes(unit):
    assert selectors.subtree(unit("VN")).count() == 1 + 34 + 3321
    assert selectors.subtree(unit("14")).count() == 1 + 75
    assert selectors.subtree(unit("03646")).count() == 1


def test_a_pre_reform_unit_can_be_added_with_a_successor(unit):
    """Sóc Trăng (code 94) was merged into Cần Thơ on 1/7/2025: kept, dated, with successor."""
    can_tho = unit("92")
    soc_trang = AdministrativeUnit.objects.create(
        code="94",
        name="Sóc Trăng",
        unit_type=UnitType.PROVINCE,
        level=UnitLevel.PROVINCE,
        parent=unit("VN"),
        valid_from=datetime.date(1992, 4, 1),
        valid_to=datetime.date(2025, 7, 1),
        successor=can_tho,
    )
    assert soc_trang not in AdministrativeUnit.objects.current()
    assert soc_trang in AdministrativeUnit.objects.current(on=datetime.date(2025, 6, 10))
    assert list(can_tho.predecessors.all()) == [soc_trang]
    assert AdministrativeUnit.objects.current().provinces().count() == 34


def test_two_current_units_cannot_share_a_code(unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.create(
            code="14",
            name="Bản sao",
            unit_type=UnitType.PROVINCE,
            level=UnitLevel.PROVINCE,
            parent=unit("VN"),
        )
