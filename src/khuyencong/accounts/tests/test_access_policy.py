"""Everyone sees only what their role and unit allow — proven per role, via selectors and HTTP."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from khuyencong.accounts import policy
from khuyencong.accounts import selectors as account_selectors
from khuyencong.accounts.models import ROLE_LEVELS, Role, RoleAssignment
from khuyencong.audit import selectors as audit_selectors
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.geo import selectors as geo_selectors
from khuyencong.geo import services as geo_services
from khuyencong.geo.models import UnitLevel

pytestmark = pytest.mark.django_db

SON_LA, KHANH_HOA = "14", "56"
TO_HIEU, CHIENG_AN = "03646", "03667"  # two communes of Sơn La
KH_COMMUNE = "22333"  # Phường Bắc Nha Trang, Khánh Hòa
ROLES_IN_SON_LA = [r for r in Role if r != Role.NATIONAL_OFFICER]


def home_unit_code(role: Role) -> str:
    """Where a Sơn La user of this role sits: the province, or a commune for commune roles."""
    return SON_LA if UnitLevel.PROVINCE in ROLE_LEVELS[role] else TO_HIEU


@pytest.fixture
def khanh_hoa_objects(unit, make_user):
    province, commune = unit(KHANH_HOA), unit(KH_COMMUNE)
    officer = make_user(Role.PROVINCE_SCT, province, email="sct.kh@test.khuyencong.vn")
    event = record_event(
        EventType.UNIT_UPDATED, actor=officer, obj=province, comment="Bí mật Khánh Hòa"
    )
    return {"province": province, "commune": commune, "officer": officer, "event": event}


def test_the_khanh_hoa_commune_fixture_is_in_khanh_hoa(unit):
    assert unit(KH_COMMUNE).parent == unit(KHANH_HOA)


@pytest.mark.parametrize("role", ROLES_IN_SON_LA)
def test_son_la_user_cannot_see_or_change_khanh_hoa_through_selectors(
    role, make_user, unit, khanh_hoa_objects
):
    user = make_user(role, home_unit_code(role))
    kh = khanh_hoa_objects

    visible = set(geo_selectors.visible_units(user).values_list("code", flat=True))
    assert home_unit_code(role) in visible  # sees its own unit...
    assert KHANH_HOA not in visible  # ...never Khánh Hòa
    assert KH_COMMUNE not in visible
    for code in (KHANH_HOA, KH_COMMUNE):
        with pytest.raises(Http404):
            geo_selectors.visible_unit(user, code)
    assert kh["officer"].pk not in set(
        account_selectors.assignments_in_scope(user).values_list("user_id", flat=True)
    )
    assert kh["event"] not in audit_selectors.activity_for_user(user)
    with pytest.raises(Http404):
        audit_selectors.object_with_history(user, "geo.AdministrativeUnit", str(kh["province"].pk))
    for action in policy.Action:
        decision = policy.can(user, action, kh["province"])
        assert not decision
        assert decision.reason
    with pytest.raises(PermissionDenied):
        geo_services.update_unit_contact(
            actor=user,
            unit=kh["province"],
            expected_version=kh["province"].version,
            address="Đã bị sửa",
            phone="",
            email="",
        )
    assert unit(KHANH_HOA).address == ""


@pytest.mark.parametrize("role", ROLES_IN_SON_LA)
def test_son_la_user_cannot_see_or_change_khanh_hoa_over_http(
    role, make_user, unit, khanh_hoa_objects, client
):
    user = make_user(role, home_unit_code(role))
    client.force_login(user)
    kh = khanh_hoa_objects["province"]

    own = client.get(reverse("geo:unit_detail", args=[home_unit_code(role)]))
    assert own.status_code == 200
    for url in (
        reverse("geo:unit_detail", args=[KHANH_HOA]),
        reverse("geo:unit_detail", args=[KH_COMMUNE]),
        reverse("geo:unit_edit", args=[KHANH_HOA]),
        reverse("audit:object_history", args=["geo.AdministrativeUnit", kh.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Khánh Hòa" not in response.content.decode()
    response = client.post(
        reverse("geo:unit_edit", args=[KHANH_HOA]),
        {"address": "Đã bị sửa", "phone": "", "email": "", "version": kh.version},
    )
    assert response.status_code == 404
    assert unit(KHANH_HOA).address == ""

    listing = client.get(reverse("geo:unit_list"), {"q": "khanh hoa"})
    assert listing.status_code == 200
    assert "Khánh Hòa" not in listing.content.decode()

    for url in (reverse("audit:activity_log"), reverse("accounts:staff_list")):
        response = client.get(url)
        assert response.status_code in (200, 403), url
        body = response.content.decode()
        assert "Bí mật Khánh Hòa" not in body
        assert "sct.kh@test.khuyencong.vn" not in body


def test_national_officer_sees_every_province(make_user, unit, khanh_hoa_objects):
    user = make_user(Role.NATIONAL_OFFICER, "VN")
    assert geo_selectors.visible_unit(user, KHANH_HOA) == unit(KHANH_HOA)
    assert geo_selectors.visible_unit(user, TO_HIEU) == unit(TO_HIEU)
    assert khanh_hoa_objects["event"] in audit_selectors.activity_for_user(user)
    assert not policy.can(user, policy.Action.CHANGE_UNIT, unit(KHANH_HOA))  # sees, not edits


def test_commune_officer_cannot_act_on_another_commune(make_user, unit, client):
    officer = make_user(Role.COMMUNE_OFFICER, TO_HIEU)
    other = unit(CHIENG_AN)
    assert other.parent == unit(SON_LA)

    assert policy.can(officer, policy.Action.CHANGE_UNIT, unit(TO_HIEU))
    decision = policy.can(officer, policy.Action.CHANGE_UNIT, other)
    assert not decision
    assert "ngoài phạm vi" in decision.reason
    with pytest.raises(Http404):
        geo_selectors.visible_unit(officer, CHIENG_AN)
    assert not geo_selectors.visible_units(officer).filter(code=CHIENG_AN).exists()

    client.force_login(officer)
    assert client.get(reverse("geo:unit_detail", args=[CHIENG_AN])).status_code == 404
    response = client.post(
        reverse("geo:unit_edit", args=[CHIENG_AN]),
        {"address": "Sửa trộm", "phone": "", "email": "", "version": other.version},
    )
    assert response.status_code == 404
    assert unit(CHIENG_AN).address == ""


def test_province_officer_reaches_every_commune_of_the_province(make_user, unit):
    sct = make_user(Role.PROVINCE_SCT, SON_LA)
    assert geo_selectors.visible_unit(sct, CHIENG_AN) == unit(CHIENG_AN)
    assert policy.can(sct, policy.Action.CHANGE_UNIT, unit(CHIENG_AN))
    assert geo_selectors.visible_units(sct).count() == 1 + 75


def test_a_role_without_the_right_gets_403_with_the_reason(make_user, client, unit):
    finance = make_user(Role.PROVINCE_FINANCE, SON_LA)
    client.force_login(finance)
    response = client.post(
        reverse("geo:unit_edit", args=[SON_LA]),
        {"address": "x", "phone": "", "email": "", "version": 1},
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "Cán bộ Sở Tài chính" in body
    assert "không được phép sửa thông tin đơn vị" in body
    assert unit(SON_LA).address == ""


def test_user_without_any_role_sees_nothing(db, client):
    from khuyencong.accounts.models import User

    user = User.objects.create_user("trong@test.khuyencong.vn", "x", full_name="Chưa giao")
    assert not geo_selectors.visible_units(user).exists()
    decision = policy.can(user, policy.Action.VIEW)
    assert "chưa được giao vai trò" in decision.reason
    client.force_login(user)
    assert client.get(reverse("geo:unit_detail", args=[SON_LA])).status_code == 404
    assert "chưa được giao vai trò" in client.get("/").content.decode()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("geo:unit_detail", args=[SON_LA]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not policy.can(None, policy.Action.VIEW)


@pytest.mark.parametrize("role", list(Role))
def test_roles_are_held_only_at_their_levels(role, unit):
    from django.core.exceptions import ValidationError

    from khuyencong.accounts.models import User

    user = User.objects.create_user(f"{role}@test.khuyencong.vn", "x", full_name="X")
    for code, level in (
        ("VN", UnitLevel.NATIONAL),
        (SON_LA, UnitLevel.PROVINCE),
        (TO_HIEU, UnitLevel.COMMUNE),
    ):
        assignment = RoleAssignment(user=user, role=role, unit=unit(code))
        if level in ROLE_LEVELS[role]:
            assignment.full_clean()
        else:
            with pytest.raises(ValidationError):
                assignment.full_clean()


def test_can_any_refuses_with_the_first_refusal_s_reason(make_user, unit):
    """Regression: ``refusal or decision`` kept the *last* refusal (a refusal is falsy) and
    then fell back to the generic sentence, so a workflow step form said "not allowed" without
    why."""
    commune = make_user(Role.COMMUNE_OFFICER, unit(TO_HIEU))
    actions = [policy.Action.APPROVE_PROJECT, policy.Action.SUBMIT_PROJECT]
    decision = policy.can_any(commune, actions, unit(TO_HIEU))
    assert not decision
    assert decision.reason == policy.can(commune, actions[0], unit(TO_HIEU)).reason
    assert "phê duyệt đề án khuyến công" in decision.reason
    assert not policy.can_any(commune, [])
