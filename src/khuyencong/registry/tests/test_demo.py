"""Demo establishments: deterministic, idempotent, clearly marked."""

import pytest

from khuyencong.registry.demo import (
    demo_represented_establishment,
    seed_demo_establishments,
    tax_code,
)
from khuyencong.registry.identifiers import normalise_identifier
from khuyencong.registry.models import Establishment

pytestmark = pytest.mark.django_db
WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def test_seeding_is_idempotent_and_marked():
    count = seed_demo_establishments()
    first = {e.tax_code: e.name for e in Establishment.objects.all()}
    assert seed_demo_establishments() == count == len(first)
    assert {e.tax_code: e.name for e in Establishment.objects.all()} == first
    demo = Establishment.objects.select_related("commune__parent")
    assert all(e.is_demo and e.name.endswith("(mẫu)") for e in demo)
    assert demo.filter(commune__code="03985").count() >= 12
    assert {e.commune.parent.code for e in demo} == {"14", "56", "66"}
    for e in demo:
        assert normalise_identifier(e.tax_code) == e.tax_code
        assert len(e.tax_code) == 10
        digits = [int(d) for d in e.tax_code]
        assert (10 - sum(d * w for d, w in zip(digits, WEIGHTS, strict=False)) % 11) == digits[9]
    assert demo_represented_establishment().name == "Cơ sở chè Chiềng Sơn (mẫu)"
    assert Establishment.objects.get(name__startswith="Cơ sở dệt thổ cẩm Thái").artisans.exists()


def test_tax_codes_are_deterministic():
    assert tax_code("14", 1) == tax_code("14", 1)
    assert tax_code("14", 1).startswith("5599")
