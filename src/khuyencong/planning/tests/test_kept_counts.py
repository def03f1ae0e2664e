"""Sent registrations kept on the round (``RegistrationRound.sent_count``, ``kept_counts``):
right after every step, every admin edit, concurrent sends and a stale save of the round; the
round list reads it only where the user's scope holds the whole round; the drift check."""

from __future__ import annotations

import importlib
import threading
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.planning import kept_counts, rounds, services
from khuyencong.planning.models import PlanFund, RegistrationRound, SupportRegistration

from .conftest import SON_LA, TO_HIEU, TODAY, need

pytestmark = pytest.mark.django_db
backfill = importlib.import_module("khuyencong.planning.migrations.0009_round_sent_count").backfill


def kept(round_: RegistrationRound) -> int:
    round_.refresh_from_db(fields=["sent_count"])
    return round_.sent_count


def other_round(round_: RegistrationRound, groups: Any, *, unit: Any = None) -> RegistrationRound:
    other = RegistrationRound.objects.create(
        unit=unit or round_.unit,
        title="Đăng ký bổ sung năm 2026",
        plan_year=2026,
        fund=PlanFund.KCDP,
        commune_deadline=round_.commune_deadline,
        province_deadline=round_.province_deadline,
    )
    other.content_groups.set(groups.values())
    return other


def step(actor: Any, registration: Any, action: str, comment: str = "") -> Any:
    return services.transition_registration(
        actor=actor, registration=registration, action=action, comment=comment, on=TODAY
    )


def test_the_count_moves_only_when_a_registration_is_first_sent(
    officer, centre, round_, tea, groups
):
    """Sent: every state but the draft. Returning, sending again, accepting and rejecting
    leave the count as it is; the count is that of the rows after every step."""
    first, _warnings = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    second, _warnings = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-2"])
    )
    assert kept(round_) == 0
    seen = []
    for actor, registration, action in [
        (officer, first, "gui"),
        (centre, first, "tra-lai"),
        (officer, first, "gui-lai"),
        (centre, first, "chap-nhan"),
        (officer, second, "gui"),
        (centre, second, "tu-choi"),
    ]:
        step(actor, registration, action, comment="Lý do")
        seen.append(kept(round_))
        assert not kept_counts.drifted().exists()
    assert seen == [1, 1, 1, 1, 2, 2]


@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_one_round_each_count(units_loaded, officer, round_, tea, groups):
    """Two officers send two registrations of the same round at the same moment: the kept
    count takes both (``UPDATE … SET sent_count = sent_count + 1``: the second send waits for
    the first's row lock and adds to what it committed; on SQLite the second is run again)."""
    drafts = [
        services.create_registration(
            actor=officer, round=round_, establishment=tea, data=need(groups[group])
        )[0]
        for group in ("nhom-1", "nhom-2")
    ]
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def send(registration: SupportRegistration) -> None:
        try:
            seen = SupportRegistration.objects.get(pk=registration.pk)
            barrier.wait()
            step(officer, seen, "gui")
        except BaseException as exc:  # the test looks at what failed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert kept(round_) == 2
    assert not kept_counts.drifted().exists()


def test_saving_a_round_read_before_a_send_keeps_that_send(officer, sct, round_, draft, groups):
    """The round's edit (its version checked and the row locked) and a save of a copy read
    earlier never write back the count they read."""
    stale = RegistrationRound.objects.get(pk=round_.pk)
    versions = RegistrationRound.history.filter(id=round_.pk).count()
    step(officer, draft, "gui")
    assert RegistrationRound.history.filter(id=round_.pk).count() == versions  # no edit
    stale.notes = "Ghi chú sửa sau"
    stale.save()
    assert kept(round_) == 1
    data = rounds.RoundData(
        title="Đăng ký kế hoạch năm 2026 (sửa tên)",
        plan_year=stale.plan_year,
        fund=stale.fund,
        content_groups=list(groups.values()),
        commune_deadline=stale.commune_deadline,
        province_deadline=stale.province_deadline,
    )
    rounds.update_round(actor=sct, round=stale, expected_version=stale.version, data=data)
    assert kept(round_) == 1


def _admin_data(registration: SupportRegistration, **changes: Any) -> dict[str, Any]:
    """The admin change form as posted, the transition log inline left as it is."""
    fields = model_to_dict(registration)
    data = {k: ("" if v is None else v) for k, v in fields.items() if k != "is_demo"}
    for key in ("start_month", "end_month"):
        data[key] = fields[key].isoformat()
    data.pop("submitted_at", None)
    transitions = list(registration.transitions.values_list("pk", "visibility"))
    data.update(
        {
            "transitions-TOTAL_FORMS": len(transitions),
            "transitions-INITIAL_FORMS": len(transitions),
            "transitions-MIN_NUM_FORMS": 0,
            "transitions-MAX_NUM_FORMS": 1000,
        }
    )
    for n, (pk, visibility) in enumerate(transitions):
        data[f"transitions-{n}-id"] = pk
        data[f"transitions-{n}-registration"] = registration.pk
        data[f"transitions-{n}-visibility"] = visibility
    data.update(changes)
    return data


def _refused(response: Any) -> Any:
    """Why the admin did not save: the form's and the inlines' errors."""
    context = response.context
    return [context["adminform"].form.errors] + [
        (f.formset.errors, f.formset.non_form_errors()) for f in context["inline_admin_formsets"]
    ]


@pytest.fixture
def root(client: Any) -> Any:
    from khuyencong.accounts.models import User

    user = User.objects.create_superuser("root@test.khuyencong.vn", "x", full_name="Quản trị")
    client.force_login(user)
    return user


def test_admin_edits_and_deletions_move_the_counts(
    client, root, officer, round_, draft, submitted, groups
):
    """An administrator sends a draft, moves a sent registration to another round, then
    deletes it: each round's count follows the rows."""
    other = other_round(round_, groups)
    assert (kept(round_), kept(other)) == (1, 0)

    def change(registration: SupportRegistration, **changes: Any) -> None:
        registration.refresh_from_db()
        url = reverse("admin:planning_supportregistration_change", args=[registration.pk])
        response = client.post(url, _admin_data(registration, **changes))
        assert response.status_code == 302, _refused(response)

    second, _warnings = services.create_registration(
        actor=officer, round=round_, establishment=draft.establishment, data=need(groups["nhom-2"])
    )
    change(second, status="da-gui")
    assert (kept(round_), kept(other)) == (2, 0)
    change(second, round=other.pk)
    assert (kept(round_), kept(other)) == (1, 1)
    change(second, activity="Chỉ sửa nội dung")
    assert (kept(round_), kept(other)) == (1, 1)
    url = reverse("admin:planning_supportregistration_delete", args=[second.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert (kept(round_), kept(other)) == (1, 0)
    changelist = reverse("admin:planning_supportregistration_changelist")
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [submitted.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not SupportRegistration.objects.filter(pk=submitted.pk).exists()
    assert (kept(round_), kept(other)) == (0, 0)
    assert not kept_counts.drifted().exists()


def test_an_admin_edit_of_the_round_keeps_its_count(client, root, round_, submitted):
    url = reverse("admin:planning_registrationround_change", args=[round_.pk])
    assert client.get(url).status_code == 200
    data = {
        **{k: v for k, v in model_to_dict(round_).items() if v is not None and k != "is_demo"},
        "content_groups": [g.pk for g in round_.content_groups.all()],
        "commune_deadline": round_.commune_deadline.isoformat(),
        "province_deadline": round_.province_deadline.isoformat(),
        "sent_count": 99,  # not a field of the form: ignored
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
        "extensions-MIN_NUM_FORMS": 0,
        "extensions-MAX_NUM_FORMS": 1000,
        "title": "Tên sửa trong trang quản trị",
    }
    response = client.post(url, data)
    assert response.status_code == 302, _refused(response)
    round_.refresh_from_db()
    assert (round_.title, round_.sent_count) == ("Tên sửa trong trang quản trị", 1)


def test_the_round_list_reads_the_kept_count_only_where_the_scope_holds_the_whole_round(
    client, make_user, unit, officer, round_, submitted, groups
):
    """A wrong kept count shows who reads it: the nation (every round) and the province on
    its own round; a commune officer counts its own registrations, and so does a province on a
    national round (its registrations from other provinces are not its to count)."""
    national = other_round(round_, groups, unit=unit("VN"))
    RegistrationRound.objects.filter(pk__in=[round_.pk, national.pk]).update(sent_count=7)
    viewers = {
        "national": (make_user(Role.NATIONAL_OFFICER, "VN"), {round_.title: 7, national.title: 7}),
        "Sơn La SCT": (make_user(Role.PROVINCE_SCT, SON_LA), {round_.title: 7, national.title: 0}),
        "Chiềng Sơn": (officer, {round_.title: 1, national.title: 0}),
        "Tô Hiệu": (make_user(Role.COMMUNE_OFFICER, TO_HIEU), {round_.title: 0, national.title: 0}),
    }
    seen = {}
    for name, (user, _expected) in viewers.items():
        client.force_login(user)
        page = client.get(reverse("planning:round_list")).context["page"]
        seen[name] = {r.title: r.registration_count for r in page}
    assert seen == {name: expected for name, (_user, expected) in viewers.items()}


def test_check_counts_reports_a_wrong_count_and_fixes_it(capsys, round_, submitted, groups):
    other = other_round(round_, groups)
    call_command("check_counts")
    assert "đều đúng" in capsys.readouterr().out
    RegistrationRound.objects.filter(pk=round_.pk).update(sent_count=5)
    RegistrationRound.objects.filter(pk=other.pk).update(sent_count=2)
    assert set(kept_counts.drifted()) == {round_, other}
    with pytest.raises(CommandError, match="2 đợt đăng ký lưu sai số phiếu đã gửi"):
        call_command("check_counts")
    out = capsys.readouterr().out
    assert f"Đợt số {round_.pk} “{round_.title}”: lưu 5 phiếu đã gửi, đếm được 1." in out
    assert f"Đợt số {other.pk} “{other.title}”: lưu 2 phiếu đã gửi, đếm được 0." in out
    assert kept(round_) == 5  # reported, not changed
    call_command("check_counts", "--fix")
    assert "Đã đếm lại và sửa 2 đợt đăng ký." in capsys.readouterr().out
    assert (kept(round_), kept(other)) == (1, 0)
    assert not kept_counts.drifted().exists()


def test_the_migration_fills_every_round_from_its_rows(officer, round_, draft, submitted, groups):
    other = other_round(round_, groups)
    services.create_registration(  # a draft in the other round: not sent
        actor=officer, round=other, establishment=draft.establishment, data=need(groups["nhom-1"])
    )
    RegistrationRound.objects.update(sent_count=0)
    assert set(kept_counts.drifted()) == {round_}
    backfill(apps, None)
    assert (kept(round_), kept(other)) == (1, 0)
    assert not kept_counts.drifted().exists()


def test_the_policy_names_the_rounds_a_scope_holds_whole(make_user, unit, round_, groups, tea):
    """``whole_subtree_q`` on rounds: every round for the nation, a province's own rounds for
    its officers, none a commune or a representative holds whole (a representative reads only
    its establishment's registrations, whatever the unit)."""
    from khuyencong.accounts import policy

    from .conftest import representative

    national = other_round(round_, groups, unit=unit("VN"))

    def held(user: Any) -> set[int] | None:
        whole = policy.whole_subtree_q(
            user, RegistrationRound, SupportRegistration, per_establishment=True
        )
        if whole is None:
            return None
        return set(RegistrationRound.objects.filter(whole).values_list("pk", flat=True))

    assert held(make_user(Role.NATIONAL_OFFICER, "VN")) == {round_.pk, national.pk}
    assert held(make_user(Role.PROVINCE_CENTRE, SON_LA)) == {round_.pk}
    assert held(make_user(Role.COMMUNE_OFFICER, TO_HIEU)) == set()
    assert held(representative(make_user, tea)) is None
