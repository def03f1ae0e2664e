"""Read leaks found by the issue-10 probe: each would show an out-of-scope name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role

from .conftest import CHIENG_SON, TO_HIEU
from .helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


def test_the_import_never_names_an_establishment_outside_the_importers_scope(
    make_user, make_establishment, client
):
    make_establishment(commune=TO_HIEU, name="Cơ Sở Bí Mật Tô Hiệu", tax_code="")
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    content = csv_bytes([row(name="co so bi mat to hieu", commune_code=TO_HIEU, tax_code="")])
    response = client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile("ds.csv", content)}
    )
    body = response.content.decode()
    assert "nằm ngoài phạm vi Xã Chiềng Sơn của bạn" in body
    assert "Cơ Sở Bí Mật Tô Hiệu" not in body
