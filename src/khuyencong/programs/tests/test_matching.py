"""Matching the rows of a re-imported appendix to stored lines, without the database."""

from hypothesis import given
from hypothesis import strategies as st

from khuyencong.programs.matching import LineRef, match_lines


def stored(*lines: tuple[str, str, int]) -> list[LineRef]:
    return [LineRef(100 + order, group, name, order) for group, name, order in lines]


def rows(*lines: tuple[str, str, int]) -> list[LineRef]:
    return [LineRef(order, group, name, order) for group, name, order in lines]


def test_renumbered_rows_match_by_wording():
    found = match_lines(
        stored(("g1", "A", 1), ("g1", "B", 2)), rows(("g1", "B", 1), ("g1", "A", 2))
    )
    assert found.pairs == {1: 102, 2: 101}
    assert found.removed == []


def test_wording_matches_whatever_the_spacing_and_case():
    found = match_lines(
        stored(("g1", "Hội chợ  triển lãm", 1)), rows(("g1", "hội chợ triển lãm", 7))
    )
    assert found.pairs == {7: 101}


def test_an_edited_wording_keeps_the_line_at_the_same_stt_and_group():
    found = match_lines(
        stored(("g1", "A", 1), ("g2", "B", 2)), rows(("g1", "A sửa", 1), ("g1", "B", 2))
    )
    assert found.pairs == {1: 101}
    assert found.removed == [102]  # the same wording in another group is another content


def test_duplicates_match_at_equal_stt_and_the_rest_is_ambiguous():
    found = match_lines(
        stored(("g1", "A", 1), ("g1", "A", 2)),
        rows(("g1", "A", 2), ("g1", "A", 5), ("g1", "A", 6)),
    )
    assert found.pairs == {2: 102}
    assert found.ambiguous == {101: [5, 6]}
    assert found.removed == [101]


@given(
    st.lists(
        st.tuples(st.sampled_from(["g1", "g2"]), st.sampled_from(["A", "B", "C", "D"])),
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_a_shuffled_renumbering_of_distinct_lines_matches_every_line(lines, random):
    distinct = list(dict.fromkeys(lines))
    before = stored(*[(g, n, i + 1) for i, (g, n) in enumerate(distinct)])
    random.shuffle(distinct)
    after = rows(*[(g, n, i + 1) for i, (g, n) in enumerate(distinct)])
    found = match_lines(before, after)
    assert found.removed == []
    by_id = {line.ident: line.key for line in before}
    assert {order: by_id[ident] for order, ident in found.pairs.items()} == {
        row.order: row.key for row in after
    }
