"""The rate table and calculator pages: who reads, who edits, stale edits, history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.norms.models import NormContent, SupportNorm

pytestmark = pytest.mark.django_db
LIST = reverse("norms:norm_list")
CREATE = reverse("norms:norm_create")
CALCULATOR = reverse("norms:calculator")
M = 1_000_000

ROLES = [
    (Role.COMMUNE_OFFICER, "03985"),
    (Role.PROVINCE_CENTRE, "14"),
    (Role.PROVINCE_SCT, "14"),
    (Role.PROVINCE_FINANCE, "14"),
    (Role.NATIONAL_OFFICER, "VN"),
    (Role.COUNCIL_MEMBER, "14"),
    (Role.ESTABLISHMENT, "03985"),
]


def machinery() -> SupportNorm:
    return SupportNorm.objects.get(content__code="may-moc-thiet-bi", fund="KCQG")


def form_data(norm: SupportNorm | None = None, **changes):
    data = {
        "content": NormContent.objects.get(code="may-moc-thiet-bi").pk,
        "fund": "KCDP",
        "jurisdiction": "",
        "legal_basis": "Nghị quyết 109/2025/NQ-HĐND tỉnh Sơn La",
        "max_percent": "70",
        "cap_per_unit": "250",
        "unit": "cơ sở",
        "priority_multiplier": "1",
        "advance_percent": "70",
        "effective_from": "1/7/2025",
        "effective_to": "",
        "notes": "",
        "version": "",
    }
    if norm is not None:
        data.update(
            content=norm.content_id,
            fund=norm.fund,
            jurisdiction=norm.jurisdiction_id or "",
            legal_basis=norm.legal_basis,
            max_percent=str(norm.max_percent or ""),
            cap_per_unit=str((norm.cap_per_unit or 0) // M) if norm.cap_per_unit else "",
            unit=norm.unit,
            priority_multiplier=str(norm.priority_multiplier),
            advance_percent=str(int(norm.advance_ceiling * 100)),
            effective_from=f"{norm.effective_from:%d/%m/%Y}",
            version=str(norm.version),
        )
        if norm.needs_verification:
            data["needs_verification"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, "VN")


def test_anonymous_users_are_sent_to_log_in(client):
    for url in (LIST, CALCULATOR, CREATE):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize(("role", "code"), ROLES)
def test_every_role_reads_the_table_and_uses_the_calculator_but_may_not_edit(
    client, make_user, role, code
):
    client.force_login(make_user(role, code))
    body = client.get(LIST).content.decode()
    assert "Ứng dụng máy móc thiết bị tiên tiến" in body
    assert "cần xác minh" in body  # the DOMAIN.md "(check)" rows carry the badge
    assert "300.000.000 đ" in body
    assert CREATE not in body
    assert reverse("norms:norm_edit", args=[machinery().pk]) not in body
    result = client.get(
        CALCULATOR, {"content": "may-moc-thiet-bi", "fund": "KCQG", "eligible_cost": "700"}
    ).content.decode()
    assert "Tối đa 300.000.000 đ: 50% chi phí hợp lý 700.000.000 đ là 350.000.000 đ" in result
    for response in (
        client.get(CREATE),
        client.post(CREATE, form_data()),
        client.get(reverse("norms:norm_edit", args=[machinery().pk])),
        client.post(reverse("norms:norm_edit", args=[machinery().pk]), form_data(machinery())),
    ):
        assert response.status_code == 403
        assert "không được phép thêm, sửa định mức hỗ trợ" in response.content.decode()
    assert SupportNorm.objects.count() == 12


def test_the_calculator_page_with_priority_and_without_a_norm(client, make_user):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    priority = client.get(
        CALCULATOR,
        {"content": "may-moc-thiet-bi", "fund": "KCQG", "eligible_cost": "1.000", "priority": "on"},
    ).content.decode()
    assert "450.000.000 đ" in priority
    assert "1,5 lần" in priority
    none = client.get(
        CALCULATOR,
        {"content": "may-moc-thiet-bi", "fund": "KCDP", "eligible_cost": "100", "province": ""},
    ).content.decode()
    assert "Chưa có định mức nào" in none
    bad = client.get(
        CALCULATOR, {"content": "may-moc-thiet-bi", "fund": "KCQG", "eligible_cost": "x"}
    )
    assert "không phải là số" in bad.content.decode()


def test_the_administrator_adds_edits_and_sees_the_history(client, admin, unit):
    client.force_login(admin)
    assert CREATE in client.get(LIST).content.decode()
    response = client.post(CREATE, form_data(jurisdiction=unit("14").pk))
    assert response.status_code == 302, response.content.decode()
    created = SupportNorm.objects.get(jurisdiction=unit("14"))
    assert (created.cap_per_unit, created.max_percent, created.advance_ceiling) == (
        250 * M,
        Decimal(70),
        Decimal("0.70"),
    )
    assert created.history.count() == 1
    edit = reverse("norms:norm_edit", args=[created.pk])
    response = client.post(edit, form_data(created, cap_per_unit="260", needs_verification="on"))
    assert response.status_code == 302, response.content.decode()
    created.refresh_from_db()
    assert (created.cap_per_unit, created.version, created.needs_verification) == (
        260 * M,
        2,
        True,
    )
    assert created.history.count() == 2
    events = ActivityEvent.objects.filter(object_id=str(created.pk))
    assert set(events.values_list("event_type", flat=True)) == {
        EventType.NORM_CREATED,
        EventType.NORM_UPDATED,
    }
    history = client.get(reverse("audit:object_history", args=["norms.SupportNorm", created.pk]))
    assert history.status_code == 200
    assert "260.000.000" in history.content.decode() or "260000000" in history.content.decode()


def test_a_stale_edit_is_refused(client, admin):
    client.force_login(admin)
    norm = machinery()
    edit = reverse("norms:norm_edit", args=[norm.pk])
    stale = form_data(norm, cap_per_unit="310")
    assert client.post(edit, form_data(norm, cap_per_unit="320")).status_code == 302
    response = client.post(edit, stale)
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    norm.refresh_from_db()
    assert norm.cap_per_unit == 320 * M


def test_form_errors_say_what_to_fix(client, admin, unit):
    client.force_login(admin)
    for changes, message in (
        ({"fund": "KCQG", "jurisdiction": unit("14").pk}, "áp dụng toàn quốc"),
        ({"max_percent": "", "cap_per_unit": ""}, "Cần ghi tỷ lệ tối đa, mức trần"),
        ({"effective_to": "1/1/2020"}, "phải sau ngày có hiệu lực"),
        ({"max_percent": "120"}, "phải từ 0 đến 100"),
        ({"effective_from": "31/2/2026"}, "ngày/tháng/năm"),
    ):
        response = client.post(CREATE, form_data(**changes))
        assert response.status_code == 200
        assert message in response.content.decode(), changes
    duplicate = form_data(
        machinery(), effective_from=f"{datetime.date(2018, 5, 15):%d/%m/%Y}", version=""
    )
    response = client.post(CREATE, duplicate)
    assert "Đã có định mức cùng nội dung, nguồn và phạm vi" in response.content.decode()
    assert SupportNorm.objects.count() == 12


def test_a_provincial_administrator_keeps_only_their_own_provinces_rows(client, make_user, unit):
    client.force_login(make_user(Role.SYSTEM_ADMIN, "14"))
    assert client.post(CREATE, form_data(jurisdiction=unit("14").pk)).status_code == 302
    response = client.post(CREATE, form_data(jurisdiction=unit("56").pk))
    assert response.status_code == 200
    assert "nằm ngoài phạm vi" in response.content.decode()
    national = client.get(reverse("norms:norm_edit", args=[machinery().pk]))
    assert national.status_code == 403
    assert "nằm ngoài phạm vi" in national.content.decode()
    own = SupportNorm.objects.get(jurisdiction=unit("14"))
    body = client.get(LIST).content.decode()
    assert reverse("norms:norm_edit", args=[own.pk]) in body
    assert reverse("norms:norm_edit", args=[machinery().pk]) not in body


def test_pages_in_english(client, make_user):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Support norms (maximum support)" in client.get(LIST).content.decode()
    body = client.get(
        CALCULATOR, {"content": "may-moc-thiet-bi", "fund": "KCQG", "eligible_cost": "700"}
    ).content.decode()
    assert "At most 300.000.000 đ: 50% of the eligible cost of 700.000.000 đ" in body


def test_provinces_are_in_vietnamese_order_and_ones_own_is_preselected(client, make_user):
    """Regression (issue 9, defect 10): province lists were in code-point order (Đắk Lắk after
    Yên Bái... or among the D's) and a provincial officer had to find their own province."""
    import re

    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    page = client.get(CALCULATOR).content.decode()
    select = page[
        page.index('name="province"') : page.index("</select>", page.index('name="province"'))
    ]
    names = re.findall(r"<option value=\"\d*\"[^>]*>([^<]+)</option>", select)[1:]
    assert len(names) == 34
    in_order = ["Thành phố Cần Thơ", "Thành phố Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Tháp"]
    in_order += ["Gia Lai", "Thành phố Hà Nội", "Hà Tĩnh", "Thành phố Hải Phòng"]
    assert sorted(in_order, key=names.index) == in_order
    assert names[0] == "An Giang"
    assert names[-1] == "Vĩnh Long"
    assert re.search(r"<option value=\"\d+\" selected>Sơn La</option>", select)
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    page = client.get(CALCULATOR).content.decode()
    assert not re.search(r"<option value=\"\d+\" selected>", page[page.index('name="province"') :])
