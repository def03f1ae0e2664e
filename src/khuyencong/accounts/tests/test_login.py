"""Login by e-mail, lock-out after repeated failures, compulsory TOTP for officers."""

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-2026"


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_by_email_lands_on_the_vietnamese_home_page(make_user, client):
    user = make_user(Role.COMMUNE_OFFICER, "03646", email="xa@test.khuyencong.vn")
    response = login(client, "XA@test.khuyencong.vn")
    assert response.status_code == 302
    home = client.get(response.url)
    assert home.status_code == 200
    body = home.content.decode()
    assert f"Xin chào, {user.full_name}" in body
    assert "Cán bộ UBND xã/phường" in body
    assert ActivityEvent.objects.filter(event_type=EventType.LOGGED_IN, actor=user).exists()


def test_wrong_password_is_refused(make_user, client):
    make_user(Role.COMMUNE_OFFICER, "03646", email="xa@test.khuyencong.vn")
    response = login(client, "xa@test.khuyencong.vn", "sai-mat-khau")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert ActivityEvent.objects.filter(event_type=EventType.LOGIN_FAILED).exists()


def test_repeated_failures_lock_the_account_out_with_a_vietnamese_message(
    make_user, client, settings
):
    make_user(Role.COMMUNE_OFFICER, "03646", email="xa@test.khuyencong.vn")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "xa@test.khuyencong.vn", "sai").status_code == 200
    locked = login(client, "xa@test.khuyencong.vn", "sai")
    assert locked.status_code == 429
    assert "tạm thời bị khóa" in locked.content.decode()
    # Even the right password is refused while locked out.
    again = login(client, "xa@test.khuyencong.vn")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert ActivityEvent.objects.filter(event_type=EventType.LOCKED_OUT).exists()


def test_lock_out_is_per_account(make_user, client, settings):
    make_user(Role.COMMUNE_OFFICER, "03646", email="xa@test.khuyencong.vn")
    make_user(Role.COMMUNE_OFFICER, "03667", email="xa2@test.khuyencong.vn")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "xa@test.khuyencong.vn", "sai")
    assert login(client, "xa2@test.khuyencong.vn").status_code == 302


@pytest.mark.parametrize(
    "role",
    [
        Role.NATIONAL_OFFICER,
        Role.PROVINCE_CENTRE,
        Role.PROVINCE_SCT,
        Role.PROVINCE_FINANCE,
        Role.SYSTEM_ADMIN,
    ],
)
def test_officers_must_set_up_totp_when_debug_is_off(role, make_user, client, settings):
    settings.DEBUG = False
    code = "VN" if role == Role.NATIONAL_OFFICER else "14"
    make_user(role, code, email="officer@test.khuyencong.vn", totp=False, is_demo=True)
    response = login(client, "officer@test.khuyencong.vn")
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    assert home.url == reverse("mfa_activate_totp")
    assert client.get(reverse("geo:unit_detail", args=["14"])).url == reverse("mfa_activate_totp")


def test_commune_officers_are_not_forced_to_use_totp(make_user, client, settings):
    settings.DEBUG = False
    make_user(Role.COMMUNE_OFFICER, "03646", email="xa@test.khuyencong.vn")
    login(client, "xa@test.khuyencong.vn")
    assert client.get("/").status_code == 200


def test_demo_officers_are_exempt_only_while_debug_is_on(make_user, client, settings):
    settings.DEBUG = True
    make_user(Role.PROVINCE_SCT, "14", email="demo@test.khuyencong.vn", totp=False, is_demo=True)
    make_user(Role.PROVINCE_SCT, "14", email="real@test.khuyencong.vn", totp=False)
    login(client, "demo@test.khuyencong.vn")
    assert client.get("/").status_code == 200
    client.logout()
    login(client, "real@test.khuyencong.vn")
    assert client.get("/").url == reverse("mfa_activate_totp")


def test_an_officer_with_totp_must_give_the_code(
    make_user, client, settings, totp_code, wrong_totp_code
):
    """The code is the one the authenticator shows now (``totp_code`` accepts the previous
    window too: a code read at the end of a window was refused once on a loaded machine)."""
    settings.DEBUG = False
    user = make_user(Role.PROVINCE_SCT, "14", email="sct@test.khuyencong.vn")
    response = login(client, "sct@test.khuyencong.vn")
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in before the second factor
    wrong = client.post(reverse("mfa_authenticate"), {"code": wrong_totp_code(user)})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert done.status_code == 302
    assert client.get("/").status_code == 200


def test_nobody_can_sign_up_by_themselves(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert b'name="password1"' not in response.content


def test_the_login_page_is_vietnamese_and_offers_no_sign_up(client):
    body = client.get(reverse("account_login")).content.decode()
    assert "Đăng nhập" in body
    assert "quản trị hệ thống" in body
    assert reverse("account_signup") not in body
    assert "Sign In" not in body


def test_users_do_not_manage_their_own_email_addresses(make_user, client):
    client.force_login(make_user(Role.COMMUNE_OFFICER, "03646"))
    assert client.get("/tai-khoan/email/").status_code == 404
