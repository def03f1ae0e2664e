"""The portal's demo data (make run): every public path has something to show."""

from __future__ import annotations

import pytest
from django.utils import timezone

from khuyencong.awards.models import Certificate
from khuyencong.portal.demo import seed_portal_demo
from khuyencong.registry.demo import seed_demo_establishments

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_shows_every_public_path_and_is_created_once(client):
    seed_demo_establishments()
    assert seed_portal_demo(today=TODAY) == 3
    assert seed_portal_demo(today=TODAY) == 3
    assert Certificate.objects.filter(is_demo=True).count() == 4
    catalogue = client.get("/san-pham/")
    assert [c.name for c in catalogue.context["cards"]] == [
        "Chè búp khô Chiềng Sơn (mẫu)",
        "Chè Shan tuyết Chiềng Sơn (mẫu)",
    ]
    assert client.get("/01/8935049510864").status_code == 307
    assert client.get("/01/8936036021110").status_code == 307
    revoked = Certificate.objects.get(revoked_on__isnull=False)
    assert client.get(f"/c/{revoked.code}").status_code == 410
    expired = Certificate.objects.get(valid_until__lt=TODAY)
    tea = client.get(f"/c/{expired.code}", follow=True)
    assert "Hết hạn" in tea.content.decode()
    assert "Còn hiệu lực" in tea.content.decode()
    for photo_url in [card.photos[0].thumb_url for card in catalogue.context["cards"]]:
        assert client.get(photo_url).status_code == 200


def test_the_full_demo_has_an_expired_and_a_revoked_certificate_to_show(client):
    """``make run`` seeds the selection's demo first (all its certificates valid): the portal
    adds the expired and the revoked one every public path needs (found walking the demo)."""
    from khuyencong.core.demo import seed_demo

    seed_demo()
    seed_demo()  # once only
    revoked = Certificate.objects.get(is_demo=True, revoked_on__isnull=False)
    answer = client.get(f"/c/{revoked.code}")
    assert answer.status_code == 410
    assert "thay đổi công thức" in answer.content.decode()
    expired = Certificate.objects.get(is_demo=True, valid_until__lt=timezone.localdate())
    page = client.get(f"/c/{expired.code}", follow=True).content.decode()
    assert "Hết hạn" in page
    assert "Còn hiệu lực" in page  # its provincial certificate keeps it in the catalogue
    cards = client.get("/san-pham/").context["cards"]
    assert expired.product.name in [card.name for card in cards]
    assert revoked.product.name in [card.name for card in cards]
    assert client.get(f"/01/{expired.product.gtin}").status_code == 307
