"""Read leaks found by the issue-10 probe: each would show an out-of-scope name."""

import datetime

import pytest
from django.urls import reverse

from khuyencong.planning import rounds

from .conftest import CHIENG_SON, TO_HIEU

pytestmark = pytest.mark.django_db


def test_the_round_page_shows_a_commune_only_its_own_extension(round_, officer, sct, unit, client):
    for code, reason in ((TO_HIEU, "LÝ-DO-XÃ-BÊN-CẠNH-3M"), (CHIENG_SON, "Lý do của Chiềng Sơn")):
        rounds.extend_deadline(
            actor=sct,
            round=round_,
            unit=unit(code),
            new_deadline=datetime.date(2026, 6, 15),
            reason=reason,
        )
    client.force_login(officer)
    body = client.get(reverse("planning:round_detail", args=[round_.pk])).content.decode()
    assert "LÝ-DO-XÃ-BÊN-CẠNH-3M" not in body
    assert "Lý do của Chiềng Sơn" in body
    client.force_login(sct)
    body = client.get(reverse("planning:round_detail", args=[round_.pk])).content.decode()
    assert "LÝ-DO-XÃ-BÊN-CẠNH-3M" in body
