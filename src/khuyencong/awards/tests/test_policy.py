"""The access policy for the selection: council members reach rounds and entries through their
seats, score sheets are sealed until the jury closes (for every role, in every query), and the
organiser of a level runs only its own rounds."""

from __future__ import annotations

import pytest
from django.utils import timezone

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role
from khuyencong.accounts.policy import Action
from khuyencong.awards import workflow
from khuyencong.awards.models import Entry, Product, ScoreSheet, SelectionRound

from .conftest import (
    CHIENG_SON,
    KHANH_HOA,
    NATION,
    SON_LA,
    build_entry,
    build_establishment,
    build_product,
    build_round,
    build_sheet,
    seat,
)

pytestmark = pytest.mark.django_db


def test_the_workflow_names_real_policy_actions():
    for name in (
        workflow.RUN_SELECTION,
        workflow.FILE_ENTRY,
        workflow.FORWARD_ENTRIES,
        workflow.CHAIR_JURY,
    ):
        assert Action(name) in policy.ACTION_ROLES


@pytest.fixture
def jury(unit, council_user, province_round, establishment):
    """A Sơn La round with two entries: judge A scores both, judge B only the first; a chair
    who does not score; a council member of another round."""
    tea = build_entry(province_round, build_product(establishment))
    other = build_entry(
        province_round, build_product(build_establishment(unit, name="HTX khác"), "Mận hậu")
    )
    chair_user, a_user, b_user, outsider = (council_user() for _ in range(4))
    chair = seat(province_round, chair_user, "chu-tich", judge=False)
    a = seat(province_round, a_user)
    b = seat(province_round, b_user)
    other_round = build_round(unit, code="son-la-2027", year=2027)
    seat(other_round, outsider)
    sheets = {
        ("a", "tea"): build_sheet(tea, a, 80),
        ("a", "other"): build_sheet(other, a, 72),
        ("b", "tea"): build_sheet(tea, b, 60),
    }
    return {
        "round": province_round,
        "tea": tea,
        "other": other,
        "chair": chair_user,
        "a": a_user,
        "b": b_user,
        "outsider": outsider,
        "chair_seat": chair,
        "sheets": sheets,
    }


UNIT_FIELDS = {
    SelectionRound: "unit",
    Entry: "commune",
    Product: "commune",
    ScoreSheet: "round__unit",
}


def _visible(user, model, action=Action.VIEW):
    queryset = model.objects.all()
    return set(policy.scope_queryset(user, queryset, action=action, unit_field=UNIT_FIELDS[model]))


def test_council_members_see_only_the_rounds_and_entries_of_their_seats(jury):
    assert _visible(jury["a"], SelectionRound, Action.VIEW_SELECTION) == {jury["round"]}
    assert _visible(jury["outsider"], SelectionRound, Action.VIEW_SELECTION) != {jury["round"]}
    assert _visible(jury["a"], Entry) == {jury["tea"], jury["other"]}
    assert _visible(jury["b"], Entry) == {jury["tea"]}
    assert _visible(jury["chair"], Entry) == {jury["tea"], jury["other"]}
    assert _visible(jury["outsider"], Entry) == set()
    assert _visible(jury["b"], Product) == {jury["tea"].product}
    assert not policy.can(jury["b"], Action.VIEW, jury["other"])
    assert policy.can(jury["b"], Action.VIEW, jury["tea"])


def test_before_close_a_judge_sees_only_their_own_sheets_and_nobody_else_sees_any(
    jury, make_user, unit
):
    sheets = jury["sheets"]
    assert _visible(jury["a"], ScoreSheet, Action.VIEW_SCORES) == {
        sheets[("a", "tea")],
        sheets[("a", "other")],
    }
    assert _visible(jury["b"], ScoreSheet, Action.VIEW_SCORES) == {sheets[("b", "tea")]}
    assert _visible(jury["chair"], ScoreSheet, Action.VIEW_SCORES) == set()
    sct = make_user(Role.PROVINCE_SCT, SON_LA)
    national = make_user(Role.NATIONAL_OFFICER, NATION)
    admin = make_user(Role.SYSTEM_ADMIN, NATION)
    for officer in (sct, national, admin):
        assert _visible(officer, ScoreSheet, Action.VIEW_SCORES) == set()
        assert _visible(officer, ScoreSheet, Action.VIEW) == set()
        decision = policy.can(officer, Action.VIEW, sheets[("a", "tea")])
        assert not decision
        assert "niêm phong" in decision.reason
    decision = policy.can(jury["b"], Action.VIEW_SCORES, sheets[("a", "tea")])
    assert not decision
    assert "niêm phong" in decision.reason
    assert policy.can(jury["a"], Action.VIEW_SCORES, sheets[("a", "tea")])


def test_after_close_the_entry_sheets_open_to_the_organiser_and_the_council(jury, make_user):
    Entry.objects.filter(pk=jury["tea"].pk).update(scoring_closed_at=timezone.now())
    sheets = jury["sheets"]
    sct = make_user(Role.PROVINCE_SCT, SON_LA)
    assert _visible(sct, ScoreSheet, Action.VIEW_SCORES) == {
        sheets[("a", "tea")],
        sheets[("b", "tea")],
    }
    assert _visible(jury["b"], ScoreSheet, Action.VIEW_SCORES) == {
        sheets[("a", "tea")],
        sheets[("b", "tea")],
    }
    # Another province's SCT and an establishment never see sheets.
    assert (
        _visible(make_user(Role.PROVINCE_SCT, KHANH_HOA), ScoreSheet, Action.VIEW_SCORES) == set()
    )
    assert (
        _visible(make_user(Role.ESTABLISHMENT, CHIENG_SON), ScoreSheet, Action.VIEW_SCORES) == set()
    )
    # The other entry is still sealed.
    assert not policy.can(sct, Action.VIEW_SCORES, sheets[("a", "other")])


def test_scoring_needs_an_assignment_and_chairing_needs_the_chair(jury):
    assert policy.can(jury["b"], Action.SCORE_ENTRY, jury["tea"])
    decision = policy.can(jury["b"], Action.SCORE_ENTRY, jury["other"])
    assert not decision
    assert "không được phân công" in decision.reason
    decision = policy.can(jury["chair"], Action.SCORE_ENTRY, jury["tea"])
    assert not decision
    assert "không được phân công chấm" in decision.reason
    assert policy.can(jury["chair"], Action.CHAIR_JURY, jury["round"])
    decision = policy.can(jury["a"], Action.CHAIR_JURY, jury["round"])
    assert not decision
    assert "Chỉ Chủ tịch hội đồng" in decision.reason
    decision = policy.can(jury["outsider"], Action.CHAIR_JURY, jury["round"])
    assert not decision
    assert "không được phân công vào hội đồng" in decision.reason


def test_council_members_have_no_activity_log(jury):
    assert not policy.can(jury["a"], Action.VIEW_HISTORY)


def test_only_the_organising_unit_runs_a_round(unit, make_user):
    province = build_round(unit)
    commune = build_round(unit, level="xa", code="chieng-son-2026", organiser=CHIENG_SON)
    national = build_round(unit, level="quoc-gia", code="quoc-gia-2026", organiser=NATION)
    sct = make_user(Role.PROVINCE_SCT, SON_LA)
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    department = make_user(Role.NATIONAL_OFFICER, NATION)
    centre = make_user(Role.PROVINCE_CENTRE, SON_LA)
    assert policy.can(sct, Action.RUN_SELECTION, province)
    assert not policy.can(sct, Action.RUN_SELECTION, commune)
    assert not policy.can(sct, Action.RUN_SELECTION, national)
    assert policy.can(officer, Action.RUN_SELECTION, commune)
    assert not policy.can(officer, Action.RUN_SELECTION, province)
    assert policy.can(department, Action.RUN_SELECTION, national)
    assert not policy.can(centre, Action.RUN_SELECTION, province)
    # Everyone below sees the rounds addressed to them.
    assert _visible(officer, SelectionRound, Action.VIEW_SELECTION) == {province, commune, national}
    assert _visible(sct, SelectionRound, Action.VIEW_SELECTION) == {province, commune, national}
    kh = make_user(Role.PROVINCE_SCT, KHANH_HOA)
    assert _visible(kh, SelectionRound, Action.VIEW_SELECTION) == {national}


def test_establishments_see_only_their_own_products_and_entries(
    unit, representative, province_round
):
    mine = build_product(build_establishment(unit))
    theirs = build_product(build_establishment(unit, name="Cơ sở khác"), "Mận")
    user = representative(mine.establishment)
    assert set(
        policy.scope_queryset(user, Product.objects.all(), establishment_field="establishment")
    ) == {mine}
    assert policy.can(user, Action.MANAGE_PRODUCT, mine)
    assert not policy.can(user, Action.MANAGE_PRODUCT, theirs)
    entry = build_entry(province_round, theirs)
    assert not policy.can(user, Action.FILE_ENTRY, entry)
