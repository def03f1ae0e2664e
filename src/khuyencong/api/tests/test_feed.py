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

from .conftest import CHIENG_SON, KHANH_HOA, NHA_TRANG, SON_LA, TO_HIEU

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
        if entry["change"] in ("deleted", "moved_out"):
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


def _move(establishment, commune):
    establishment.commune = commune
    establishment.version += 1
    establishment.save()


def _changes(api, **params):
    return [
        (e["change"], e["id"]) for e in api.get(FEED, {"limit": 100, **params}).json()["results"]
    ]


def test_a_move_out_of_the_scope_is_listed_to_the_old_scope(officer, issue, bearer, unit):
    tea = _add(officer, "Chè Chiềng Sơn", unit(CHIENG_SON))
    cloth = _add(officer, "Dệt Chiềng Sơn", unit(CHIENG_SON))
    _move(tea, unit(NHA_TRANG))  # to another province
    _move(cloth, unit(TO_HIEU))  # within the province
    commune = bearer(issue(Role.COMMUNE_OFFICER, CHIENG_SON)[1])
    province = bearer(issue(Role.PROVINCE_CENTRE, SON_LA)[1])
    khanh_hoa = bearer(issue(Role.PROVINCE_CENTRE, KHANH_HOA)[1])
    assert _changes(commune) == [
        ("created", tea.pk),
        ("created", cloth.pk),
        ("moved_out", tea.pk),
        ("moved_out", cloth.pk),
    ]
    assert _changes(province) == [
        ("created", tea.pk),
        ("created", cloth.pk),
        ("moved_out", tea.pk),
        ("updated", cloth.pk),
    ]
    moved_in = khanh_hoa.get(FEED).json()["results"]
    assert [(e["change"], e["id"], e["data"]["commune"]) for e in moved_in] == [
        ("updated", tea.pk, NHA_TRANG)
    ]
    # Resumed after the move, nothing; replayed, the commune's copy holds neither any more.
    entries, cursor, _counts = _read_all(commune)
    assert _read_all(commune, since=cursor)[0] == []
    Establishment.objects.all().delete()
    _replay(entries)
    assert not Establishment.objects.exists()


def test_projects_have_their_own_feed(officer, issue, bearer, unit):
    from khuyencong.projects.tests.conftest import build_project

    son_la = build_project(unit)
    build_project(unit, province=KHANH_HOA, title="Đề án Khánh Hòa")
    son_la.title = "Hỗ trợ máy sao chè (sửa)"
    son_la.version += 1
    son_la.save()
    api = bearer(issue(Role.PROVINCE_CENTRE, SON_LA)[1])
    entries = api.get(FEED, {"resource": "projects"}).json()["results"]
    assert [(e["change"], e["id"]) for e in entries] == [
        ("created", son_la.pk),
        ("updated", son_la.pk),
    ]
    assert entries[1]["data"]["title"] == "Hỗ trợ máy sao chè (sửa)"
    assert entries[1]["data"]["unit"] == SON_LA
    assert entries[1]["data"]["support_kcqg"] == son_la.support_kcqg
    assert all(e["resource"] == "projects" for e in entries)
    refused = api.get(FEED, {"resource": "khong-co"})
    assert refused.status_code == 400
    assert "resource" in refused.json()["errors"]
