"""The change feed: scoped, in order, resumable; replayed into an empty database it gives the
same establishments, and replaying it again changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.registry import services
from khuyencong.registry.models import Establishment
from khuyencong.registry.services import EDITABLE_FIELDS

from .conftest import CHIENG_SON, NHA_TRANG, SON_LA, TO_HIEU

pytestmark = pytest.mark.django_db
FEED = "/api/v1/changes"


def _snapshot() -> dict[int, dict]:
    return {
        e.pk: {f: getattr(e, f) for f in EDITABLE_FIELDS if f != "commune"}
        | {"commune": e.commune.code}
        for e in Establishment.objects.select_related("commune")
        if e.province.code == SON_LA
    }


def _read_all(api, since=0, limit=2):
    entries, counts = [], []
    url, params = FEED, {"since": since, "limit": limit}
    while url:
        with CaptureQueriesContext(connection) as queries:
            page = api.get(url, params).json()
        counts.append(len(queries))
        entries += page["results"]
        url, params = page["next"], None
    return entries, page["cursor"], counts


def _replay(entries) -> None:
    for entry in entries:
        if entry["change"] == "deleted":
            Establishment.objects.filter(pk=entry["id"]).delete()
            continue
        data = dict(entry["data"])
        data["commune"] = AdministrativeUnit.objects.current().get(code=data["commune"])
        Establishment.objects.update_or_create(
            pk=entry["id"], defaults={**data, "version": entry["version"]}
        )


@pytest.fixture
def officer(make_user):
    return make_user(Role.PROVINCE_CENTRE, SON_LA)


def _add(officer, name, commune):
    return services.create_establishment(
        actor=officer,
        data={
            "name": name,
            "legal_form": "hkd",
            "product_group": "2",
            "commune": commune,
        },
    )


def test_the_feed_replayed_into_an_empty_database_gives_the_same_objects(
    officer, issue, bearer, unit
):
    kept = _add(officer, "Chè Chiềng Sơn", unit(CHIENG_SON))
    moved = _add(officer, "Dệt Tô Hiệu", unit(TO_HIEU))
    gone = _add(officer, "Gốm bỏ", unit(TO_HIEU))
    services.update_establishment(
        actor=officer, establishment=moved, expected_version=1, data={"address": "Tổ 3"}
    )
    gone.delete()
    elsewhere = Establishment(name="Yến Nha Trang", legal_form="hkd", product_group="2")
    elsewhere.commune = unit(NHA_TRANG)
    elsewhere.save()
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    api = bearer(token)
    api.get(FEED, {"limit": 1})  # the first use records its time: not a per-page query
    expected = _snapshot()
    assert set(expected) == {kept.pk, moved.pk}

    entries, cursor, counts = _read_all(api)
    assert [e["change"] for e in entries] == ["created", "created", "created", "updated", "deleted"]
    assert all(e["id"] != elsewhere.pk for e in entries)  # out of scope: never listed
    assert [e["cursor"] for e in entries] == sorted(e["cursor"] for e in entries)
    assert len(set(counts)) == 1  # the same queries whatever the page

    nothing_new, same_cursor, _counts = _read_all(api, since=cursor)
    assert nothing_new == []
    assert same_cursor == cursor

    # The national system's database, empty (here: this one emptied).
    Establishment.objects.all().delete()
    _replay(entries)
    assert _snapshot() == expected
    _replay(entries)  # a repeated sync changes nothing
    assert _snapshot() == expected


def test_a_sync_resumes_from_its_cursor(officer, issue, bearer, unit):
    _add(officer, "Một", unit(CHIENG_SON))
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    api = bearer(token)
    first, cursor, _counts = _read_all(api)
    _add(officer, "Hai", unit(CHIENG_SON))
    later, _cursor, _counts = _read_all(api, since=cursor)
    assert [e["data"]["name"] for e in first] == ["Một"]
    assert [e["data"]["name"] for e in later] == ["Hai"]


def test_a_commune_reads_only_its_communes_changes(officer, issue, bearer, unit):
    _add(officer, "Một", unit(CHIENG_SON))
    _add(officer, "Hai", unit(TO_HIEU))
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    entries, _cursor, _counts = _read_all(bearer(token))
    assert [e["data"]["name"] for e in entries] == ["Một"]


@pytest.mark.parametrize("since", ["-1", "abc", "9" * 40])
def test_a_bad_cursor_is_400_with_the_field(issue, bearer, since):
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    response = bearer(token).get(FEED, {"since": since})
    assert response.status_code == 400
    assert "since" in response.json()["errors"]
