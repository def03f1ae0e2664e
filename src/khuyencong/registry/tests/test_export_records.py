"""The export reads rows of values instead of model instances (``selectors.export_records``):
every column of every row is what the establishment itself gives, in the list's order."""

from __future__ import annotations

import pytest

from khuyencong.accounts.models import Role
from khuyencong.registry import exporting, selectors
from khuyencong.registry.models import Gender, LegalForm, ProductGroup

from .conftest import CHIENG_SON, NHA_TRANG, TO_HIEU

pytestmark = pytest.mark.django_db


def test_export_records_give_the_rows_the_establishments_give(make_establishment, make_user):
    make_establishment(
        name="Hợp tác xã dệt thổ cẩm <Mường>",
        commune=TO_HIEU,
        legal_form=LegalForm.COOPERATIVE,
        product_group=ProductGroup.HANDICRAFT,
        tax_code="0101234567",
        address="Bản Mòng",
        main_products="Khăn piêu",
        owner_name="Lò Thị Xuân",
        owner_gender=Gender.FEMALE,
        owner_ethnic_minority=True,
        employees_total=12,
        employees_female=9,
        employees_ethnic_minority=11,
        founded_year=2015,
        craft_village="Làng nghề Mòng",
        phone="0912345678",
        email="xuan@example.vn",
    )
    make_establishment(name="Cơ sở chè", commune=CHIENG_SON)
    make_establishment(name="Cơ sở yến sào", commune=NHA_TRANG)
    found = selectors.establishments_for(make_user(Role.NATIONAL_OFFICER, "VN"))
    expected = [exporting.export_row(e, with_names=True) for e in found]
    rows = [exporting.export_row(r, with_names=True) for r in selectors.export_records(found)]
    assert rows == expected
    assert [row[0] for row in rows] == [
        "Cơ sở chè",
        "Cơ sở yến sào",
        "Hợp tác xã dệt thổ cẩm <Mường>",
    ]
    assert rows[2][-2:] == [found.get(name__startswith="Hợp").commune.name, "Sơn La"]
