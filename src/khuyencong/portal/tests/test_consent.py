"""Đồng ý công khai: who chooses (service and screen), the version check, the activity log,
and that the public page follows the choice at once (its cache keyed to the data version)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.awards.tests.conftest import (
    CHIENG_SON,
    KHANH_HOA,
    SON_LA,
    TO_HIEU,
    build_establishment,
    build_product,
)
from khuyencong.core.concurrency import StaleEditError
from khuyencong.portal import services
from khuyencong.portal.models import PublicationConsent
from khuyencong.portal.selectors import product_url

pytestmark = pytest.mark.django_db

ALL = services.ConsentChoices(
    publish=True, publish_address=True, publish_phone=True, publish_email=True
)


@pytest.fixture
def certified(unit, certify):
    """A certified product whose holder has not chosen anything yet."""
    holder = build_establishment(unit)
    holder.phone, holder.email = "0212 3856 789", "htx@chieng-son.vn"
    holder.address = "Bản Nà Hạ, xã Chiềng Sơn"
    holder.tax_code = "5500123456"
    holder.save()
    product = build_product(holder, name="Chè Shan Tuyết Chiềng Sơn")
    certify(product, code="SHAN2025")
    return product


def test_nothing_is_published_until_chosen_and_contacts_default_to_hidden(certified):
    choices, version = services.consent_of(certified)
    assert (choices, version) == (services.ConsentChoices(), 0)
    assert PublicationConsent(product=certified).publish_phone is False


def test_who_may_choose(make_user, unit, certified, representative):
    allowed = [
        representative(certified.establishment),
        make_user(Role.COMMUNE_OFFICER, CHIENG_SON),
        make_user(Role.PROVINCE_CENTRE, SON_LA),
    ]
    for user in allowed:
        _, version = services.consent_of(certified)
        row = services.set_publication_consent(
            actor=user, product=certified, expected_version=version, choices=ALL
        )
        assert row.version == version + 1
    refused = [
        make_user(Role.PROVINCE_SCT, SON_LA),
        make_user(Role.COMMUNE_OFFICER, TO_HIEU),
        make_user(Role.PROVINCE_CENTRE, KHANH_HOA),
        make_user(Role.NATIONAL_OFFICER, "VN"),
        representative(build_establishment(unit, name="Cơ sở khác")),
    ]
    for user in refused:
        with pytest.raises(PermissionDenied):
            services.set_publication_consent(
                actor=user, product=certified, expected_version=3, choices=ALL
            )
    assert PublicationConsent.objects.get(product=certified).version == 3


def test_a_stale_choice_is_refused_and_the_change_is_logged(make_user, certified):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    services.set_publication_consent(
        actor=officer,
        product=certified,
        expected_version=0,
        choices=services.ConsentChoices(publish=True),
    )
    # A second form opened before the first choice was saved: refused, nothing changes.
    with pytest.raises(StaleEditError):
        services.set_publication_consent(
            actor=officer, product=certified, expected_version=0, choices=ALL
        )
    services.set_publication_consent(
        actor=officer, product=certified, expected_version=1, choices=ALL
    )
    with pytest.raises(StaleEditError):
        services.set_publication_consent(
            actor=officer,
            product=certified,
            expected_version=1,
            choices=services.ConsentChoices(),
        )
    row = PublicationConsent.objects.get(product=certified)
    assert (row.version, row.publish_email) == (2, True)
    events = ActivityEvent.objects.filter(
        event_type=EventType.PRODUCT_CHANGED, data__action="cong-khai"
    ).order_by("pk")
    assert [e.data["fields"] for e in events] == [
        ["publish"],
        ["publish_address", "publish_phone", "publish_email"],
    ]
    assert {e.unit for e in events} == {certified.commune}
    assert {e.actor for e in events} == {officer}
    assert row.history.count() == 2


def test_the_screen_saves_and_the_public_page_follows_at_once(client, certified, representative):
    public = product_url(certified.pk, certified.name)
    assert client.get(public).status_code == 404  # no consent yet
    client.force_login(representative(certified.establishment))
    url = reverse("portal:consent", args=[certified.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "0212 3856 789" in body  # the holder sees what would be published
    assert 'name="version" value="0"' in body
    assert "5500123456" not in body
    response = client.post(url, {"version": 0, "publish": "on", "publish_phone": "on"})
    assert response.status_code == 302
    client.logout()
    first = client.get(public)
    assert first.status_code == 200
    shown = first.content.decode()
    assert "0212 3856 789" in shown
    assert "htx@chieng-son.vn" not in shown
    assert "Bản Nà Hạ" not in shown
    etag = first["ETag"]

    client.force_login(representative(certified.establishment))
    assert 'id="trang-cong-khai"' in client.get(url).content.decode()
    client.post(url, {"version": 1, "publish": "on", "publish_email": "on"})
    client.logout()
    again = client.get(public, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200  # not 304: the data version moved
    assert "htx@chieng-son.vn" in again.content.decode()
    assert "0212 3856 789" not in again.content.decode()

    client.force_login(representative(certified.establishment))
    client.post(url, {"version": 2})
    client.logout()
    assert client.get(public).status_code == 404  # withdrawn: off the portal at once
    assert certified.name not in client.get(reverse("portal:catalogue")).content.decode()


def test_a_stale_form_says_so_and_keeps_the_choice(client, make_user, certified):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    url = reverse("portal:consent", args=[certified.pk])
    client.post(url, {"version": 0, "publish": "on"})
    response = client.post(url, {"version": 0})
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    assert PublicationConsent.objects.get(product=certified).publish is True


def test_readers_in_scope_hear_why_and_others_404(client, make_user, certified):
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    url = reverse("portal:consent", args=[certified.pk])
    refused = client.get(url)
    assert refused.status_code == 403
    assert client.post(url, {"version": 0, "publish": "on"}).status_code == 403
    client.force_login(make_user(Role.COMMUNE_OFFICER, TO_HIEU))
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": 0, "publish": "on"}).status_code == 404
    assert not PublicationConsent.objects.exists()
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page


def test_the_product_page_links_to_the_screen_for_its_managers(client, make_user, certified):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    detail = reverse("awards:product_detail", args=[certified.pk])
    link = reverse("portal:consent", args=[certified.pk])
    assert link in client.get(detail).content.decode()
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    assert link not in client.get(detail).content.decode()


def test_the_admin_lists_consents_read_only(admin_client, certified):
    PublicationConsent.objects.create(product=certified, publish=True)
    listing = admin_client.get(reverse("admin:portal_publicationconsent_changelist"))
    assert listing.status_code == 200
    assert certified.name in listing.content.decode()
    assert admin_client.get(reverse("admin:portal_publicationconsent_add")).status_code == 403
