"""User and role administration: what an administrator may do, to whom, and what is logged."""

import pytest
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from khuyencong.accounts import policy, selectors, services
from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.core.concurrency import StaleEditError

pytestmark = pytest.mark.django_db

SON_LA, KHANH_HOA = "14", "56"
CHIENG_SON = "03985"  # Sơn La
KH_COMMUNE = "22333"  # Khánh Hòa
PASSWORD = "Mat-khau-2026"


@pytest.fixture
def rf_request(rf):
    """A request for the services that mail links (allauth builds them from it)."""
    return rf.get("/")


def new_user(unit, *, email="moi@test.khuyencong.vn", role=Role.COMMUNE_OFFICER, **extra):
    return services.NewUser(email=email, full_name="Lò Văn Mới", role=role, unit=unit, **extra)


def events(kind):
    return ActivityEvent.objects.filter(event_type=kind)


# --------------------------------------------------------------------------------------------
# Creating accounts and giving roles
# --------------------------------------------------------------------------------------------
def test_an_administrator_creates_an_account_and_the_user_is_mailed_a_link(
    make_user, unit, rf_request, django_capture_on_commit_callbacks
):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    with django_capture_on_commit_callbacks(execute=True):
        user = services.create_user(
            actor=admin,
            data=new_user(unit(CHIENG_SON), email=" Moi@Test.KhuyenCong.vn ", title="Công chức"),
            request=rf_request,
        )
    user.refresh_from_db()
    assert user.email == "moi@test.khuyencong.vn"
    assert not user.has_usable_password()  # the user sets it, the administrator never knows it
    assert user.current_assignment.role == Role.COMMUNE_OFFICER
    assert user.current_assignment.unit == unit(CHIENG_SON)
    assert user.current_assignment.title == "Công chức"
    assert [m.to for m in mail.outbox] == [["moi@test.khuyencong.vn"]]
    assert "/tai-khoan/password/reset/key/" in mail.outbox[0].body
    created = events(EventType.USER_CREATED).get()
    assert created.actor == admin
    assert created.unit == unit(SON_LA)  # visible in Sơn La's activity log
    assert events(EventType.ROLE_ASSIGNED).filter(actor=admin).exists()


def test_an_email_is_one_account(make_user, unit, rf_request):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    make_user(Role.PROVINCE_SCT, KHANH_HOA, email="da.co@test.khuyencong.vn")
    with pytest.raises(services.AccountError, match="đã là tài khoản"):
        services.create_user(
            actor=admin,
            data=new_user(unit(CHIENG_SON), email="DA.CO@test.khuyencong.vn"),
            request=rf_request,
        )


def test_a_provincial_administrator_grants_only_inside_the_province(make_user, unit, rf_request):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        services.create_user(actor=admin, data=new_user(unit(KH_COMMUNE)), request=rf_request)
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        services.create_user(
            actor=admin, data=new_user(unit("VN"), role=Role.NATIONAL_OFFICER), request=rf_request
        )
    assert not User.objects.filter(email="moi@test.khuyencong.vn").exists()
    target = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    with pytest.raises(PermissionDenied):
        services.assign_role(
            actor=admin,
            user=target,
            expected_version=target.version,
            role=Role.PROVINCE_SCT,
            unit=unit(KHANH_HOA),
        )


def test_nobody_grants_a_role_to_themselves(make_user, unit):
    admin = make_user(Role.SYSTEM_ADMIN, "VN")
    with pytest.raises(PermissionDenied, match="chính mình"):
        services.assign_role(
            actor=admin,
            user=admin,
            expected_version=admin.version,
            role=Role.SYSTEM_ADMIN,
            unit=unit(SON_LA),
        )
    with pytest.raises(PermissionDenied, match="chính mình"):
        services.revoke_role(
            actor=admin,
            assignment=admin.current_assignment,
            reason="Thử",
            expected_version=admin.version,
        )
    assert RoleAssignment.objects.filter(user=admin).count() == 1


def test_roles_keep_to_their_levels(make_user, unit):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    target = make_user(Role.PROVINCE_CENTRE, SON_LA)
    with pytest.raises(services.AccountError, match="chỉ được giao ở cấp"):
        services.assign_role(
            actor=admin,
            user=target,
            expected_version=target.version,
            role=Role.COMMUNE_OFFICER,
            unit=unit(SON_LA),
        )


def test_a_representative_needs_an_establishment_of_that_commune(make_user, unit):
    from khuyencong.registry.models import Establishment

    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    target = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    elsewhere = Establishment.objects.create(
        name="HTX khác xã", legal_form="htx", commune=unit("03646"), product_group="2"
    )
    here = Establishment.objects.create(
        name="HTX chè Chiềng Sơn", legal_form="htx", commune=unit(CHIENG_SON), product_group="2"
    )
    common = {"actor": admin, "user": target, "role": Role.ESTABLISHMENT, "unit": unit(CHIENG_SON)}
    with pytest.raises(services.AccountError, match="cần chọn cơ sở"):
        services.assign_role(expected_version=target.version, **common)
    with pytest.raises(services.AccountError, match="không thuộc"):
        services.assign_role(expected_version=target.version, establishment=elsewhere, **common)
    assignment = services.assign_role(expected_version=target.version, establishment=here, **common)
    assert assignment.establishment == here


def test_an_ended_role_is_given_back_not_duplicated(make_user, unit):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    target = make_user(Role.PROVINCE_SCT, SON_LA)
    assignment = target.current_assignment
    services.revoke_role(
        actor=admin, assignment=assignment, reason="Chuyển công tác", expected_version=1
    )
    target.refresh_from_db()
    assert target.version == 2
    assert target.current_assignment is None
    again = services.assign_role(
        actor=admin, user=target, expected_version=2, role=Role.PROVINCE_SCT, unit=unit(SON_LA)
    )
    assert again.pk == assignment.pk
    assert again.is_active
    target.refresh_from_db()
    assert target.current_assignment == again
    revoked = events(EventType.ROLE_REVOKED).get()
    assert revoked.comment == "Chuyển công tác"


def test_a_stale_page_changes_nothing(make_user, unit):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    target = make_user(Role.PROVINCE_SCT, SON_LA)
    services.set_active(actor=admin, user=target, expected_version=1, active=False, reason="Nghỉ")
    with pytest.raises(StaleEditError):
        services.assign_role(
            actor=admin,
            user=target,
            expected_version=1,  # the page was read before the lock
            role=Role.COUNCIL_MEMBER,
            unit=unit(SON_LA),
        )
    assert not RoleAssignment.objects.filter(user=target, role=Role.COUNCIL_MEMBER).exists()


# --------------------------------------------------------------------------------------------
# Locking, passwords, sign-in lock-out, two-factor login
# --------------------------------------------------------------------------------------------
def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_locked_account_cannot_sign_in_until_reopened(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    target = make_user(Role.COMMUNE_OFFICER, CHIENG_SON, email="xa@test.khuyencong.vn")
    services.set_active(actor=admin, user=target, expected_version=1, active=False, reason="Nghỉ")
    refused = login(client, "xa@test.khuyencong.vn")
    assert refused.url == reverse("account_inactive")
    assert "_auth_user_id" not in client.session
    services.set_active(actor=admin, user=target, expected_version=2, active=True, reason="Trở lại")
    assert login(client, "xa@test.khuyencong.vn").status_code == 302
    assert [e.comment for e in events(EventType.USER_DEACTIVATED)] == ["Nghỉ"]
    assert [e.comment for e in events(EventType.USER_REACTIVATED)] == ["Trở lại"]


def test_locking_an_account_ends_its_open_sessions(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    target = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    client.force_login(target)
    assert client.get("/").status_code == 200
    services.set_active(actor=admin, user=target, expected_version=1, active=False, reason="Nghỉ")
    assert client.get(reverse("geo:unit_detail", args=[CHIENG_SON])).status_code == 302


def test_an_administrator_unlocks_an_account_locked_by_axes(make_user, client, settings):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    target = make_user(Role.COMMUNE_OFFICER, CHIENG_SON, email="xa@test.khuyencong.vn")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "xa@test.khuyencong.vn", "sai")
    assert login(client, "xa@test.khuyencong.vn").status_code == 429
    state = selectors.lock_state(target)
    assert state.locked
    assert state.failures >= settings.AXES_FAILURE_LIMIT
    assert state.until is not None

    cleared = services.unlock_sign_in(actor=admin, user=target, expected_version=1)
    assert cleared >= 1
    assert not AccessAttempt.objects.filter(username__iexact=target.email).exists()
    assert not selectors.lock_state(target).locked
    assert login(client, "xa@test.khuyencong.vn").status_code == 302
    assert events(EventType.ACCOUNT_UNLOCKED).get().actor == admin
    with pytest.raises(services.AccountError, match="không bị tạm khóa"):
        services.unlock_sign_in(actor=admin, user=target, expected_version=2)


def test_a_password_reset_mails_a_link_and_leaves_the_old_password(
    make_user, rf_request, django_capture_on_commit_callbacks, client
):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    target = make_user(Role.COMMUNE_OFFICER, CHIENG_SON, email="xa@test.khuyencong.vn")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_password_reset(
            actor=admin, user=target, expected_version=1, request=rf_request
        )
    assert [m.to for m in mail.outbox] == [["xa@test.khuyencong.vn"]]
    assert "/tai-khoan/password/reset/key/" in mail.outbox[0].body
    assert events(EventType.PASSWORD_RESET_SENT).get().actor == admin
    assert login(client, "xa@test.khuyencong.vn").status_code == 302


def test_resetting_two_factor_login_removes_the_authenticators(make_user, client, settings):
    settings.DEBUG = False
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    officer = make_user(Role.PROVINCE_SCT, SON_LA, email="sct@test.khuyencong.vn")
    assert Authenticator.objects.filter(user=officer).exists()
    with pytest.raises(services.AccountError, match="lý do"):
        services.reset_two_factor(actor=admin, user=officer, expected_version=1, reason=" ")
    services.reset_two_factor(
        actor=admin, user=officer, expected_version=1, reason="Mất điện thoại"
    )
    assert not Authenticator.objects.filter(user=officer).exists()
    assert events(EventType.MFA_RESET).get().comment == "Mất điện thoại"
    # The next sign-in asks for no code and sends the officer to set TOTP up again.
    assert login(client, "sct@test.khuyencong.vn").status_code == 302
    assert client.get("/").url == reverse("mfa_activate_totp")


def test_a_provincial_administrator_leaves_accounts_that_work_elsewhere_alone(make_user, unit):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    both = make_user(Role.PROVINCE_SCT, SON_LA)
    RoleAssignment.objects.create(user=both, role=Role.COUNCIL_MEMBER, unit=unit(KHANH_HOA))
    decision = policy.can_manage_account(admin, both)
    assert not decision
    assert "Khánh Hòa" in decision.reason
    with pytest.raises(PermissionDenied):
        services.set_active(actor=admin, user=both, expected_version=1, active=False, reason="x")
    national = make_user(Role.SYSTEM_ADMIN, "VN")
    assert policy.can_manage_account(national, both)
    assert not policy.can_manage_account(admin, national)  # holds a national role
    assert not policy.can_manage_account(admin, admin)  # oneself
    root = User.objects.create_superuser("root@test.khuyencong.vn", "x", full_name="Root")
    assert "quản trị kỹ thuật" in policy.can_manage_account(national, root).reason


def test_the_sign_in_history_shows_addresses_failures_and_lock_outs(make_user, client, settings):
    target = make_user(Role.COMMUNE_OFFICER, CHIENG_SON, email="xa@test.khuyencong.vn")
    login(client, "xa@test.khuyencong.vn", "sai")
    login(client, "xa@test.khuyencong.vn")
    history = selectors.sign_in_history(target)
    labels = [entry.label for entry in history]
    assert labels == ["Đăng nhập", "Đăng nhập không thành công"]
    assert history[0].address == "127.0.0.1"


# --------------------------------------------------------------------------------------------
# Pages: who reaches them (every role, in and out of scope)
# --------------------------------------------------------------------------------------------
NON_ADMIN_ROLES = [r for r in Role if r != Role.SYSTEM_ADMIN]


def home(role):
    from khuyencong.accounts.models import ROLE_LEVELS
    from khuyencong.geo.models import UnitLevel

    if UnitLevel.PROVINCE in ROLE_LEVELS[role]:
        return SON_LA
    if UnitLevel.COMMUNE in ROLE_LEVELS[role]:
        return CHIENG_SON
    return "VN"


def account_urls(user, assignment):
    pk = user.pk
    gets = [
        reverse("accounts:staff_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_import"),
        reverse("accounts:user_import_template"),
        reverse("accounts:user_detail", args=[pk]),
    ]
    posts = [
        reverse("accounts:role_assign", args=[pk]),
        reverse("accounts:role_end", args=[pk, assignment.pk]),
        *(reverse("accounts:user_action", args=[pk, a]) for a in ("khoa", "mo-lai")),
        reverse("accounts:user_action", args=[pk, "dat-lai-mat-khau"]),
        reverse("accounts:user_action", args=[pk, "mo-khoa-dang-nhap"]),
        reverse("accounts:user_action", args=[pk, "dat-lai-xac-thuc-hai-lop"]),
    ]
    return gets, posts


POST_DATA = {
    "version": "1",
    "reason": "Thử",
    "vaitro-version": "1",
    "vaitro-role": Role.COUNCIL_MEMBER,
    "vaitro-unit": SON_LA,
}


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_administrators_reach_the_account_pages(role, make_user, client):
    # An account inside every one of these users' scopes: refused with the reason (403).
    target = make_user(Role.COMMUNE_OFFICER, CHIENG_SON, email="dich@test.khuyencong.vn")
    client.force_login(make_user(role, home(role)))
    gets, posts = account_urls(target, target.current_assignment)
    for url in gets:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "không được phép quản lý người dùng" in response.content.decode(), url
    for url in posts:
        assert client.post(url, POST_DATA).status_code == 403, url
    target.refresh_from_db()
    assert target.version == 1
    assert target.is_active
    assert target.current_assignment.is_active


@pytest.mark.parametrize(
    ("role", "where", "target_unit"),
    [
        (Role.PROVINCE_SCT, SON_LA, KHANH_HOA),
        (Role.COMMUNE_OFFICER, CHIENG_SON, SON_LA),
        (Role.ESTABLISHMENT, CHIENG_SON, KHANH_HOA),
    ],
)
def test_an_account_outside_the_scope_does_not_exist_for_others(
    role, where, target_unit, make_user, client
):
    target = make_user(Role.PROVINCE_SCT, target_unit, email="ngoai@test.khuyencong.vn")
    client.force_login(make_user(role, where))
    gets, posts = account_urls(target, target.current_assignment)
    for url in gets[4:]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "ngoai@test" not in response.content.decode()
    for url in posts:
        assert client.post(url, POST_DATA).status_code == 404, url
    assert client.post(posts[0], {}).status_code == 404  # whatever the form


def test_a_provincial_administrator_sees_its_province_and_nothing_else(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    son_la = make_user(Role.PROVINCE_SCT, SON_LA, email="sct.sl@test.khuyencong.vn")
    khanh_hoa = make_user(Role.PROVINCE_SCT, KHANH_HOA, email="sct.kh@test.khuyencong.vn")
    client.force_login(admin)

    listing = client.get(reverse("accounts:staff_list")).content.decode()
    assert "sct.sl@test.khuyencong.vn" in listing
    assert "sct.kh@test.khuyencong.vn" not in listing
    assert client.get(reverse("accounts:user_detail", args=[son_la.pk])).status_code == 200

    gets, posts = account_urls(khanh_hoa, khanh_hoa.current_assignment)
    for url in gets[4:]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "sct.kh" not in response.content.decode()
    for url in posts:
        assert client.post(url, POST_DATA).status_code == 404, url
    khanh_hoa.refresh_from_db()
    assert khanh_hoa.version == 1
    assert khanh_hoa.is_active


def test_a_national_administrator_sees_every_province(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, "VN")
    khanh_hoa = make_user(Role.PROVINCE_SCT, KHANH_HOA, email="sct.kh@test.khuyencong.vn")
    client.force_login(admin)
    assert (
        "sct.kh@test.khuyencong.vn" in client.get(reverse("accounts:staff_list")).content.decode()
    )
    assert client.get(reverse("accounts:user_detail", args=[khanh_hoa.pk])).status_code == 200
    response = client.post(
        reverse("accounts:user_action", args=[khanh_hoa.pk, "khoa"]),
        {"version": "1", "reason": "Nghỉ hưu"},
    )
    assert response.status_code == 302
    khanh_hoa.refresh_from_db()
    assert not khanh_hoa.is_active


def test_the_account_page_tells_why_an_account_cannot_be_changed(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    client.force_login(admin)
    body = client.get(reverse("accounts:user_detail", args=[admin.pk])).content.decode()
    assert 'id="khong-quan-ly"' in body
    assert "chính mình" in body
    assert 'id="thao-tac-tai-khoan"' not in body
    response = client.post(
        reverse("accounts:user_action", args=[admin.pk, "khoa"]), {"version": "1", "reason": "x"}
    )
    assert response.status_code == 403
    assert "chính mình" in response.content.decode()


def test_creating_an_account_through_the_page(
    make_user, client, django_capture_on_commit_callbacks
):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    client.force_login(admin)
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert "Cán bộ UBND xã/phường" in form
    assert "Cán bộ Cục" not in form  # a provincial administrator gives no national role
    assert "data-unit-picker" in form  # the unit is the searchable picker (issue 9)
    data = {
        "full_name": "Lò Văn Minh",
        "email": "minh@test.khuyencong.vn",
        "role": Role.COMMUNE_OFFICER,
        "unit": "chieng son",
        "title": "Công chức",
    }
    ambiguous = client.post(reverse("accounts:user_create"), {**data, "unit": "son"})
    assert ambiguous.status_code == 200
    assert "khớp với nhiều đơn vị" in ambiguous.content.decode()  # then a choice is asked for
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("accounts:user_create"), data)  # a name matching one unit
    user = User.objects.get(email="minh@test.khuyencong.vn")
    assert done.url == reverse("accounts:user_detail", args=[user.pk])
    assert user.current_assignment.unit.code == CHIENG_SON
    assert len(mail.outbox) == 1
    outside = client.post(
        reverse("accounts:user_create"),
        {**data, "email": "x@test.khuyencong.vn", "unit": KH_COMMUNE},
    )
    assert "trong phạm vi của bạn" in outside.content.decode()
    assert not User.objects.filter(email="x@test.khuyencong.vn").exists()


def test_the_user_list_costs_the_same_queries_for_more_users(
    make_user, client, django_assert_max_num_queries
):
    admin = make_user(Role.SYSTEM_ADMIN, SON_LA)
    client.force_login(admin)
    make_user(Role.PROVINCE_SCT, SON_LA)
    client.get(reverse("accounts:staff_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:staff_list"))
    for _ in range(12):
        user = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
        RoleAssignment.objects.create(
            user=user, role=Role.COUNCIL_MEMBER, unit=user.current_assignment.unit.parent
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accounts:staff_list"))
    assert len(many) == len(few)
