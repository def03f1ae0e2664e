"""Pure rules: deadlines, registration checks, state tables, plan arithmetic (no database)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.planning import calculations, deadlines, rules, workflow
from khuyencong.planning.rules import Amounts

D = datetime.date


@dataclass
class R:
    commune_deadline: datetime.date
    province_deadline: datetime.date


@dataclass
class U:
    path: str
    level: int


@dataclass
class E:
    unit_path: str
    new_deadline: datetime.date


# ------------------------------------------------------------------------------ deadlines
def test_defaults_come_from_the_table_keyed_by_province():
    default = deadlines.default_deadlines("14", 2027)  # no row for Sơn La: the default row
    assert (default.commune, default.province) == (D(2026, 6, 10), D(2026, 6, 19))
    daklak = deadlines.default_deadlines("66", 2027)
    assert daklak.commune == D(2026, 7, 15)
    assert daklak.province is None  # the seed states no province date: the officer types it
    assert deadlines.default_deadlines(None, 2027).commune == D(2026, 6, 10)


def test_a_new_round_is_for_the_first_plan_year_whose_deadlines_are_ahead():
    """Regression (issue 9, defect 5): in December the form offered last June's deadlines."""
    year, dates = deadlines.next_round("14", D(2026, 12, 4))
    assert (year, dates.commune, dates.province) == (2028, D(2027, 6, 10), D(2027, 6, 19))
    year, dates = deadlines.next_round("14", D(2026, 3, 1))
    assert (year, dates.commune) == (2027, D(2026, 6, 10))
    assert deadlines.next_round("14", D(2026, 6, 10))[0] == 2027  # the deadline day still counts
    assert deadlines.next_round("66", D(2026, 7, 1))[1].commune == D(2026, 7, 15)


@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2090, 12, 31)))
def test_the_default_deadlines_of_a_new_round_are_never_past(today):
    year, dates = deadlines.next_round(None, today)
    assert dates.commune >= today
    assert year > today.year


def test_deadline_problems():
    today = D(2026, 12, 4)
    assert deadlines.deadline_problems(commune=today, province=D(2027, 1, 5), today=today) == []
    [past] = deadlines.deadline_problems(
        commune=D(2026, 6, 10), province=D(2027, 1, 5), today=today
    )
    assert "Hạn xã, cơ sở gửi (10/6/2026) đã qua" in past
    assert "từ hôm nay (4/12/2026)" in past
    [order] = deadlines.deadline_problems(
        commune=D(2027, 1, 5), province=D(2027, 1, 1), today=today
    )
    assert "không được trước hạn xã gửi" in order
    # Editing a round that already ran: its past dates may stay as they were.
    assert (
        deadlines.deadline_problems(
            commune=D(2026, 6, 10),
            province=D(2026, 6, 19),
            today=today,
            unchanged=(D(2026, 6, 10), D(2026, 6, 19)),
        )
        == []
    )


def test_effective_deadline_takes_the_latest_extension_of_the_unit_or_above():
    round_ = R(D(2026, 6, 10), D(2026, 6, 19))
    commune, other, province = U("VN/14/03985", 3), U("VN/14/03646", 3), U("VN/14", 1)
    extensions = [
        E("VN/14/03985", D(2026, 6, 20)),
        E("VN/14/03985", D(2026, 6, 15)),
        E("VN/14/03646", D(2026, 7, 1)),
    ]
    assert deadlines.effective_deadline(round_, commune, []) == D(2026, 6, 10)
    assert deadlines.effective_deadline(round_, commune, extensions) == D(2026, 6, 20)
    assert deadlines.effective_deadline(round_, other, extensions[:2]) == D(2026, 6, 10)
    assert deadlines.effective_deadline(round_, province, []) == D(2026, 6, 19)
    # A commune's extension reaches neither the province nor a sibling commune.
    assert deadlines.effective_deadline(round_, province, extensions) == D(2026, 6, 19)
    # An "extension" to an earlier date never shortens the deadline.
    assert deadlines.effective_deadline(round_, commune, [E("VN/14/03985", D(2026, 6, 1))]) == D(
        2026, 6, 10
    )


def test_a_province_wide_extension_reaches_every_commune_of_the_province():
    """Regression (issue 9, defect 5): only a per-commune extension used to count."""
    round_ = R(D(2026, 6, 10), D(2026, 6, 19))
    province_wide = [E("VN/14", D(2026, 6, 25))]
    assert deadlines.effective_deadline(round_, U("VN/14/03985", 3), province_wide) == D(
        2026, 6, 25
    )
    assert deadlines.effective_deadline(round_, U("VN/14", 1), province_wide) == D(2026, 6, 25)
    # ...but not the communes of another province whose code starts the same way.
    assert deadlines.effective_deadline(round_, U("VN/145/00001", 3), province_wide) == D(
        2026, 6, 10
    )
    assert deadlines.covering_paths("VN/14/03985") == ["VN", "VN/14", "VN/14/03985"]


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(8, None), (7, "7-ngay"), (2, "7-ngay"), (1, "1-ngay"), (0, "1-ngay"), (-1, None)],
)
def test_reminder_windows(days_left, due):
    today = D(2026, 6, 1)
    assert deadlines.reminder_due(today + datetime.timedelta(days=days_left), today) == due


def test_the_deadline_day_itself_is_still_open():
    assert deadlines.is_open(D(2026, 6, 10), D(2026, 6, 10))
    assert not deadlines.is_open(D(2026, 6, 10), D(2026, 6, 11))
    refusal = rules.deadline_refusal(
        today=D(2026, 6, 11), deadline=D(2026, 6, 10), unit_name="Xã Chiềng Sơn", extended=False
    )
    assert refusal is not None
    assert "10/6/2026" in refusal
    assert "Xã Chiềng Sơn" in refusal
    assert (
        rules.deadline_refusal(
            today=D(2026, 6, 10), deadline=D(2026, 6, 10), unit_name="X", extended=False
        )
        is None
    )


# ------------------------------------------------------------------------------ amounts
def test_parts_must_add_up_to_the_total_and_the_message_gives_the_numbers():
    findings = rules.check_amounts(Amounts(500_000_000, 0, 150_000_000, 300_000_000, 0))
    assert [f.field for f in findings] == ["total_cost"]
    message = findings[0].message
    assert "450 triệu đồng" in message  # the sum of the parts
    assert "500 triệu đồng" in message  # the total
    assert "thiếu 50 triệu đồng" in message
    assert rules.check_amounts(Amounts(500_000_000, 0, 200_000_000, 300_000_000, 0)) == []
    over = rules.check_amounts(Amounts(62_500_000, 0, 62_500_000, 500_000, 0))
    assert "thừa 0,5 triệu đồng" in over[0].message


def test_negative_zero_and_absurd_amounts():
    assert rules.check_amounts(Amounts(-1))[0].message == "Kinh phí không được âm."
    assert rules.check_amounts(Amounts(0))[0].field == "total_cost"
    assert "đơn vị" in rules.check_amounts(Amounts(rules.MAX_AMOUNT, rules.MAX_AMOUNT))[0].message


@given(
    st.integers(0, 10**12), st.integers(0, 10**12), st.integers(0, 10**12), st.integers(0, 10**12)
)
def test_any_split_that_adds_up_is_accepted(kcqg, kcdp, counterpart, other):
    total = kcqg + kcdp + counterpart + other
    findings = rules.check_amounts(Amounts(total, kcqg, kcdp, counterpart, other))
    assert findings == ([] if total else [rules.Finding("total_cost", findings[0].message)])


def test_the_round_fund_must_be_asked_for():
    assert rules.check_fund(Amounts(10, kcqg=10), "KCDP")[0].field == "kcdp"
    assert rules.check_fund(Amounts(10, kcdp=10), "KCDP") == []


def test_norm_hook_warns_while_no_norm_is_known_and_caps_when_one_is():
    amounts = Amounts(500_000_000, 0, 200_000_000, 300_000_000)
    on = D(2026, 3, 1)
    [warning] = rules.check_norm(amounts, content_group="nhom-1", on=on)
    assert warning.severity == "warning"
    assert "định mức" in warning.message
    capped = rules.check_norm(
        amounts, content_group="nhom-1", on=on, cap_lookup=lambda **_: 150_000_000
    )
    assert capped[0].severity == "error"
    assert "150 triệu đồng" in capped[0].message
    assert (
        rules.check_norm(amounts, content_group="nhom-1", on=on, cap_lookup=lambda **_: 10**9) == []
    )


def test_a_missing_norm_is_one_warning_for_both_funds():
    """Regression (issue 9, defect 11): a registration asking both KCQG and KCĐP without a
    norm got the same "no norm" warning twice, once per fund."""
    amounts = Amounts(500_000_000, 100_000_000, 200_000_000, 200_000_000)
    on = D(2026, 3, 1)
    [unchosen] = rules.check_norm(amounts, content_group="nhom-1", on=on)
    assert "KCQG và KCĐP" in unchosen.message
    [unknown] = rules.check_norm(
        amounts, content_group="nhom-1", on=on, norm_content="x", cap_lookup=lambda **_: None
    )
    assert "KCQG và KCĐP" in unknown.message
    assert unknown.message != unchosen.message


def test_timing_and_content_group():
    assert rules.check_timing(None, None, 2026)[0].field == "start_month"
    assert rules.check_timing(D(2026, 5, 1), D(2026, 3, 1), 2026)[0].field == "end_month"
    assert rules.check_timing(D(2027, 1, 1), D(2027, 3, 1), 2026)[0].field == "start_month"
    assert rules.check_timing(D(2026, 10, 1), D(2027, 3, 1), 2026) == []
    assert rules.check_content_group("nhom-3", ["nhom-1"])[0].field == "content_group"
    assert rules.check_content_group("nhom-3", []) == []


# ------------------------------------------------------------------------------ state tables
def test_state_tables_name_real_policy_actions():
    from khuyencong.accounts.policy import Action

    for table in (workflow.REGISTRATION_TRANSITIONS, workflow.PLAN_TRANSITIONS):
        for transition in table.values():
            Action(transition.permission)  # raises if the policy has no such action


def test_an_impossible_step_says_what_the_state_allows():
    with pytest.raises(workflow.TransitionError, match="Gửi phiếu"):
        workflow.registration_transition("nhap", "chap-nhan")
    with pytest.raises(workflow.TransitionError, match="Không thể thay đổi"):
        workflow.registration_transition("chap-nhan", "tra-lai")
    assert workflow.plan_transition("da-phe-duyet", "dieu-chinh").target == "da-dieu-chinh"


# ------------------------------------------------------------------------------ arithmetic
def test_budgets_and_comparison():
    items = [
        calculations.ItemFigures("nhom-1", "A", Amounts(10, 0, 6, 4)),
        calculations.ItemFigures("nhom-1", None, Amounts(5, 0, 5)),
        calculations.ItemFigures("nhom-2", "A", Amounts(3, 3)),
    ]
    result = calculations.budgets(items)
    assert result.total.total_cost == 18
    assert result.total.kcdp == 11
    assert result.total.kcqg == 3
    assert result.by_group["nhom-1"].count == 2
    assert result.by_commune["A"].total_cost == 13
    assert result.by_commune[None].kcdp == 5
    rows = calculations.compare(
        {"nhom-1": 11, "nhom-2": 0, "nhom-6": 4, "nhom-3": 0},
        {"nhom-1": 10, "nhom-2": 7, "nhom-5": 3, "nhom-3": 0},
        ["nhom-1", "nhom-2", "nhom-3", "nhom-5", "nhom-6"],
    )
    assert [(r.group, r.status, r.difference) for r in rows] == [
        ("nhom-1", "over", 1),
        ("nhom-2", "under", -7),
        ("nhom-3", "none", 0),
        ("nhom-5", "under", -3),
        ("nhom-6", "unallocated", 4),
    ]
