"""One login for the whole site: the admin's login page, the second factor of every officer and
administrator session, one lock-out key for every form that checks a password (issue 10)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, generate_totp_secret
from axes.models import AccessAttempt
from django.urls import reverse

from khuyencong.accounts.lockout import login_key
from khuyencong.accounts.models import Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-2026"


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def admin_login(client, email, password=PASSWORD):
    return client.post(
        reverse("admin:login"), {"username": email, "password": password, "next": "/quan-tri/"}
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def superuser(email="root@test.khuyencong.vn", *, totp=False):
    user = User.objects.create_superuser(email, PASSWORD, full_name="Quản trị viên")
    if totp:
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False


def test_the_admin_login_form_does_not_sign_in_with_the_password_alone(make_user, client):
    make_user(Role.PROVINCE_SCT, "14", email="sct@test.khuyencong.vn", is_staff=True)
    response = admin_login(client, "sct@test.khuyencong.vn")
    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("account_login")
    assert not logged_in(client)
    assert client.get("/quan-tri/").status_code == 302
    assert client.get("/").url.startswith(reverse("account_login"))


def test_the_admin_sends_to_the_one_login_page_and_back(make_user, client, totp_code):
    user = make_user(Role.PROVINCE_SCT, "14", email="sct@test.khuyencong.vn", is_staff=True)
    to_admin_login = client.get("/quan-tri/")
    to_login = client.get(to_admin_login.url)
    target = urlsplit(to_login.url)
    assert target.path == reverse("account_login")
    assert parse_qs(target.query)["next"] == ["/quan-tri/"]
    response = client.post(
        to_login.url,
        {"login": "sct@test.khuyencong.vn", "password": PASSWORD, "next": "/quan-tri/"},
    )
    assert response.url == reverse("mfa_authenticate")
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert done.url == "/quan-tri/"
    assert client.get("/quan-tri/").status_code == 200


def test_a_signed_in_account_without_admin_rights_is_told_so_at_the_admin(make_user, client):
    client.force_login(make_user(Role.COMMUNE_OFFICER, "03646"))
    response = client.get(reverse("admin:login"), {"next": "/quan-tri/"})
    assert response.status_code == 403
    assert "không được phép vào trang quản trị" in response.content.decode()


def test_a_superuser_without_a_role_must_set_up_totp_before_anything(client, debug_off, totp_code):
    superuser()
    assert login(client, "root@test.khuyencong.vn").status_code == 302
    assert logged_in(client)
    for path in ("/", "/quan-tri/", reverse("admin:accounts_user_changelist")):
        assert client.get(path).url == reverse("mfa_activate_totp"), path
    # allauth asks for the password again before a device is added.
    again = client.get(reverse("mfa_activate_totp"))
    assert urlsplit(again.url).path == reverse("account_reauthenticate")
    confirmed = client.post(again.url, {"password": PASSWORD})
    assert confirmed.url == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert activated.status_code == 302
    # Typing a code from the new device was this session's second factor.
    assert client.get("/").status_code == 200
    assert client.get("/quan-tri/").status_code == 200


def test_a_superuser_with_totp_must_give_the_code(client, debug_off, totp_code):
    user = superuser(totp=True)
    assert login(client, "root@test.khuyencong.vn").url == reverse("mfa_authenticate")
    assert not logged_in(client)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert client.get("/quan-tri/").status_code == 200


@pytest.mark.parametrize("staff", [False, True])
def test_a_device_is_not_enough_the_session_must_have_passed_it(
    staff, make_user, client, debug_off, totp_code, wrong_totp_code
):
    """The old check: 'has a TOTP device'. A session that signed in with the password alone
    (here: before the device was set up elsewhere) is sent to give the code, whatever it asks —
    the device's removal included."""
    user = make_user(Role.PROVINCE_SCT, "14", totp=False, is_staff=staff)
    login(client, user.email)
    assert client.get("/").url == reverse("mfa_activate_totp")
    TOTP.activate(user, generate_totp_secret())
    paths = ["/", reverse("geo:unit_detail", args=["14"]), reverse("mfa_deactivate_totp")]
    paths += ["/quan-tri/"] if staff else []
    for path in paths:
        response = client.get(path)
        target = urlsplit(response.url)
        assert target.path == reverse("mfa_reauthenticate"), path
        assert parse_qs(target.query)["next"] == [path]
    wrong = client.post(reverse("mfa_reauthenticate"), {"code": wrong_totp_code(user)})
    assert wrong.status_code == 200
    assert client.get("/").status_code == 302
    done = client.post(
        f"{reverse('mfa_reauthenticate')}?next=/", {"code": totp_code(user), "next": "/"}
    )
    assert done.url == "/"
    assert client.get("/").status_code == 200


def test_wrong_second_factor_codes_are_limited(make_user, client, totp_code, wrong_totp_code):
    """Without a limit six digits fall to guessing in about an hour."""
    user = make_user(Role.PROVINCE_SCT, "14", email="sct@test.khuyencong.vn")
    login(client, "sct@test.khuyencong.vn")
    for _ in range(5):
        wrong = client.post(reverse("mfa_authenticate"), {"code": wrong_totp_code(user)})
        assert wrong.status_code == 200
    refused = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert refused.status_code == 200
    assert "Đăng nhập không thành công quá nhiều lần" in refused.content.decode()
    assert not logged_in(client)


def test_demo_administrators_skip_the_second_factor_only_while_debug_is_on(
    make_user, client, settings
):
    make_user(Role.SYSTEM_ADMIN, "VN", email="demo@test.khuyencong.vn", totp=False, is_demo=True)
    User.objects.filter(email="demo@test.khuyencong.vn").update(is_staff=True)
    settings.DEBUG = True
    login(client, "demo@test.khuyencong.vn")
    assert client.get("/").status_code == 200
    assert client.get("/quan-tri/").status_code == 200
    settings.DEBUG = False
    assert client.get("/").url == reverse("mfa_activate_totp")
    assert client.get("/quan-tri/").url == reverse("mfa_activate_totp")


def test_failures_count_against_one_key_whatever_the_spelling(make_user, client, settings):
    make_user(Role.PROVINCE_SCT, "14", email="sct@test.khuyencong.vn", is_staff=True)
    spellings = ["SCT@test.khuyencong.vn", " sct@test.khuyencong.vn", "Sct@Test.Khuyencong.vn"]
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, spellings[n % 3], "sai").status_code == 200
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        "sct@test.khuyencong.vn"
    }
    assert login(client, "sct@test.khuyencong.vn", "sai").status_code == 429
    # Neither login page lets the right password in now.
    assert login(client, "sct@test.khuyencong.vn").status_code == 429
    admin_login(client, "sct@test.khuyencong.vn")
    assert not logged_in(client)
    assert client.get("/quan-tri/").status_code == 302


def test_a_wrong_password_when_asked_again_counts_for_the_same_account(make_user, client):
    user = make_user(Role.COMMUNE_OFFICER, "03646", email="xa@test.khuyencong.vn")
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": "sai"})
    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "xa@test.khuyencong.vn"
    ]


@pytest.mark.parametrize("field", ["login", "email", "username"])
def test_every_field_name_gives_the_same_lock_out_key(field, rf):
    assert login_key(None, {field: " XA@Test.vn "}) == "xa@test.vn"
    assert login_key(rf.post("/", {field: "XA@Test.vn"}), {}) == "xa@test.vn"
