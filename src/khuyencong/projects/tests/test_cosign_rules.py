"""Which payments Finance co-signs (pure rules)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from khuyencong.projects import cosign
from khuyencong.projects.cosign import FINAL, INTERIM, Rule

D = datetime.date
DEFAULT = Rule(1, "KCDP", FINAL, 0, D(2026, 1, 1))
JUNE = D(2026, 6, 1)


def find(rules, *, fund="KCDP", stage=FINAL, amount=1, on=JUNE, province_id=14):
    return cosign.rule_for(
        rules, fund=fund, stage=stage, amount=amount, on=on, province_id=province_id
    )


def test_by_default_every_local_fund_final_payment_needs_finance():
    assert find([DEFAULT]) == DEFAULT
    assert find([DEFAULT], amount=0) == DEFAULT
    assert find([DEFAULT], stage=INTERIM) is None
    assert find([DEFAULT], fund="KCQG") is None


def test_a_rule_applies_only_while_in_force():
    ended = Rule(2, "KCDP", "", 0, D(2026, 1, 1), effective_to=D(2026, 7, 1))
    assert find([ended], on=D(2026, 6, 30)) == ended
    assert find([ended], on=D(2026, 7, 1)) is None  # the end date is excluded
    assert find([ended], on=D(2025, 12, 31)) is None


def test_a_threshold_on_every_stage():
    big = Rule(3, "KCDP", "", 500_000_000, D(2026, 1, 1))
    assert find([big], stage=INTERIM, amount=499_999_999) is None
    assert find([big], stage=INTERIM, amount=500_000_000) == big


def test_a_province_s_own_rules_replace_the_national_ones():
    own = Rule(4, "KCDP", FINAL, 100_000_000, D(2026, 1, 1), province_id=14)
    assert find([DEFAULT, own], amount=50_000_000) is None  # Sơn La raised the threshold
    assert find([DEFAULT, own], amount=100_000_000) == own
    assert find([DEFAULT, own], amount=50_000_000, province_id=56) == DEFAULT


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from([INTERIM, FINAL]),
)
def test_a_payment_needs_co_signature_exactly_when_it_reaches_the_threshold(
    threshold, amount, stage
):
    rule = Rule(5, "KCDP", "", threshold, D(2026, 1, 1))
    assert (find([rule], amount=amount, stage=stage) is not None) == (amount >= threshold)
