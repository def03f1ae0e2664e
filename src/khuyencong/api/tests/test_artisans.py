"""Artisans over the API: the registry's artisan form and services behind it (same rules and
messages), the same policy (403 with the reason, 404 out of scope), If-Match 428/412,
Idempotency-Key, the client's ``establishments`` scopes, the page's filters, the change feed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.api import examples
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.registry.models import Artisan, ArtisanTitle, Establishment

from .conftest import CHIENG_SON, NHA_TRANG, SON_LA, TO_HIEU

pytestmark = pytest.mark.django_db
LIST = "/api/v1/artisans"


@pytest.fixture
def tea(unit):
    found = Establishment(name="HTX chè Chiềng Sơn", legal_form="htx", product_group="2")
    found.commune = unit(CHIENG_SON)
    found.save()
    return found


@pytest.fixture
def centre(issue, bearer):
    return bearer(issue(Role.PROVINCE_CENTRE, SON_LA)[1])


def new(tea, **values):
    return {
        "full_name": "Lò Thị Xuân",
        "title": "uu-tu",
        "year_awarded": 2019,
        "craft": "Chế biến chè",
        "commune": CHIENG_SON,
        "establishment": tea.pk,
        **values,
    }


def test_a_client_adds_an_artisan_once_whatever_the_retries(centre, tea):
    headers = {"Idempotency-Key": "nghe-nhan-1"}
    first = centre.post(LIST, new(tea), format="json", headers=headers)
    assert first.status_code == 201, first.json()
    again = centre.post(LIST, new(tea), format="json", headers=headers)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    created = Artisan.objects.get()
    assert first["ETag"] == '"1"'
    assert first["Location"] == f"{LIST}/{created.pk}"
    assert first.json() == {"id": created.pk, **new(tea), "version": 1}
    event = ActivityEvent.objects.get(event_type=EventType.ARTISAN_CREATED)
    assert event.actor == created.history.get().history_user  # the client's account
    assert api_read(centre, f"{LIST}/{created.pk}")["ETag"] == '"1"'


def api_read(api, url):
    response = api.get(url)
    assert response.status_code == 200
    return response


def test_the_forms_rules_and_messages_on_the_fields(centre, tea):
    response = centre.post(
        LIST, new(tea, commune=TO_HIEU, year_awarded=1900, title="khong-co"), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert set(errors) == {"commune", "year_awarded", "title"}
    assert "xã/phường của cơ sở (Xã Chiềng Sơn)" in errors["commune"][0]
    assert "Năm phong tặng phải từ 1950 đến" in errors["year_awarded"][0]
    elsewhere = centre.post(LIST, new(tea, commune=NHA_TRANG, establishment=None), format="json")
    assert "commune" in elsewhere.json()["errors"]
    assert not Artisan.objects.exists()


@pytest.mark.parametrize("body", [[], "x", {"full_name": {"a": 1}}, {"year_awarded": "9" * 60}])
def test_malformed_bodies_are_400_never_500(centre, body):
    assert centre.post(LIST, body, format="json").status_code == 400


@pytest.fixture
def artisan(tea):
    return Artisan.objects.create(
        full_name="Lò Thị Xuân",
        title=ArtisanTitle.MERITORIOUS,
        year_awarded=2019,
        commune=tea.commune,
        establishment=tea,
    )


def test_if_match_428_412_then_the_change(centre, artisan):
    url = f"{LIST}/{artisan.pk}"
    change = {"title": "nhan-dan", "year_awarded": 2024}
    missing = centre.patch(url, change, format="json")
    assert missing.status_code == 428
    assert missing.json()["current_version"] == 1
    stale = centre.patch(url, change, format="json", headers={"If-Match": '"7"'})
    assert (stale.status_code, stale.json()["current_version"]) == (412, 1)
    done = centre.patch(url, change, format="json", headers={"If-Match": '"1"'})
    assert done.status_code == 200, done.json()
    assert done["ETag"] == '"2"'
    assert (done.json()["title"], done.json()["craft"]) == ("nhan-dan", "")
    put = centre.put(
        url, {**done.json(), "craft": "Sao chè"}, format="json", headers={"If-Match": '"2"'}
    )
    assert (put.status_code, put.json()["craft"], put.json()["version"]) == (200, "Sao chè", 3)
    artisan.refresh_from_db()
    assert (artisan.title, artisan.year_awarded, artisan.version) == ("nhan-dan", 2024, 3)


def test_the_policy_refuses_with_its_reason_and_hides_what_is_out_of_scope(
    issue, bearer, artisan, tea
):
    finance = bearer(issue(Role.PROVINCE_FINANCE, SON_LA)[1])
    url = f"{LIST}/{artisan.pk}"
    assert finance.get(url).status_code == 200
    refused = finance.patch(url, {"craft": "x"}, format="json", headers={"If-Match": '"1"'})
    assert refused.status_code == 403
    assert "không được phép thêm, sửa, nhập cơ sở" in refused.json()["detail"]
    assert finance.post(LIST, new(tea), format="json").status_code == 403
    other = bearer(issue(Role.PROVINCE_CENTRE, "56")[1])
    assert other.get(url).status_code == 404
    assert other.patch(url, {"craft": "x"}, format="json").status_code == 404
    taken = other.post(LIST, new(tea, commune=NHA_TRANG), format="json")
    assert taken.status_code == 400
    assert "HTX chè" not in taken.content.decode()  # the establishment elsewhere is not named
    assert Artisan.objects.get().version == 1


def test_a_client_without_the_establishments_write_scope_is_told_which(issue, bearer, tea):
    reader = bearer(issue(Role.PROVINCE_CENTRE, SON_LA, scopes=("establishments:read",))[1])
    assert reader.get(LIST).status_code == 200
    refused = reader.post(LIST, new(tea), format="json")
    assert refused.status_code == 403
    assert "establishments:write" in refused.json()["detail"]


def test_the_list_filters_as_the_page_in_flat_queries(centre, unit, tea):
    for name, craft, commune in [
        ("Lò Thị Xuân", "Dệt thổ cẩm", CHIENG_SON),
        ("Cầm Văn Đức", "Rèn", TO_HIEU),
        ("Nguyễn Thị Yến", "Làm nón", NHA_TRANG),
    ]:
        Artisan.objects.create(
            full_name=name, title=ArtisanTitle.PROVINCIAL, craft=craft, commune=unit(commune)
        )

    def names(**params):
        response = centre.get(LIST, params)
        assert response.status_code == 200, response.json()
        return [a["full_name"] for a in response.json()["results"]]

    assert names() == ["Cầm Văn Đức", "Lò Thị Xuân"]
    assert names(q="tho cam") == ["Lò Thị Xuân"]
    assert names(xa=TO_HIEU) == ["Cầm Văn Đức"]
    assert names(danh_hieu="uu-tu") == []
    bad = centre.get(LIST, {"danh_hieu": "khong-co"})
    assert bad.status_code == 400
    assert "danh_hieu" in bad.json()["errors"]
    with CaptureQueriesContext(connection) as few:
        centre.get(LIST)
    for n in range(5):
        Artisan.objects.create(
            full_name=f"Nghệ nhân {n}", title="khac", commune=tea.commune, establishment=tea
        )
    with CaptureQueriesContext(connection) as many:
        assert len(centre.get(LIST).json()["results"]) == 7
    assert len(many) == len(few)


def test_the_change_feed_lists_artisans_in_scope_and_replays(centre, issue, bearer, unit, tea):
    created = centre.post(LIST, new(tea), format="json").json()
    centre.patch(
        f"{LIST}/{created['id']}", {"craft": "Sao chè"}, format="json", headers={"If-Match": '"1"'}
    )
    Artisan.objects.create(full_name="Ở Khánh Hòa", title="khac", commune=unit(NHA_TRANG))
    page = centre.get("/api/v1/changes", {"resource": "artisans", "since": 0}).json()
    assert [(c["id"], c["change"], c["version"]) for c in page["results"]] == [
        (created["id"], "created", 1),
        (created["id"], "updated", 2),
    ]
    last = page["results"][-1]["data"]
    assert last == {
        "full_name": "Lò Thị Xuân",
        "title": "uu-tu",
        "year_awarded": 2019,
        "craft": "Sao chè",
        "commune": CHIENG_SON,
        "establishment": tea.pk,
    }
    other = bearer(issue(Role.PROVINCE_CENTRE, "56")[1])
    seen = other.get("/api/v1/changes", {"resource": "artisans", "since": 0}).json()
    assert [c["data"]["full_name"] for c in seen["results"]] == ["Ở Khánh Hòa"]


def test_the_artisan_examples_are_what_the_api_answers(centre, unit):
    establishment = centre.post(
        "/api/v1/establishments", examples.NEW_ESTABLISHMENT, format="json"
    ).json()
    body = {**examples.NEW_ARTISAN, "establishment": establishment["id"]}
    created = centre.post(LIST, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json() == {
        **examples.ARTISAN_CREATED,
        "id": created.json()["id"],
        "establishment": establishment["id"],
    }
    patch, shown = (e.value for e in examples.ARTISAN_PATCH)
    changed = centre.patch(
        f"{LIST}/{created.json()['id']}", patch, format="json", headers={"If-Match": '"1"'}
    )
    assert changed.json() == {
        **shown,
        "id": created.json()["id"],
        "establishment": establishment["id"],
    }
