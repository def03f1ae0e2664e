"""Council and jury (size by level, an odd jury, conflicts of interest, reassignment, absence)
and sealed scoring: a judge's sheet is theirs alone until the chair closes — through every
page, history view and activity event — then the results are written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.awards.models import CouncilMember, ScoreSheet
from khuyencong.awards.services import SelectionError, SelectionInvalid, scoring
from khuyencong.awards.services import jury as services
from khuyencong.core.concurrency import StaleEditError

from .conftest import (
    CHIENG_SON,
    NATION,
    ROLES,
    SON_LA,
    build_entry,
    build_establishment,
    build_product,
    build_round,
    scores,
    sheet_of,
    start,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_may_2026")]


# -------------------------------------------------------------------------------- council
def test_the_council_size_and_the_odd_jury_are_checked(unit, make_user, sct):
    round_ = build_round(unit)
    assert services.council_problems(round_) == [
        "Hội đồng bình chọn cấp tỉnh phải có từ 7 đến 9 thành viên; hiện có 0.",
        "Ban giám khảo phải có số lẻ giám khảo, ít nhất 3 người; hiện có 0.",
        "Hội đồng chưa có Chủ tịch.",
    ]
    for role in ROLES:
        services.add_member(
            actor=sct,
            round_=round_,
            user=make_user(Role.COUNCIL_MEMBER, SON_LA),
            council_role=role,
            is_judge=role != "thu-ky",
        )
    assert services.council_problems(round_) == [
        "Ban giám khảo phải có số lẻ giám khảo, ít nhất 3 người; hiện có 6."
    ]


def test_seating_rules(unit, make_user, sct, seated):
    round_ = seated["round"]
    officer = make_user(Role.PROVINCE_CENTRE, SON_LA)
    with pytest.raises(SelectionInvalid, match="chưa được giao vai trò “Thành viên hội đồng”"):
        services.add_member(
            actor=sct, round_=round_, user=officer, council_role="uy-vien", is_judge=True
        )
    with pytest.raises(SelectionInvalid, match="đã có trong hội đồng"):
        services.add_member(
            actor=sct,
            round_=round_,
            user=seated["judges"][1].user,
            council_role="uy-vien",
            is_judge=True,
        )
    with pytest.raises(SelectionInvalid, match="Hội đồng đã có Chủ tịch"):
        services.add_member(
            actor=sct,
            round_=round_,
            user=make_user(Role.COUNCIL_MEMBER, SON_LA),
            council_role="chu-tich",
            is_judge=True,
        )
    with pytest.raises(PermissionDenied):
        services.add_member(
            actor=make_user(Role.PROVINCE_SCT, "56"),
            round_=round_,
            user=make_user(Role.COUNCIL_MEMBER, SON_LA),
            council_role="uy-vien",
            is_judge=True,
        )


def test_scoring_cannot_start_with_entries_unchecked(seated, sct, unit):
    build_entry(
        seated["round"], build_product(build_establishment(unit), "Chè búp"), status="de-xuat"
    )
    with pytest.raises(SelectionError, match="Còn 1 hồ sơ chưa được kiểm tra"):
        start(seated, sct)


def test_conflicts_block_assignment_and_say_why(seated, sct, unit, make_user, client):
    judges, tea, plum = seated["judges"], seated["tea"], seated["plum"]
    # Judge 2 represents the tea establishment; judge 3 is an officer of Chiềng Sơn.
    RoleAssignment.objects.create(
        user=judges[1].user,
        role=Role.ESTABLISHMENT,
        unit=unit(CHIENG_SON),
        establishment=tea.establishment,
    )
    RoleAssignment.objects.create(
        user=judges[2].user, role=Role.COMMUNE_OFFICER, unit=unit(CHIENG_SON)
    )
    start(seated, sct)
    assert not ScoreSheet.objects.filter(member=judges[1], entry=tea).exists()
    assert not ScoreSheet.objects.filter(member=judges[2], entry=tea).exists()
    assert ScoreSheet.objects.filter(entry=tea).count() == 5
    assert ScoreSheet.objects.filter(entry=plum).count() == 7
    # Judge 4 declares a relation to the plum establishment: their open sheet is withdrawn.
    services.declare_conflict(
        actor=judges[3].user,
        member=judges[3],
        establishment=plum.establishment,
        relation="anh ruột",
    )
    assert not ScoreSheet.objects.filter(member=judges[3], entry=plum).exists()
    with pytest.raises(SelectionError, match="Chỉ giám khảo mới khai quan hệ của chính mình"):
        services.declare_conflict(
            actor=sct, member=judges[4], establishment=plum.establishment, relation="x"
        )
    # The chair sees why, and reassigns; a conflicted judge is refused with the reason.
    chair = judges[0].user
    client.force_login(chair)
    page = client.get(reverse("awards:council", args=[seated["round"].code])).content.decode()
    assert "Giám khảo là người đại diện của HTX chè Chiềng Sơn" in page
    assert "Giám khảo là cán bộ của Xã Chiềng Sơn" in page
    assert "anh ruột" in page
    with pytest.raises(SelectionError, match=r"Không phân công Giám khảo 2 chấm .*người đại diện"):
        services.assign_judge(actor=chair, entry=tea, member=judges[1])
    extra = services.add_member(
        actor=sct,
        round_=seated["round"],
        user=make_user(Role.COUNCIL_MEMBER, NATION),
        council_role="",
        is_judge=True,
        is_reserve=True,
    )
    with pytest.raises(PermissionDenied, match="Chỉ Chủ tịch hội đồng"):
        services.assign_judge(actor=judges[4].user, entry=tea, member=extra)
    services.assign_judge(actor=chair, entry=tea, member=extra)
    assert ScoreSheet.objects.filter(entry=tea).count() == 6


# -------------------------------------------------------------------------------- scoring
def test_a_judge_scores_alone_within_the_caps(seated, sct):
    start(seated, sct)
    judge = seated["judges"][1]
    sheet = sheet_of(judge, seated["tea"])
    with pytest.raises(SelectionInvalid) as caught:
        scoring.save_sheet(
            actor=judge.user,
            sheet=sheet,
            expected_version=sheet.version,
            scores={"thi-truong": "45", "kinh-te-ky-thuat": "-2", "van-hoa": "8", "khac": "8"},
            submit=True,
        )
    assert "tối đa là 40, không thể chấm 45" in caught.value.problems["thi-truong"][0]
    assert "không được âm" in caught.value.problems["kinh-te-ky-thuat"][0]
    sheet = scoring.save_sheet(
        actor=judge.user,
        sheet=sheet,
        expected_version=sheet.version,
        scores={"thi-truong": "35,5"},
        submit=False,
    )
    assert (sheet.status, sheet.total) == ("nhap", None)
    other = seated["judges"][2]
    with pytest.raises((PermissionDenied, SelectionError)):
        scoring.save_sheet(
            actor=other.user,
            sheet=sheet,
            expected_version=sheet.version,
            scores=scores(80),
            submit=True,
        )
    with pytest.raises(StaleEditError):
        scoring.save_sheet(
            actor=judge.user, sheet=sheet, expected_version=1, scores=scores(80), submit=True
        )
    sheet = scoring.save_sheet(
        actor=judge.user,
        sheet=sheet,
        expected_version=sheet.version,
        scores=scores("83.5"),
        submit=True,
    )
    assert (sheet.status, sheet.total) == ("da-nop", Decimal("83.50"))
    with pytest.raises(SelectionError, match="hãy mở lại phiếu trước"):
        scoring.save_sheet(
            actor=judge.user, sheet=sheet, expected_version=sheet.version, scores=scores(70)
        )
    with pytest.raises(SelectionInvalid, match="Cần ghi lý do"):
        scoring.reopen_sheet(
            actor=judge.user, sheet=sheet, expected_version=sheet.version, reason=""
        )
    sheet = scoring.reopen_sheet(
        actor=judge.user, sheet=sheet, expected_version=sheet.version, reason="Nhập nhầm tiêu chí 2"
    )
    assert (sheet.status, sheet.reopen_count) == ("nhap", 1)
    events = ActivityEvent.objects.filter(event_type=EventType.SCORE_SHEET)
    assert [e.data["action"] for e in events.order_by("at", "pk")] == ["nop", "mo-lai"]
    # No event carries a score.
    for event in events:
        assert "83" not in str(event.data)
        assert "83" not in event.comment
        assert set(event.data) <= {"action", "entry", "times"}


def test_sheets_are_sealed_on_every_page_until_the_close(seated, sct, client, make_user):
    start(seated, sct)
    judges, tea = seated["judges"], seated["tea"]
    a, b, chair = judges[1], judges[2], judges[0]
    mine = submit(a, tea, "83.5")
    national = make_user(Role.NATIONAL_OFFICER, NATION)
    sheet_url = reverse("awards:sheet", args=[mine.pk])
    history_url = reverse("audit:object_history", args=["awards.ScoreSheet", mine.pk])
    for outsider in (b.user, chair.user, sct, national):
        client.force_login(outsider)
        assert client.get(sheet_url).status_code == 404
        assert client.get(history_url).status_code == 404
    for reader in (chair.user, sct):
        client.force_login(reader)
        for url in (
            reverse("awards:council", args=[seated["round"].code]),
            reverse("awards:round_detail", args=[seated["round"].code]),
            reverse("awards:entry_detail", args=[tea.pk]),
        ):
            page = client.get(url).content.decode()
            assert "83,5" not in page, url
            assert "83.5" not in page, url
    client.force_login(sct)
    assert "83,5" not in client.get(reverse("audit:activity_log")).content.decode()
    client.force_login(b.user)
    page = client.get(reverse("awards:judge_home", args=[seated["round"].code])).content.decode()
    assert "83,5" not in page
    client.force_login(a.user)
    assert (
        "83,5"
        in client.get(reverse("awards:judge_home", args=[seated["round"].code])).content.decode()
    )
    assert client.get(sheet_url).status_code == 200
    # The chair sees who has submitted, not what.
    client.force_login(chair.user)
    page = client.get(reverse("awards:council", args=[seated["round"].code])).content.decode()
    assert "Tiến độ chấm" in page


def test_the_chair_sees_outliers_before_closing_and_closes(seated, sct, client):
    start(seated, sct)
    judges, tea, plum = seated["judges"], seated["tea"], seated["plum"]
    round_ = seated["round"]
    for judge, total in zip(judges, [80, 82, 78, 81, 79, 80, 55], strict=True):
        submit(judge, tea, total)
    for judge, total in zip(judges[:6], [60, 62, 58, 61, 65, 64], strict=True):
        submit(judge, plum, total)
    chair = judges[0].user
    round_.refresh_from_db()
    with pytest.raises(SelectionError, match="Giám khảo 7 còn 1 phiếu chưa nộp"):
        scoring.close_round(actor=chair, round_=round_, expected_version=round_.version)
    client.force_login(chair)
    page = client.get(reverse("awards:council", args=[round_.code])).content.decode()
    assert "Giám khảo 7" in page
    assert "lệch hơn 15 điểm" in page
    assert "-24" not in page  # no figure before the close
    with pytest.raises(PermissionDenied, match="Chỉ Chủ tịch"):
        scoring.close_round(actor=judges[1].user, round_=round_, expected_version=round_.version)
    services.record_absence(
        actor=chair, member=judges[6], expected_version=judges[6].version, reason="Ốm, có giấy"
    )
    round_.refresh_from_db()
    scoring.close_round(actor=chair, round_=round_, expected_version=round_.version)
    round_.refresh_from_db()
    tea.refresh_from_db()
    plum.refresh_from_db()
    assert round_.status == "da-khoa"
    # The absent judge's 55 does not count: (80 + 82 + 78 + 81 + 79 + 80) / 6.
    assert (tea.mean, tea.passed, tea.rank) == (Decimal("80.00"), True, 1)
    assert (plum.mean, plum.passed, plum.rank) == (Decimal("61.67"), False, 2)
    assert tea.scoring_closed_at is not None
    # After the close the organiser reads the sheets and the flags with their figures.
    client.force_login(sct)
    sheet = sheet_of(judges[1], tea)
    assert client.get(reverse("awards:sheet", args=[sheet.pk])).status_code == 200
    history = client.get(reverse("audit:object_history", args=["awards.ScoreSheet", sheet.pk]))
    assert history.status_code == 200
    with pytest.raises(SelectionError, match="đã khóa chấm"):
        submit(judges[1], tea, 90)


def test_closing_needs_the_quorum_of_judges_per_entry(seated, sct):
    start(seated, sct)
    judges, tea, plum = seated["judges"], seated["tea"], seated["plum"]
    chair = judges[0].user
    for judge in judges[:4]:
        submit(judge, tea, 80)
        submit(judge, plum, 70)
    for judge in judges[4:]:
        services.record_absence(
            actor=chair, member=judge, expected_version=judge.version, reason="Vắng"
        )
    round_ = seated["round"]
    round_.refresh_from_db()
    with pytest.raises(SelectionError, match=r"cần ít nhất 5 phiếu \(2/3 ban giám khảo\)"):
        scoring.close_round(actor=chair, round_=round_, expected_version=round_.version)


def test_the_council_pages_follow_the_seats(seated, sct, client, make_user):
    start(seated, sct)
    round_ = seated["round"]
    outsider = make_user(Role.COUNCIL_MEMBER, SON_LA)
    client.force_login(outsider)
    assert client.get(reverse("awards:round_detail", args=[round_.code])).status_code == 404
    assert client.get(reverse("awards:judge_home", args=[round_.code])).status_code == 404
    client.force_login(seated["judges"][2].user)
    assert client.get(reverse("awards:judge_home", args=[round_.code])).status_code == 200
    assert client.get(reverse("awards:entry_detail", args=[seated["tea"].pk])).status_code == 200
    response = client.post(
        reverse("awards:round_step", args=[round_.code]),
        {"action": "khoa", "version": round_.version},
    )
    assert response.status_code == 403  # a judge does not chair: refused with the reason
    round_.refresh_from_db()
    assert round_.status == "dang-cham"
    client.force_login(sct)
    response = client.post(
        reverse("awards:member_add", args=[round_.code]),
        {"email": "khong-co@x.vn", "council_role": "uy-vien", "is_judge": "on"},
    )
    assert "Không có người dùng nào có thư điện tử này" in response.content.decode()


def test_the_sct_seats_a_judge_who_is_not_a_council_member(seated, sct, client, make_user):
    """Regression: the form offered “Giám khảo (không là thành viên hội đồng)” (an empty role)
    and then refused it as a missing field; only a seat that is neither is refused."""
    round_ = seated["round"]
    judge = make_user(Role.COUNCIL_MEMBER, SON_LA)
    client.force_login(sct)
    url = reverse("awards:member_add", args=[round_.code])
    response = client.post(url, {"email": judge.email, "council_role": ""})
    assert "Người không là thành viên hội đồng thì phải là giám khảo" in response.content.decode()
    assert not CouncilMember.objects.filter(user=judge).exists()
    response = client.post(url, {"email": judge.email, "council_role": "", "is_judge": "on"})
    assert response.status_code == 302
    seat = CouncilMember.objects.get(user=judge)
    assert (seat.council_role, seat.is_judge) == ("", True)


def test_scoring_over_http(seated, sct, client):
    start(seated, sct)
    judge = seated["judges"][1]
    sheet = sheet_of(judge, seated["tea"])
    client.force_login(judge.user)
    url = reverse("awards:sheet", args=[sheet.pk])
    page = client.get(url).content.decode()
    assert "Khả năng đáp ứng thị trường và phát triển sản xuất (0–40)" in page
    response = client.post(
        url,
        {
            "version": sheet.version,
            "thi-truong": "41",
            "kinh-te-ky-thuat": "30",
            "van-hoa": "8",
            "khac": "7",
            "nop": "1",
        },
    )
    assert "tối đa là 40, không thể chấm 41" in response.content.decode()
    response = client.post(
        url,
        {
            "version": sheet.version,
            "thi-truong": "35",
            "kinh-te-ky-thuat": "30",
            "van-hoa": "8",
            "khac": "7",
            "comment": "Sản phẩm tốt",
            "nop": "1",
        },
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total, sheet.comment) == (
        "da-nop",
        Decimal("80.00"),
        "Sản phẩm tốt",
    )
    client.force_login(seated["judges"][2].user)
    assert client.post(url, {"version": sheet.version, "nop": "1"}).status_code == 404


def test_a_judges_page_pages_through_their_sheets_in_constant_queries(
    seated, sct, client, monkeypatch, unit
):
    """A national judge has 500 sheets: their page shows one page, the count of the whole."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import build_sheet

    monkeypatch.setattr("khuyencong.awards.views.jury.PAGE_SIZE", 1)
    start(seated, sct)
    judge, round_ = seated["judges"][1], seated["round"]
    submit(judge, seated["tea"], 80)
    client.force_login(judge.user)
    url = reverse("awards:judge_home", args=[round_.code])

    def get(number):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"trang": number})
        assert response.status_code == 200
        return " ".join(response.content.decode().split()), len(queries)

    (first, before), (second, _) = get(1), get(2)
    assert "1/2 phiếu đã nộp" in first
    assert "Trang 1/2" in first
    assert ("Chè Shan tuyết" in first) != ("Chè Shan tuyết" in second)
    assert ("Mận hậu" in first) != ("Mận hậu" in second)
    # The declaration lists the round's establishments (one query, no row objects).
    assert '<option value="' in first
    assert "HTX mận Tô Hiệu</option>" in first
    third = build_entry(
        round_, build_product(build_establishment(unit, name="Cơ sở ba"), "Miến dong")
    )
    build_sheet(third, judge)
    page, after = get(1)
    assert "1/3 phiếu đã nộp" in page
    assert after == before


def test_the_chair_assigns_only_judges(seated, sct, make_user):
    """Regression: the chair could assign a council member who is not a judge, whose sheet
    neither the close nor the results count (they read the judges' sheets only)."""
    start(seated, sct)
    member = services.add_member(
        actor=sct,
        round_=seated["round"],
        user=make_user(Role.COUNCIL_MEMBER, SON_LA),
        council_role="uy-vien",
        is_judge=False,
    )
    with pytest.raises(SelectionError, match="không là giám khảo"):
        services.assign_judge(actor=seated["judges"][0].user, entry=seated["tea"], member=member)
    assert not ScoreSheet.objects.filter(member=member).exists()


# ------------------------------------------------------------------ reserve judges (dự khuyết)
def _add(seated, sct, make_user, name="", council_role="", **seat):
    """A new council-member user seated on the round (a judge unless told)."""
    user = make_user(Role.COUNCIL_MEMBER, SON_LA)
    if name:
        user.full_name = name
        user.save(update_fields=["full_name"])
    seat.setdefault("is_judge", True)
    return services.add_member(
        actor=sct, round_=seated["round"], user=user, council_role=council_role, **seat
    )


def _reserve(seated, sct, make_user):
    return _add(seated, sct, make_user, "Giám khảo dự khuyết", is_reserve=True)


def _close(seated, actor):
    round_ = seated["round"]
    round_.refresh_from_db()
    return scoring.close_round(actor=actor, round_=round_, expected_version=round_.version)


def test_a_reserve_is_not_counted_in_the_odd_jury_nor_assigned_at_the_start(seated, sct, make_user):
    reserve = _reserve(seated, sct, make_user)
    # Seven judges and a reserve (no council seat): neither the council nor the jury changes.
    assert services.council_problems(seated["round"]) == []
    start(seated, sct)
    assert not ScoreSheet.objects.filter(member=reserve).exists()
    assert ScoreSheet.objects.filter(entry=seated["tea"]).count() == 7


def test_an_even_jury_is_refused_at_the_start_whatever_the_reserves(seated, sct, make_user):
    _add(seated, sct, make_user)
    _reserve(seated, sct, make_user)
    with pytest.raises(SelectionError, match="số lẻ giám khảo, ít nhất 3 người; hiện có 8"):
        start(seated, sct)


def test_a_conflict_is_filled_by_a_reserve_and_only_then_the_jury_closes(
    seated, sct, unit, make_user, client
):
    judges, tea, plum = seated["judges"], seated["tea"], seated["plum"]
    reserve = _reserve(seated, sct, make_user)
    RoleAssignment.objects.create(
        user=judges[1].user,
        role=Role.ESTABLISHMENT,
        unit=unit(CHIENG_SON),
        establishment=tea.establishment,
    )
    start(seated, sct)
    assert ScoreSheet.objects.filter(entry=tea).count() == 6
    for n, judge in enumerate(judges):
        if n != 1:
            submit(judge, tea, 80)
        submit(judge, plum, 75)
    chair = judges[0].user
    # Without the substitution the close is refused, naming the entry and the remedy.
    with pytest.raises(SelectionError) as refused:
        _close(seated, chair)
    assert (
        "Hồ sơ “Chè Shan tuyết Chiềng Sơn” có 6 phiếu chấm, cần 7: Chủ tịch phân công giám khảo "
        "dự khuyết thay giám khảo có xung đột lợi ích hoặc vắng mặt."
    ) in str(refused.value)
    assert "Mận hậu" not in str(refused.value)
    client.force_login(chair)
    url = reverse("awards:council", args=[seated["round"].code])
    page = client.get(url).content.decode()
    assert "Giám khảo dự khuyết" in page  # the reserves' own table and the assignment list
    assert "Chè Shan tuyết Chiềng Sơn — 6/7" in page
    assert "có 6 phiếu chấm, cần 7" in page  # why the close is refused, before trying
    assign_url = reverse("awards:assign", args=[seated["round"].code])
    assert f'action="{assign_url}"' in page
    # The organiser sees the entries short of a judge but does not assign; a judge sees neither.
    for reader, sees_list in ((sct, True), (judges[2].user, False)):
        client.force_login(reader)
        other = client.get(url).content.decode()
        assert ("ho-so-thieu-giam-khao" in other) is sees_list
        assert f'action="{assign_url}"' not in other
    client.force_login(chair)
    # A full panel takes no one more; the reserve fills the conflicted seat.
    with pytest.raises(SelectionError, match="“Mận hậu” đã đủ 7 giám khảo chấm"):
        services.assign_judge(actor=chair, entry=plum, member=reserve)
    services.assign_judge(actor=chair, entry=tea, member=reserve)
    submit(reserve, tea, 87)
    page = client.get(url).content.decode()
    assert "Ban giám khảo phải có số lẻ giám khảo" not in page  # no even-jury warning
    assert "hoi-dong-chua-du" not in page
    assert "thieu-giam-khao" not in page
    _close(seated, chair)
    tea.refresh_from_db()
    assert ScoreSheet.objects.filter(entry=tea, status="da-nop").count() == 7
    assert tea.mean == Decimal("81.00")  # (6 × 80 + 87) / 7
    assert not ScoreSheet.objects.filter(member=reserve, entry=plum).exists()


def test_a_reserve_takes_over_an_absent_judges_open_sheet(seated, sct, make_user):
    judges, tea = seated["judges"], seated["tea"]
    reserve = _reserve(seated, sct, make_user)
    start(seated, sct)
    chair = judges[0].user
    absent = judges[6]
    services.record_absence(
        actor=chair, member=absent, expected_version=absent.version, reason="Ốm, có giấy"
    )
    with pytest.raises(SelectionError, match="đang được ghi vắng mặt"):
        services.assign_judge(actor=chair, entry=tea, member=absent)
    services.assign_judge(actor=chair, entry=tea, member=reserve)
    assert set(ScoreSheet.objects.filter(entry=tea).values_list("member", flat=True)) == {
        j.pk for j in judges[:6]
    } | {reserve.pk}
    event = ActivityEvent.objects.filter(data__action="phan-cong").get()
    assert event.data["replaces"] == absent.pk
    assert "thay Giám khảo 7 (vắng mặt)" in event.comment


def test_once_scoring_started_only_reserves_join_the_jury(seated, sct, make_user, client):
    start(seated, sct)
    round_ = seated["round"]
    with pytest.raises(SelectionInvalid, match="chỉ thêm được giám khảo dự khuyết"):
        _add(seated, sct, make_user)
    with pytest.raises(SelectionError, match="không bỏ Giám khảo 2 được"):
        services.remove_member(actor=sct, member=seated["judges"][1])
    with pytest.raises(SelectionInvalid, match="phải được đánh dấu là giám khảo"):
        _add(seated, sct, make_user, council_role="uy-vien", is_judge=False, is_reserve=True)
    # Over HTTP: the SCT seats a reserve through the form; the chair may not seat anyone.
    reserve = make_user(Role.COUNCIL_MEMBER, SON_LA)
    url = reverse("awards:member_add", args=[round_.code])
    form = {"email": reserve.email, "council_role": "", "is_judge": "on", "is_reserve": "on"}
    client.force_login(seated["judges"][0].user)
    assert client.post(url, form).status_code == 403
    client.force_login(sct)
    assert client.post(url, form).status_code == 302
    seat = CouncilMember.objects.get(user=reserve)
    assert (seat.is_judge, seat.is_reserve) == (True, True)
    page = client.get(reverse("awards:council", args=[round_.code])).content.decode()
    assert 'id="giam-khao-du-khuyet"' in page
    assert "hoi-dong-chua-du" not in page


# --------------------------------------------------------------- declarations after the close
CLOSED_DECLARATION = (
    "Kỳ bình chọn đang ở trạng thái “Đã khóa chấm, có kết quả”: ban giám khảo đã khóa chấm, "
    "không khai báo quan hệ với cơ sở được nữa."
)


def test_a_judge_declares_until_the_jury_closes_and_not_after(closed, sct):
    """Regression: a relation declared after the close was recorded (and the judge's sheets of
    that establishment were looked for to withdraw), though no panel can change any more."""
    judge, plum = closed["judges"][3], closed["plum"]
    with pytest.raises(SelectionError) as refused:
        services.declare_conflict(
            actor=judge.user, member=judge, establishment=plum.establishment, relation="anh ruột"
        )
    assert str(refused.value) == CLOSED_DECLARATION
    assert not judge.conflicts.exists()
    assert ScoreSheet.objects.filter(member=judge, entry=plum).count() == 1
    assert not ActivityEvent.objects.filter(data__action="khai-quan-he").exists()


def test_the_judges_page_offers_no_declaration_after_the_close(closed, client):
    judge, plum = closed["judges"][3], closed["plum"]
    url = reverse("awards:judge_home", args=[closed["round"].code])
    client.force_login(judge.user)
    page = client.get(url).content.decode()
    assert CLOSED_DECLARATION in page
    assert 'name="relation"' not in page
    # A page left open before the close is answered with the reason, and nothing is recorded.
    response = client.post(url, {"establishment": plum.establishment.pk, "relation": "anh ruột"})
    assert response.status_code == 200
    assert CLOSED_DECLARATION in response.content.decode()
    assert not judge.conflicts.exists()


def test_the_judges_page_takes_a_declaration_while_scoring(seated, sct, client):
    start(seated, sct)
    judge, plum = seated["judges"][3], seated["plum"]
    url = reverse("awards:judge_home", args=[seated["round"].code])
    client.force_login(judge.user)
    assert 'name="relation"' in client.get(url).content.decode()
    response = client.post(url, {"establishment": plum.establishment.pk, "relation": "anh ruột"})
    assert response.status_code == 302
    assert judge.conflicts.get().relation == "anh ruột"
    assert not ScoreSheet.objects.filter(member=judge, entry=plum).exists()


# ------------------------------------------------------------------ council page, sheets read once
def test_the_council_page_counts_the_sheets_per_entry_once_in_flat_queries(
    seated, sct, client, unit
):
    """Regression: the closing checks read every sheet of the round as a row and the short
    list counted them again. Now one grouped query per entry serves both, whatever the size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import build_sheet

    start(seated, sct)
    judges, round_ = seated["judges"], seated["round"]
    ScoreSheet.objects.filter(member=judges[6], entry=seated["plum"]).delete()  # one short
    client.force_login(judges[0].user)  # the chair: closing checks, short list, flags
    url = reverse("awards:council", args=[round_.code])
    table = ScoreSheet._meta.db_table

    def get():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        page = " ".join(response.content.decode().split())
        sheet_reads = [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]
        return page, len(captured), sheet_reads

    page, small, sheet_reads = get()
    assert "Mận hậu" in page
    assert "có 6 phiếu chấm, cần 7" in page
    per_entry = [
        q for q in sheet_reads if q.startswith(f'SELECT "{table}"."entry_id"') and "GROUP BY" in q
    ]
    assert len(per_entry) == 1
    # Besides the grouped counts only the outlier flags read sheets, for their scores.
    assert [q for q in sheet_reads if "GROUP BY" not in q and '"scores"' not in q] == []
    for n in range(6):
        entry = build_entry(
            round_,
            build_product(build_establishment(unit, name=f"Cơ sở {n}"), f"Sản phẩm {n}"),
        )
        for judge in judges[: 7 if n % 2 else 5]:
            build_sheet(entry, judge, 70 + n)
    page, larger, _reads = get()
    assert "Sản phẩm 0" in page
    assert "có 5 phiếu chấm, cần 7" in page
    assert larger == small
