"""The access policy narrows by columns of the row itself (sargable scoping).

Scoped rows whose unit may lie below a province carry that province (``geo.models.InProvince``);
``policy.scope_queryset`` filters ``province_id = P`` for a province, the row's unit key for a
commune and nothing for the nation — never a join to the unit tree with ``LIKE``. Which rows a
user sees is proven by ``test_access_policy``; these tests prove the columns stay right and the
filter is the index range.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.audit.selectors import activity_for_user
from khuyencong.audit.services import record_event
from khuyencong.geo.backfill import backfill_province
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.registry import services as registry_services
from khuyencong.registry.models import Establishment, LegalForm, ProductGroup
from khuyencong.registry.selectors import establishments_for
from khuyencong.registry.tests.helpers import csv_bytes, row

pytestmark = pytest.mark.django_db

SON_LA, KHANH_HOA = "14", "56"
CHIENG_SON, NHA_TRANG = "03985", "22366"


def _establishment(unit, commune: str, name: str = "Cơ sở chè Chiềng Sơn") -> Establishment:
    establishment = Establishment(
        name=name,
        commune=unit(commune),
        legal_form=LegalForm.HOUSEHOLD,
        product_group=ProductGroup.PROCESSED_FOOD,
    )
    establishment.save()
    return establishment


def test_a_unit_knows_its_province_without_a_query(unit, django_assert_num_queries):
    son_la, commune = unit(SON_LA), unit(CHIENG_SON)
    nation = AdministrativeUnit.objects.get(code="VN")
    with django_assert_num_queries(0):
        assert (son_la.province_pk, commune.province_pk, nation.province_pk) == (
            son_la.pk,
            son_la.pk,
            None,
        )


def test_an_establishment_carries_its_province_and_follows_a_move(unit, make_user):
    establishment = _establishment(unit, CHIENG_SON)
    assert establishment.province == unit(SON_LA)
    admin = make_user(Role.SYSTEM_ADMIN, "VN")
    moved = registry_services.update_establishment(
        actor=admin,
        establishment=establishment,
        expected_version=establishment.version,
        data={"commune": unit(NHA_TRANG)},
    )
    moved.refresh_from_db()
    assert moved.province == unit(KHANH_HOA)


def test_saving_other_fields_only_keeps_the_province(unit):
    establishment = _establishment(unit, CHIENG_SON)
    establishment.phone = "0212 3 852 000"
    establishment.save(update_fields=["phone"])
    establishment.refresh_from_db()
    assert establishment.province == unit(SON_LA)


def test_imported_establishments_carry_their_province(unit, make_user):
    officer = make_user(Role.PROVINCE_CENTRE, SON_LA)
    outcome = registry_services.import_establishments(
        actor=officer, content=csv_bytes([row(name="Cơ sở nhập Tô Hiệu")]), filename="ds.csv"
    )
    assert outcome.imported == 1
    assert Establishment.objects.get(name="Cơ sở nhập Tô Hiệu").province == unit(SON_LA)


def test_events_carry_the_province_of_their_unit(unit):
    nation = AdministrativeUnit.objects.get(code="VN")
    at_commune = record_event(EventType.UNIT_UPDATED, unit=unit(CHIENG_SON))
    at_province = record_event(EventType.UNIT_UPDATED, unit=unit(SON_LA))
    at_nation = record_event(EventType.UNIT_UPDATED, unit=nation)
    without_unit = record_event(EventType.LOGGED_IN)
    assert [e.province_id for e in (at_commune, at_province, at_nation, without_unit)] == [
        unit(SON_LA).pk,
        unit(SON_LA).pk,
        None,
        None,
    ]


def test_the_back_fill_sets_every_province(unit):
    son_la = _establishment(unit, CHIENG_SON)
    khanh_hoa = _establishment(unit, NHA_TRANG, name="Cơ sở yến Nha Trang")
    Establishment.objects.update(province=None)
    backfill_province(apps, "registry", "Establishment", "commune")
    assert dict(Establishment.objects.values_list("pk", "province__code")) == {
        son_la.pk: SON_LA,
        khanh_hoa.pk: KHANH_HOA,
    }


def _sql(queryset) -> str:
    with CaptureQueriesContext(connection) as captured:
        list(queryset)
    return captured.captured_queries[-1]["sql"]


@pytest.mark.parametrize(
    ("role", "code", "column"),
    [
        (Role.PROVINCE_SCT, SON_LA, '"province_id"'),
        (Role.COMMUNE_OFFICER, CHIENG_SON, '"commune_id"'),
    ],
)
def test_a_scoped_list_filters_on_the_row_not_through_the_unit_tree(
    role, code, column, unit, make_user
):
    _establishment(unit, CHIENG_SON)
    user = make_user(role, code)
    for queryset in (
        policy.scope_queryset(user, Establishment.objects.all(), unit_field="commune"),
        policy.scope_queryset(user, ActivityEvent.objects.all()),
    ):
        sql = _sql(queryset)
        assert "path" not in sql
        assert "geo_administrativeunit" not in sql
    where = _sql(establishments_for(user)).split("WHERE", 1)[1]
    assert column in where
    assert "path" not in where


def test_the_nation_filters_nothing_but_rows_without_a_unit(make_user):
    officer = make_user(Role.NATIONAL_OFFICER, "VN")
    record_event(EventType.LOGGED_IN)  # no unit: outside every scope, as before
    nation = AdministrativeUnit.objects.get(code="VN")
    with_unit = record_event(EventType.UNIT_UPDATED, unit=nation)
    assert list(activity_for_user(officer)) == [with_unit]
    assert "WHERE" not in _sql(
        policy.scope_queryset(officer, Establishment.objects.all(), unit_field="commune")
    )
