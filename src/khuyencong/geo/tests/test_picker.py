"""The unit picker (issue 9, defect 9): suggestions in scope, accents optional, and what a box's
text means (a chosen label, a code, or a typed name), with a sentence when it means none or
several."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.geo import picker
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

pytestmark = pytest.mark.django_db
SUGGEST = reverse("geo:unit_suggest")
COMMUNES = AdministrativeUnit.objects.current().communes


def test_a_name_typed_without_accents_a_code_or_a_label_means_the_unit(unit):
    chieng_son = unit("03985")
    for text in (
        "chieng son",
        "Chiềng Sơn",
        "  XÃ  CHIỀNG SƠN ",
        "03985",
        picker.label(chieng_son),
    ):
        assert picker.resolve(COMMUNES(), text) == chieng_son, text
    assert picker.label(chieng_son) == "Xã Chiềng Sơn — Sơn La (03985)"
    assert picker.label(unit("14")) == "Sơn La (14)"


def test_a_name_of_several_units_or_of_none_is_answered_with_a_sentence():
    with pytest.raises(picker.UnitNotFound) as several:
        picker.resolve(COMMUNES(), "Tân Tiến")
    message = several.value.messages[0]
    assert "khớp với nhiều đơn vị" in message
    assert message.count("Tân Tiến — ") == picker.NAMED
    assert "và các đơn vị khác" in message
    with pytest.raises(picker.UnitNotFound, match="Không tìm thấy đơn vị “Chiềng Không”"):
        picker.resolve(COMMUNES(), "Chiềng Không")


def test_suggestions_stay_in_the_users_scope(client, make_user):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    page = client.get(SUGGEST, {"truong": "xa", "xa": "chieng son", "cap": "3"}).content.decode()
    assert 'data-unit-pick="Xã Chiềng Sơn — Sơn La (03985)"' in page
    client.force_login(make_user(Role.PROVINCE_SCT, "56"))  # Khánh Hòa
    page = client.get(SUGGEST, {"truong": "xa", "xa": "chieng son", "cap": "3"}).content.decode()
    assert "data-unit-pick" not in page
    assert "Không có đơn vị nào khớp “chieng son” trong phạm vi của bạn." in page
    client.force_login(make_user(Role.COMMUNE_OFFICER, "03646"))  # Tô Hiệu, in Sơn La
    page = client.get(SUGGEST, {"truong": "xa", "xa": "chieng", "cap": "3"}).content.decode()
    assert "data-unit-pick" not in page
    page = client.get(SUGGEST, {"truong": "xa", "xa": "to hieu"}).content.decode()
    assert page.count("data-unit-pick") == 1


def test_suggestions_by_level_and_code_are_few_and_cost_a_constant_number_of_queries(
    client, make_user
):
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    page = client.get(SUGGEST, {"truong": "don_vi", "don_vi": "son", "cap": "1"}).content.decode()
    assert 'data-unit-pick="Sơn La (14)"' in page
    assert "Xã" not in page
    counts = []
    for text in ("xa", "tan tien"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(SUGGEST, {"truong": "q", "q": text}).content.decode()
        counts.append(len(queries))
    assert page.count('data-unit-pick="Xã Tân Tiến — ') == 7  # every one in the country
    assert counts[0] == counts[1]
    first = client.get(SUGGEST, {"truong": "q", "q": "xa"}).content.decode()
    assert first.count("data-unit-pick") == picker.SUGGESTIONS
    coded = client.get(SUGGEST, {"truong": "q", "q": "0398", "cap": "3"}).content.decode()
    assert "(03985)" in coded


def test_suggestions_need_a_login(client):
    response = client.get(SUGGEST, {"q": "son"})
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_a_filter_box_reads_the_text_against_the_scope(make_user, unit):
    sct = make_user(Role.PROVINCE_SCT, "14")
    found = picker.filter_unit(sct, "chieng son", level=UnitLevel.COMMUNE)
    assert (found.unit, found.code, found.error) == (unit("03985"), "03985", "")
    assert found.shown == "Xã Chiềng Sơn — Sơn La (03985)"
    elsewhere = picker.filter_unit(make_user(Role.PROVINCE_SCT, "56"), "chieng son", level=3)
    assert elsewhere.unit is None
    assert elsewhere.code == "chieng son"  # matches nothing: the list is empty, and says why
    assert "Không tìm thấy đơn vị “chieng son” trong phạm vi của bạn" in elsewhere.error
    assert picker.filter_unit(sct, "  ") == picker.UnitFilter()


# ------------------------------------------------------------------ the picker on every page
FILTERS = [
    ("registry:establishment_list", "xa"),
    ("planning:registration_list", "xa"),
    ("projects:project_list", "xa"),
    ("awards:product_list", "xa"),
    ("programs:programme_list", "don_vi"),
]


@pytest.mark.parametrize(("url", "name"), FILTERS)
def test_every_unit_filter_is_the_picker_and_reads_names(url, name, client, make_user):
    """Regression (issue 9, defect 9): typing "Chiềng Sơn" in a filter that took unit codes
    returned nothing, silently."""
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    page = client.get(reverse(url), {name: "chieng son"}).content.decode()
    assert 'value="Xã Chiềng Sơn — Sơn La (03985)"' in page
    assert f'hx-get="{SUGGEST}"' in page
    assert "is-invalid" not in page
    page = client.get(reverse(url), {name: "Chiềng Không"}).content.decode()
    assert "Không tìm thấy đơn vị “Chiềng Không” trong phạm vi của bạn" in page


def test_the_new_establishment_page_has_no_list_of_every_commune(client, make_user, unit):
    """Regression: /co-so/them/ was a 263 KB page with a 3,300-entry drop-down."""
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    page = client.get(reverse("registry:establishment_create")).content.decode()
    assert "Xã Chiềng Sơn" not in page  # no list of the province's 75 communes
    assert page.count("<option") < 40
    assert len(page.encode()) < 60_000
    assert 'name="commune"' in page
    assert f'hx-get="{SUGGEST}"' in page
