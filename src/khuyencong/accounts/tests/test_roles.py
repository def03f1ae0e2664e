import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from khuyencong.accounts import policy, services
from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.geo import selectors as geo_selectors

pytestmark = pytest.mark.django_db


def test_a_user_switches_between_assignments_and_the_scope_follows(make_user, unit, client):
    user = make_user(Role.COMMUNE_OFFICER, "03646")
    council = RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=unit("56"))
    assert geo_selectors.visible_units(user).count() == 1

    client.force_login(user)
    response = client.post(reverse("accounts:switch_role"), {"assignment": council.pk, "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.current_assignment == council
    assert geo_selectors.visible_unit(user, "56") == unit("56")
    assert not geo_selectors.visible_units(user).filter(code="03646").exists()
    assert "Thành viên hội đồng" in client.get("/").content.decode()


def test_nobody_switches_to_someone_elses_assignment(make_user, client):
    user, other = make_user(Role.COMMUNE_OFFICER, "03646"), make_user(Role.PROVINCE_SCT, "56")
    client.force_login(user)
    client.post(reverse("accounts:switch_role"), {"assignment": other.current_assignment_id})
    user.refresh_from_db()
    assert user.current_assignment.role == Role.COMMUNE_OFFICER
    with pytest.raises(services.AccountError):
        services.switch_assignment(user=user, assignment_id=other.current_assignment_id)


def test_only_administrators_assign_roles_within_their_scope(make_user, unit):
    admin = make_user(Role.SYSTEM_ADMIN, "14")
    target = make_user(Role.COMMUNE_OFFICER, "03646")
    services.assign_role(
        actor=admin, user=target, expected_version=1, role=Role.COUNCIL_MEMBER, unit=unit("14")
    )
    with pytest.raises(PermissionDenied):
        services.assign_role(
            actor=admin, user=target, expected_version=2, role=Role.PROVINCE_SCT, unit=unit("56")
        )
    sct = make_user(Role.PROVINCE_SCT, "14")
    with pytest.raises(PermissionDenied, match="không được phép quản lý người dùng"):
        services.assign_role(
            actor=sct, user=target, expected_version=2, role=Role.PROVINCE_SCT, unit=unit("14")
        )


def test_revoked_roles_stop_counting(make_user):
    admin = make_user(Role.SYSTEM_ADMIN, "VN")
    user = make_user(Role.PROVINCE_SCT, "14")
    with pytest.raises(services.AccountError):
        services.revoke_role(
            actor=admin, assignment=user.current_assignment, reason=" ", expected_version=1
        )
    services.revoke_role(
        actor=admin, assignment=user.current_assignment, reason="Nghỉ hưu", expected_version=1
    )
    user.refresh_from_db()
    assert policy.active_assignment(user) is None
    assert not geo_selectors.visible_units(user).exists()


def test_staff_directory_is_for_administrators(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, "14")
    make_user(Role.PROVINCE_SCT, "14", email="sct.sl@test.khuyencong.vn")
    client.force_login(admin)
    assert (
        "sct.sl@test.khuyencong.vn" in client.get(reverse("accounts:staff_list")).content.decode()
    )
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    assert client.get(reverse("accounts:staff_list")).status_code == 403


def test_administrators_see_officers_without_totp_on_their_home_page(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, "14")
    make_user(Role.PROVINCE_SCT, "14", email="chua.mfa@test.khuyencong.vn", totp=False)
    make_user(Role.PROVINCE_SCT, "56", email="kh.chua.mfa@test.khuyencong.vn", totp=False)
    client.force_login(admin)
    body = client.get("/").content.decode()
    assert "Cán bộ chưa bật xác thực hai lớp" in body
    assert "chua.mfa@test.khuyencong.vn" in body
    assert "kh.chua.mfa@test.khuyencong.vn" not in body
