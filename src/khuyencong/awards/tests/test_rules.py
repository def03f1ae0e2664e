"""The pure selection rules: caps, mean and pass, ranking, outliers, council sizes, conflicts,
validity and status of certificates, the lower-level certificate rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.awards import legal, rules
from khuyencong.awards.rules import CertificateFacts, CertificateStatus, Level

D = datetime.date
CRITERIA = rules.criteria_from_data(legal.DEFAULT_CRITERIA)
scores_2dp = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


def test_default_criteria_are_40_40_10_10():
    assert [c.cap for c in CRITERIA] == [40, 40, 10, 10]
    assert rules.total_cap(CRITERIA) == 100
    assert rules.check_criteria(CRITERIA) == []


def test_a_score_over_its_cap_or_negative_is_refused_naming_the_criterion():
    scores = {"thi-truong": "41", "kinh-te-ky-thuat": "-1", "van-hoa": "abc", "khac": "9,555"}
    read, problems = rules.check_scores(CRITERIA, scores, complete=True)
    assert read == {}
    messages = {p.item: p.message for p in problems}
    assert "tối đa là 40, không thể chấm 41" in messages["thi-truong"]
    assert "Khả năng đáp ứng thị trường" in messages["thi-truong"]
    assert "không được âm" in messages["kinh-te-ky-thuat"]
    assert "phải là một số" in messages["van-hoa"]
    assert "hai chữ số thập phân" in messages["khac"]


def test_a_draft_may_leave_items_empty_but_a_submission_may_not():
    read, problems = rules.check_scores(CRITERIA, {"thi-truong": "35,5"}, complete=False)
    assert read == {"thi-truong": Decimal("35.50")}
    assert problems == []
    _read, problems = rules.check_scores(CRITERIA, {"thi-truong": "35,5"}, complete=True)
    assert [p.item for p in problems] == ["kinh-te-ky-thuat", "van-hoa", "khac"]
    assert "Chưa chấm tiêu chí “Giá trị văn hóa, thẩm mỹ”" in problems[1].message


def test_finer_bands_are_scored_each_and_summed_into_their_criterion():
    data = [
        {
            "code": "thi-truong",
            "name": "Thị trường",
            "cap": "40",
            "bands": [
                {"code": "tt-a", "name": "Thị phần", "cap": "25"},
                {"code": "tt-b", "name": "Tăng trưởng", "cap": "15"},
            ],
        },
        {"code": "khac", "name": "Khác", "cap": "60"},
    ]
    criteria = rules.criteria_from_data(data)
    assert rules.check_criteria(criteria) == []
    assert rules.criteria_to_data(criteria) == data
    read, problems = rules.check_scores(
        criteria, {"tt-a": "26", "tt-b": "10", "khac": "50"}, complete=True
    )
    assert [p.item for p in problems] == ["tt-a"]
    assert "Thị trường — Thị phần" in problems[0].message
    read, _ = rules.check_scores(
        criteria, {"tt-a": "20", "tt-b": "10", "khac": "50"}, complete=True
    )
    assert rules.criterion_scores(criteria, read) == {"thi-truong": 30, "khac": 50}
    assert rules.sheet_total(criteria, read) == 80


def test_bands_that_do_not_add_up_are_refused():
    bad = rules.criteria_from_data(
        [
            {
                "code": "a",
                "name": "A",
                "cap": "40",
                "bands": [{"code": "b", "name": "B", "cap": "30"}],
            }
        ]
    )
    assert "cộng lại phải bằng 40 điểm" in rules.check_criteria(bad)[0]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(scores_2dp, min_size=1, max_size=13))
def test_the_mean_is_within_the_totals_and_rounded_to_two_decimals(values):
    result = rules.result_of(values, Decimal(70))
    assert min(values) <= result.mean <= max(values)
    assert result.mean == result.mean.quantize(Decimal("0.01"))
    assert abs(result.mean - sum(values) / len(values)) <= Decimal("0.005")
    assert result.passed == (result.mean >= 70)


def test_the_arithmetic_is_shown_and_the_rounded_mean_decides():
    result = rules.result_of([Decimal(78), Decimal(82), Decimal(75)], Decimal(70))
    assert result.arithmetic == "(78 + 82 + 75) / 3 = 78,33"
    assert result.passed
    # 69.995 rounds to 70.00: what everyone sees is what decides.
    assert rules.result_of([Decimal("69.99"), Decimal("70")], Decimal(70)).passed
    assert not rules.result_of([Decimal("69.98"), Decimal("70")], Decimal(70)).passed
    assert not rules.result_of([], Decimal(70)).passed


def test_ranking_shares_ranks_on_ties_and_applies_the_cap():
    means = {
        "a": Decimal("90"),
        "b": Decimal("85"),
        "c": Decimal("85"),
        "d": Decimal("80"),
        "e": Decimal("60"),
    }
    ranked = {r.key: r for r in rules.rank(means, pass_mark=Decimal(70))}
    assert [ranked[k].rank for k in "abcde"] == [1, 2, 2, 4, 5]
    assert ranked["b"].tied
    assert not ranked["a"].tied
    assert [ranked[k].passed for k in "abcde"] == [True, True, True, True, False]
    capped = {r.key: r for r in rules.rank(means, pass_mark=Decimal(70), cap=2)}
    # b and c tie at the cut-off: both pass, and the page says the cap was exceeded.
    assert [capped[k].passed for k in "abcde"] == [True, True, True, False, False]
    assert capped["d"].reaches_mark
    assert not capped["d"].passed
    assert rules.ties_beyond_cap(list(capped.values()), 2)
    assert not rules.ties_beyond_cap(list(capped.values()), 3)


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(scores_2dp, min_size=1, max_size=30),
    cap=st.one_of(st.none(), st.integers(min_value=1, max_value=30)),
)
def test_ranking_properties(values, cap):
    means = dict(enumerate(values))
    ranked = rules.rank(means, pass_mark=Decimal(70), cap=cap)
    assert sorted(r.key for r in ranked) == list(means)
    assert [r.mean for r in ranked] == sorted(values, reverse=True)
    for r in ranked:
        assert r.rank == 1 + sum(1 for v in values if v > r.mean)
        assert r.passed == (r.mean >= 70 and (cap is None or r.rank <= cap))


def _sheet(entry, judge, total, **criteria):
    return rules.Sheet(entry, judge, Decimal(total), {k: Decimal(v) for k, v in criteria.items()})


def test_an_outlier_judge_is_flagged_on_the_total_and_per_criterion():
    sheets = [
        _sheet("e1", "A", 80, **{"thi-truong": 32}),
        _sheet("e1", "B", 82, **{"thi-truong": 33}),
        _sheet("e1", "C", 60, **{"thi-truong": 24}),
        _sheet("e2", "A", 75),
        _sheet("e2", "B", 70),
        _sheet("e2", "C", 72),
    ]
    flags = rules.outliers(sheets, CRITERIA, Decimal(15))
    assert [(f.entry, f.judge, f.criterion, f.difference) for f in flags] == [
        ("e1", "C", "", Decimal("-21.00")),
        ("e1", "C", "thi-truong", Decimal("-8.50")),
    ]
    assert flags[1].margin == Decimal("6.00")  # 15 on 100 → 6 on a 40-point criterion
    # A judge differing by exactly the margin is not flagged; a lone sheet never is.
    assert rules.outliers([_sheet("e", "A", 85), _sheet("e", "B", 70)], CRITERIA, Decimal(15)) == []
    assert rules.outliers([_sheet("e", "A", 10)], CRITERIA, Decimal(15)) == []


@settings(max_examples=100, deadline=None)
@given(totals=st.lists(scores_2dp, min_size=2, max_size=13), margin=st.integers(1, 30))
def test_outlier_flags_are_exactly_the_judges_beyond_the_margin(totals, margin):
    sheets = [_sheet("e", j, t) for j, t in enumerate(totals)]
    flagged = {
        f.judge for f in rules.outliers(sheets, CRITERIA, Decimal(margin)) if not f.criterion
    }
    for j, t in enumerate(totals):
        others = [x for i, x in enumerate(totals) if i != j]
        assert (j in flagged) == (abs(t - sum(others) / len(others)) > margin)


@pytest.mark.parametrize(
    ("level", "members", "judges", "ok"),
    [
        (Level.COMMUNE, 5, 5, True),
        (Level.COMMUNE, 8, 7, False),
        (Level.PROVINCE, 7, 7, True),
        (Level.PROVINCE, 9, 4, False),
        (Level.NATION, 13, 13, True),
        (Level.NATION, 10, 9, False),
    ],
)
def test_council_size_by_level_and_an_odd_jury(level, members, judges, ok):
    rule = next(d for d in legal.LEVELS if d.level == level)
    problems = rules.council_problems(
        level=level,
        members=members,
        judges=judges,
        minimum=rule.council_min,
        maximum=rule.council_max,
    )
    assert (problems == []) == ok


def test_council_problems_say_the_range_and_the_count():
    problems = rules.council_problems(
        level=Level.PROVINCE, members=6, judges=4, minimum=7, maximum=9
    )
    assert problems == [
        "Hội đồng bình chọn cấp tỉnh phải có từ 7 đến 9 thành viên; hiện có 6.",
        "Ban giám khảo phải có số lẻ giám khảo, ít nhất 3 người; hiện có 4.",
    ]


def test_a_panel_short_of_the_jury_names_the_entry_and_the_remedy():
    assert rules.panel_problem(product="Chè Shan tuyết", panel=4, jury=5) == (
        "Hồ sơ “Chè Shan tuyết” có 4 phiếu chấm, cần 5: Chủ tịch phân công giám khảo dự khuyết "
        "thay giám khảo có xung đột lợi ích hoặc vắng mặt."
    )
    assert "nhiều hơn 5 giám khảo" in rules.panel_problem(product="Mận", panel=6, jury=5)
    # An even jury (seated after the start) leaves even panels: refused too.
    assert "số lẻ giám khảo chấm" in rules.panel_problem(product="Mận", panel=6, jury=6)


@given(
    jury=st.integers(min_value=1, max_value=7).map(lambda n: 2 * n + 1), panel=st.integers(0, 20)
)
def test_a_panel_closes_exactly_when_it_is_the_odd_jurys_size(jury, panel):
    assert (rules.panel_problem(product="X", panel=panel, jury=jury) == "") == (panel == jury)


def test_quorum_is_rounded_up():
    assert rules.quorum_needed(7, 2, 3) == 5
    assert rules.quorum_needed(9, 2, 3) == 6
    assert rules.quorum_needed(13, 1, 2) == 7


def test_conflicts_of_interest_say_why():
    entry = rules.EntryFacts(7, "HTX chè Chiềng Sơn", 30, "Xã Chiềng Sơn")
    assert rules.conflict_reasons(rules.JudgeFacts(), entry) == []
    reasons = rules.conflict_reasons(
        rules.JudgeFacts(
            represents=frozenset({7}), officer_communes=frozenset({30}), declared={7: "anh ruột"}
        ),
        entry,
    )
    assert reasons == [
        "Giám khảo là người đại diện của HTX chè Chiềng Sơn, cơ sở có sản phẩm này.",
        "Giám khảo là cán bộ của Xã Chiềng Sơn, nơi cơ sở HTX chè Chiềng Sơn đặt trụ sở.",
        "Giám khảo đã khai có quan hệ với HTX chè Chiềng Sơn: anh ruột.",
    ]


def test_validity_is_31_december_of_the_third_year_counting_the_year_of_issue():
    assert rules.valid_until(D(2026, 11, 15), 3) == D(2028, 12, 31)
    assert rules.valid_until(D(2026, 1, 1), 1) == D(2026, 12, 31)


@given(issued=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), years=st.integers(1, 5))
def test_validity_property(issued, years):
    until = rules.valid_until(issued, years)
    assert until.month == 12
    assert until.day == 31
    assert until.year - issued.year + 1 == years
    assert until >= issued


def test_certificate_status_from_dates_and_revocation():
    until = D(2028, 12, 31)
    status = rules.certificate_status
    assert status(valid_until=until, revoked_on=None, on=D(2028, 12, 31)) == CertificateStatus.VALID
    assert status(valid_until=until, revoked_on=None, on=D(2029, 1, 1)) == CertificateStatus.EXPIRED
    assert status(valid_until=until, revoked_on=D(2027, 5, 1), on=D(2027, 4, 30)) == "con-hieu-luc"
    assert status(valid_until=until, revoked_on=D(2027, 5, 1), on=D(2027, 5, 1)) == "bi-thu-hoi"


SEPTEMBER = D(2026, 9, 1)


def _refusal(certificates, *, held=True, on=SEPTEMBER):
    return rules.prerequisite_refusal(
        product="Chè Shan tuyết",
        required_level=Level.COMMUNE,
        certificates=certificates,
        lower_round_held=held,
        lower_authority="Xã Chiềng Sơn",
        year=2026,
        on=on,
    )


def test_the_lower_certificate_rule():
    valid = CertificateFacts("001/2026/GCN-X03985", "xa", D(2026, 5, 1), D(2028, 12, 31))
    expired = CertificateFacts("004/2022/GCN-X03985", "xa", D(2022, 5, 1), D(2024, 12, 31))
    revoked = CertificateFacts(
        "002/2026/GCN-X03985", "xa", D(2026, 5, 1), D(2028, 12, 31), D(2026, 8, 1)
    )
    province = CertificateFacts("003/2025/GCN-T14", "tinh", D(2025, 5, 1), D(2027, 12, 31))
    assert _refusal([valid]) == ""
    assert "chưa có giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp xã" in _refusal(
        [province]
    )
    assert "Năm 2026 Xã Chiềng Sơn đã tổ chức bình chọn cấp xã" in _refusal([])
    assert _refusal([expired]) == (
        "Giấy chứng nhận cấp xã số 004/2022/GCN-X03985 của sản phẩm “Chè Shan tuyết” đã hết hiệu "
        "lực ngày 31/12/2024: cần giấy chứng nhận cấp xã còn hiệu lực để tham gia bình chọn cấp "
        "trên."
    )
    assert "đã bị thu hồi ngày 1/8/2026" in _refusal([revoked])
    # Where the commune held no round that year, the commune's proposal stands in.
    assert _refusal([], held=False) == ""
    assert _refusal([expired], held=False) == ""
    # A commune round needs nothing below it.
    assert (
        rules.prerequisite_refusal(
            product="x",
            required_level=None,
            certificates=[],
            lower_round_held=True,
            lower_authority="",
            year=2026,
            on=D(2026, 1, 1),
        )
        == ""
    )
