"""Rounds (open by the level's organiser, legal numbers copied, edit until registration,
extension with a reason) and entries (filing, completeness, the lower-level certificate rule,
forwarding in a short-list, review) — services and pages."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.awards.models import (
    Certificate,
    Entry,
    EntryTransition,
    LevelRule,
    RoundExtension,
    SelectionRound,
)
from khuyencong.awards.services import SelectionError, SelectionInvalid
from khuyencong.awards.services import entries as entry_services
from khuyencong.awards.services import products as product_services
from khuyencong.awards.services import rounds as services
from khuyencong.core.concurrency import StaleEditError
from khuyencong.notifications.models import Notification

from .conftest import (
    CHIENG_SON,
    KHANH_HOA,
    NATION,
    SON_LA,
    TO_HIEU,
    build_entry,
    build_establishment,
    build_product,
    build_round,
)
from .samples import colour_jpeg, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_may_2026")]
D = datetime.date


def round_data(**overrides):
    values = {
        "title": "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Sơn La năm 2026",
        "year": 2026,
        "legal_basis": "Kế hoạch số 12/KH-SCT ngày 2/3/2026 của Sở Công Thương",
        "registration_opens": D(2026, 5, 10),
        "registration_closes": D(2026, 6, 30),
        "scoring_opens": D(2026, 7, 1),
        "scoring_closes": D(2026, 9, 30),
    }
    values.update(overrides)
    return services.RoundData(**values)


@pytest.fixture
def sct(make_user):
    return make_user(Role.PROVINCE_SCT, SON_LA)


@pytest.fixture
def commune_officer(make_user):
    return make_user(Role.COMMUNE_OFFICER, CHIENG_SON)


def with_photos(product, actor):
    for view in ("truoc", "ben", "tren"):
        product_services.add_photo(
            actor=actor, product=product, view=view, upload=upload(colour_jpeg())
        )
    return product


ENTRY = entry_services.EntryData(
    representative="Lò Văn Chè", phone="0912 345 678", description="Chè sao tay", commitment=True
)


# -------------------------------------------------------------------------------- rounds
def test_the_sct_opens_a_province_round_with_the_levels_legal_numbers(sct, unit):
    round_ = services.create_round(actor=sct, unit=unit(SON_LA), level="tinh", data=round_data())
    assert round_.code == "tinh-son-la-2026"
    assert round_.status == "nhap"
    assert (round_.pass_mark, round_.council_min, round_.council_max) == (70, 7, 9)
    assert [c["cap"] for c in round_.criteria] == ["40", "40", "10", "10"]
    assert round_.fund == "KCDP"
    assert round_.province == unit(SON_LA)
    assert "26/2014/TT-BCT" in round_.pass_mark_basis
    again = services.create_round(actor=sct, unit=unit(SON_LA), level="tinh", data=round_data())
    assert again.code == "tinh-son-la-2026-2"


def test_a_units_name_with_marks_a_url_cannot_carry_still_makes_a_slug_code(sct, unit, client):
    # Regression (bench-national at scale 0.01): the commune "Cư M’ta" gave the code
    # "xa-cu-m’ta-2030", which no URL can carry, so the round list answered 500.
    province = unit(SON_LA)
    province.name = "Cư M’ta (thử)"
    province.save(update_fields=["name"])
    round_ = services.create_round(actor=sct, unit=province, level="tinh", data=round_data())
    assert round_.code == "tinh-cu-mta-thu-2026"
    client.force_login(sct)
    listing = client.get(reverse("awards:round_list"))
    assert listing.status_code == 200
    assert reverse("awards:round_detail", args=[round_.code]) in listing.content.decode()


def test_a_later_rule_row_applies_to_later_rounds_only(sct, unit):
    rule = LevelRule.objects.get(level="tinh")
    rule.pk = None
    rule.effective_from = D(2027, 1, 1)
    rule.pass_mark = Decimal(75)
    rule.save()
    assert (
        services.create_round(
            actor=sct, unit=unit(SON_LA), level="tinh", data=round_data()
        ).pass_mark
        == 70
    )
    later = round_data(
        year=2027,
        registration_opens=D(2027, 3, 1),
        registration_closes=D(2027, 6, 1),
        scoring_opens=D(2027, 6, 2),
        scoring_closes=D(2027, 7, 1),
    )
    assert (
        services.create_round(actor=sct, unit=unit(SON_LA), level="tinh", data=later).pass_mark
        == 75
    )


@pytest.mark.parametrize(
    ("role", "where", "level", "message"),
    [
        (Role.PROVINCE_SCT, SON_LA, "xa", "do Ủy ban nhân dân xã, phường tổ chức"),
        (Role.COMMUNE_OFFICER, CHIENG_SON, "tinh", "do Sở Công Thương"),
        (Role.PROVINCE_SCT, SON_LA, "quoc-gia", "do Cục Đổi mới sáng tạo"),
    ],
)
def test_each_level_is_organised_by_its_own_unit(make_user, unit, role, where, level, message):
    actor = make_user(role, where)
    with pytest.raises(SelectionError, match=message):
        services.create_round(actor=actor, unit=unit(where), level=level, data=round_data())


def test_others_may_not_open_rounds(make_user, unit):
    for actor, where in (
        (make_user(Role.PROVINCE_CENTRE, SON_LA), SON_LA),
        (make_user(Role.PROVINCE_SCT, KHANH_HOA), SON_LA),
        (make_user(Role.ESTABLISHMENT, CHIENG_SON), CHIENG_SON),
        (make_user(Role.COUNCIL_MEMBER, SON_LA), SON_LA),
    ):
        with pytest.raises(PermissionDenied):
            services.create_round(actor=actor, unit=unit(where), level="tinh", data=round_data())


def test_bad_settings_are_named_field_by_field(sct, unit):
    bad = round_data(
        title=" ",
        registration_closes=D(2026, 5, 1),
        pass_mark=Decimal(120),
        criteria=[
            {
                "code": "a",
                "name": "A",
                "cap": "40",
                "bands": [{"code": "b", "name": "B", "cap": "10"}],
            }
        ],
        max_passing=20,
    )
    with pytest.raises(SelectionInvalid) as caught:
        services.create_round(actor=sct, unit=unit(SON_LA), level="tinh", data=bad)
    assert set(caught.value.problems) == {
        "title",
        "registration_closes",
        "pass_mark",
        "pass_mark_basis",
        "criteria",
        "max_passing_basis",
    }
    assert not SelectionRound.objects.exists()


def test_a_regional_round_covers_its_regions_provinces(make_user, unit):
    from khuyencong.awards.models import Region

    national = make_user(Role.NATIONAL_OFFICER, NATION)
    with pytest.raises(SelectionInvalid, match="Chọn khu vực"):
        services.create_round(actor=national, unit=unit(NATION), level="khu-vuc", data=round_data())
    region = Region.objects.get(code="mien-bac")
    round_ = services.create_round(
        actor=national, unit=unit(NATION), level="khu-vuc", data=round_data(region=region)
    )
    codes = set(round_.provinces.values_list("code", flat=True))
    assert len(codes) == 15
    assert SON_LA in codes
    assert round_.province is None
    assert round_.fund == "KCQG"


def test_edit_until_registration_opens_then_only_extend_with_a_reason(sct, unit, on_day):
    round_ = services.create_round(actor=sct, unit=unit(SON_LA), level="tinh", data=round_data())
    round_ = services.update_round(
        actor=sct,
        round_=round_,
        expected_version=1,
        data=round_data(pass_mark=Decimal(72), pass_mark_basis="QĐ 5/QĐ-UBND"),
    )
    assert round_.pass_mark == 72
    with pytest.raises(StaleEditError):
        services.update_round(actor=sct, round_=round_, expected_version=1, data=round_data())
    round_ = services.open_round(actor=sct, round_=round_, expected_version=round_.version)
    # Open, but registration starts 10/5: still editable until then.
    round_ = services.update_round(
        actor=sct, round_=round_, expected_version=round_.version, data=round_data()
    )
    on_day(D(2026, 5, 12))
    with pytest.raises(SelectionError, match="đã bắt đầu nhận hồ sơ"):
        services.update_round(
            actor=sct, round_=round_, expected_version=round_.version, data=round_data()
        )
    with pytest.raises(SelectionInvalid, match="Cần ghi lý do gia hạn"):
        services.extend_round(
            actor=sct,
            round_=round_,
            expected_version=round_.version,
            window=RoundExtension.REGISTRATION,
            new_date=D(2026, 7, 15),
            reason=" ",
        )
    with pytest.raises(SelectionInvalid, match="Hạn mới phải sau hạn hiện tại"):
        services.extend_round(
            actor=sct,
            round_=round_,
            expected_version=round_.version,
            window=RoundExtension.REGISTRATION,
            new_date=D(2026, 6, 30),
            reason="x",
        )
    services.extend_round(
        actor=sct,
        round_=round_,
        expected_version=round_.version,
        window=RoundExtension.REGISTRATION,
        new_date=D(2026, 7, 15),
        reason="Mưa lũ",
    )
    round_.refresh_from_db()
    assert round_.registration_deadline() == D(2026, 7, 15)
    assert ActivityEvent.objects.filter(
        event_type=EventType.SELECTION_ROUND, comment="Mưa lũ"
    ).exists()


def test_opening_notifies_the_communes_and_cancelling_needs_a_reason(sct, unit, commune_officer):
    round_ = services.create_round(actor=sct, unit=unit(SON_LA), level="tinh", data=round_data())
    services.open_round(actor=sct, round_=round_, expected_version=1)
    assert Notification.objects.filter(recipient=commune_officer, kind="binh-chon").exists()
    round_.refresh_from_db()
    with pytest.raises(SelectionInvalid):
        services.cancel_round(actor=sct, round_=round_, expected_version=round_.version, reason="")
    services.cancel_round(
        actor=sct, round_=round_, expected_version=round_.version, reason="Thiếu kinh phí"
    )
    round_.refresh_from_db()
    assert (round_.status, round_.cancel_reason) == ("huy", "Thiếu kinh phí")


# -------------------------------------------------------------------------------- entries
def test_a_commune_round_entry_is_filed_checked_and_accepted(
    unit, representative, establishment, commune_officer
):
    round_ = build_round(unit, level="xa", code="xa-2026", organiser=CHIENG_SON)
    product = build_product(establishment)
    owner = representative(establishment)
    entry = entry_services.create_entry(actor=owner, round_=round_, product=product, data=ENTRY)
    with pytest.raises(SelectionInvalid) as caught:
        entry_services.submit_entry(actor=owner, entry=entry, expected_version=1)
    assert "mặt trước, mặt bên, mặt trên" in caught.value.problems["photos"][0]
    with_photos(product, owner)
    entry = entry_services.submit_entry(actor=owner, entry=entry, expected_version=1)
    assert entry.status == "da-nop"
    assert Notification.objects.filter(recipient=commune_officer).exists()
    with pytest.raises(SelectionError, match="Thao tác không hợp lệ"):
        entry_services.review_entry(
            actor=commune_officer, entry=entry, action="de-xuat", expected_version=entry.version
        )
    with pytest.raises(SelectionInvalid, match="Cần ghi lý do"):
        entry_services.review_entry(
            actor=commune_officer, entry=entry, action="tra-lai", expected_version=entry.version
        )
    entry = entry_services.review_entry(
        actor=commune_officer,
        entry=entry,
        action="tra-lai",
        expected_version=entry.version,
        reason="Bổ sung giấy ATTP",
    )
    assert (entry.status, entry.return_reason) == ("tra-lai", "Bổ sung giấy ATTP")
    assert Notification.objects.filter(recipient=owner, body="Bổ sung giấy ATTP").exists()
    entry = entry_services.update_entry(
        actor=owner, entry=entry, expected_version=entry.version, data=ENTRY
    )
    entry = entry_services.submit_entry(actor=owner, entry=entry, expected_version=entry.version)
    with pytest.raises(PermissionDenied):
        entry_services.review_entry(
            actor=owner, entry=entry, action="chap-nhan", expected_version=entry.version
        )
    entry = entry_services.review_entry(
        actor=commune_officer, entry=entry, action="chap-nhan", expected_version=entry.version
    )
    assert entry.status == "hop-le"
    assert list(EntryTransition.objects.filter(entry=entry).values_list("action", flat=True)) == [
        "tao",
        "nop",
        "tra-lai",
        "nop",
        "chap-nhan",
    ]


def test_filing_is_refused_outside_the_window_area_or_twice(unit, representative, on_day):
    from khuyencong.awards.models import Region

    round_ = build_round(unit)
    product = build_product(build_establishment(unit))
    owner = representative(product.establishment)
    kh = build_product(build_establishment(unit, "22333", "Cơ sở Khánh Hòa"), "Yến sào")
    kh_owner = representative(kh.establishment)
    # Khánh Hòa does not see Sơn La's round at all...
    with pytest.raises(PermissionDenied):
        entry_services.create_entry(actor=kh_owner, round_=round_, product=kh, data=ENTRY)
    # ... and sees the northern region's round, whose area it is not in.
    north = build_round(unit, level="khu-vuc", code="mien-bac-2026", organiser=NATION)
    north.region = Region.objects.get(code="mien-bac")
    north.save()
    north.provinces.set(north.region.provinces())
    with pytest.raises(SelectionError, match="ngoài địa bàn"):
        entry_services.create_entry(actor=kh_owner, round_=north, product=kh, data=ENTRY)
    entry_services.create_entry(actor=owner, round_=round_, product=product, data=ENTRY)
    with pytest.raises(SelectionError, match="đã có hồ sơ trong kỳ này"):
        entry_services.create_entry(actor=owner, round_=round_, product=product, data=ENTRY)
    on_day(D(2026, 7, 2))
    other = build_product(product.establishment, "Chè búp")
    with pytest.raises(SelectionError, match="đã hết hạn nhận hồ sơ ngày 30/6/2026"):
        entry_services.create_entry(actor=owner, round_=round_, product=other, data=ENTRY)


def _certificate(entry, number, issued, until, revoked=None):
    return Certificate.objects.create(
        number=number,
        code=number.replace("/", "")[:16],
        entry=entry,
        product=entry.product,
        establishment=entry.establishment,
        round=entry.round,
        level=entry.round.level,
        commune=entry.commune,
        issued_on=issued,
        valid_until=until,
        decision="5/QĐ-UBND",
        revoked_on=revoked,
        revocation_reason="Vi phạm" if revoked else "",
    )


def test_above_the_commune_the_lower_certificate_is_needed_when_the_commune_held_a_round(
    unit, representative, establishment
):
    province_round = build_round(unit)
    commune_round = build_round(unit, level="xa", code="xa-2025", organiser=CHIENG_SON, year=2025)
    product = build_product(establishment)
    owner = representative(establishment)
    with_photos(product, owner)
    entry = entry_services.create_entry(
        actor=owner, round_=province_round, product=product, data=ENTRY
    )
    # No commune round in 2026: the commune's proposal stands in; the entry waits for it.
    entry = entry_services.submit_entry(actor=owner, entry=entry, expected_version=1)
    assert "cần cấp dưới đề xuất" in entry.prerequisite_note
    # Now the commune held a round in 2026 and the product has only an expired certificate.
    build_round(unit, level="xa", code="xa-2026", organiser=CHIENG_SON, status="da-cong-bo")
    old = build_entry(commune_round, product)
    _certificate(old, "004/2023/GCN-X03985", D(2023, 5, 1), D(2025, 12, 31))
    second = build_product(establishment, "Chè búp")
    with_photos(second, owner)
    late = entry_services.create_entry(
        actor=owner, round_=province_round, product=second, data=ENTRY
    )
    with pytest.raises(
        SelectionError, match=r"chưa có giấy chứng nhận .* cấp xã\. Năm 2026 Xã Chiềng Sơn"
    ):
        entry_services.submit_entry(actor=owner, entry=late, expected_version=1)
    third = entry_services.create_entry(
        actor=owner, round_=build_round(unit, code="son-la-2026-b"), product=product, data=ENTRY
    )
    with pytest.raises(
        SelectionError, match=r"số 004/2023/GCN-X03985 .* đã hết hiệu lực ngày 31/12/2025"
    ):
        entry_services.submit_entry(actor=owner, entry=third, expected_version=1)
    valid = build_entry(
        build_round(unit, level="xa", code="xa-2026-b", organiser=CHIENG_SON), product
    )
    certificate = _certificate(valid, "001/2026/GCN-X03985", D(2026, 4, 1), D(2028, 12, 31))
    third = entry_services.submit_entry(actor=owner, entry=third, expected_version=1)
    assert third.basis_certificate == certificate
    assert third.prerequisite_note == ""


def test_the_commune_forwards_its_short_list_and_the_sct_accepts(
    unit, representative, establishment, commune_officer, sct, libreoffice_pdf
):
    round_ = build_round(unit)
    owner = representative(establishment)
    products = [
        with_photos(build_product(establishment, name), owner) for name in ("Chè Shan", "Chè búp")
    ]
    entries = [
        entry_services.submit_entry(
            actor=owner,
            entry=entry_services.create_entry(actor=owner, round_=round_, product=p, data=ENTRY),
            expected_version=1,
        )
        for p in products
    ]
    with pytest.raises(SelectionError, match="chưa được cấp dưới đề xuất"):
        entry_services.review_entry(
            actor=sct, entry=entries[0], action="chap-nhan", expected_version=entries[0].version
        )
    # Another commune cannot forward them; nor can the SCT (the commune proposes to the province).
    with pytest.raises(PermissionDenied):
        entry_services.forward_entries(
            actor=sct, round_=round_, unit=unit(CHIENG_SON), entries=entries
        )
    other = build_product(build_establishment(unit, TO_HIEU, "HTX Tô Hiệu"), "Mận")
    other_entry = build_entry(round_, other, status="da-nop")
    with pytest.raises(SelectionError, match=r"Mận .*không thuộc địa bàn"):
        entry_services.forward_entries(
            actor=commune_officer,
            round_=round_,
            unit=unit(CHIENG_SON),
            entries=[*entries, other_entry],
        )
    forwarding = entry_services.forward_entries(
        actor=commune_officer,
        round_=round_,
        unit=unit(CHIENG_SON),
        entries=entries,
        letter="45/UBND-KT",
    )
    assert set(Entry.objects.filter(forwarding=forwarding).values_list("status", flat=True)) == {
        "de-xuat"
    }
    assert Notification.objects.filter(recipient=sct, title__contains="đề xuất 2 sản phẩm").exists()
    entry = Entry.objects.get(pk=entries[0].pk)
    entry = entry_services.review_entry(
        actor=sct, entry=entry, action="chap-nhan", expected_version=entry.version
    )
    assert entry.status == "hop-le"
    # The short-list as .xlsx, opened by LibreOffice.
    from khuyencong.awards import exporting

    rows = list(
        Entry.objects.filter(forwarding=forwarding)
        .select_related("product", "establishment", "commune", "basis_certificate")
        .order_by("product__name_folded")
    )
    content = exporting.shortlist_xlsx(rows)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]][:4] == [
        "STT",
        "Tên sản phẩm",
        "Nhóm sản phẩm",
        "Cơ sở sản xuất",
    ]
    assert [sheet.cell(row=r, column=2).value for r in (2, 3)] == ["Chè búp", "Chè Shan"]
    libreoffice_pdf(content, "pl5.xlsx")


# -------------------------------------------------------------------------------- pages
def test_round_pages_follow_the_scope(client, make_user, unit, sct):
    round_ = build_round(unit, status="nhap")
    url = reverse("awards:round_detail", args=[round_.code])
    client.force_login(make_user(Role.PROVINCE_SCT, KHANH_HOA))
    assert client.get(url).status_code == 404
    assert round_.title not in client.get(reverse("awards:round_list")).content.decode()
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    assert client.get(url).status_code == 200
    response = client.get(reverse("awards:round_edit", args=[round_.code]))
    assert response.status_code == 403
    assert "nằm ngoài phạm vi Xã Chiềng Sơn" in response.content.decode()
    client.force_login(make_user(Role.PROVINCE_CENTRE, SON_LA))
    response = client.get(reverse("awards:round_edit", args=[round_.code]))
    assert "không được phép tổ chức kỳ bình chọn" in response.content.decode()
    client.force_login(sct)
    page = client.get(url).content.decode()
    assert "Mở nhận hồ sơ" in page
    response = client.post(
        reverse("awards:round_step", args=[round_.code]), {"action": "mo", "version": "1"}
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == "nhan-ho-so"


def test_create_a_round_over_http_with_criteria_as_text(client, sct):
    client.force_login(sct)
    assert client.get(reverse("awards:round_create")).status_code == 200
    response = client.post(
        reverse("awards:round_create"),
        {
            "level": "tinh",
            "title": "Bình chọn cấp tỉnh 2026",
            "year": "2026",
            "legal_basis": "KH 12/KH-SCT",
            "registration_opens": "10/5/2026",
            "registration_closes": "30/6/2026",
            "scoring_opens": "1/7/2026",
            "scoring_closes": "30/9/2026",
            "criteria": (
                "Thị trường | 40\n  - Thị phần | 25\n  - Tăng trưởng | 15\n"
                "Hiệu quả | 40\nVăn hóa | 10\nKhác | 10"
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    round_ = SelectionRound.objects.get()
    assert [b["cap"] for b in round_.criteria[0]["bands"]] == ["25", "15"]
    response = client.post(
        reverse("awards:round_edit", args=[round_.code]),
        {
            "title": "x",
            "year": "2026",
            "legal_basis": "x",
            "registration_opens": "10/5/2026",
            "registration_closes": "30/6/2026",
            "scoring_opens": "1/7/2026",
            "scoring_closes": "30/9/2026",
            "criteria": "Thị trường 40",
            "version": "1",
        },
    )
    assert "Dòng 1: ghi “Tên tiêu chí | điểm tối đa”" in response.content.decode()


def test_entry_pages_and_the_short_list_download(
    client, unit, representative, establishment, commune_officer, make_user
):
    round_ = build_round(unit)
    owner = representative(establishment)
    product = with_photos(build_product(establishment), owner)
    client.force_login(owner)
    response = client.get(reverse("awards:entry_create", args=[round_.code]))
    assert product.name in response.content.decode()
    response = client.post(
        reverse("awards:entry_create", args=[round_.code]) + f"?san_pham={product.pk}",
        {
            "representative": "Lò Văn Chè",
            "phone": "0912345678",
            "description": "Chè",
            "commitment": "on",
        },
    )
    entry = Entry.objects.get()
    assert response.url == reverse("awards:entry_detail", args=[entry.pk])
    page = client.get(response.url).content.decode()
    assert "Nộp hồ sơ" in page
    client.post(reverse("awards:entry_step", args=[entry.pk]), {"action": "nop", "version": "1"})
    entry.refresh_from_db()
    assert entry.status == "da-nop"
    client.force_login(make_user(Role.COMMUNE_OFFICER, TO_HIEU))
    assert client.get(reverse("awards:entry_detail", args=[entry.pk])).status_code == 404
    assert client.get(reverse("awards:forward", args=[round_.code])).status_code == 200
    client.force_login(commune_officer)
    page = client.get(reverse("awards:forward", args=[round_.code])).content.decode()
    assert product.name in page
    client.post(
        reverse("awards:forward", args=[round_.code]), {"entries": [entry.pk], "letter": "45/UBND"}
    )
    entry.refresh_from_db()
    assert entry.status == "de-xuat"
    download = client.get(
        reverse("awards:shortlist_export", args=[round_.code, entry.forwarding_id])
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        load_workbook(io.BytesIO(download.content)).active.cell(row=2, column=2).value
        == product.name
    )
    client.force_login(make_user(Role.COMMUNE_OFFICER, TO_HIEU))
    assert (
        client.get(
            reverse("awards:shortlist_export", args=[round_.code, entry.forwarding_id])
        ).status_code
        == 404
    )
    client.force_login(owner)
    assert client.get(reverse("awards:forward", args=[round_.code])).status_code == 403


def test_the_sct_checks_a_forwarded_entry_through_its_page(
    client, unit, representative, establishment, sct, make_user
):
    """Regression: the step form asked the policy about the organiser's step on the entry (its
    commune) instead of on the round, so the SCT was refused (403) the button its page shows."""
    round_ = build_round(unit)
    product = with_photos(build_product(establishment), representative(establishment))
    entry = build_entry(round_, product, status="de-xuat")
    client.force_login(sct)
    page = client.get(reverse("awards:entry_detail", args=[entry.pk])).content.decode()
    assert 'value="chap-nhan"' in page
    response = client.post(
        reverse("awards:entry_step", args=[entry.pk]),
        {"action": "chap-nhan", "version": entry.version},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "hop-le"
    # Another province's SCT still takes no step on it (the entry is out of its scope).
    client.force_login(make_user(Role.PROVINCE_SCT, KHANH_HOA))
    response = client.post(
        reverse("awards:entry_step", args=[entry.pk]), {"action": "tra-lai", "version": "2"}
    )
    assert response.status_code == 404


def test_a_refused_step_says_the_policys_own_reason(
    client, unit, establishment, representative, make_user
):
    """Regression: ``refusal or decision`` kept the last refusal's successor (a refusal is
    falsy), so every refused step said the generic sentence instead of the policy's reason."""
    from khuyencong.accounts import policy
    from khuyencong.awards.views.entries import STEP_ACTIONS, _step_decision, _step_target

    round_ = build_round(unit)
    entry = build_entry(
        round_,
        with_photos(build_product(establishment), representative(establishment)),
        status="de-xuat",
    )
    council = make_user(Role.COUNCIL_MEMBER, SON_LA)
    first = next(
        policy.can(council, action, target)
        for action in STEP_ACTIONS
        if (target := _step_target(entry, action)) is not None
    )
    assert not first
    decision = _step_decision(council, entry)
    assert not decision
    assert decision.reason == first.reason
    assert decision.reason != "Bạn không được phép thực hiện thao tác này."
