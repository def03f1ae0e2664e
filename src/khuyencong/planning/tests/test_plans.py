"""Annual plans: consolidation, the comparison with Sơn La's 2026 KCĐP allocation, states by
role, revisions, optimistic locking."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from khuyencong.accounts.models import Role
from khuyencong.core.concurrency import StaleEditError
from khuyencong.planning import selectors, services
from khuyencong.planning.models import AnnualPlan, PlanStatus
from khuyencong.planning.presentation import plan_sheet
from khuyencong.planning.rules import Amounts
from khuyencong.programs.models import AllocationCell, Programme

from .conftest import KHANH_HOA, SON_LA, TODAY, need

pytestmark = pytest.mark.django_db
D = datetime.date


def accept(officer, sct, registration):
    sent = services.transition_registration(
        actor=officer, registration=registration, action="gui", on=TODAY
    )
    return services.transition_registration(actor=sct, registration=sent, action="chap-nhan")


@pytest.fixture
def plan(centre):
    return services.create_plan(actor=centre, year=2026, fund="KCDP")


def own_activity(group, *, kcdp: int, name="Hội chợ hàng CNNT tiêu biểu tỉnh Sơn La"):
    return services.ItemData(
        name=name,
        implementing_unit="Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Sơn La",
        content_group=group,
        amounts=Amounts(kcdp, kcdp=kcdp),
        start_month=D(2026, 9, 1),
        end_month=D(2026, 10, 1),
        beneficiary="Các cơ sở CNNT trên địa bàn tỉnh",
    )


def test_only_the_centre_prepares_plans_of_its_province(make_user, centre, sct):
    with pytest.raises(PermissionDenied):
        services.create_plan(actor=sct, year=2026, fund="KCDP")
    with pytest.raises(PermissionDenied):
        services.create_plan(actor=make_user(Role.COMMUNE_OFFICER, "03985"), year=2026, fund="KCDP")
    plan = services.create_plan(actor=centre, year=2026, fund="KCDP")
    with pytest.raises(services.PlanningError, match="Đã có"):
        services.create_plan(actor=centre, year=2026, fund="KCDP")
    assert plan.status == PlanStatus.DRAFT
    assert plan.revision == 0


def test_consolidation_and_comparison_with_the_programme(
    officer, sct, centre, plan, round_, tea, groups
):
    first, _ = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    second, _ = services.create_registration(
        actor=officer,
        round=round_,
        establishment=tea,
        data=need(
            groups["nhom-2"],
            total=80_000_000,
            kcdp=62_500_000,
            counterpart=17_500_000,
            activity="Hỗ trợ đăng ký nhãn hiệu chè Chiềng Sơn",
        ),
    )
    draft_only, _ = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    accept(officer, sct, first)
    accept(officer, sct, second)

    assert services.consolidate(actor=centre, plan=plan, expected_version=plan.version) == 2
    plan.refresh_from_db()
    assert services.consolidate(actor=centre, plan=plan, expected_version=plan.version) == 0
    services.add_item(
        actor=centre,
        plan=plan,
        expected_version=plan.version,
        data=own_activity(groups["nhom-6"], kcdp=100_000_000, name="Kiểm tra, giám sát"),
    )
    items = list(plan.items.order_by("order"))
    assert [i.registration_id for i in items] == [first.pk, second.pk, None]
    assert draft_only.pk not in [i.registration_id for i in items]
    assert items[0].establishment == tea
    assert items[0].commune.code == "03985"
    assert items[0].implementing_unit.startswith("Trung tâm Xúc tiến Đầu tư")

    # Expected allocation, computed from the programme's own cells (never typed in).
    programme = Programme.objects.get(code="son-la-2026-2030")
    expected: dict[str, int] = {}
    for cell in AllocationCell.objects.filter(
        line__programme=programme, year=2026, fund="KCDP"
    ).select_related("line__group"):
        expected[cell.line.group.code] = expected.get(cell.line.group.code, 0) + cell.amount
    assert selectors.province_programme(plan.unit, 2026) == programme
    allocated = selectors.allocation_by_group(programme, 2026, "KCDP")
    assert allocated == dict(expected.items())
    sheet = plan_sheet(selectors.plan_for_view(centre, plan.pk), allocated=allocated)
    by_group = {g.code: g for g in sheet.groups}
    assert by_group["nhom-1"].fund_amount == 200_000_000
    assert by_group["nhom-1"].allocated == expected["nhom-1"]
    assert by_group["nhom-1"].difference == 200_000_000 - expected["nhom-1"]
    assert by_group["nhom-2"].fund_amount == 62_500_000
    assert by_group["nhom-6"].fund_amount == 100_000_000
    for code, group in by_group.items():
        allocated_here = expected.get(code, 0)
        if allocated_here == group.fund_amount == 0:
            want = "none"
        elif allocated_here == 0:
            want = "unallocated"
        elif group.fund_amount > allocated_here:
            want = "over"
        elif group.fund_amount < allocated_here:
            want = "under"
        else:
            want = "equal"
        assert group.status == want, code
    assert sheet.allocated_total == sum(expected.values())
    assert sheet.total.kcdp == 362_500_000
    assert sheet.total.total_cost == 680_000_000
    communes = {c.name: c for c in sheet.communes}
    assert communes["Xã Chiềng Sơn"].count == 2
    assert communes["Toàn tỉnh (không gắn với một xã)"].fund_amount == 100_000_000


def test_plan_states_by_role_and_revisions_on_adjustment(make_user, centre, sct, plan, groups):
    finance = make_user(Role.PROVINCE_FINANCE, SON_LA)
    kh_sct = make_user(Role.PROVINCE_SCT, KHANH_HOA)
    with pytest.raises(services.PlanningError, match="chưa có đề án"):
        services.transition_plan(
            actor=centre, plan=plan, action="trinh", expected_version=plan.version
        )
    services.add_item(
        actor=centre,
        plan=plan,
        expected_version=plan.version,
        data=own_activity(groups["nhom-2"], kcdp=250_000_000),
    )
    plan.refresh_from_db()
    with pytest.raises(PermissionDenied, match="không được phép lập và trình"):
        services.transition_plan(
            actor=sct, plan=plan, action="trinh", expected_version=plan.version
        )
    plan = services.transition_plan(
        actor=centre, plan=plan, action="trinh", expected_version=plan.version
    )
    with pytest.raises(services.PlanningError, match="chỉ sửa được khi còn là dự thảo"):
        services.add_item(
            actor=centre,
            plan=plan,
            expected_version=plan.version,
            data=own_activity(groups["nhom-2"], kcdp=1),
        )
    with pytest.raises(PermissionDenied):
        services.transition_plan(
            actor=centre, plan=plan, action="tham-dinh", expected_version=plan.version
        )
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        services.transition_plan(
            actor=kh_sct, plan=plan, action="tham-dinh", expected_version=plan.version
        )
    plan = services.transition_plan(
        actor=finance, plan=plan, action="tham-dinh", expected_version=plan.version
    )
    with pytest.raises(PermissionDenied):  # the finance department appraises, never approves
        services.transition_plan(
            actor=finance,
            plan=plan,
            action="phe-duyet",
            expected_version=plan.version,
            decision_number="12/QĐ-UBND",
            decision_date=D(2026, 1, 5),
        )
    with pytest.raises(services.PlanningError, match="số và ngày"):
        services.transition_plan(
            actor=sct, plan=plan, action="phe-duyet", expected_version=plan.version
        )
    approved = services.transition_plan(
        actor=sct,
        plan=plan,
        action="phe-duyet",
        expected_version=plan.version,
        decision_number="12/QĐ-UBND",
        decision_date=D(2026, 1, 5),
    )
    assert approved.status == PlanStatus.APPROVED
    assert approved.decision_number == "12/QĐ-UBND"

    with pytest.raises(services.PlanningError, match="lý do"):
        services.transition_plan(
            actor=centre, plan=approved, action="dieu-chinh", expected_version=approved.version
        )
    revision = services.transition_plan(
        actor=centre,
        plan=approved,
        action="dieu-chinh",
        expected_version=approved.version,
        comment="Bổ sung đề án theo Công văn 55/SCT",
    )
    approved.refresh_from_db()
    assert approved.status == PlanStatus.ADJUSTED
    assert revision.status == PlanStatus.DRAFT
    assert revision.revision == 1
    assert revision.previous == approved
    assert revision.adjustment_reason.startswith("Bổ sung")
    assert [i.name for i in revision.items.all()] == [i.name for i in approved.items.all()]
    assert set(revision.items.values_list("pk", flat=True)).isdisjoint(
        approved.items.values_list("pk", flat=True)
    )
    # The old version stays as it was, read-only; the new one is edited.
    with pytest.raises(services.PlanningError):
        services.add_item(
            actor=centre,
            plan=approved,
            expected_version=approved.version,
            data=own_activity(groups["nhom-2"], kcdp=1),
        )
    services.add_item(
        actor=centre,
        plan=revision,
        expected_version=revision.version,
        data=own_activity(groups["nhom-1"], kcdp=5),
    )
    assert approved.items.count() == 1
    assert revision.items.count() == 2
    assert list(selectors.plan_revisions(revision)) == [revision, approved]
    assert AnnualPlan.objects.filter(unit=plan.unit, year=2026, fund="KCDP").count() == 2
    log = list(approved.transitions.values_list("action", flat=True))
    assert log == ["tao", "trinh", "tham-dinh", "phe-duyet", "dieu-chinh"]


def test_returning_a_plan_sends_it_back_to_draft(centre, sct, plan, groups):
    services.add_item(
        actor=centre,
        plan=plan,
        expected_version=plan.version,
        data=own_activity(groups["nhom-2"], kcdp=9),
    )
    plan.refresh_from_db()
    plan = services.transition_plan(
        actor=centre, plan=plan, action="trinh", expected_version=plan.version
    )
    back = services.transition_plan(
        actor=sct, plan=plan, action="tra-lai", expected_version=plan.version, comment="Sai nhóm"
    )
    assert back.status == PlanStatus.DRAFT


def test_stale_plan_edits_are_refused(centre, plan, groups):
    version = plan.version
    services.add_item(
        actor=centre,
        plan=plan,
        expected_version=version,
        data=own_activity(groups["nhom-2"], kcdp=9),
    )
    with pytest.raises(StaleEditError):
        services.add_item(
            actor=centre,
            plan=plan,
            expected_version=version,
            data=own_activity(groups["nhom-2"], kcdp=9),
        )
    with pytest.raises(StaleEditError):
        services.consolidate(actor=centre, plan=plan, expected_version=version)


def test_a_stale_plan_step_is_refused_as_stale_even_when_read_after_the_change(
    centre, sct, plan, groups
):
    """The plan is read after another step committed; the version the user saw decides."""
    services.add_item(
        actor=centre,
        plan=plan,
        expected_version=plan.version,
        data=own_activity(groups["nhom-2"], kcdp=9),
    )
    seen = AnnualPlan.objects.get(pk=plan.pk).version
    services.transition_plan(
        actor=centre, plan=AnnualPlan.objects.get(pk=plan.pk), action="trinh", expected_version=seen
    )
    with pytest.raises(StaleEditError, match="tải lại trang"):
        services.transition_plan(
            actor=centre,
            plan=AnnualPlan.objects.get(pk=plan.pk),
            action="trinh",
            expected_version=seen,
        )


def test_item_rules(centre, plan, groups, unit):
    bad = services.ItemData(
        **{**own_activity(groups["nhom-2"], kcdp=9).__dict__, "commune": unit("22333")}
    )
    with pytest.raises(services.RegistrationInvalid, match="không thuộc"):
        services.add_item(actor=centre, plan=plan, expected_version=plan.version, data=bad)
    wrong = services.ItemData(
        **{**own_activity(groups["nhom-2"], kcdp=9).__dict__, "amounts": Amounts(10, kcdp=9)}
    )
    with pytest.raises(services.RegistrationInvalid, match="khác tổng kinh phí"):
        services.add_item(actor=centre, plan=plan, expected_version=plan.version, data=wrong)
