"""The portal's demo data (make run): every public path has something to show."""

from __future__ import annotations

import pytest

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
