"""Read leaks found by the issue-10 probe: each would show an out-of-scope name."""

import pytest

from khuyencong.accounts.models import Role
from khuyencong.registry import services
from khuyencong.registry.models import Establishment

pytestmark = pytest.mark.django_db
CHIENG_SON = "03985"


def _establishment(officer, name):
    data = {"name": name, "legal_form": "hkd", "commune": officer.current_assignment.unit}
    return services.create_establishment(actor=officer, data={**data, "product_group": "2"})


def test_a_representatives_home_page_shows_only_their_establishments_activity(make_user, client):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    own = _establishment(officer, "Hộ chè của người đại diện")
    _establishment(officer, "CƠ-SỞ-KHÁC-CÙNG-XÃ-5K")
    representative = make_user(Role.ESTABLISHMENT, CHIENG_SON)
    representative.assignments.update(establishment=own)
    client.force_login(representative)
    body = client.get("/").content.decode()
    assert "CƠ-SỞ-KHÁC-CÙNG-XÃ-5K" not in body
    assert "Hộ chè của người đại diện" in body
    assert Establishment.objects.count() == 2
