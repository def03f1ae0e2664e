"""Artisans (nghệ nhân): the rules, the services (scope, optimistic locking, activity log) and
the pages (list, add from the establishment's page, edit)."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import StaleEditError
from khuyencong.core.models import Visibility
from khuyencong.geo.models import UnitLevel
from khuyencong.registry import services
from khuyencong.registry.models import Artisan, ArtisanTitle
from khuyencong.registry.validation import artisan_errors

from .conftest import CHIENG_SON, NHA_TRANG, TO_HIEU

LIST = reverse("registry:artisan_list")
CREATE = reverse("registry:artisan_create")
TODAY = datetime.date(2026, 12, 5)


# --------------------------------------------------------------------------------------------
# The rules (pure)
# --------------------------------------------------------------------------------------------
COMMUNE = SimpleNamespace(pk=1, level=UnitLevel.COMMUNE, name="Xã Chiềng Sơn")
PROVINCE = SimpleNamespace(pk=2, level=UnitLevel.PROVINCE, name="Sơn La")
OTHER = SimpleNamespace(pk=3, level=UnitLevel.COMMUNE, name="Phường Tô Hiệu")
TEA = SimpleNamespace(name="HTX chè", commune_id=1, commune=COMMUNE)


@pytest.mark.parametrize(
    ("year", "commune", "establishment", "expected"),
    [
        (2019, COMMUNE, TEA, {}),
        (1950, COMMUNE, None, {}),
        (2026, OTHER, None, {}),
        (None, COMMUNE, TEA, {}),
        (2027, COMMUNE, TEA, {"year_awarded": "Năm phong tặng phải từ 1950 đến 2026"}),
        (1949, COMMUNE, None, {"year_awarded": "Năm phong tặng phải từ 1950 đến 2026"}),
        (2019, PROVINCE, None, {"commune": "phải thuộc một xã, phường hoặc đặc khu"}),
        (2019, OTHER, TEA, {"commune": "xã/phường của cơ sở (Xã Chiềng Sơn)"}),
    ],
)
def test_artisan_rules(year, commune, establishment, expected):
    errors = artisan_errors(year=year, commune=commune, establishment=establishment, today=TODAY)
    assert sorted(errors) == sorted(expected)
    for field, text in expected.items():
        assert text in errors[field]


# --------------------------------------------------------------------------------------------
# The services
# --------------------------------------------------------------------------------------------
@pytest.fixture
def tea(make_establishment):
    return make_establishment(name="Hợp tác xã chè Chiềng Sơn")


def data(commune, establishment=None, **values):
    return {
        "full_name": "Lò Thị Xuân",
        "title": ArtisanTitle.MERITORIOUS,
        "year_awarded": 2019,
        "craft": "Dệt thổ cẩm",
        "commune": commune,
        "establishment": establishment,
        **values,
    }


@pytest.mark.django_db
def test_create_saves_with_history_and_an_activity_event(make_user, tea):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    artisan = services.create_artisan(actor=officer, data=data(tea.commune, tea))
    saved = Artisan.objects.get(pk=artisan.pk)
    assert (saved.full_name, saved.version, saved.establishment) == ("Lò Thị Xuân", 1, tea)
    assert saved.search_folded == "lo thi xuan | det tho cam"
    assert saved.history.get().history_change_reason == "Thêm nghệ nhân"
    event = ActivityEvent.objects.get(object_id=str(saved.pk))
    assert (event.event_type, event.actor, event.unit, event.establishment_id) == (
        EventType.ARTISAN_CREATED,
        officer,
        tea.commune,
        tea.pk,
    )
    assert (event.visibility, event.comment, event.data) == (Visibility.SHARED, "", {})


@pytest.mark.django_db
def test_create_refuses_out_of_scope_a_wrong_commune_and_a_future_year(
    make_user, make_establishment, tea, unit
):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    nest = make_establishment(name="Yến sào", commune=NHA_TRANG)
    with pytest.raises(PermissionDenied, match="nằm ngoài phạm vi"):
        services.create_artisan(actor=officer, data=data(unit(NHA_TRANG)))
    with pytest.raises(PermissionDenied, match="nằm ngoài phạm vi"):
        # in the officer's commune, but working at an establishment elsewhere
        services.create_artisan(actor=officer, data=data(tea.commune, nest))
    province = make_user(Role.PROVINCE_CENTRE, "14")
    with pytest.raises(ValidationError) as refused:
        services.create_artisan(
            actor=province, data=data(unit(TO_HIEU), tea, year_awarded=2100, title="x")
        )
    assert set(refused.value.message_dict) == {"commune", "year_awarded", "title"}
    assert not Artisan.objects.exists()
    assert not ActivityEvent.objects.filter(event_type=EventType.ARTISAN_CREATED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "reason"),
    [
        (Role.ESTABLISHMENT, "không được phép thêm, sửa, nhập cơ sở"),
        (Role.PROVINCE_FINANCE, "không được phép thêm, sửa, nhập cơ sở"),
    ],
)
def test_who_may_not_write_is_told_why(make_user, representative, tea, role, reason):
    user = representative(tea) if role == Role.ESTABLISHMENT else make_user(role, "14")
    with pytest.raises(PermissionDenied, match=reason):
        services.create_artisan(actor=user, data=data(tea.commune, tea))


@pytest.mark.django_db
def test_update_counts_versions_refuses_stale_and_moving_out_of_scope(make_user, tea, unit):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    artisan = services.create_artisan(actor=officer, data=data(tea.commune, tea))
    saved = services.update_artisan(
        actor=officer, artisan=artisan, expected_version=1, data={"year_awarded": 2021}
    )
    assert (saved.year_awarded, saved.version) == (2021, 2)
    event = ActivityEvent.objects.filter(object_id=str(artisan.pk)).latest("pk")
    assert (event.event_type, event.data) == (
        EventType.ARTISAN_UPDATED,
        {"fields": ["year_awarded"]},
    )
    with pytest.raises(StaleEditError, match="vừa được người khác sửa"):
        services.update_artisan(
            actor=officer, artisan=artisan, expected_version=1, data={"craft": "Dệt"}
        )
    with pytest.raises(PermissionDenied, match="nằm ngoài phạm vi"):
        services.update_artisan(
            actor=officer,
            artisan=artisan,
            expected_version=2,
            data={"commune": unit(TO_HIEU), "establishment": None},
        )
    unchanged = services.update_artisan(
        actor=officer, artisan=artisan, expected_version=2, data={"year_awarded": 2021}
    )
    assert unchanged.version == 2
    assert Artisan.objects.get().commune == tea.commune


@pytest.mark.django_db
def test_the_establishment_history_and_the_log_name_artisan_events_in_both_languages(
    client, make_user, tea
):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    artisan = services.create_artisan(actor=officer, data=data(tea.commune, tea))
    services.update_artisan(
        actor=officer, artisan=artisan, expected_version=1, data={"craft": "Dệt"}
    )
    # The events' part of each page: the history's list, the log's table (not its filter).
    pages = {
        reverse(
            "audit:object_history", args=["registry.Establishment", tea.pk]
        ): '<ul class="list-group">',
        reverse("audit:activity_log"): "<tbody>",
    }

    def events(url):
        return client.get(url).content.decode().rsplit(pages[url], 1)[1]

    client.force_login(officer)
    for url in pages:
        shown = events(url)
        assert ("Thêm nghệ nhân" in shown, "Sửa thông tin nghệ nhân" in shown) == (True, True)
        assert ("Lò Thị Xuân" in shown, "Sửa cơ sở CNNT" in shown) == (True, False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in pages:
        shown = events(url)
        assert ("Artisan added" in shown, "Artisan edited" in shown) == (True, True)


@pytest.mark.django_db
def test_artisan_events_recorded_before_their_types_read_as_them(make_user, tea):
    """Audit 0014: "Sửa cơ sở CNNT" rows with ``data["artisan"]`` take the artisan types."""
    migration = importlib.import_module("khuyencong.audit.migrations.0014_artisan_events")
    artisan = services.create_artisan(
        actor=make_user(Role.COMMUNE_OFFICER, CHIENG_SON), data=data(tea.commune, tea)
    )
    earlier = [
        record_event(EventType.ESTABLISHMENT_UPDATED, obj=artisan, data={"artisan": what})
        for what in ("created", "updated")
    ]
    own = record_event(EventType.ESTABLISHMENT_UPDATED, obj=tea, data={"fields": ["name"]})
    migration.artisan_events_typed(apps, None)
    rows = ActivityEvent.objects.filter(pk__in=[e.pk for e in (*earlier, own)]).order_by("pk")
    assert list(rows.values_list("event_type", flat=True)) == [
        EventType.ARTISAN_CREATED,
        EventType.ARTISAN_UPDATED,
        EventType.ESTABLISHMENT_UPDATED,
    ]
    migration.artisan_events_untyped(apps, None)
    assert list(rows.values_list("event_type", "data")) == [
        (EventType.ESTABLISHMENT_UPDATED, {"artisan": "created"}),
        (EventType.ESTABLISHMENT_UPDATED, {"artisan": "updated"}),
        (EventType.ESTABLISHMENT_UPDATED, {"fields": ["name"]}),
    ]


# --------------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_add_from_the_establishment_page_and_edit(client, make_user, tea):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    detail = client.get(reverse("registry:establishment_detail", args=[tea.pk])).content.decode()
    assert f"{CREATE}?co_so={tea.pk}" in detail
    page = client.get(CREATE, {"co_so": tea.pk})
    assert "Hợp tác xã chè Chiềng Sơn" in page.content.decode()
    assert page.context["form"]["commune"].value() == "Xã Chiềng Sơn — Sơn La (03985)"
    posted = client.post(
        f"{CREATE}?co_so={tea.pk}",
        {
            "full_name": "Lò  Thị Xuân",
            "title": ArtisanTitle.MERITORIOUS,
            "year_awarded": "2019",
            "craft": "Dệt thổ cẩm",
            "commune": CHIENG_SON,
            "establishment": tea.pk,
        },
    )
    assert posted.status_code == 302
    assert posted["Location"] == reverse("registry:establishment_detail", args=[tea.pk])
    artisan = Artisan.objects.get()
    assert (artisan.full_name, artisan.establishment) == ("Lò Thị Xuân", tea)

    edit = reverse("registry:artisan_edit", args=[artisan.pk])
    shown = client.get(edit)
    assert shown.context["form"]["version"].value() == 1
    form = {
        "full_name": "Lò Thị Xuân",
        "title": ArtisanTitle.PEOPLES,
        "year_awarded": "2024",
        "craft": "Dệt thổ cẩm",
        "commune": CHIENG_SON,
        "establishment": tea.pk,
        "version": 1,
    }
    assert client.post(edit, form).status_code == 302
    stale = client.post(edit, {**form, "year_awarded": "2025"})
    assert "vừa được người khác sửa" in stale.content.decode()
    future = client.post(edit, {**form, "version": 2, "year_awarded": "2999"})
    assert "Năm phong tặng phải từ 1950 đến" in future.content.decode()
    artisan.refresh_from_db()
    assert (artisan.title, artisan.year_awarded, artisan.version) == (ArtisanTitle.PEOPLES, 2024, 2)


@pytest.mark.django_db
def test_the_form_refuses_an_establishment_out_of_scope_without_naming_it(
    client, make_user, make_establishment
):
    nest = make_establishment(name="Yến sào Nha Trang", commune=NHA_TRANG)
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    assert client.get(CREATE, {"co_so": nest.pk}).status_code == 404
    posted = client.post(
        CREATE,
        {
            "full_name": "A",
            "title": ArtisanTitle.OTHER,
            "commune": CHIENG_SON,
            "establishment": nest.pk,
        },
    )
    body = posted.content.decode()
    assert "Không có cơ sở này trong phạm vi bạn được sửa" in body
    assert "Yến sào" not in body
    assert not Artisan.objects.exists()


@pytest.fixture
def artisans(make_establishment, unit):
    tea = make_establishment(name="HTX chè")
    made = {}
    for name, craft, commune, establishment in [
        ("Lò Thị Xuân", "Dệt thổ cẩm", CHIENG_SON, tea),
        ("Đinh Văn An", "Đan mây tre", CHIENG_SON, None),
        ("Cầm Văn Đức", "Rèn", TO_HIEU, None),
        ("Nguyễn Thị Yến", "Làm nón", NHA_TRANG, None),
    ]:
        made[name] = Artisan.objects.create(
            full_name=name,
            title=ArtisanTitle.PROVINCIAL,
            craft=craft,
            commune=unit(commune),
            establishment=establishment,
        )
    return made


def listed(response):
    return [a.full_name for a in response.context["page"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "unit_code", "params", "expected"),
    [
        (Role.COMMUNE_OFFICER, CHIENG_SON, {}, ["Đinh Văn An", "Lò Thị Xuân"]),
        (Role.PROVINCE_SCT, "14", {}, ["Cầm Văn Đức", "Đinh Văn An", "Lò Thị Xuân"]),
        (Role.PROVINCE_SCT, "14", {"q": "tho cam"}, ["Lò Thị Xuân"]),
        (Role.PROVINCE_SCT, "14", {"q": "dinh"}, ["Đinh Văn An"]),
        (Role.PROVINCE_SCT, "14", {"xa": TO_HIEU}, ["Cầm Văn Đức"]),
        (Role.PROVINCE_SCT, "14", {"danh_hieu": "uu-tu"}, []),
        (Role.NATIONAL_OFFICER, "VN", {"q": "yen"}, ["Nguyễn Thị Yến"]),
    ],
)
def test_the_list_is_scoped_searched_and_in_vietnamese_order(
    client, make_user, artisans, role, unit_code, params, expected
):
    client.force_login(make_user(role, unit_code))
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert listed(response) == expected


@pytest.mark.django_db
def test_a_representative_lists_only_their_establishment_artisans(client, representative, artisans):
    tea = artisans["Lò Thị Xuân"].establishment
    client.force_login(representative(tea))
    response = client.get(LIST)
    assert listed(response) == ["Lò Thị Xuân"]
    assert "Thêm nghệ nhân" not in response.content.decode()


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_the_artisans(client, make_user, artisans, unit):
    client.force_login(make_user(Role.NATIONAL_OFFICER, "VN"))
    client.get(LIST)  # warm the session and the user's roles
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(10):
        Artisan.objects.create(
            full_name=f"Nghệ nhân {n}",
            title=ArtisanTitle.OTHER,
            commune=unit(TO_HIEU),
            establishment=artisans["Lò Thị Xuân"].establishment if n % 2 else None,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(listed(response)) == 14
    assert len(many) == len(few)
