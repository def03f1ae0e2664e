"""Registrations through the services: scope, deadlines, totals, every state change by role."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from khuyencong.accounts.models import ROLE_LEVELS, Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.geo.models import UnitLevel
from khuyencong.notifications.models import Notification, NotificationKind
from khuyencong.planning import rounds, services
from khuyencong.planning.models import RegistrationStatus

from .conftest import CHIENG_SON, KH_COMMUNE, KHANH_HOA, SON_LA, TODAY, need, representative

pytestmark = pytest.mark.django_db
D = datetime.date


def home_of(role: Role) -> str:
    """Where a Sơn La user of this role sits."""
    if UnitLevel.COMMUNE in ROLE_LEVELS[role] and UnitLevel.PROVINCE not in ROLE_LEVELS[role]:
        return CHIENG_SON
    if UnitLevel.PROVINCE in ROLE_LEVELS[role]:
        return SON_LA
    return "VN"


def user_for(role, make_user, establishment):
    if role == Role.ESTABLISHMENT:
        return representative(make_user, establishment)
    code = home_of(role)
    if code == "VN":
        from khuyencong.geo.models import AdministrativeUnit

        return make_user(role, AdministrativeUnit.objects.get(level=UnitLevel.NATIONAL))
    return make_user(role, code)


# ------------------------------------------------------------------------------ who registers
def test_commune_officer_registers_for_own_commune_only(officer, round_, tea, weaver, groups):
    registration, warnings = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    assert registration.status == RegistrationStatus.DRAFT
    assert registration.commune.code == CHIENG_SON
    assert registration.author == officer
    assert [w.severity for w in warnings] == ["warning"]  # no norm known yet
    with pytest.raises(PermissionDenied, match="nằm ngoài phạm vi"):
        services.create_registration(
            actor=officer, round=round_, establishment=weaver, data=need(groups["nhom-1"])
        )


def test_establishment_representative_registers_only_for_own(make_user, round_, tea, groups, unit):
    from .conftest import establishment

    neighbour = establishment(unit, CHIENG_SON, "Cơ sở mây tre đan Chiềng Sơn")
    rep = representative(make_user, tea)
    own, _ = services.create_registration(
        actor=rep, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    assert own.establishment == tea
    with pytest.raises(PermissionDenied, match="cơ sở mình đại diện"):
        services.create_registration(
            actor=rep, round=round_, establishment=neighbour, data=need(groups["nhom-1"])
        )
    # The representative may submit their own registration, not a neighbour's.
    other_officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    theirs, _ = services.create_registration(
        actor=other_officer, round=round_, establishment=neighbour, data=need(groups["nhom-1"])
    )
    with pytest.raises(PermissionDenied, match="cơ sở mình đại diện"):
        services.transition_registration(actor=rep, registration=theirs, action="gui", on=TODAY)


def test_a_round_of_another_province_does_not_apply(make_user, round_, kh_shop, groups):
    kh_officer = make_user(Role.COMMUNE_OFFICER, KH_COMMUNE)
    with pytest.raises(services.PlanningError, match="không áp dụng"):
        services.create_registration(
            actor=kh_officer, round=round_, establishment=kh_shop, data=need(groups["nhom-1"])
        )


def test_totals_and_eligible_groups_are_checked(officer, round_, tea, groups):
    with pytest.raises(services.RegistrationInvalid) as info:
        services.create_registration(
            actor=officer,
            round=round_,
            establishment=tea,
            data=need(groups["nhom-1"], counterpart=250_000_000),
        )
    assert "thiếu 50 triệu đồng" in str(info.value)
    round_.content_groups.set([groups["nhom-2"]])
    with pytest.raises(services.RegistrationInvalid, match="không thuộc các nội dung"):
        services.create_registration(
            actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
        )


# ------------------------------------------------------------------------------ deadlines
def test_submission_after_the_deadline_is_refused_until_the_commune_gets_an_extension(
    officer, sct, draft, unit
):
    with pytest.raises(services.PlanningError, match=r"Đã quá hạn đăng ký.*10/6/2026"):
        services.transition_registration(
            actor=officer, registration=draft, action="gui", on=D(2026, 6, 11)
        )
    # Another commune's extension does not help.
    rounds.extend_deadline(
        actor=sct,
        round=draft.round,
        unit=unit("03646"),
        new_deadline=D(2026, 6, 30),
        reason="Xã Tô Hiệu bị lũ",
    )
    with pytest.raises(services.PlanningError):
        services.transition_registration(
            actor=officer, registration=draft, action="gui", on=D(2026, 6, 11)
        )
    extension = rounds.extend_deadline(
        actor=sct,
        round=draft.round,
        unit=unit(CHIENG_SON),
        new_deadline=D(2026, 6, 25),
        reason="Mưa lũ, đường sạt lở",
    )
    assert extension.granted_by == sct
    sent = services.transition_registration(
        actor=officer, registration=draft, action="gui", on=D(2026, 6, 11)
    )
    assert sent.status == RegistrationStatus.SUBMITTED
    assert ActivityEvent.objects.filter(event_type=EventType.DEADLINE_EXTENDED).count() == 2


def test_extensions_need_a_manager_in_scope_a_reason_and_a_later_date(
    make_user, officer, sct, round_, unit
):
    chieng_son = unit(CHIENG_SON)
    with pytest.raises(PermissionDenied):
        rounds.extend_deadline(
            actor=officer, round=round_, unit=chieng_son, new_deadline=D(2026, 7, 1), reason="x"
        )
    kh_sct = make_user(Role.PROVINCE_SCT, KHANH_HOA)
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        rounds.extend_deadline(
            actor=kh_sct, round=round_, unit=chieng_son, new_deadline=D(2026, 7, 1), reason="x"
        )
    with pytest.raises(services.PlanningError, match="lý do"):
        rounds.extend_deadline(
            actor=sct, round=round_, unit=chieng_son, new_deadline=D(2026, 7, 1), reason=" "
        )
    with pytest.raises(services.PlanningError, match="sau hạn hiện tại"):
        rounds.extend_deadline(
            actor=sct, round=round_, unit=chieng_son, new_deadline=D(2026, 6, 10), reason="x"
        )


def test_a_province_cannot_extend_its_own_deadline_in_a_national_round(sct, groups, unit):
    from khuyencong.planning.models import RegistrationRound

    national = RegistrationRound.objects.create(
        unit=unit("VN"),
        title="Đăng ký kế hoạch khuyến công quốc gia năm 2027",
        plan_year=2027,
        fund="KCQG",
        commune_deadline=D(2026, 6, 10),
        province_deadline=D(2026, 6, 19),
    )
    with pytest.raises(PermissionDenied):
        rounds.extend_deadline(
            actor=sct, round=national, unit=unit(SON_LA), new_deadline=D(2026, 7, 1), reason="x"
        )
    # ...but it may extend one of its communes' deadlines.
    rounds.extend_deadline(
        actor=sct, round=national, unit=unit(CHIENG_SON), new_deadline=D(2026, 7, 1), reason="x"
    )


def test_open_round_uses_the_actors_unit_and_checks_dates(
    make_user, sct, officer, groups, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC))
    data = rounds.RoundData(
        title="Đăng ký kế hoạch khuyến công địa phương năm 2027",
        plan_year=2027,
        fund="KCDP",
        content_groups=list(groups.values()),
        commune_deadline=D(2026, 6, 10),
        province_deadline=D(2026, 6, 19),
    )
    opened = rounds.open_round(actor=sct, data=data)
    assert opened.unit.code == SON_LA
    assert opened.content_groups.count() == 6
    assert ActivityEvent.objects.filter(event_type=EventType.ROUND_OPENED).count() == 1
    with pytest.raises(PermissionDenied):
        rounds.open_round(actor=officer, data=data)
    bad = rounds.RoundData(**{**data.__dict__, "province_deadline": D(2026, 6, 1)})
    with pytest.raises(services.PlanningError, match="không được trước"):
        rounds.open_round(actor=sct, data=bad)


# ------------------------------------------------------------------------------ state changes
#: (from state, action, the roles the policy lets take it)
STEPS = [
    ("nhap", "gui", {Role.COMMUNE_OFFICER, Role.ESTABLISHMENT}),
    ("da-gui", "tra-lai", {Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}),
    ("da-gui", "chap-nhan", {Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}),
    ("da-gui", "tu-choi", {Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}),
    ("tra-lai", "gui-lai", {Role.COMMUNE_OFFICER, Role.ESTABLISHMENT}),
]


def _in_state(state, officer, sct, draft):
    if state == "nhap":
        return draft
    sent = services.transition_registration(
        actor=officer, registration=draft, action="gui", on=TODAY
    )
    if state == "da-gui":
        return sent
    return services.transition_registration(
        actor=sct, registration=sent, action="tra-lai", comment="Bổ sung báo giá"
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("state", "action", "allowed"), STEPS)
def test_each_step_by_each_role(state, action, allowed, role, make_user, officer, sct, draft, tea):
    registration = _in_state(state, officer, sct, draft)
    actor = user_for(role, make_user, tea)
    comment = "Lý do thử"
    if role in allowed:
        done = services.transition_registration(
            actor=actor, registration=registration, action=action, comment=comment, on=TODAY
        )
        assert done.status != state
        last = done.transitions.last()
        assert (last.actor, last.from_state, last.action) == (actor, state, action)
    else:
        with pytest.raises(PermissionDenied) as info:
            services.transition_registration(
                actor=actor, registration=registration, action=action, comment=comment, on=TODAY
            )
        assert str(info.value)  # the policy's Vietnamese reason
        registration.refresh_from_db()
        assert registration.status == state


def test_wrong_role_gets_the_policy_reason(make_user, submitted):
    finance = make_user(Role.PROVINCE_FINANCE, SON_LA)
    with pytest.raises(PermissionDenied) as info:
        services.transition_registration(actor=finance, registration=submitted, action="chap-nhan")
    assert "không được phép xem xét phiếu đăng ký" in str(info.value)


def test_out_of_scope_reviewer_is_refused(make_user, submitted):
    kh_centre = make_user(Role.PROVINCE_CENTRE, KHANH_HOA)
    with pytest.raises(PermissionDenied, match="nằm ngoài phạm vi"):
        services.transition_registration(
            actor=kh_centre, registration=submitted, action="chap-nhan"
        )


def test_return_and_reject_need_a_reason_and_impossible_steps_are_refused(sct, submitted):
    with pytest.raises(services.PlanningError, match="Cần ghi lý do"):
        services.transition_registration(actor=sct, registration=submitted, action="tu-choi")
    with pytest.raises(services.PlanningError, match="chỉ cho phép"):
        services.transition_registration(actor=sct, registration=submitted, action="gui-lai")


def test_full_journey_is_logged_with_who_when_why(officer, sct, submitted):
    returned = services.transition_registration(
        actor=sct, registration=submitted, action="tra-lai", comment="Thiếu báo giá máy"
    )
    services.update_registration(
        actor=officer,
        registration=returned,
        expected_version=returned.version,
        data=need(returned.content_group, activity="Hỗ trợ máy sao chè (có báo giá)"),
    )
    returned.refresh_from_db()
    again = services.transition_registration(
        actor=officer, registration=returned, action="gui-lai", on=D(2026, 12, 1)
    )  # a resubmission after the deadline is fine: the reviewer asked for it
    accepted = services.transition_registration(actor=sct, registration=again, action="chap-nhan")
    log = list(accepted.transitions.values_list("action", "from_state", "to_state", "comment"))
    assert log == [
        ("tao", "", "nhap", ""),
        ("gui", "nhap", "da-gui", ""),
        ("tra-lai", "da-gui", "tra-lai", "Thiếu báo giá máy"),
        ("gui-lai", "tra-lai", "da-gui", ""),
        ("chap-nhan", "da-gui", "chap-nhan", ""),
    ]
    assert all(t.at for t in accepted.transitions.all())
    with pytest.raises(services.PlanningError, match="không sửa được"):
        services.update_registration(
            actor=officer,
            registration=accepted,
            expected_version=accepted.version,
            data=need(accepted.content_group),
        )


def test_stale_edit_is_refused(officer, draft):
    from khuyencong.core.concurrency import StaleEditError

    services.update_registration(
        actor=officer,
        registration=draft,
        expected_version=draft.version,
        data=need(draft.content_group),
    )
    with pytest.raises(StaleEditError):
        services.update_registration(
            actor=officer,
            registration=draft,
            expected_version=draft.version,
            data=need(draft.content_group),
        )


def test_a_stale_step_is_refused_as_stale_even_when_read_after_the_change(officer, sct, draft):
    """The registration is read after another step committed; the version the user saw
    decides (reload), not the step the new state happens to allow."""
    from khuyencong.core.concurrency import StaleEditError
    from khuyencong.planning.models import SupportRegistration

    seen = draft.version
    services.transition_registration(
        actor=officer, registration=draft, action="gui", expected_version=seen, on=TODAY
    )
    with pytest.raises(StaleEditError, match="tải lại trang"):
        services.transition_registration(
            actor=officer,
            registration=SupportRegistration.objects.get(pk=draft.pk),
            action="gui",
            expected_version=seen,
            on=TODAY,
        )


# ------------------------------------------------------------------------------ notifications
@pytest.mark.parametrize(
    ("action", "kind", "words"),
    [
        ("tra-lai", NotificationKind.RETURNED, "trả lại"),
        ("chap-nhan", NotificationKind.ACCEPTED, "được chấp nhận"),
        ("tu-choi", NotificationKind.REJECTED, "không được chấp nhận"),
    ],
)
def test_author_and_commune_officers_are_notified(
    action, kind, words, make_user, officer, sct, submitted, django_capture_on_commit_callbacks
):
    colleague = make_user(Role.COMMUNE_OFFICER, CHIENG_SON, email="xa2@test.khuyencong.vn")
    elsewhere = make_user(Role.COMMUNE_OFFICER, "03646", email="xa3@test.khuyencong.vn")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_registration(
            actor=sct, registration=submitted, action=action, comment="Ghi chú của Sở"
        )
    notices = Notification.objects.filter(kind=kind)
    assert {n.recipient for n in notices} == {officer, colleague}
    assert elsewhere not in {n.recipient for n in notices}
    assert all(words in n.title for n in notices)
    assert {m.to[0] for m in mail.outbox} == {officer.email, colleague.email}
    assert all(words in m.subject and "Ghi chú của Sở" in m.body for m in mail.outbox)
    assert all(f"/ke-hoach/phieu/{submitted.pk}/" in m.body for m in mail.outbox)


def test_no_mail_when_the_transaction_rolls_back(
    sct, submitted, django_capture_on_commit_callbacks
):
    from django.db import transaction

    mail.outbox.clear()

    def accept_then_fail() -> None:
        with transaction.atomic():
            services.transition_registration(actor=sct, registration=submitted, action="chap-nhan")
            raise RuntimeError

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
    ):
        accept_then_fail()
    assert callbacks == []
    assert mail.outbox == []
