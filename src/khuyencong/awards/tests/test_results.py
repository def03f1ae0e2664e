"""Results after the close (mean with its arithmetic, rank, the council's cap), publication with
the recognising decision and certificates (validity as data, revocation), who sees what when,
the result list as .xlsx in constant queries, the public page the QR code opens, and the IT
staff's commands."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.awards.models import Certificate
from khuyencong.awards.services import SelectionError, SelectionInvalid
from khuyencong.awards.services import results as services
from khuyencong.core.concurrency import StaleEditError

from .conftest import (
    CHIENG_SON,
    PLUM,
    SON_LA,
    TEA,
    build_entry,
    build_establishment,
    build_product,
    build_round,
    build_sheet,
    publish,
    seat,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_results_show_the_mean_with_its_arithmetic_and_the_rank(closed, sct, client):
    tea, plum = closed["tea"], closed["plum"]
    assert (tea.mean, tea.rank, tea.passed) == (Decimal("80.43"), 1, True)
    assert (plum.mean, plum.rank, plum.passed) == (Decimal("70.00"), 2, True)
    client.force_login(sct)
    page = client.get(reverse("awards:results", args=[closed["round"].code])).content.decode()
    page = " ".join(page.split())
    # Judges in name order: Giám khảo 1..7.
    assert "(80 + 82 + 78 + 81 + 79 + 80 + 83) / 7 = 80,43" in page
    assert "(55 + 75 + 72 + 71 + 70 + 74 + 73) / 7 = 70,00" in page
    # After the close the organiser sees the outlier with its figures, per criterion too.
    assert "lệch -17,50 điểm so với trung bình của các giám khảo khác (ngưỡng 15)" in page
    assert "(Khả năng đáp ứng thị trường và phát triển sản xuất): lệch -7,00 điểm" in page


def test_the_council_caps_the_passes_and_ties_are_shown(closed, sct, client):
    round_ = closed["round"]
    chair = closed["judges"][0].user
    with pytest.raises(SelectionInvalid, match="căn cứ"):
        services.set_pass_cap(
            actor=chair, round_=round_, expected_version=round_.version, max_passing=1, basis=""
        )
    with pytest.raises(PermissionDenied):
        services.set_pass_cap(
            actor=closed["judges"][2].user,
            round_=round_,
            expected_version=round_.version,
            max_passing=1,
            basis="Biên bản họp",
        )
    services.set_pass_cap(
        actor=chair,
        round_=round_,
        expected_version=round_.version,
        max_passing=1,
        basis="Hội đồng biểu quyết ngày 10/11/2026",
    )
    closed["plum"].refresh_from_db()
    assert (closed["plum"].rank, closed["plum"].passed) == (2, False)
    with pytest.raises(StaleEditError):
        services.set_pass_cap(
            actor=chair, round_=round_, expected_version=round_.version, max_passing=None, basis=""
        )
    round_.refresh_from_db()
    assert round_.max_passing == 1
    event = ActivityEvent.objects.filter(event_type=EventType.SELECTION_ROUND).latest("pk")
    assert event.data["max_passing"] == 1
    client.force_login(sct)
    page = client.get(reverse("awards:results", args=[round_.code])).content.decode()
    assert "công nhận tối đa 1 sản phẩm" in page


def test_results_are_the_organisers_and_the_councils_until_published(
    closed, sct, client, make_user, representative
):
    round_ = closed["round"]
    url = reverse("awards:results", args=[round_.code])
    owner = representative(closed["tea"].establishment)
    commune = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    for outsider in (owner, commune):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.get(reverse("awards:results_xlsx", args=[round_.code])).status_code == 403
        page = client.get(reverse("awards:entry_detail", args=[closed["tea"].pk]))
        assert "Kết quả bình chọn" not in page.content.decode()
    for reader in (sct, closed["judges"][3].user, make_user(Role.NATIONAL_OFFICER, "VN")):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    publish(closed, sct)
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "Chè Shan tuyết" in page
    assert "Mận hậu" not in page
    assert "/ 7 =" not in page  # the judges' totals stay with the council
    detail = client.get(reverse("awards:entry_detail", args=[closed["tea"].pk])).content.decode()
    assert "Điểm trung bình 80,43, xếp hạng 1" in detail
    minutes = reverse("awards:round_document", args=[round_.code, "bien-ban", "pdf"])
    assert client.get(minutes).status_code == 403
    decision = reverse("awards:round_document", args=[round_.code, "quyet-dinh", "docx"])
    assert client.get(decision).status_code == 200


def test_publishing_issues_certificates_valid_to_the_end_of_the_third_year(closed, sct, client):
    round_ = closed["round"]
    with pytest.raises(SelectionInvalid, match="trước ngày khóa chấm"):
        publish(closed, sct, day=D(2026, 11, 9))
    with pytest.raises(SelectionInvalid, match="tương lai"):
        publish(closed, sct, day=D(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        services.publish_round(
            actor=closed["judges"][0].user,
            round_=round_,
            expected_version=round_.version,
            decision_number="1/QĐ-UBND",
            decision_date=D(2026, 11, 10),
        )
    issued = publish(closed, sct)
    assert [c.entry_id for c in issued] == [closed["tea"].pk, closed["plum"].pk]
    tea = issued[0]
    assert tea.number == f"001/2026/GCN-{round_.pk}"
    assert (tea.issued_on, tea.valid_until) == (D(2026, 11, 15), D(2028, 12, 31))
    assert tea.decision == "Quyết định số 1234/QĐ-UBND ngày 15/11/2026"
    assert len(tea.code) == 8
    assert tea.code != issued[1].code
    round_.refresh_from_db()
    assert round_.status == "da-cong-bo"
    with pytest.raises(SelectionError):
        publish(closed, sct)
    client.force_login(sct)
    page = client.get(reverse("awards:certificate_detail", args=[tea.pk])).content.decode()
    assert f"/c/{tea.code}" in page
    assert "31/12/2028" in page


def test_a_round_with_a_longer_validity_gives_longer_certificates(closed, sct):
    round_ = closed["round"]
    type(round_).objects.filter(pk=round_.pk).update(validity_years=2)
    issued = publish(closed, sct)
    assert issued[0].valid_until == D(2027, 12, 31)


def test_revocation_needs_reason_and_decision_and_shows_everywhere(closed, sct, client, on_day):
    tea = publish(closed, sct)[0]
    on_day(D(2027, 3, 2))
    with pytest.raises(SelectionInvalid) as problems:
        services.revoke_certificate(
            actor=sct,
            certificate=tea,
            expected_version=tea.version,
            revoked_on=D(2027, 3, 1),
            reason=" ",
            decision="",
        )
    assert set(problems.value.problems) == {"reason", "decision"}
    client.force_login(sct)
    response = client.post(
        reverse("awards:certificate_revoke", args=[tea.pk]),
        {
            "version": tea.version,
            "revoked_on": "01/03/2027",
            "decision": "Quyết định số 55/QĐ-UBND ngày 01/3/2027",
            "reason": "Cơ sở ngừng sản xuất sản phẩm",
        },
    )
    assert response.status_code == 302
    tea.refresh_from_db()
    assert tea.status == "bi-thu-hoi"
    assert tea.revoked_on == D(2027, 3, 1)
    with pytest.raises(SelectionError, match="đã bị thu hồi"):
        services.revoke_certificate(
            actor=sct,
            certificate=tea,
            expected_version=tea.version,
            revoked_on=D(2027, 3, 1),
            reason="x",
            decision="y",
        )
    client.logout()
    public = client.get(reverse("certificate_public", args=[tea.code]))
    assert public.status_code == 410  # the portal's trace page (issue 13)
    assert "đã bị thu hồi" in public.content.decode()


def test_the_public_page_says_product_holder_level_and_validity(closed, sct, client):
    tea = publish(closed, sct)[0]
    client.logout()
    response = client.get(f"/c/{tea.code}")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Chè Shan tuyết Chiềng Sơn", "HTX chè Chiềng Sơn", "Cấp tỉnh", "31/12/2028"):
        assert text in page
    assert "Còn hiệu lực" in page
    assert "/ 7 =" not in page
    assert "80,43" not in page
    assert client.get("/c/KHONGCO1").status_code == 404
    assert client.get(f"/c/{tea.code.lower()}").status_code == 200


def test_certificates_follow_the_scope(closed, sct, client, make_user, representative):
    tea, plum = publish(closed, sct)
    owner = representative(tea.establishment)
    client.force_login(owner)
    assert client.get(reverse("awards:certificate_detail", args=[tea.pk])).status_code == 200
    assert client.get(reverse("awards:certificate_detail", args=[plum.pk])).status_code == 404
    assert client.get(reverse("awards:certificate_file", args=[plum.pk, "pdf"])).status_code == 404
    listing = client.get(reverse("awards:certificate_list")).content.decode()
    assert tea.number in listing
    assert plum.number not in listing
    response = client.post(
        reverse("awards:certificate_revoke", args=[tea.pk]),
        {"version": tea.version, "revoked_on": "15/11/2026", "decision": "x", "reason": "y"},
    )
    assert response.status_code == 403
    other = make_user(Role.PROVINCE_SCT, "56")
    client.force_login(other)
    assert client.get(reverse("awards:certificate_detail", args=[tea.pk])).status_code == 404
    client.force_login(sct)
    assert plum.number in client.get(reverse("awards:certificate_list")).content.decode()


def test_a_council_member_sees_only_the_certificates_of_their_own_entries(
    closed, sct, client, council_user
):
    tea, plum = publish(closed, sct)
    judge = closed["judges"][2].user  # a member (not an officer): assigned to both entries
    client.force_login(judge)
    listing = client.get(reverse("awards:certificate_list")).content.decode()
    assert tea.number in listing
    assert client.get(reverse("awards:certificate_detail", args=[tea.pk])).status_code == 200
    stranger = council_user()  # same province, no seat on this round
    client.force_login(stranger)
    listing = client.get(reverse("awards:certificate_list")).content.decode()
    assert tea.number not in listing
    assert plum.number not in listing
    assert client.get(reverse("awards:certificate_detail", args=[tea.pk])).status_code == 404


def _closed_round_of(unit, size, judges):
    """A closed round built in the database: ``size`` entries, each scored by every judge."""
    round_ = build_round(unit, code=f"dung-{size}", status="da-khoa")
    members = judges(round_)
    for n in range(size):
        establishment = build_establishment(unit, name=f"Cơ sở {size}-{n}")
        entry = build_entry(round_, build_product(establishment, f"Sản phẩm {size}-{n}"))
        for k, member in enumerate(members):
            build_sheet(entry, member, 70 + (n + k) % 20)
        entry.mean, entry.rank, entry.passed = Decimal(75), n + 1, True
        entry.scoring_closed_at = datetime.datetime(2026, 11, 10, tzinfo=datetime.UTC)
        entry.save()
    return round_


def _three_judges(make_user):
    """Seats "Giám khảo 1..3" (the first chairs) on the round it is given."""
    users = [make_user(Role.COUNCIL_MEMBER, SON_LA) for _ in range(3)]
    for n, user in enumerate(users):
        user.full_name = f"Giám khảo {n + 1}"
        user.save(update_fields=["full_name"])

    def judges(round_):
        return [seat(round_, u, "chu-tich" if i == 0 else "uy-vien") for i, u in enumerate(users)]

    return judges


def test_the_results_page_and_the_xlsx_read_in_constant_queries(unit, make_user, client):
    judges = _three_judges(make_user)

    small, large = _closed_round_of(unit, 2, judges), _closed_round_of(unit, 6, judges)
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    counts = {}
    for round_ in (small, large):
        for name in ("awards:results", "awards:results_xlsx"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(name, args=[round_.code]))
            assert response.status_code == 200
            counts[(name, round_.code)] = len(queries)
    for name in ("awards:results", "awards:results_xlsx"):
        assert counts[(name, small.code)] == counts[(name, large.code)], counts
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "STT",
        "Tên sản phẩm",
        "Nhóm sản phẩm",
        "Cơ sở sản xuất",
        "Xã, phường",
        "Giám khảo 1",
        "Giám khảo 2",
        "Giám khảo 3",
    )
    assert len(rows) == 7
    assert rows[1][5:9] == (70, 71, 72, 75)


def test_the_commands_for_it_staff(closed, sct, settings):
    settings.SITE_URL = "https://khuyencong.example.vn"
    publish(closed, sct)
    out = io.StringIO()
    call_command("selection", "rounds", "--json", stdout=out)
    assert json.loads(out.getvalue()) == [
        {"code": "son-la-2026", "level": "tinh", "year": 2026, "state": "da-cong-bo"}
    ]
    out = io.StringIO()
    call_command("selection", "result", "son-la-2026", "--json", stdout=out)
    tea, plum = json.loads(out.getvalue())
    number = Certificate.objects.get(entry=closed["tea"]).number
    assert tea == {
        "product": "Chè Shan tuyết Chiềng Sơn",
        "establishment": "HTX chè Chiềng Sơn",
        "judge_totals": TEA,
        "mean": "80.43",
        "passed": True,
        "rank": 1,
        "certificate": number,
    }
    assert plum["judge_totals"] == PLUM
    assert plum["mean"] == "70.00"
    out = io.StringIO()
    call_command("certificate", "show", number, "--json", stdout=out)
    shown = json.loads(out.getvalue())
    code = Certificate.objects.get(number=number).code
    assert shown == {
        "number": number,
        "level": "tinh",
        "issued_on": "2026-11-15",
        "valid_until": "2028-12-31",
        "status": "con-hieu-luc",
        "public_url": f"https://khuyencong.example.vn/c/{code}",
    }
    with pytest.raises(CommandError, match="Không có kỳ bình chọn mã “khong-co”"):
        call_command("selection", "result", "khong-co", "--json")
    with pytest.raises(CommandError, match="Không có giấy chứng nhận số “9/9”"):
        call_command("certificate", "show", "9/9")


def test_a_round_without_results_says_so(seated, sct, client):
    client.force_login(sct)
    page = client.get(reverse("awards:results", args=[seated["round"].code])).content.decode()
    assert "Chưa có kết quả" in page
    assert (
        client.get(reverse("awards:results_xlsx", args=[seated["round"].code])).status_code == 404
    )
    with pytest.raises(CommandError, match="chưa có kết quả"):
        call_command("selection", "result", seated["round"].code)


def test_the_results_page_pages_through_the_round_in_constant_queries(
    unit, make_user, client, monkeypatch
):
    """A national round has 500 entries: the page shows one page of them (ranked), while the
    ties, the passes beyond the council's cap and the judges' columns are the whole round's."""
    monkeypatch.setattr("khuyencong.awards.views.results.PAGE_SIZE", 2)
    judges = _three_judges(make_user)

    small, large = _closed_round_of(unit, 2, judges), _closed_round_of(unit, 5, judges)
    for rank, mean in enumerate(["90", "85", "80", "78", "80"], start=1):
        large.entries.filter(rank=rank).update(mean=Decimal(mean))
    large.max_passing, large.max_passing_basis = 3, "Biên bản họp hội đồng"
    large.save()
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    counts = {}
    pages = {}
    for round_, number in ((small, 1), (large, 1), (large, 2), (large, 3)):
        url = reverse("awards:results", args=[round_.code])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"trang": number})
        assert response.status_code == 200
        counts[(round_.code, number)] = len(queries)
        pages[(round_.code, number)] = " ".join(response.content.decode().split())
    assert len(set(counts.values())) == 1, counts
    second, third = pages[(large.code, 2)], pages[(large.code, 3)]
    assert "Sản phẩm 5-2" in second
    assert "Sản phẩm 5-3" in second
    assert "Sản phẩm 5-0" not in second
    assert "Sản phẩm 5-4" not in second
    assert "Trang 2/3" in second
    # 80,00 is tied between page 2 and page 3: both rows say so; 78,00 is alone.
    assert third.count("đồng hạng</span>") == 1
    assert second.count("đồng hạng</span>") == 1
    # Five entries passed in the round, more than the cap of 3: said on every page.
    assert "5 sản phẩm đạt, nhiều hơn giới hạn 3" in third
    # The judges' columns are the round's, the same on the last page of one row.
    assert all(f"Giám khảo {n}" in third for n in (1, 2, 3))
