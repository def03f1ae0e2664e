"""Project services: creation, the rules while editing, sign-offs by several departments, the
return loop, money, settlement locking and cancellation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.core.concurrency import StaleEditError
from khuyencong.notifications.models import Notification, NotificationKind
from khuyencong.planning.models import SupportRegistration
from khuyencong.programs.models import ActivityLine, ContentGroup, Programme
from khuyencong.projects import selectors, services
from khuyencong.projects.models import ProjectSignOff, ProjectSnapshot
from khuyencong.projects.workflow import KCDP, KCQG, State, Step

from .conftest import MILLION, D, make_registration, project_data, step


def _create(centre, **kwargs):
    project, warnings = services.create_project(actor=centre, data=project_data(**kwargs))
    return project, warnings


# ------------------------------------------------------------------------------------ creation
def test_the_centre_creates_a_draft_with_budget_schedule_and_totals(centre, tea):
    project, warnings = _create(centre, beneficiaries=[tea])
    assert project.status == State.DRAFT
    assert project.unit.code == "14"
    assert project.round == 0
    assert (project.support_kcqg, project.counterpart, project.total_cost) == (
        300 * MILLION,
        300 * MILLION,
        600 * MILLION,
    )
    assert [b.item for b in project.budget_lines.all()] == ["Mua máy sao chè", "Lắp đặt, chạy thử"]
    assert project.tasks.count() == 2
    assert list(project.beneficiaries.all()) == [tea]
    assert project.transitions.get().action == "tao"
    assert ActivityEvent.objects.filter(event_type=EventType.PROJECT_CREATED).exists()
    assert project.history.earliest().history_type == "+"
    assert all(not w.is_error for w in warnings)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROVINCE_CENTRE])
def test_only_the_provincial_centre_creates_projects(role, user_for):
    with pytest.raises(PermissionDenied):
        services.create_project(actor=user_for(role), data=project_data())


def test_beneficiaries_location_and_programme_lines_must_belong_to_the_province(
    centre, kh_shop, unit, seed_programmes
):
    kh_line = ActivityLine.objects.create(
        programme=Programme.objects.get(code="khanh-hoa-2026-2030"),
        group=ContentGroup.objects.order_by("number").first(),
        name="Hỗ trợ máy móc thiết bị",
        order=99,
    )
    with pytest.raises(services.ProjectInvalid) as info:
        _create(
            centre,
            beneficiaries=[kh_shop],
            location=unit("22333"),
            outputs=[services.OutputRow(kh_line, Decimal(1))],
        )
    codes = {f.code for f in info.value.findings}
    assert {"beneficiary-unit", "location", "output-programme"} <= codes
    assert "Cơ sở nước mắm Nha Trang" in str(info.value)


def test_national_funds_in_a_local_project_are_refused(centre):
    with pytest.raises(services.ProjectInvalid, match="phải lập là đề án KCQG"):
        _create(centre, fund=KCDP, kcqg=100 * MILLION, kcdp=100 * MILLION)


def test_a_project_is_made_from_an_accepted_registration_once(centre, tea, unit):
    registration = make_registration(
        unit,
        tea,
        fund="KCQG",
        status="da-gui",
        activity="Máy sao chè",
        total_cost=600 * MILLION,
        support_kcqg=300 * MILLION,
        counterpart=300 * MILLION,
    )
    with pytest.raises(services.ProjectError, match="đã được chấp nhận"):
        services.create_project(actor=centre, data=project_data(), registration=registration)
    SupportRegistration.objects.filter(pk=registration.pk).update(status="chap-nhan")
    project, _w = services.create_project(
        actor=centre, data=project_data(beneficiaries=[tea]), registration=registration
    )
    assert project.registration == registration
    assert not selectors.registrations_for_projects(centre).exists()
    with pytest.raises(services.ProjectError, match="đã được lập thành đề án"):
        services.create_project(actor=centre, data=project_data(), registration=registration)


# -------------------------------------------------------------------------- rules while editing
def test_support_above_the_norm_cap_is_an_error_naming_the_rule(centre):
    # Machinery (may-moc-thiet-bi, KCQG): 50% of 700,000,000 = 350,000,000, capped at 300,000,000.
    with pytest.raises(services.ProjectInvalid) as info:
        _create(centre, kcqg=350 * MILLION, counterpart=350 * MILLION)
    finding = next(f for f in info.value.findings if f.code == "norm-cap")
    assert "350.000.000 đ vượt mức tối đa 300.000.000 đ" in finding.message
    assert "Thông tư 28/2018/TT-BTC" in finding.message  # the norm's own sentence


def test_over_cap_is_refused_on_edit_and_at_submission(centre, make_project):
    project, _w = _create(centre)
    with pytest.raises(services.ProjectInvalid, match="vượt mức tối đa"):
        services.update_project(
            actor=centre,
            project=project,
            expected_version=project.version,
            data=project_data(kcqg=301 * MILLION, counterpart=400 * MILLION),
        )
    # A project whose stored budget is above the cap (e.g. the norm changed) cannot be sent.
    over = make_project(fund=KCQG, support=400 * MILLION, counterpart=400 * MILLION)
    with pytest.raises(services.ProjectInvalid, match="vượt mức tối đa"):
        step(centre, over, Step.SUBMIT)
    over.refresh_from_db()
    assert over.status == State.DRAFT
    assert "norm-cap" in {f.code for f in services.findings_for(over)}


def test_the_rules_look_the_norm_content_up_once(db, make_project):
    """Regression: the checks asked the norms table for the same content three times per
    project (exists for the field, exists before the norm, the name for the messages)."""
    project = make_project(fund=KCQG, support=400 * MILLION, counterpart=400 * MILLION)
    with CaptureQueriesContext(connection) as ctx:
        found = services.findings_for(project)
    assert "norm-cap" in {f.code for f in found}
    lookups = [q for q in ctx.captured_queries if 'FROM "norms_normcontent"' in q["sql"]]
    assert len(lookups) == 1, [q["sql"] for q in lookups]


def test_an_unknown_content_is_refused_by_the_field_check(centre):
    with pytest.raises(services.ProjectInvalid, match="không có trong bảng định mức"):
        _create(centre, content="khong-co-noi-dung-nay")


def test_demonstration_model_cap_follows_the_percentage(centre):
    # mo-hinh-trinh-dien: 30% of eligible cost, at most 1,000,000,000.
    _create(centre, content="mo-hinh-trinh-dien", kcqg=600 * MILLION, counterpart=1400 * MILLION)
    with pytest.raises(services.ProjectInvalid, match=r"600\.000\.001 đ vượt mức tối đa"):
        _create(
            centre,
            content="mo-hinh-trinh-dien",
            kcqg=600 * MILLION + 1,
            counterpart=1400 * MILLION - 1,
        )


def test_repeat_support_for_the_same_content_is_a_warning_with_links(
    centre, sct, tea, make_project
):
    earlier = make_project(fund=KCQG, state=State.APPROVED, year=2025, title="Máy sao chè 2025")
    earlier.beneficiaries.add(tea)
    other_content = make_project(fund=KCQG, state=State.APPROVED, content="nhan-hieu")
    other_content.beneficiaries.add(tea)
    project, warnings = _create(centre, beneficiaries=[tea])
    repeat = [w for w in warnings if w.code == "repeat-support"]
    assert len(repeat) == 1
    assert "Hộ kinh doanh chè Chiềng Sơn" in repeat[0].message
    assert "2025" in repeat[0].message
    assert [link.url for link in repeat[0].links] == [f"/de-an/{earlier.pk}/"]
    # a draft or a cancelled project is not support received
    earlier.status = State.CANCELLED
    earlier.save()
    assert "repeat-support" not in {f.code for f in services.findings_for(project)}


def test_at_most_two_overseas_fairs_per_establishment_per_year(centre, tea, weaver, make_project):
    for n in range(2):
        fair = make_project(
            fund=KCQG, state=State.SUBMITTED, content="hoi-cho-nuoc-ngoai", title=f"Hội chợ {n}"
        )
        fair.beneficiaries.add(tea)
    other_year = make_project(
        fund=KCQG, state=State.APPROVED, content="hoi-cho-nuoc-ngoai", year=2025
    )
    other_year.beneficiaries.add(weaver)
    with pytest.raises(services.ProjectInvalid) as info:
        _create(
            centre, content="hoi-cho-nuoc-ngoai", beneficiaries=[tea, weaver], title="Hội chợ 3"
        )
    errors = [f for f in info.value.findings if f.code == "overseas-fairs"]
    assert len(errors) == 1
    assert "tối đa 2 hội chợ nước ngoài một năm" in errors[0].message
    assert len(errors[0].links) == 2
    project, _w = _create(centre, content="hoi-cho-nuoc-ngoai", beneficiaries=[weaver])
    assert project.pk


# ------------------------------------------------------------------------ several departments
def test_province_appraisal_needs_the_sct_and_finance(centre, sct, finance, national):
    project, _w = _create(centre)
    step(centre, project, Step.SUBMIT)
    first = step(finance, project, Step.APPRAISE_PROVINCE)
    assert not first.advanced
    assert [s.role for s in first.pending] == ["so-cong-thuong"]
    assert first.project.status == State.SUBMITTED
    note = Notification.objects.get(recipient=sct, title__contains="chờ Sở Công Thương")
    assert note.kind == NotificationKind.PROJECT
    assert selectors.waiting_for(sct).filter(pk=project.pk).exists()
    assert not selectors.waiting_for(finance).filter(pk=project.pk).exists()
    with pytest.raises(services.ProjectError, match="Sở Tài chính đã ký"):
        step(finance, project, Step.APPRAISE_PROVINCE)
    second = step(sct, project, Step.APPRAISE_PROVINCE)
    assert second.advanced
    assert second.project.status == State.APPRAISED_PROVINCE
    rows = ProjectSignOff.objects.filter(project=project, action=Step.APPRAISE_PROVINCE)
    assert {(s.role, s.round, s.data["conclusion"]) for s in rows} == {
        ("so-tai-chinh", 1, "dat"),
        ("so-cong-thuong", 1, "dat"),
    }
    assert Notification.objects.filter(recipient=national).exists()  # KCQG: the ministry next
    log = list(project.transitions.values_list("action", "from_state", "to_state", "role"))
    assert log[-2:] == [
        ("tham-dinh-tinh", "da-trinh", "da-trinh", "so-tai-chinh"),
        ("tham-dinh-tinh", "da-trinh", "tham-dinh-tinh", "so-cong-thuong"),
    ]


def test_a_local_project_is_approved_when_sct_and_finance_have_both_signed(centre, sct, finance):
    project, _w = _create(centre, fund=KCDP, kcqg=0, kcdp=250 * MILLION)
    step(centre, project, Step.SUBMIT)
    step(sct, project, Step.APPRAISE_PROVINCE)
    step(finance, project, Step.APPRAISE_PROVINCE)
    decision = step(
        sct,
        project,
        Step.APPROVE,
        decision_number="88/QĐ-UBND",
        decision_date=D(2026, 4, 1),
        approved_kcqg=0,
        approved_kcdp=240 * MILLION,
    )
    assert not decision.advanced
    project.refresh_from_db()
    assert project.approved_kcdp == 0  # the decision takes effect when Finance agrees
    done = step(finance, project, Step.APPROVE, comment="Thống nhất bố trí kinh phí.")
    assert done.advanced
    project.refresh_from_db()
    assert (project.status, project.decision_number, project.approved_kcdp) == (
        State.APPROVED,
        "88/QĐ-UBND",
        240 * MILLION,
    )


def test_an_approval_above_the_proposal_is_refused(centre, national, make_project):
    project = make_project(fund=KCQG, state=State.APPRAISED_NATIONAL)
    with pytest.raises(services.ProjectError, match="vượt kinh phí KCQG đề nghị"):
        step(
            national,
            project,
            Step.APPROVE,
            decision_number="1/QĐ-BCT",
            decision_date=D(2026, 3, 1),
            approved_kcqg=project.support_kcqg + 1,
            approved_kcdp=0,
        )
    with pytest.raises(services.ProjectError, match="Cần số và ngày"):
        step(national, project, Step.APPROVE, decision_number="", approved_kcqg=1)


# ------------------------------------------------------------------------------- return loop
def test_return_loop_keeps_snapshots_and_shows_what_changed(centre, sct, finance, tea, weaver):
    project, _w = _create(centre, beneficiaries=[tea])
    step(centre, project, Step.SUBMIT)
    step(sct, project, Step.APPRAISE_PROVINCE)  # the SCT signed, then Finance sends it back
    with pytest.raises(services.ProjectError, match="Cần ghi lý do"):
        services.transition(
            actor=finance, project=project, action=Step.RETURN, expected_version=project.version + 1
        )
    project.refresh_from_db()
    step(finance, project, Step.RETURN, comment="Bổ sung báo giá máy")
    project.refresh_from_db()
    assert project.status == State.RETURNED
    assert selectors.waiting_for(centre).filter(pk=project.pk).exists()
    services.update_project(
        actor=centre,
        project=project,
        expected_version=project.version,
        data=project_data(
            beneficiaries=[tea, weaver],
            kcqg=280 * MILLION,
            title="Hỗ trợ máy sao chè tự động (có báo giá)",
        ),
    )
    project.refresh_from_db()
    summary = selectors.change_summary(project)
    assert summary is not None
    assert "lần trình thứ 1" in summary.title
    changed = {(c.section, c.label) for c in summary.changes}
    assert ("Thông tin chung", "Tên đề án") in changed
    assert ("Dự toán kinh phí", "Mua máy sao chè") in changed
    assert ("Cơ sở thụ hưởng", "Hợp tác xã dệt thổ cẩm Tô Hiệu") in changed
    total = next(c for c in summary.changes if c.label.startswith("Tổng kinh phí hỗ trợ"))
    assert (total.before, total.after) == ("300.000.000 đ", "280.000.000 đ")
    again = step(centre, project, Step.RESUBMIT)
    assert again.project.round == 2
    assert list(
        ProjectSnapshot.objects.filter(project=project).values_list("round", flat=True)
    ) == [
        1,
        2,
    ]
    summary = selectors.change_summary(again.project)
    assert "lần trình thứ 2 so với lần trình thứ 1" in summary.title
    assert {(c.section, c.label) for c in summary.changes} == changed
    # round 2 needs both signatures again: the SCT's earlier one was for round 1
    assert selectors.waiting_for(sct).filter(pk=project.pk).exists()
    assert not step(sct, project, Step.APPRAISE_PROVINCE).advanced
    log = list(project.transitions.values_list("action", "to_state", "comment"))
    assert ("tra-lai", "tra-lai", "Bổ sung báo giá máy") in log


def test_a_stale_edit_is_refused(centre):
    project, _w = _create(centre)
    services.update_project(
        actor=centre, project=project, expected_version=1, data=project_data(title="Tên mới")
    )
    with pytest.raises(StaleEditError, match="vừa được người khác sửa"):
        services.update_project(
            actor=centre, project=project, expected_version=1, data=project_data(title="Tên khác")
        )
    with pytest.raises(StaleEditError):
        services.transition(actor=centre, project=project, action=Step.SUBMIT, expected_version=1)


def test_content_cannot_change_once_submitted(centre):
    project, _w = _create(centre)
    step(centre, project, Step.SUBMIT)
    project.refresh_from_db()
    with pytest.raises(services.ProjectError, match="chỉ sửa được khi là dự thảo"):
        services.update_project(
            actor=centre, project=project, expected_version=project.version, data=project_data()
        )


# ------------------------------------------------------------------------------------- money
def test_an_advance_above_the_norms_ceiling_is_refused_with_the_limit_and_the_rule(
    centre, make_project
):
    project = make_project(fund=KCQG, state=State.IMPLEMENTING)  # approved KCQG 300,000,000
    services.record_advance(
        actor=centre,
        project=project,
        expected_version=1,
        fund=KCQG,
        amount=150 * MILLION,
        paid_on=D(2026, 4, 1),
    )
    with pytest.raises(services.ProjectError) as info:
        services.record_advance(
            actor=centre,
            project=project,
            expected_version=2,
            fund=KCQG,
            amount=100 * MILLION,
            paid_on=D(2026, 5, 1),
        )
    assert str(info.value) == (
        "Tạm ứng tối đa 70% kinh phí hỗ trợ được duyệt (KCQG 300.000.000 đ): 210.000.000 đ; "
        "đã tạm ứng 150.000.000 đ, lần này 100.000.000 đ — vượt 40.000.000 đ."
    )
    services.record_advance(
        actor=centre,
        project=project,
        expected_version=2,
        fund=KCQG,
        amount=60 * MILLION,
        paid_on=D(2026, 5, 1),
    )
    with pytest.raises(services.ProjectError, match="không có kinh phí KCĐP được duyệt"):
        services.record_advance(
            actor=centre,
            project=project,
            expected_version=3,
            fund=KCDP,
            amount=1,
            paid_on=D(2026, 5, 1),
        )


def test_the_advance_ceiling_comes_from_the_norm(centre, make_project):
    # Waste-water works at an industrial cluster: 30% advance (norm row), not 70%.
    project = make_project(
        fund=KCQG,
        state=State.CONTRACTED,
        content="xu-ly-moi-truong-ccn",
        support=900 * MILLION,
        counterpart=2100 * MILLION,
    )
    with pytest.raises(services.ProjectError, match=r"Tạm ứng tối đa 30%.*270\.000\.000 đ"):
        services.record_advance(
            actor=centre,
            project=project,
            expected_version=1,
            fund=KCQG,
            amount=270 * MILLION + 1,
            paid_on=D(2026, 4, 1),
        )


def test_payments_above_the_approved_amount_are_refused(centre, make_project):
    project = make_project(fund=KCDP, state=State.IMPLEMENTING, support=200 * MILLION)
    services.record_advance(
        actor=centre,
        project=project,
        expected_version=1,
        fund=KCDP,
        amount=140 * MILLION,
        paid_on=D(2026, 4, 1),
    )
    services.record_payment(
        actor=centre,
        project=project,
        expected_version=2,
        fund=KCDP,
        amount=50 * MILLION,
        paid_on=D(2026, 9, 1),
    )
    with pytest.raises(services.ProjectError) as info:
        services.record_payment(
            actor=centre,
            project=project,
            expected_version=3,
            fund=KCDP,
            amount=10 * MILLION + 1,
            paid_on=D(2026, 10, 1),
        )
    assert "không được vượt kinh phí hỗ trợ được duyệt (KCĐP 200.000.000 đ)" in str(info.value)
    assert "đã chi 190.000.000 đ, lần này 10.000.001 đ — vượt 1 đ" in str(info.value)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROVINCE_CENTRE])
def test_only_the_centre_records_money(role, user_for, make_project):
    project = make_project(fund=KCQG, state=State.IMPLEMENTING)
    with pytest.raises(PermissionDenied):
        services.record_payment(
            actor=user_for(role),
            project=project,
            expected_version=1,
            fund=KCQG,
            amount=1,
            paid_on=D(2026, 4, 1),
        )


def test_no_money_before_the_contract(centre, make_project):
    project = make_project(fund=KCQG, state=State.APPROVED)
    with pytest.raises(services.ProjectError, match="chưa \\(hoặc không còn\\) tạm ứng"):
        services.record_advance(
            actor=centre,
            project=project,
            expected_version=1,
            fund=KCQG,
            amount=1,
            paid_on=D(2026, 4, 1),
        )


# -------------------------------------------------------------------------------- settlement
def test_settlement_never_above_approved_and_it_locks_the_project(
    centre, sct, national, make_project
):
    project = make_project(fund=KCQG, state=State.ACCEPTED)
    with pytest.raises(services.ProjectError, match="quyết toán không được vượt"):
        step(
            sct,
            project,
            Step.SETTLE,
            settled_kcqg=300 * MILLION + 1,
            settled_kcdp=0,
            settled_on=D(2026, 12, 20),
        )
    step(
        sct,
        project,
        Step.SETTLE,
        settled_kcqg=280 * MILLION,
        settled_kcdp=0,
        settled_on=D(2026, 12, 20),
    )
    project.refresh_from_db()
    assert (project.status, project.settled_kcqg, project.is_locked) == (
        State.SETTLED,
        280 * MILLION,
        True,
    )
    version = project.version
    refusals = [
        lambda: services.update_project(
            actor=centre, project=project, expected_version=version, data=project_data()
        ),
        lambda: services.record_payment(
            actor=centre,
            project=project,
            expected_version=version,
            fund=KCQG,
            amount=1,
            paid_on=D(2026, 12, 21),
        ),
        lambda: services.record_advance(
            actor=centre,
            project=project,
            expected_version=version,
            fund=KCQG,
            amount=1,
            paid_on=D(2026, 12, 21),
        ),
        lambda: services.report_progress(
            actor=centre,
            project=project,
            expected_version=version,
            month=D(2026, 12, 1),
            percent=100,
            text="Xong",
        ),
        lambda: services.record_inspection(
            actor=sct,
            project=project,
            expected_version=version,
            inspected_on=D(2026, 12, 21),
            findings="Kiểm tra sau quyết toán",
        ),
    ]
    for refuse in refusals:
        with pytest.raises(services.ProjectError, match="đã quyết toán"):
            refuse()
    with pytest.raises(services.ProjectError, match="chỉ có thể “Thanh lý, đóng hồ sơ”"):
        step(sct, project, Step.CANCEL, comment="Hủy")
    step(sct, project, Step.CLOSE)
    project.refresh_from_db()
    assert project.status == State.CLOSED
    with pytest.raises(services.ProjectError, match="đã quyết toán"):
        services.record_payment(
            actor=centre,
            project=project,
            expected_version=project.version,
            fund=KCQG,
            amount=1,
            paid_on=D(2027, 1, 2),
        )


def test_cancel_needs_a_reason_and_ends_the_project(centre, sct, make_project):
    project = make_project(fund=KCDP, state=State.IMPLEMENTING)
    with pytest.raises(services.ProjectError, match="Cần ghi lý do khi “Hủy đề án”"):
        services.transition(
            actor=sct, project=project, action=Step.CANCEL, expected_version=project.version
        )
    done = step(sct, project, Step.CANCEL, comment="Cơ sở ngừng sản xuất")
    project.refresh_from_db()
    assert done.advanced
    assert project.status == State.CANCELLED
    assert project.cancel_reason == "Cơ sở ngừng sản xuất"
    assert project.transitions.last().comment == "Cơ sở ngừng sản xuất"
    with pytest.raises(services.ProjectError, match="không còn bước nào"):
        step(sct, project, Step.CANCEL, comment="Lần nữa")


# ------------------------------------------------------------------------- implementation
def test_the_whole_journey_of_a_national_project(
    centre, sct, finance, national, tea, seed_programmes
):
    line = ActivityLine.objects.get(programme__code="son-la-2026-2030", order=1)
    project, _w = _create(
        centre, beneficiaries=[tea], outputs=[services.OutputRow(line, Decimal(2))]
    )
    step(centre, project, Step.SUBMIT)
    step(sct, project, Step.APPRAISE_PROVINCE)
    step(finance, project, Step.APPRAISE_PROVINCE)
    step(national, project, Step.APPRAISE_NATIONAL)
    step(national, project, Step.APPROVE)
    step(centre, project, Step.CONTRACT)
    step(centre, project, Step.START)
    project.refresh_from_db()
    services.report_progress(
        actor=centre,
        project=project,
        expected_version=project.version,
        month=D(2026, 5, 14),
        percent=40,
        text="Đã lắp đặt máy.",
    )
    project.refresh_from_db()
    with pytest.raises(services.ProjectError, match="Đã có báo cáo tiến độ tháng 5/2026"):
        services.report_progress(
            actor=centre,
            project=project,
            expected_version=project.version,
            month=D(2026, 5, 1),
            percent=50,
            text="Lại",
        )
    services.record_inspection(
        actor=sct,
        project=project,
        expected_version=project.version,
        inspected_on=D(2026, 6, 10),
        findings="Máy vận hành đúng thiết kế.",
    )
    output = project.outputs.get()
    step(
        sct,
        project,
        Step.ACCEPT,
        minutes="Nghiệm thu đạt.",
        accepted_on=D(2026, 11, 30),
        actual={output.pk: Decimal("1.5")},
    )
    step(sct, project, Step.SETTLE)
    step(sct, project, Step.CLOSE)
    project.refresh_from_db()
    output.refresh_from_db()
    assert project.status == State.CLOSED
    assert output.actual_quantity == Decimal("1.5")
    assert project.accepted_on == D(2026, 11, 30)
    actions = list(project.transitions.values_list("action", flat=True))
    assert actions == [
        "tao", "trinh", "tham-dinh-tinh", "tham-dinh-tinh", "tham-dinh-tw", "phe-duyet",
        "ky-hop-dong", "trien-khai", "nghiem-thu", "quyet-toan", "dong",
    ]  # fmt: skip
    assert ActivityEvent.objects.filter(event_type=EventType.PROJECT_STEP).count() == 10
    assert Notification.objects.filter(recipient=centre).exists()
    progress = selectors.programme_progress(centre, [line.pk]).figures(line.pk)
    assert (progress.approved_quantity, progress.accepted_quantity) == (Decimal(2), Decimal("1.5"))


def test_acceptance_needs_every_actual_output(sct, centre, seed_programmes, tea):
    line = ActivityLine.objects.get(programme__code="son-la-2026-2030", order=1)
    project, _w = _create(centre, outputs=[services.OutputRow(line, Decimal(2))])
    from khuyencong.projects.models import Project

    Project.objects.filter(pk=project.pk).update(status=State.IMPLEMENTING)
    with pytest.raises(services.ProjectError, match="Cần ghi số lượng thực hiện"):
        step(sct, project, Step.ACCEPT, minutes="Đạt", accepted_on=D(2026, 11, 30), actual={})


def test_demo_projects_are_made_through_the_services_once(db):
    from khuyencong.core.demo import seed_demo
    from khuyencong.projects.demo import seed_demo_projects
    from khuyencong.projects.models import Project

    seed_demo()  # seed_demo makes the demo projects itself
    assert Project.objects.filter(is_demo=True).count() == 4
    assert seed_demo_projects() == 0
    seed_demo()
    assert Project.objects.filter(is_demo=True).count() == 4
    states = sorted(Project.objects.filter(is_demo=True).values_list("status", flat=True))
    assert states == sorted(["nhap", "da-trinh", "trien-khai", "quyet-toan"])
    # Every demo project names its output on the programme line of its norm (issue 9): the
    # programme's progress counts the settled one.
    outputs = {
        p.content: [o.line.norm_content_id for o in p.outputs.all()]
        for p in Project.objects.filter(is_demo=True).prefetch_related("outputs__line")
    }
    assert outputs == {
        "may-moc-thiet-bi": ["may-moc-thiet-bi"],
        "hoi-cho-trong-nuoc": ["hoi-cho-trong-nuoc"],
        "mo-hinh-trinh-dien": ["mo-hinh-trinh-dien"],
        "tu-van-thiet-ke": ["tu-van-thiet-ke"],
    }
