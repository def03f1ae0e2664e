"""A scale is a pilot (``registry.pilot_communes``): round(S × communes) communes, whole
provinces first in a seeded order, the whole country at 1.0 in its own order."""

from __future__ import annotations

import random
from itertools import count

import pytest

from khuyencong.synthetic.registry import pilot_communes
from khuyencong.synthetic.world import Unit

#: Provinces of uneven sizes, as the real ones are (3,321 communes in 34 provinces).
SIZES = [3, 7, 1, 12, 5, 9, 4]
_keys = count(1)
PROVINCES = [Unit(next(_keys), f"{n:02d}", f"Tỉnh {n}", None) for n in range(len(SIZES))]
COMMUNES = {
    p.pk: [Unit(next(_keys), f"{p.code}{n:03d}", f"Xã {n}", p.pk) for n in range(size)]
    for p, size in zip(PROVINCES, SIZES, strict=True)
}
EVERYWHERE = [c for p in PROVINCES for c in COMMUNES[p.pk]]


def _pilot(scale: float, seed: int = 1) -> list[Unit]:
    return pilot_communes(PROVINCES, COMMUNES, scale, random.Random(seed))


@pytest.mark.parametrize("scale", [0.001, 0.05, 0.1, 0.3, 0.5, 0.77, 0.99])
def test_a_pilot_is_whole_provinces_then_the_first_communes_of_one_more(scale):
    pilot = _pilot(scale)
    assert len(pilot) == max(1, round(scale * len(EVERYWHERE)))
    assert len({c.pk for c in pilot}) == len(pilot)
    partial = [
        p for p in PROVINCES if 0 < sum(c.province == p.pk for c in pilot) < len(COMMUNES[p.pk])
    ]
    assert len(partial) <= 1
    for province in partial:
        taken = [c for c in pilot if c.province == province.pk]
        assert taken == COMMUNES[province.pk][: len(taken)]


def test_at_scale_one_the_pilot_is_the_whole_country_in_its_order():
    """What keeps the 1.0 country what it was before pilots: the same communes, same order."""
    for seed in range(5):
        assert _pilot(1.0, seed) == EVERYWHERE


def test_a_larger_pilot_takes_in_the_smaller_one_and_is_in_the_country_order():
    """The same seed rolls out in the same province order at every scale."""
    smaller: set[int] = set()
    for scale in (0.02, 0.1, 0.25, 0.5, 0.8, 1.0):
        pilot = _pilot(scale)
        assert smaller <= {c.pk for c in pilot}
        assert pilot == [c for c in EVERYWHERE if c in pilot]
        smaller = {c.pk for c in pilot}


def test_the_province_order_is_the_seeds():
    assert _pilot(0.3, seed=5) == _pilot(0.3, seed=5)
    firsts = {_pilot(0.05, seed)[0].province for seed in range(20)}
    assert len(firsts) > 1
