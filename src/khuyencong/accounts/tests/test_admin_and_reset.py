import pytest
from django.core import mail
from django.urls import reverse

from khuyencong.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_password_reset_mails_the_user(make_user, client):
    make_user(Role.COMMUNE_OFFICER, "03646", email="xa@test.khuyencong.vn")
    response = client.post(reverse("account_reset_password"), {"email": "xa@test.khuyencong.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["xa@test.khuyencong.vn"]
    assert "/tai-khoan/password/reset/key/" in mail.outbox[0].body


def test_superusers_issue_accounts_in_the_admin(db, client):
    from khuyencong.accounts.models import User

    admin = User.objects.create_superuser("root@test.khuyencong.vn", "x", full_name="Quản trị")
    client.force_login(admin)
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:geo_administrativeunit_changelist"), {"q": "Sơn La"}).status_code
        == 200
    )
