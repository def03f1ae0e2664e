"""Registration rounds (issue 9, defect 5): deadlines not past when opened, edits by the unit
that opened the round, province-wide extensions that reach every commune, a usable form."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.core.concurrency import StaleEditError
from khuyencong.planning import rounds, services
from khuyencong.planning.models import RegistrationStatus

from .conftest import (
    CHIENG_SON,
    KH_COMMUNE,
    KHANH_HOA,
    SON_LA,
    TO_HIEU,
    TODAY,
    need,
    representative,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def in_december(time_machine):
    """4 December 2026 in Việt Nam: June's deadlines of that year are past."""
    time_machine.move_to(datetime.datetime(2026, 12, 4, 2, tzinfo=datetime.UTC))


@pytest.fixture
def in_may(time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 2, tzinfo=datetime.UTC))


def data_of(round_, **changes):
    data = rounds.RoundData(
        title=round_.title,
        plan_year=round_.plan_year,
        fund=round_.fund,
        content_groups=list(round_.content_groups.all()),
        commune_deadline=round_.commune_deadline,
        province_deadline=round_.province_deadline,
        notes=round_.notes,
    )
    return rounds.RoundData(**{**data.__dict__, **changes})


# ------------------------------------------------------------------------------ opening
def test_a_round_whose_deadline_is_past_is_not_opened(sct, groups, in_december):
    data = rounds.RoundData(
        title="Đăng ký kế hoạch khuyến công địa phương năm 2027",
        plan_year=2027,
        fund="KCDP",
        content_groups=list(groups.values()),
        commune_deadline=D(2026, 6, 10),
        province_deadline=D(2027, 1, 15),
    )
    with pytest.raises(services.PlanningError, match=r"Hạn xã, cơ sở gửi \(10/6/2026\) đã qua"):
        rounds.open_round(actor=sct, data=data)
    opened = rounds.open_round(
        actor=sct, data=rounds.RoundData(**{**data.__dict__, "commune_deadline": D(2026, 12, 4)})
    )
    assert opened.commune_deadline == D(2026, 12, 4)  # today still counts


def test_the_open_form_proposes_deadlines_ahead_and_real_checkboxes(
    client, sct, groups, in_december
):
    client.force_login(sct)
    response = client.get(reverse("planning:round_create"))
    form = response.context["form"]
    assert form.initial["plan_year"] == 2028
    assert (form.initial["commune_deadline"], form.initial["province_deadline"]) == (
        D(2027, 6, 10),
        D(2027, 6, 19),
    )
    page = response.content.decode()
    boxes = re.findall(r'<input type="checkbox" name="content_groups"[^>]*>', page)
    assert len(boxes) == 6
    assert all("form-check-input" in box and "form-control" not in box for box in boxes)


def test_leaving_the_dates_empty_takes_the_defaults_of_the_year_typed(
    client, sct, groups, in_december
):
    client.force_login(sct)
    data = {
        "title": "Đăng ký kế hoạch khuyến công địa phương năm 2027",
        "plan_year": "2027",
        "fund": "KCDP",
        "content_groups": [g.pk for g in groups.values()],
    }
    response = client.post(reverse("planning:round_create"), data)
    assert response.status_code == 200  # 2027's defaults (June 2026) are past: said, not saved
    assert "đã qua" in response.content.decode()
    response = client.post(reverse("planning:round_create"), {**data, "plan_year": "2028"})
    assert response.status_code == 302


# ------------------------------------------------------------------------------ editing
def test_the_opening_unit_edits_its_round(sct, round_, groups, in_may):
    edited = rounds.update_round(
        actor=sct,
        round=round_,
        expected_version=round_.version,
        data=data_of(
            round_,
            title="Đăng ký kế hoạch khuyến công địa phương năm 2026 (bổ sung)",
            commune_deadline=D(2026, 6, 20),
            province_deadline=D(2026, 6, 30),
            content_groups=[groups["nhom-1"], groups["nhom-2"]],
        ),
    )
    assert (edited.commune_deadline, edited.province_deadline) == (D(2026, 6, 20), D(2026, 6, 30))
    assert edited.content_groups.count() == 2
    assert edited.version == round_.version + 1
    assert ActivityEvent.objects.filter(event_type=EventType.ROUND_CHANGED).count() == 1
    with pytest.raises(StaleEditError):
        rounds.update_round(
            actor=sct, round=round_, expected_version=round_.version, data=data_of(round_)
        )


def test_who_may_edit_a_round(make_user, round_, in_may):
    for role, code in (
        (Role.NATIONAL_OFFICER, "VN"),  # above the province: not its round
        (Role.COMMUNE_OFFICER, CHIENG_SON),
        (Role.PROVINCE_FINANCE, SON_LA),
        (Role.PROVINCE_SCT, KHANH_HOA),
    ):
        with pytest.raises(PermissionDenied):
            rounds.update_round(
                actor=make_user(role, code),
                round=round_,
                expected_version=round_.version,
                data=data_of(round_),
            )
    centre = make_user(Role.PROVINCE_CENTRE, SON_LA)
    rounds.update_round(
        actor=centre, round=round_, expected_version=round_.version, data=data_of(round_)
    )


def test_what_registrations_already_made_keep(sct, officer, draft, groups, in_may):
    round_ = draft.round
    with pytest.raises(services.PlanningError, match="không đổi năm kế hoạch"):
        rounds.update_round(
            actor=sct,
            round=round_,
            expected_version=round_.version,
            data=data_of(round_, plan_year=2027),
        )
    with pytest.raises(services.PlanningError, match="không bỏ nhóm này"):
        rounds.update_round(
            actor=sct,
            round=round_,
            expected_version=round_.version,
            data=data_of(round_, content_groups=[groups["nhom-2"]]),
        )


def test_a_past_deadline_may_stay_but_not_be_set(sct, round_, in_december):
    kept = rounds.update_round(
        actor=sct,
        round=round_,
        expected_version=round_.version,
        data=data_of(round_, notes="Đợt đã kết thúc."),
    )
    assert kept.notes == "Đợt đã kết thúc."
    with pytest.raises(services.PlanningError, match="đã qua"):
        rounds.update_round(
            actor=sct,
            round=kept,
            expected_version=kept.version,
            data=data_of(kept, commune_deadline=D(2026, 6, 12)),
        )


def test_the_edit_page_and_its_access(client, make_user, sct, round_, in_may):
    url = reverse("planning:round_edit", args=[round_.pk])
    client.force_login(make_user(Role.PROVINCE_SCT, KHANH_HOA))
    assert client.get(url).status_code == 404  # another province's round
    assert client.post(url, {}).status_code == 404
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    response = client.get(url)
    assert response.status_code == 403
    assert "sửa đợt đăng ký" in response.content.decode()
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    assert client.get(url).status_code == 403
    client.force_login(sct)
    detail = client.get(reverse("planning:round_detail", args=[round_.pk])).content.decode()
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="10/06/2026"' in page.content.decode()
    response = client.post(
        url,
        {
            "title": "Đợt 2026 (sửa)",
            "plan_year": "2026",
            "fund": "KCDP",
            "content_groups": [g.pk for g in round_.content_groups.all()],
            "commune_deadline": "15/6/2026",
            "province_deadline": "25/6/2026",
            "version": str(round_.version),
        },
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.title, round_.commune_deadline) == ("Đợt 2026 (sửa)", D(2026, 6, 15))
    stale = client.post(
        url,
        {
            "title": "Đợt 2026 (sửa lần nữa)",
            "plan_year": "2026",
            "fund": "KCDP",
            "content_groups": [g.pk for g in round_.content_groups.all()],
            "commune_deadline": "15/6/2026",
            "province_deadline": "25/6/2026",
            "version": str(round_.version - 1),
        },
    )
    assert stale.status_code == 200
    assert "vừa được người khác sửa" in stale.content.decode()


# ------------------------------------------------------------------------------ extensions
def test_a_province_wide_extension_reaches_every_commune(sct, officer, draft, unit):
    """Regression: only a per-commune extension used to let a commune send late."""
    with pytest.raises(services.PlanningError, match="Đã quá hạn"):
        services.transition_registration(
            actor=officer, registration=draft, action="gui", on=D(2026, 6, 12)
        )
    rounds.extend_deadline(
        actor=sct,
        round=draft.round,
        unit=unit(SON_LA),
        new_deadline=D(2026, 6, 25),
        reason="Mưa lũ trên toàn tỉnh",
    )
    sent = services.transition_registration(
        actor=officer, registration=draft, action="gui", on=D(2026, 6, 12)
    )
    assert sent.status == RegistrationStatus.SUBMITTED
    assert services.registration_deadline(sent) == (D(2026, 6, 25), True)
    # A commune's own extension must now go past the province-wide one.
    with pytest.raises(services.PlanningError, match=r"sau hạn hiện tại.*25/6/2026"):
        rounds.extend_deadline(
            actor=sct,
            round=draft.round,
            unit=unit(TO_HIEU),
            new_deadline=D(2026, 6, 20),
            reason="x",
        )


def test_the_commune_sees_the_province_wide_extension(client, officer, sct, round_, unit):
    rounds.extend_deadline(
        actor=sct, round=round_, unit=unit(SON_LA), new_deadline=D(2026, 6, 25), reason="Lũ"
    )
    client.force_login(officer)
    page = client.get(reverse("planning:round_detail", args=[round_.pk])).content.decode()
    assert "25/6/2026" in page
    assert "đã gia hạn" in page
    assert D(2026, 6, 25) > TODAY


def test_an_extension_names_its_commune_with_the_unit_picker(client, sct, round_, unit, in_may):
    """The extension box is the unit picker (issue 9, defect 9): a name typed without accents
    finds the commune of the round's area; a commune of another province is not offered."""
    from khuyencong.planning.models import DeadlineExtension

    client.force_login(sct)
    page = client.get(reverse("planning:round_detail", args=[round_.pk])).content.decode()
    assert "<datalist" not in page
    assert 'hx-get="/don-vi/goi-y/"' in page
    url = reverse("planning:extension_create", args=[round_.pk])
    data = {"unit_code": "chieng son", "new_deadline": "30/6/2026", "reason": "Đường sạt lở"}
    client.post(url, data)
    assert DeadlineExtension.objects.get().unit == unit(CHIENG_SON)
    response = client.post(url, {**data, "unit_code": "Ninh Hòa"}, follow=True)  # Khánh Hòa
    assert "Không tìm thấy đơn vị “Ninh Hòa”" in response.content.decode()
    assert DeadlineExtension.objects.count() == 1


# ------------------------------------------------------------------------------ the list
def test_the_round_list_counts_each_rounds_sent_registrations_in_constant_queries(
    client, sct, round_, submitted, officer, groups
):
    """Drafts are not counted; each round its own figure; more rounds, no more queries (each
    count is one index range of its round, never a GROUP BY over every registration)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.create_registration(
        actor=officer,
        round=round_,
        establishment=submitted.establishment,
        data=need(groups["nhom-2"]),
    )
    client.force_login(sct)

    def counts():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("planning:round_list"))
        rounds = {r.title: r.registration_count for r in response.context["page"]}
        return rounds, len(captured)

    one, queries = counts()
    assert one == {round_.title: 1}
    for year in (2027, 2028):
        round_.pk = None
        round_.title = f"Đăng ký kế hoạch khuyến công địa phương năm {year}"
        round_.plan_year = year
        round_.save()
    three, more_queries = counts()
    assert three == {
        "Đăng ký kế hoạch khuyến công địa phương năm 2026": 1,
        "Đăng ký kế hoạch khuyến công địa phương năm 2027": 0,
        "Đăng ký kế hoạch khuyến công địa phương năm 2028": 0,
    }
    assert more_queries == queries
    assert (
        '<td class="table-num">1</td>'
        in client.get(reverse("planning:round_list")).content.decode()
    )


def test_the_round_list_shows_fifty_rounds_a_page(client, sct, round_):
    from khuyencong.planning.models import RegistrationRound

    RegistrationRound.objects.bulk_create(
        RegistrationRound(
            unit=round_.unit,
            title=f"Đợt {n}",
            plan_year=2026,
            fund=round_.fund,
            commune_deadline=round_.commune_deadline,
            province_deadline=round_.province_deadline,
        )
        for n in range(50)
    )
    client.force_login(sct)
    first = client.get(reverse("planning:round_list"))
    assert len(first.context["page"]) == 50
    assert "Trang 1/2" in first.content.decode()
    second = client.get(reverse("planning:round_list") + "?trang=2")
    assert [r.title for r in second.context["page"]] == [round_.title]


def test_the_round_lists_counts_are_those_the_user_may_read(
    client, make_user, unit, groups, tea, weaver, kh_shop
):
    """A national round with sent registrations from two Sơn La communes and one in Khánh
    Hòa (and a draft, never counted): each role counts only the registrations of its own
    scope, in the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khuyencong.planning.models import PlanFund, RegistrationRound

    national = RegistrationRound.objects.create(
        unit=unit("VN"),
        title="Đăng ký kế hoạch khuyến công quốc gia năm 2026",
        plan_year=2026,
        fund=PlanFund.KCQG,
        commune_deadline=D(2026, 6, 10),
        province_deadline=D(2026, 6, 19),
    )
    national.content_groups.set(groups.values())
    chieng_son = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    to_hieu = make_user(Role.COMMUNE_OFFICER, TO_HIEU)
    nha_trang = make_user(Role.COMMUNE_OFFICER, KH_COMMUNE)
    sent = [
        (chieng_son, tea, "nhom-1"),
        (chieng_son, tea, "nhom-2"),
        (to_hieu, weaver, "nhom-1"),
        (nha_trang, kh_shop, "nhom-1"),
    ]
    for author, establishment, group in sent:
        registration, _warnings = services.create_registration(
            actor=author,
            round=national,
            establishment=establishment,
            data=need(groups[group], kcqg=200_000_000, kcdp=0),
        )
        services.transition_registration(
            actor=author, registration=registration, action="gui", on=TODAY
        )
    services.create_registration(  # a draft: nobody counts it
        actor=to_hieu,
        round=national,
        establishment=weaver,
        data=need(groups["nhom-2"], kcqg=200_000_000, kcdp=0),
    )
    viewers = {
        "Chiềng Sơn": (chieng_son, 2),
        "Tô Hiệu": (to_hieu, 1),
        "Nha Trang": (nha_trang, 1),
        "Sơn La SCT": (make_user(Role.PROVINCE_SCT, SON_LA), 3),
        "Sơn La centre": (make_user(Role.PROVINCE_CENTRE, SON_LA), 3),
        "Khánh Hòa SCT": (make_user(Role.PROVINCE_SCT, KHANH_HOA), 1),
        "national": (make_user(Role.NATIONAL_OFFICER, "VN"), 4),
        "tea's representative": (representative(make_user, tea), 2),
        "weaver's representative": (representative(make_user, weaver), 1),
    }
    seen, queries = {}, set()
    for name, (user, _expected) in viewers.items():
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("planning:round_list"))
        assert response.status_code == 200
        [row] = response.context["page"]
        seen[name] = row.registration_count
        queries.add(len(captured))
    assert seen == {name: expected for name, (_user, expected) in viewers.items()}
    assert len(queries) == 1
