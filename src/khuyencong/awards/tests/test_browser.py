"""The selection's browser journey in the real Chromium, with screenshots, from the beginning:
the establishment registers its product with three colour photos (real JPEG/PNG files through
the file inputs) → the SCT opens a provincial round → the commune officer files the entry,
submits it and forwards it in the short-list (PL5) → the SCT accepts it, seats the council and
starts the scoring (a reserve judge seated beside the five: not assigned, not counted in the
odd jury) → the system keeps a judge who works in the product's commune off it; the chair sees
the entry short of a judge (the close refused), is refused that judge with the reason and
assigns the reserve → the
judges score in their own sessions (sealed: one never reads another's sheet) → the chair sees
the outlier flag and closes → the SCT publishes → decision and certificate downloaded → the
certificate's QR path opens the product's public page.

Fixtures give only the users, the units and the establishment (registry data); every step the
issue lists is taken in the browser by the user whose role takes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from khuyencong.accounts.models import Role
from khuyencong.awards.models import Certificate, Entry, Product, ScoreSheet, SelectionRound

from .conftest import CHIENG_SON, SON_LA, D, build_establishment
from .samples import colour_jpeg, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The council the SCT seats: (name, role in the council, judge?, reserve?, workplace commune
#: code). Five judges (odd) and a reserve judge; Giám khảo 4 is an officer of the product's
#: commune (a conflict).
COUNCIL = [
    ("Giám khảo 1", "chu-tich", True, False, ""),
    ("Giám khảo 2", "pho-chu-tich", True, False, ""),
    ("Giám khảo 3", "uy-vien", True, False, ""),
    ("Giám khảo 4", "uy-vien", True, False, CHIENG_SON),
    ("Giám khảo 5", "uy-vien", True, False, ""),
    ("Ủy viên 6", "uy-vien", False, False, ""),
    ("Thư ký 7", "thu-ky", False, False, ""),
    ("Giám khảo dự khuyết", "", True, True, ""),
]
#: Totals of the judges who score (Giám khảo 3 is the outlier: 55 against a mean of 80.50).
TOTALS = {"Giám khảo 1": 80, "Giám khảo 2": 82, "Giám khảo 3": 55, "Giám khảo 5": 81}
SUBSTITUTE_TOTAL = 79  # mean (80 + 82 + 55 + 81 + 79) / 5 = 75.40 ≥ 70: passes


def _photos(tmp_path: Path) -> dict[str, Path]:
    files = {
        "truoc": ("mat-truoc.jpg", colour_jpeg(1600, 1200, (40, 120, 60))),
        "ben": ("mat-ben.png", png_bytes()),
        "tren": ("mat-tren.jpg", colour_jpeg(1200, 1600, (150, 90, 30))),
    }
    out = {}
    for view, (name, content) in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        out[view] = path
    return out


def _save(page: Any) -> None:
    """The page's own form (the navigation bar has forms of its own)."""
    page.click('#noi-dung form[novalidate] button[type="submit"]')


def _step(page: Any, action: str) -> None:
    page.click(f'button[name="action"][value="{action}"]')


def _score(page: Any, total: int) -> None:
    share = {"thi-truong": 0.4, "kinh-te-ky-thuat": 0.4, "van-hoa": 0.1, "khac": 0.1}
    for name, part in share.items():
        page.fill(f'input[name="{name}"]', f"{total * part:g}".replace(".", ","))
    page.fill('textarea[name="comment"]', "Sản phẩm có thị trường ổn định.")
    page.click("#nop-phieu")
    expect(page.locator("#trang-thai-phieu")).to_contain_text("Đã nộp")


def _seat(
    page: Any, url: str, user: Any, role: str, judge: bool, reserve: bool, workplace: str
) -> None:
    page.goto(url)
    form = page.locator("#them-thanh-vien")
    form.locator('input[name="email"]').fill(user.email)
    form.locator('select[name="council_role"]').select_option(value=role)
    form.locator('input[name="is_judge"]').set_checked(judge)
    form.locator('input[name="is_reserve"]').set_checked(reserve)
    form.locator('input[name="workplace"]').fill(workplace)
    form.locator('button[type="submit"]').click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thêm vào hội đồng")
    table = "#giam-khao-du-khuyet" if reserve else "#thanh-vien"
    expect(page.locator(table)).to_contain_text(user.full_name)


def test_from_the_product_to_the_qr_page(
    units_loaded,
    unit,
    make_user,
    representative,
    live_server,
    on_day,
    page,
    screenshot,
    browser_login,
    tmp_path,
):
    url = live_server.url
    establishment = build_establishment(unit)
    owner = representative(establishment)
    commune_officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    sct = make_user(Role.PROVINCE_SCT, SON_LA)
    members = {}
    for name in [row[0] for row in COUNCIL]:
        members[name] = make_user(Role.COUNCIL_MEMBER, SON_LA)
        members[name].full_name = name
        members[name].save(update_fields=["full_name"])

    # 1. The establishment registers its product with its three colour photos.
    on_day(D(2026, 4, 6))
    browser_login(owner)
    page.goto(url + reverse("awards:product_create"))
    page.fill('input[name="name"]', "Chè Shan tuyết Chiềng Sơn")
    page.select_option('select[name="group"]', "2")
    page.fill('textarea[name="description"]', "Chè xanh sao tay từ cây chè Shan tuyết cổ thụ.")
    _save(page)
    expect(page.locator("#thieu-anh")).to_contain_text("mặt trước")
    for view, path in _photos(tmp_path).items():
        page.select_option('#tai-anh select[name="view"]', view)
        page.set_input_files('#tai-anh input[name="image"]', str(path))
        page.click('#tai-anh button[type="submit"]')
        expect(page.locator(".alert-success")).to_contain_text("Đã tải lên ảnh")
    expect(page.locator("#thieu-anh")).to_have_count(0)
    expect(page.locator("img.figure-img")).to_have_count(3)
    screenshot("binh-chon-co-so-dang-ky-san-pham")
    product = Product.objects.get(establishment=establishment)

    # 2. The SCT opens a provincial round.
    browser_login(sct)
    page.goto(url + reverse("awards:round_create"))
    page.fill('input[name="title"]', "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Sơn La năm 2026")
    page.fill(
        'textarea[name="legal_basis"]', "Kế hoạch số 12/KH-SCT ngày 02/3/2026 của Sở Công Thương"
    )
    for name, day in (
        ("registration_opens", "01/04/2026"),
        ("registration_closes", "30/06/2026"),
        ("scoring_opens", "01/07/2026"),
        ("scoring_closes", "30/09/2026"),
    ):
        page.fill(f'input[name="{name}"]', day)
    _save(page)
    expect(page.locator("#trang-thai")).to_contain_text("Dự thảo")
    _step(page, "mo")
    expect(page.locator("#trang-thai")).to_contain_text("Đang nhận hồ sơ")
    round_ = SelectionRound.objects.get()
    assert (round_.level, round_.pass_mark, round_.council_min) == ("tinh", 70, 7)
    round_url = url + reverse("awards:round_detail", args=[round_.code])

    # 3. The commune officer files the entry on the establishment's behalf, submits, forwards.
    browser_login(commune_officer)
    page.goto(round_url)
    page.click(f'a[href="{reverse("awards:entry_create", args=[round_.code])}"]')
    expect(page.locator("body")).to_contain_text(product.name)
    page.click(f'a[href="?san_pham={product.pk}"]')
    page.fill('input[name="representative"]', "Lò Văn Chè")
    page.fill('input[name="phone"]', "0912 345 678")
    page.check('input[name="commitment"]')
    _save(page)
    expect(page.locator("#trang-thai")).to_contain_text("Đang soạn")
    _step(page, "nop")
    expect(page.locator("#trang-thai")).to_contain_text("Đã nộp")
    page.goto(url + reverse("awards:forward", args=[round_.code]))
    expect(page.locator("#bang-de-xuat")).to_contain_text(product.name)
    page.fill('input[name="letter"]', "25/UBND-KT")
    _save(page)
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi danh sách đề xuất")
    with page.expect_download() as shortlist:
        page.click("#tai-pl5")
    assert shortlist.value.suggested_filename.endswith(".xlsx")
    screenshot("binh-chon-xa-de-xuat-pl5")
    entry = Entry.objects.get(product=product)
    assert entry.status == "de-xuat"

    # 4. The SCT accepts the entry, seats the council and starts the scoring.
    browser_login(sct)
    page.goto(url + reverse("awards:entry_detail", args=[entry.pk]))
    expect(page.locator("body")).to_contain_text("Đề xuất bởi Xã Chiềng Sơn")
    _step(page, "chap-nhan")
    expect(page.locator("#trang-thai")).to_contain_text("Hợp lệ")
    council_url = url + reverse("awards:council", args=[round_.code])
    for name, role, judge, reserve, workplace in COUNCIL:
        _seat(page, council_url, members[name], role, judge, reserve, workplace)
    expect(page.locator("#hoi-dong-chua-du")).to_have_count(0)  # 5 judges: the reserve aside
    screenshot("binh-chon-so-cong-thuong-hoi-dong")
    page.goto(round_url)
    _step(page, "bat-dau-cham")
    expect(page.locator("#trang-thai")).to_contain_text("Đang chấm điểm")
    assert not ScoreSheet.objects.filter(member__full_name="Giám khảo 4").exists()
    assert not ScoreSheet.objects.filter(member__full_name="Giám khảo dự khuyết").exists()

    # 5. The chair sees the conflict and the entry short of a judge (the close refused), is
    # refused the conflicted judge with the reason, and assigns the reserve judge.
    browser_login(members["Giám khảo 1"])
    page.goto(council_url)
    conflicts = page.locator("#xung-dot + table")
    expect(conflicts).to_contain_text("Giám khảo 4")
    expect(conflicts).to_contain_text("cán bộ của Xã Chiềng Sơn")
    expect(page.locator("#ho-so-thieu-giam-khao")).to_contain_text(f"{product.name} — 4/5")
    expect(page.locator("#chua-khoa-duoc")).to_contain_text("có 4 phiếu chấm, cần 5")
    page.select_option("#phan-cong-thanh-vien", label="Giám khảo 4")
    page.click('form[action$="/phan-cong/"] button[type="submit"]')
    expect(page.locator(".alert-danger")).to_contain_text("Không phân công Giám khảo 4")
    page.select_option("#phan-cong-thanh-vien", label="Giám khảo dự khuyết")
    page.click('form[action$="/phan-cong/"] button[type="submit"]')
    expect(page.locator(".alert-success")).to_contain_text("Đã phân công")
    expect(page.locator("#thieu-giam-khao")).to_have_count(0)
    expect(page.locator("#hoi-dong-chua-du")).to_have_count(0)  # no even-jury warning
    screenshot("binh-chon-chu-tich-phan-cong")

    # 6. Each judge scores alone, from their own list; another's sheet stays sealed.
    on_day(D(2026, 7, 15))
    scorers = {**TOTALS, "Giám khảo dự khuyết": SUBSTITUTE_TOTAL}
    for n, (name, total) in enumerate(scorers.items()):
        browser_login(members[name])
        page.goto(url + reverse("awards:judge_home", args=[round_.code]))
        expect(page.locator("#phieu-cua-toi tbody tr")).to_have_count(1)
        page.click(f"#phieu-cua-toi a:has-text('{product.name}')")
        _score(page, total)
        if n < 3:
            screenshot(f"binh-chon-giam-khao-{n + 1}-nop-phieu")
        other = ScoreSheet.objects.exclude(member__user=members[name]).first()
        assert other is not None
        response = page.goto(url + reverse("awards:sheet", args=[other.pk]))
        assert response is not None
        assert response.status in (403, 404)  # sealed until the close

    # 7. The chair sees who submitted and the outlier flag, and closes.
    browser_login(members["Giám khảo 1"])
    page.goto(council_url)
    progress = page.locator("#tien-do + table")  # who has submitted, never what
    expect(progress).to_contain_text("Giám khảo dự khuyết")
    for total in scorers.values():
        expect(progress).not_to_contain_text(str(total))
    expect(page.locator("#diem-lech + ul")).to_contain_text("Giám khảo 3")
    screenshot("binh-chon-chu-tich-canh-bao-diem-lech")
    expect(page.locator("#chua-khoa-duoc")).to_have_count(0)
    page.click("#khoa-cham")
    expect(page.locator("#trang-thai")).to_contain_text("Đã khóa chấm")
    page.goto(council_url)  # the jury stays odd: no warning about its size, ever
    expect(page.locator("#hoi-dong-chua-du")).to_have_count(0)
    expect(page.locator("#giam-khao-du-khuyet")).to_contain_text("Giám khảo dự khuyết")

    # 8. The SCT publishes; the decision and the certificate are downloaded.
    browser_login(sct)
    page.goto(url + reverse("awards:results", args=[round_.code]))
    expect(page.locator("#bang-ket-qua")).to_contain_text("75,40")
    expect(page.locator("#bang-ket-qua")).to_contain_text("Đạt")
    page.fill('input[name="decision_number"]', "1234/QĐ-UBND")
    page.fill('input[name="decision_date"]', "15/07/2026")
    screenshot("binh-chon-so-cong-thuong-cong-bo")
    page.click("#nut-cong-bo")
    expect(page.locator("body")).to_contain_text("Đã công bố")
    decision = reverse("awards:round_document", args=[round_.code, "quyet-dinh", "pdf"])
    with page.expect_download() as download:
        page.click(f'a[href="{decision}"]')
    assert download.value.suggested_filename.endswith(".pdf")
    certificate = Certificate.objects.get(entry=entry)
    page.goto(url + reverse("awards:certificate_detail", args=[certificate.pk]))
    public = page.locator("#duong-dan-cong-khai")
    expect(public).to_contain_text(f"/c/{certificate.code}")
    with page.expect_download() as download:
        page.click("#tai-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot("binh-chon-giay-chung-nhan")

    # 9. The QR code's address opens the product's public page (anyone, signed out).
    page.context.clear_cookies()
    page.goto(url + urlparse(public.inner_text()).path)
    expect(page.locator("body")).to_contain_text(product.name)
    expect(page.locator("body")).to_contain_text(certificate.number)
    screenshot("binh-chon-ma-qr-trang-cong-khai")
