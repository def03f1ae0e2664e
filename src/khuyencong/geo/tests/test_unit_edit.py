"""Editing a unit's contact details: history, activity, and no silent overwrite."""

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType

pytestmark = pytest.mark.django_db


def edit(client, code, version, address):
    return client.post(
        reverse("geo:unit_edit", args=[code]),
        {
            "address": address,
            "phone": "0212 3852 000",
            "email": "ubnd@sonla.gov.vn",
            "version": version,
        },
    )


def test_an_edit_is_saved_logged_and_kept_in_history(make_user, client, unit):
    officer = make_user(Role.COMMUNE_OFFICER, "03646")
    client.force_login(officer)
    response = edit(client, "03646", 1, "Số 1 đường Tô Hiệu")
    assert response.status_code == 302
    saved = unit("03646")
    assert saved.address == "Số 1 đường Tô Hiệu"
    assert saved.version == 2
    assert ActivityEvent.objects.filter(event_type=EventType.UNIT_UPDATED, actor=officer).exists()
    page = client.get(reverse("audit:object_history", args=["geo.AdministrativeUnit", saved.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Số 1 đường Tô Hiệu" in body
    assert "Sửa thông tin liên hệ" in body


def test_a_stale_edit_is_refused_and_the_first_edit_kept(make_user, client, unit):
    first, second = make_user(Role.COMMUNE_OFFICER, "03646"), make_user(Role.PROVINCE_SCT, "14")
    client.force_login(first)
    assert edit(client, "03646", 1, "Bản của người thứ nhất").status_code == 302
    client.force_login(second)
    response = edit(client, "03646", 1, "Bản của người thứ hai")  # read before the first save
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    assert unit("03646").address == "Bản của người thứ nhất"


def test_invalid_input_gets_a_message_and_changes_nothing(make_user, client, unit):
    client.force_login(make_user(Role.COMMUNE_OFFICER, "03646"))
    response = client.post(
        reverse("geo:unit_edit", args=["03646"]),
        {"address": "x", "phone": "", "email": "khong-phai-email", "version": 1},
    )
    assert response.status_code == 200
    assert unit("03646").address == ""
    assert "invalid-feedback" in response.content.decode()


def test_history_page_is_not_open_to_establishments(make_user, client, unit):
    client.force_login(make_user(Role.ESTABLISHMENT, "03646"))
    response = client.get(
        reverse("audit:object_history", args=["geo.AdministrativeUnit", unit("03646").pk])
    )
    assert response.status_code == 403
