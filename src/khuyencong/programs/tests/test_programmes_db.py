"""Programmes in the database: exact seeds, checker, pages, access, editing, query counts."""

import dataclasses
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.programs import programme_data as pd
from khuyencong.programs.consistency import check_programme
from khuyencong.programs.conversion import programme_to_data
from khuyencong.programs.models import ActivityLine, AllocationCell, Programme
from khuyencong.programs.seeds import SEED_PROGRAMMES
from khuyencong.programs.selectors import programme_for_cli
from khuyencong.programs.services import load_seed_programmes, save_programme_data

pytestmark = pytest.mark.django_db
SON_LA = "son-la-2026-2030"
KHANH_HOA = "khanh-hoa-2026-2030"


def son_la_cells():
    return AllocationCell.objects.filter(line__programme__code=SON_LA)


def test_son_la_is_loaded_exactly(seed_programmes):
    programme = Programme.objects.get(code=SON_LA)
    assert programme.lines.count() == 25
    assert programme.decision_number == "1113/QĐ-UBND"
    assert programme.unit.name == "Sơn La"
    assert sum(son_la_cells().values_list("amount", flat=True)) == 25_965_000_000
    by_fund = {
        fund: sum(son_la_cells().filter(fund=fund).values_list("amount", flat=True))
        for fund in (pd.KCQG, pd.KCDP)
    }
    assert by_fund == {pd.KCQG: 7_530_000_000, pd.KCDP: 18_435_000_000}
    yearly = {
        (year, fund): sum(
            son_la_cells().filter(year=year, fund=fund).values_list("amount", flat=True)
        )
        for year in range(2026, 2031)
        for fund in (pd.KCQG, pd.KCDP)
    }
    # The exact yearly KCĐP totals (the decision prints them rounded: 3.563, 4.758, ...).
    assert yearly[(2027, pd.KCDP)] == 3_562_500_000
    assert yearly[(2028, pd.KCDP)] == 4_757_500_000
    assert yearly[(2029, pd.KCDP)] == 4_507_500_000
    assert yearly[(2030, pd.KCDP)] == 3_532_500_000
    assert sum(v for (_, f), v in yearly.items() if f == pd.KCDP) == 18_435_000_000
    assert son_la_cells().filter(amount=62_500_000).exists()


def test_all_four_seeds_round_trip_through_the_database(seed_programmes):
    for code, data in SEED_PROGRAMMES.items():
        assert programme_to_data(programme_for_cli(code)) == data


def test_loading_twice_keeps_existing_programmes(seed_programmes):
    line = ActivityLine.objects.filter(programme__code=SON_LA).first()
    line.name = "Đã sửa bởi người dùng"
    line.save()
    results = load_seed_programmes()
    assert not any(r.created for r in results)
    assert ActivityLine.objects.filter(name="Đã sửa bởi người dùng").exists()
    load_seed_programmes(replace=True)
    assert not ActivityLine.objects.filter(name="Đã sửa bởi người dùng").exists()
    assert Programme.objects.count() == 4


def test_check_command_prints_json_findings(seed_programmes, capsys):
    call_command("programme", "check", KHANH_HOA, "--json")
    findings = json.loads(capsys.readouterr().out)
    error = next(f for f in findings if f["code"] == "grand-total-mismatch")
    assert error["severity"] == "error"
    assert error["numbers"] == {
        "stated": 36_383_000_000,
        "sum_of_funds": 36_383_300_000,
        "difference": -300_000,
    }
    assert "36.383.000.000" in error["message"]
    assert any(f["code"] == "target-conflict" and f["severity"] == "warning" for f in findings)

    call_command("programme", "check", SON_LA, "--json")
    findings = json.loads(capsys.readouterr().out)
    rounding = [f for f in findings if f["code"] == "year-fund-total-rounding"]
    assert [f["severity"] for f in rounding] == ["info"] * 4
    # Sơn La's own targets that no reporting indicator measures are said (info), its machinery
    # target (mapped onto the national indicator) is not.
    unmatched = {f["numbers"]["key"] for f in findings if f["code"] == "target-key-unmatched"}
    assert "phong-trung-bay" in unmatched
    assert "may-moc-thiet-bi" not in unmatched
    assert {f["code"] for f in findings} == {"year-fund-total-rounding", "target-key-unmatched"}
    assert {f["severity"] for f in findings} == {"info"}


@pytest.mark.parametrize(
    ("role", "unit", "visible"),
    [
        (Role.COMMUNE_OFFICER, "03985", {"quoc-gia-2026-2030", SON_LA}),
        (Role.PROVINCE_CENTRE, "14", {"quoc-gia-2026-2030", SON_LA}),
        (Role.PROVINCE_SCT, "56", {"quoc-gia-2026-2030", KHANH_HOA}),
        (Role.NATIONAL_OFFICER, "VN", set(SEED_PROGRAMMES)),
    ],
)
def test_programme_list_shows_own_and_higher_levels_only(
    role, unit, visible, make_user, client, seed_programmes
):
    client.force_login(make_user(role, unit))
    body = client.get(reverse("programs:programme_list")).content.decode()
    for code in SEED_PROGRAMMES:
        assert (f"/chuong-trinh/{code}/" in body) == (code in visible), code


def test_programme_list_filters(make_user, client, seed_programmes):
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    url = reverse("programs:programme_list")
    body = client.get(url, {"cap": "province", "don_vi": "14"}).content.decode()
    assert SON_LA in body
    assert KHANH_HOA not in body
    assert "quoc-gia-2026-2030" not in body
    assert SON_LA not in client.get(url, {"nam": "2035"}).content.decode()
    assert "khớp với điều kiện lọc" in client.get(url, {"nam": "2035"}).content.decode()


def test_an_empty_programme_list_without_filter_says_there_are_none(make_user, client):
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    body = client.get(reverse("programs:programme_list")).content.decode()
    assert "Chưa có chương trình nào trong phạm vi của bạn." in body
    assert "khớp với điều kiện lọc" not in body


def test_programme_page_shows_the_appendix_and_the_findings(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    response = client.get(reverse("programs:programme_detail", args=[SON_LA]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "25.965 triệu đồng" in body
    assert "7.530 triệu đồng" in body
    assert "18.435 triệu đồng" in body
    assert "62,5" in body
    assert len(re.findall(r'href="/chuong-trinh/son-la-2026-2030/dong/\d+/"', body)) == 25
    # The finding by its label, never its machine code (issue 9, defect 7).
    assert "Tổng theo năm và nguồn in trong bảng là số làm tròn." in body
    assert "year-fund-total-rounding" not in body
    assert "<svg" in body


def test_the_programme_page_in_english(make_user, client, seed_programmes, settings):
    """Issue 9, defect 12: findings in English; content-group names stay Vietnamese (legal
    names of 2646/QĐ-BCT) but are marked as such, with the reason on hover."""
    from khuyencong.programs.models import ContentGroup

    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("programs:programme_detail", args=[SON_LA])).content.decode()
    assert "A year-and-fund total printed in the table is a rounding." in body
    assert "Tổng theo năm và nguồn" not in body
    group = ContentGroup.objects.get(code="nhom-1")
    assert (
        f'<span lang="vi" class="legal-name" title="Legal name as in the Vietnamese legal '
        f'document, not translated">{group.name}</span>'
    ) in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    body = client.get(reverse("programs:programme_detail", args=[SON_LA])).content.decode()
    assert 'class="legal-name"' not in body
    assert group.name in body


def test_the_programme_chart_names_content_groups_in_english(make_user, client, seed_programmes):
    """The chart's short names are labels, not legal names: in English they read in English."""
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("programs:programme_detail", args=[SON_LA])).content.decode()
    assert "1. Demonstration models, machinery, cleaner production" in body
    assert "Mô hình trình diễn, máy móc thiết bị, sản xuất sạch hơn" not in body


def test_khanh_hoa_page_shows_the_300000_dong_error(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_SCT, "56"))
    body = client.get(reverse("programs:programme_detail", args=[KHANH_HOA])).content.decode()
    assert "Tổng kinh phí khác tổng các nguồn ghi trong văn bản." in body
    assert "grand-total-mismatch" not in body
    assert "36.383.000.000" in body


def edit_payload(line, **overrides):
    data = {
        "group": line.group_id,
        "name": line.name,
        "unit_of_measure": line.unit_of_measure,
        "notes": "",
        "version": line.version,
    }
    for cell in line.cells.all():
        data[f"q_{cell.year}_{cell.fund}"] = pd.format_vn_number(cell.quantity)
        data[f"a_{cell.year}_{cell.fund}"] = pd.format_vn_number(Decimal(cell.amount) / pd.MILLION)
    data.update(overrides)
    return data


def son_la_line(order=1):
    return ActivityLine.objects.get(programme__code=SON_LA, order=order)


def test_centre_edits_a_line_with_vietnamese_numbers(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    line = son_la_line()
    url = reverse("programs:line_edit", args=[SON_LA, 1])
    assert client.get(url).status_code == 200
    response = client.post(url, edit_payload(line, q_2026_KCDP="2", a_2026_KCDP="1.062,5"))
    assert response.status_code == 302
    cell = AllocationCell.objects.get(line=line, year=2026, fund=pd.KCDP)
    assert cell.amount == 1_062_500_000
    assert cell.quantity == 2
    line.refresh_from_db()
    assert line.version == 2
    assert cell.history.count() >= 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("a_2026_KCDP", "abc", "không phải là số"),
        ("a_2026_KCDP", "-5", "không được âm"),
        ("a_2026_KCDP", "0,0000001", "số nguyên đồng"),
        # Issue 10: numbers of any length or size answer a message, never a 500 or a broken page.
        ("a_2026_KCDP", "9" * 5000, "dài 5000 ký tự, không phải một số hợp lệ"),
        ("a_2026_KCDP", str(2**64), "phải từ 0 đến 999.999.999.999.999 đồng"),
        ("q_2026_KCDP", "10000000000000", "Số lượng 2026 KCĐP phải từ 0 đến 999.999.999,999"),
        ("q_2026_KCDP", "0,0004", "chỉ ghi tối đa 3 chữ số thập phân"),
        ("name", "", "This field is required"),
    ],
)
def test_bad_line_input_is_refused_and_nothing_changes(
    field, value, message, make_user, client, seed_programmes
):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    line = son_la_line()
    before = list(line.cells.values_list("year", "fund", "quantity", "amount"))
    response = client.post(
        reverse("programs:line_edit", args=[SON_LA, 1]), edit_payload(line, **{field: value})
    )
    assert response.status_code == 200
    if field != "name":
        assert message in response.content.decode()
    assert list(line.cells.values_list("year", "fund", "quantity", "amount")) == before


def test_a_stale_line_edit_is_refused(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    line = son_la_line()
    stale = edit_payload(line, name="Bản cũ")
    assert (
        client.post(
            reverse("programs:line_edit", args=[SON_LA, 1]), edit_payload(line, name="Bản mới")
        ).status_code
        == 302
    )
    response = client.post(reverse("programs:line_edit", args=[SON_LA, 1]), stale)
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    assert son_la_line().name == "Bản mới"


def test_every_line_edit_moves_the_programme_version(make_user, seed_programmes):
    """Two officers edit two lines of the same programme, each page read before either edit:
    the programme's version counts both (an export taken before either is then stale)."""
    from khuyencong.programs import services

    centre = make_user(Role.PROVINCE_CENTRE, "14")
    before = Programme.objects.get(code=SON_LA).version
    first, second = son_la_line(1), son_la_line(2)
    first.programme, second.programme  # noqa: B018  (both read now, as their pages did)
    for line in (first, second):
        cells = {(c.year, c.fund): (c.quantity, c.amount) for c in line.cells.all()}
        services.update_line(
            actor=centre,
            line=line,
            expected_version=line.version,
            group=line.group,
            name=f"{line.name} (sửa)",
            unit_of_measure=line.unit_of_measure,
            notes="",
            cells=cells,
        )
    assert Programme.objects.get(code=SON_LA).version == before + 2


@pytest.mark.parametrize(
    ("role", "unit", "status"),
    [
        (Role.PROVINCE_SCT, "56", 404),  # Khánh Hòa: not even visible
        (Role.PROVINCE_CENTRE, "56", 404),
        (Role.PROVINCE_FINANCE, "14", 403),  # Sơn La, but the role may not edit
        (Role.COMMUNE_OFFICER, "03985", 403),  # sees the province's programme, never edits it
        (Role.NATIONAL_OFFICER, "VN", 403),  # the province owns its programme
    ],
)
def test_who_may_not_edit_son_la(role, unit, status, make_user, client, seed_programmes):
    client.force_login(make_user(role, unit))
    line = son_la_line()
    response = client.post(
        reverse("programs:line_edit", args=[SON_LA, 1]), edit_payload(line, name="Sửa trái phép")
    )
    assert response.status_code == status
    assert son_la_line().name != "Sửa trái phép"
    if status == 404:
        assert "Sơn La" not in response.content.decode()


def test_national_officer_is_told_who_owns_the_programme(make_user, client, seed_programmes):
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    response = client.get(reverse("programs:line_edit", args=[SON_LA, 1]))
    assert response.status_code == 403
    assert "Chỉ cán bộ của Sơn La" in response.content.decode()


def test_add_and_delete_a_line(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    group = son_la_line().group_id
    response = client.post(
        reverse("programs:line_add", args=[SON_LA]),
        {
            "group": group,
            "name": "Dòng mới",
            "unit_of_measure": "lớp",
            "a_2027_KCQG": "100",
            "q_2027_KCQG": "1",
        },
    )
    assert response.status_code == 302
    line = ActivityLine.objects.get(programme__code=SON_LA, name="Dòng mới")
    assert line.order == 26
    assert line.cells.get().amount == 100_000_000
    url = reverse("programs:line_delete", args=[SON_LA, 26])
    client.post(url, {"reason": "", "version": line.version})
    assert ActivityLine.objects.filter(pk=line.pk).exists()  # a reason is required
    client.post(url, {"reason": "Nhập nhầm", "version": line.version})
    assert not ActivityLine.objects.filter(pk=line.pk).exists()


def big_programme(n_lines: int) -> Programme:
    base = SEED_PROGRAMMES[SON_LA]
    lines = tuple(
        dataclasses.replace(base.lines[i % len(base.lines)], order=i + 1) for i in range(n_lines)
    )
    data = dataclasses.replace(base, code=f"thu-{n_lines}", lines=lines)
    return save_programme_data(data)


def test_programme_page_query_count_does_not_grow_with_lines(make_user, client):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))

    def queries(programme: Programme) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("programs:programme_detail", args=[programme.code]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert queries(big_programme(25)) == queries(big_programme(250))


def test_checker_sees_an_edit_that_breaks_the_totals(make_user, seed_programmes):
    cell = son_la_cells().first()
    cell.amount += 10_000_000  # 10 triệu đồng: more than a rounding of the printed totals
    cell.save()
    findings = check_programme(programme_to_data(programme_for_cli(SON_LA)))
    assert any(f.severity == "error" for f in findings)


def test_the_database_refuses_what_the_bounds_refuse(seed_programmes) -> None:
    """The CheckConstraints are built from the same bounds, on SQLite and PostgreSQL."""
    from django.db import IntegrityError, transaction

    cell = AllocationCell.objects.first()
    assert cell is not None
    for field, value in (("quantity", Decimal(10**10)), ("amount", 10**15)):
        with pytest.raises(IntegrityError), transaction.atomic():
            AllocationCell.objects.filter(pk=cell.pk).update(**{field: value})
