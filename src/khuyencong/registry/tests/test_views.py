"""The registry pages: list, search, filters, export, detail, forms, import, and who sees what."""

from __future__ import annotations

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.core.templatetags.vn import dem
from khuyencong.core.testing import queries_below_and_above_the_count_limit
from khuyencong.registry import importing, support_history
from khuyencong.registry.models import (
    Artisan,
    ArtisanTitle,
    Establishment,
    ImportJob,
    search_text,
)
from khuyencong.registry.selectors import match_rank, search_q

from .conftest import CHIENG_SON, NHA_TRANG, TO_HIEU
from .helpers import csv_bytes, row

pytestmark = pytest.mark.django_db
LIST = reverse("registry:establishment_list")


def names(response) -> list[str]:
    return [e["name"] for e in response.context["page"]]


@pytest.fixture
def population(make_establishment):
    return {
        "tea": make_establishment(
            name="Hợp tác xã chè Chiềng Sơn",
            main_products="Chè Shan tuyết",
            tax_code="5500123456",
            legal_form="htx",
            owner_name="Lò Thị Hoa",
            owner_gender="nu",
            owner_ethnic_minority=True,
        ),
        "rattan": make_establishment(
            name="Cơ sở mây tre Đông Hưng",
            main_products="Giỏ mây",
            product_group="1",
            owner_gender="nam",
        ),
        "coffee": make_establishment(
            name="Cơ sở cà phê Tô Hiệu", commune=TO_HIEU, main_products="Cà phê rang xay"
        ),
        "nest": make_establishment(
            name="Cơ sở yến sào Nha Trang", commune=NHA_TRANG, main_products="Yến sào"
        ),
    }


def test_a_commune_officer_lists_only_their_commune(client, make_user, population):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    response = client.get(LIST)
    assert response.status_code == 200
    assert names(response) == ["Cơ sở mây tre Đông Hưng", "Hợp tác xã chè Chiềng Sơn"]
    assert "2 cơ sở" in response.content.decode()


def _row_of(body: str, name: str) -> str:
    start = body.rindex("<tr>", 0, body.index(name))
    return body[start : body.index("</tr>", start)]


@pytest.mark.parametrize(
    ("language", "legal_form", "group", "woman", "minority"),
    [
        ("vi", "Hợp tác xã", "Thủ công mỹ nghệ", "Nữ", ("Người dân tộc thiểu số", "DTTS")),
        ("en", "Cooperative", "Handicrafts", "Female", ("Ethnic minority", "Ethnic minority")),
    ],
)
def test_a_row_shows_every_column_in_the_reader_s_language(
    client, make_user, make_establishment, unit, language, legal_form, group, woman, minority
):
    """Each cell of a row, pinned: the list reads its rows as dicts and labels them once a
    page (issue 11), and must show what the model instances showed."""
    products = "Thổ cẩm dệt tay, khăn, túi, váy áo truyền thống của đồng bào Thái Sơn La, " * 2
    make_establishment(
        name="Hợp tác xã thổ cẩm Chiềng Sơn",
        main_products=products,
        legal_form="htx",
        product_group="1",
        tax_code="5500999888",
        owner_name="Lò Thị Hoa",
        owner_gender="nu",
        owner_ethnic_minority=True,
        employees_total=1234,
        employees_female=1000,
    )
    make_establishment(name="Cơ sở không chủ", owner_name="", tax_code="", main_products="")
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    client.cookies["django_language"] = language
    body = client.get(LIST).content.decode()
    row = _row_of(body, "Hợp tác xã thổ cẩm Chiềng Sơn")
    commune = unit(CHIENG_SON)
    cells = [
        f'<div class="small text-muted">{products[:79]}…</div>',
        f"<td>{legal_form}</td>",
        '<td class="text-nowrap">5500999888</td>',
        f'<td class="text-nowrap">{commune.name}<div class="small text-muted">'
        f"{commune.parent.name}</div></td>",
        f'<td title="{group}">1</td>',
        f'<td>Lò Thị Hoa <span class="text-nowrap"><span class="badge text-bg-light border">'
        f'{woman}</span> <span class="badge text-bg-light border" title="{minority[0]}">'
        f"{minority[1]}</span></span></td>",
        '<td class="table-num">1.234</td>',
    ]
    for cell in cells:
        assert cell in row
    bare = _row_of(body, "Cơ sở không chủ")
    assert '<td class="text-nowrap">—</td>' in bare
    assert '<td>— <span class="text-nowrap"></span></td>' in bare
    assert 'small text-muted">Thổ' not in bare


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        (
            "son la",
            ["Cơ sở cà phê Tô Hiệu", "Cơ sở mây tre Đông Hưng", "Hợp tác xã chè Chiềng Sơn"],
        ),
        ("dong", ["Cơ sở mây tre Đông Hưng"]),
        ("ĐÔNG HƯNG", ["Cơ sở mây tre Đông Hưng"]),
        ("che", ["Hợp tác xã chè Chiềng Sơn"]),  # the name and the products ("chè")
        ("ca phe rang", ["Cơ sở cà phê Tô Hiệu"]),
        ("gio may", ["Cơ sở mây tre Đông Hưng"]),  # products only
        ("5500.123", ["Hợp tác xã chè Chiềng Sơn"]),  # tax code, dots ignored
        ("to hieu", ["Cơ sở cà phê Tô Hiệu"]),
        ("lo thi hoa", ["Hợp tác xã chè Chiềng Sơn"]),  # the owner's name
        ("HOA CHE", ["Hợp tác xã chè Chiềng Sơn"]),  # owner and name: every word somewhere
        ("nha trang", []),  # out of the Sơn La scope
    ],
)
def test_search_is_accent_insensitive(client, make_user, population, search, expected):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    assert names(client.get(LIST, {"q": search})) == expected


def test_a_renamed_commune_or_province_is_searched_by_its_new_name(
    client, make_user, make_establishment, unit
):
    """The search text carries the commune's and province's names (one trigram condition on
    PostgreSQL, issue 11): ``load_units`` renaming a unit in place rewrites it."""
    make_establishment(name="Cơ sở mây tre", main_products="Giỏ")
    make_establishment(name="Cơ sở cà phê", commune=TO_HIEU)
    commune = unit(CHIENG_SON)
    commune.name = "Xã Mộc Sơn"
    commune.save()
    province = unit("14")
    province.name = "Tỉnh Tây Bắc"
    province.save()
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    assert names(client.get(LIST, {"q": "moc son"})) == ["Cơ sở mây tre"]
    assert names(client.get(LIST, {"q": "chieng son"})) == []
    assert names(client.get(LIST, {"q": "tay bac"})) == ["Cơ sở cà phê", "Cơ sở mây tre"]
    assert names(client.get(LIST, {"q": "son la"})) == []


def test_a_search_is_conditions_on_the_search_text_alone():
    """Issue 11: matched through the units' ids (ORs beside the trigram condition), a search
    kept PostgreSQL from combining its trigram index with the scope's index."""
    sql = str(Establishment.objects.filter(search_q("tho 01.23")).values("pk").query)
    assert "geo_administrativeunit" not in sql
    where = sql.split(" WHERE ", 1)[1]
    assert where.count("search_folded") == 3  # "tho", "01.23" and "0123"
    assert "commune_id" not in where
    assert "province_id" not in where


def test_the_migration_gives_recorded_establishments_the_place_names_a_save_gives(
    make_establishment,
):
    """Migration 0009 (one UPDATE on PostgreSQL, a loop on SQLite) writes what
    ``fill_derived_fields`` writes."""
    migration = importlib.import_module("khuyencong.registry.migrations.0009_search_place_names")
    saved = make_establishment(name="Cơ sở mây tre", main_products="Giỏ", owner_name="Lò Văn A")
    before = search_text(saved.name, saved.main_products, saved.owner_name, saved.tax_code)
    Establishment.objects.filter(pk=saved.pk).update(search_folded=before)

    def execute(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    editor = SimpleNamespace(connection=connection, execute=execute)
    migration.add_place_names(django_apps, editor)
    assert Establishment.objects.get(pk=saved.pk).search_folded == saved.search_folded
    assert saved.search_folded.endswith(" | xa chieng son | son la")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"xa": TO_HIEU}, ["Cơ sở cà phê Tô Hiệu"]),
        ({"loai": "htx"}, ["Hợp tác xã chè Chiềng Sơn"]),
        ({"nhom": "1"}, ["Cơ sở mây tre Đông Hưng"]),
        ({"chu_nu": "1"}, ["Hợp tác xã chè Chiềng Sơn"]),
        ({"chu_dttt": "1"}, ["Hợp tác xã chè Chiềng Sơn"]),
        ({"xa": CHIENG_SON, "nhom": "2"}, ["Hợp tác xã chè Chiềng Sơn"]),
        (
            {"loai": "khong-co"},
            ["Cơ sở cà phê Tô Hiệu", "Cơ sở mây tre Đông Hưng", "Hợp tác xã chè Chiềng Sơn"],
        ),
    ],
)
def test_filters(client, make_user, population, params, expected):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    assert names(client.get(LIST, params)) == expected


def test_the_htmx_request_gets_only_the_rows_and_count(client, make_user, population):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    response = client.get(LIST, {"q": "dong"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "1 cơ sở" in body
    assert "Cơ sở mây tre Đông Hưng" in body
    assert "q=dong&amp;dinh_dang=csv" in body  # the export follows the current filter


def test_pagination_by_50_keeps_the_filter(client, make_user, make_establishment):
    for i in range(55):
        make_establishment(name=f"Cơ sở chè {i:02d}")
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    first = client.get(LIST, {"q": "che"})
    assert len(first.context["page"]) == 50
    assert "?q=che&amp;trang=2" in first.content.decode()
    second = client.get(LIST, {"q": "che", "trang": 2})
    assert names(second) == [f"Cơ sở chè {i}" for i in range(50, 55)]


def test_list_query_count_does_not_grow_with_the_establishments(
    client, make_user, make_establishment
):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for i in range(10):
        make_establishment(name=f"Cơ sở {i}", commune=TO_HIEU if i % 2 else CHIENG_SON)
    small = queries()
    for i in range(10, 200):
        make_establishment(name=f"Cơ sở {i}", commune=TO_HIEU if i % 2 else CHIENG_SON)
    assert queries() == small


def test_export_of_the_current_filter(client, make_user, population):
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    export = reverse("registry:establishment_export")
    response = client.get(export, {"q": "son la", "dinh_dang": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ",".join([*importing.HEADERS, "Tên xã/phường", "Tỉnh/thành phố"])
    assert len(lines) == 4
    assert "Yến sào" not in text
    response = client.get(export, {"nhom": "1"})
    ws = load_workbook(io.BytesIO(response.getvalue())).active
    assert [c.value for c in ws[2]][:5] == [
        "Cơ sở mây tre Đông Hưng",
        "Hộ kinh doanh",
        None,
        None,
        CHIENG_SON,
    ]
    assert ws.max_row == 2


def test_the_detail_page_shows_every_field_artisans_and_an_empty_support_history(
    client, make_user, population
):
    tea = population["tea"]
    Artisan.objects.create(
        full_name="Lò Thị Xuân",
        title=ArtisanTitle.MERITORIOUS,
        year_awarded=2019,
        craft="Dệt thổ cẩm",
        commune=tea.commune,
        establishment=tea,
    )
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    response = client.get(reverse("registry:establishment_detail", args=[tea.pk]))
    body = response.content.decode()
    for text in ("Hợp tác xã chè Chiềng Sơn", "5500123456", "Chè Shan tuyết", "Hợp tác xã",
                 "Xã Chiềng Sơn", "Sơn La", "Lò Thị Xuân", "Nghệ nhân ưu tú", "Lịch sử hỗ trợ",
                 "Chưa có hoạt động hỗ trợ nào được ghi nhận cho cơ sở này"):  # fmt: skip
        assert text in body, text
    assert f"/nhat-ky/registry.Establishment/{tea.pk}/" in body
    history = client.get(f"/nhat-ky/registry.Establishment/{tea.pk}/")
    assert history.status_code == 200


def test_support_history_shows_what_providers_register(client, make_user, population):
    tea = population["tea"]

    def provider(user, establishment):
        if establishment.pk == tea.pk:
            yield support_history.SupportRecord(
                year=2026,
                kind="Đăng ký nhu cầu hỗ trợ",
                title="Hỗ trợ máy sao chè",
                content="Máy móc thiết bị tiên tiến",
                amount=150_000_000,
                fund="KCĐP",
                status="Đã gửi",
            )
            yield support_history.SupportRecord(year=2024, kind="Đề án", title="Đề án cũ")

    support_history.register(provider)
    try:
        client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
        body = client.get(reverse("registry:establishment_detail", args=[tea.pk])).content.decode()
    finally:
        support_history.unregister(provider)
    assert "Năm 2026" in body
    assert "Hỗ trợ máy sao chè" in body
    assert "150.000.000" in body
    assert body.index("Năm 2026") < body.index("Năm 2024")
    assert "Chưa có hoạt động hỗ trợ" not in body


# --------------------------------------------------------------------------------------------
# Who sees and changes what
# --------------------------------------------------------------------------------------------
def test_an_officer_of_another_province_gets_404_and_cannot_edit(client, make_user, population):
    tea = population["tea"]
    client.force_login(make_user(Role.PROVINCE_SCT, "56"))
    assert client.get(reverse("registry:establishment_detail", args=[tea.pk])).status_code == 404
    assert client.get(reverse("registry:establishment_edit", args=[tea.pk])).status_code == 404
    response = client.post(reverse("registry:establishment_edit", args=[tea.pk]), {"name": "x"})
    assert response.status_code == 404
    assert "Hợp tác xã chè" not in client.get(LIST).content.decode()


def test_a_representative_sees_only_their_own_establishment(client, population, representative):
    tea, rattan = population["tea"], population["rattan"]
    client.force_login(representative(tea))
    assert names(client.get(LIST)) == [tea.name]
    assert client.get(reverse("registry:establishment_detail", args=[tea.pk])).status_code == 200
    assert client.get(reverse("registry:establishment_detail", args=[rattan.pk])).status_code == 404
    response = client.get(reverse("registry:establishment_edit", args=[tea.pk]))
    assert response.status_code == 403


def test_a_finance_officer_may_view_but_not_edit_and_is_told_why(client, make_user, population):
    tea = population["tea"]
    client.force_login(make_user(Role.PROVINCE_FINANCE, "14"))
    detail = client.get(reverse("registry:establishment_detail", args=[tea.pk]))
    assert detail.status_code == 200
    assert reverse("registry:establishment_edit", args=[tea.pk]) not in detail.content.decode()
    for url in (
        reverse("registry:establishment_edit", args=[tea.pk]),
        reverse("registry:establishment_create"),
        reverse("registry:import"),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert (
            "Vai trò “Cán bộ Sở Tài chính” không được phép thêm, sửa, nhập cơ sở công nghiệp nông "
            "thôn." in response.content.decode()
        )


@pytest.mark.parametrize(
    ("role", "unit_code", "sees", "changes"),
    [
        (Role.COMMUNE_OFFICER, CHIENG_SON, True, True),
        (Role.COMMUNE_OFFICER, TO_HIEU, False, False),
        (Role.PROVINCE_CENTRE, "14", True, True),
        (Role.PROVINCE_SCT, "14", True, True),
        (Role.PROVINCE_FINANCE, "14", True, False),
        (Role.NATIONAL_OFFICER, "VN", True, False),
        (Role.COUNCIL_MEMBER, "14", True, False),
        (Role.SYSTEM_ADMIN, "VN", True, True),
        (Role.PROVINCE_CENTRE, "56", False, False),
    ],
)
def test_access_for_every_role(client, make_user, population, role, unit_code, sees, changes):
    tea = population["tea"]
    client.force_login(make_user(role, unit_code))
    detail = client.get(reverse("registry:establishment_detail", args=[tea.pk]))
    assert detail.status_code == (200 if sees else 404)
    edit = client.get(reverse("registry:establishment_edit", args=[tea.pk]))
    assert edit.status_code == (200 if changes else 403 if sees else 404)
    assert (tea.name in client.get(LIST).content.decode()) == sees


# --------------------------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------------------------
def form_data(commune, **values):
    data = {
        "name": "Cơ sở dệt thổ cẩm bản Áng",
        "legal_form": "hkd",
        "tax_code": "0101.234.567",
        "address": "Bản Áng",
        "commune": commune.code,
        "product_group": "1",
        "main_products": "Khăn piêu",
        "owner_name": "Lò Thị Xuân",
        "owner_gender": "nu",
        "owner_ethnic_minority": "on",
        "employees_total": 10,
        "employees_female": 9,
        "employees_ethnic_minority": 10,
        "founded_year": 2008,
        "craft_village": "",
        "phone": "0212 3852 000",
        "email": "",
    }
    data.update(values)
    return data


def test_create_in_own_commune(client, make_user, unit):
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    client.force_login(officer)
    page = client.get(reverse("registry:establishment_create"))
    choices = list(page.context["form"].fields["commune"].queryset)
    assert [c.code for c in choices] == [CHIENG_SON]
    response = client.post(reverse("registry:establishment_create"), form_data(unit(CHIENG_SON)))
    assert response.status_code == 302
    saved = Establishment.objects.get()
    assert (saved.tax_code, saved.name_folded, saved.version) == (
        "0101234567",
        "co so det tho cam ban ang",
        1,
    )
    assert ActivityEvent.objects.filter(
        event_type=EventType.ESTABLISHMENT_CREATED, actor=officer
    ).exists()


def test_create_refuses_a_commune_outside_the_scope_and_duplicates(
    client, make_user, unit, make_establishment
):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    url = reverse("registry:establishment_create")
    outside = client.post(url, form_data(unit(TO_HIEU)))
    assert outside.status_code == 200
    assert "commune" in outside.context["form"].errors
    make_establishment(name="CƠ SỞ DỆT THỔ CẨM BẢN ÁNG", tax_code="")
    make_establishment(name="Khác", commune=NHA_TRANG, tax_code="0101234567")
    response = client.post(url, form_data(unit(CHIENG_SON)))
    errors = response.context["form"].errors
    assert "đã được đăng ký cho một cơ sở khác" in errors["tax_code"][0]  # Khánh Hòa's
    assert "Xã Chiềng Sơn đã có cơ sở tên" in errors["name"][0]
    bad = client.post(url, form_data(unit(CHIENG_SON), tax_code="12AB", employees_female=20))
    assert "không phải mã số thuế" in bad.context["form"].errors["tax_code"][0]
    assert "employees_female" in bad.context["form"].errors
    assert Establishment.objects.count() == 2


def test_a_taken_tax_code_beside_a_refused_commune_reads_in_vietnamese(
    client, make_user, unit, make_establishment
):
    # Regression: with the commune refused, the duplicate check was skipped and the database
    # constraint answered in Django's English "Constraint “…” is violated." (seen over the API).
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    make_establishment(name="Khác", commune=NHA_TRANG, tax_code="0101234567")
    response = client.post(reverse("registry:establishment_create"), form_data(unit(TO_HIEU)))
    messages = [m for field in response.context["form"].errors.values() for m in field]
    assert "Mã số thuế này đã được dùng cho một cơ sở khác." in messages
    assert not any("Constraint" in m for m in messages)
    assert Establishment.objects.count() == 1


def test_edit_saves_a_new_version_and_refuses_a_stale_one(client, make_user, population):
    tea = population["tea"]
    first, second = make_user(Role.COMMUNE_OFFICER, CHIENG_SON), make_user(Role.PROVINCE_SCT, "14")
    url = reverse("registry:establishment_edit", args=[tea.pk])
    client.force_login(first)
    page = client.get(url)
    assert page.context["form"]["version"].value() == 1
    data = form_data(tea.commune, name="HTX chè Chiềng Sơn (sửa)", tax_code="5500123456", version=1)
    assert client.post(url, data).status_code == 302
    client.force_login(second)
    stale = client.post(url, {**data, "name": "Bản của người thứ hai"})
    assert stale.status_code == 200
    assert "vừa được người khác sửa" in stale.content.decode()
    tea.refresh_from_db()
    assert (tea.name, tea.version) == ("HTX chè Chiềng Sơn (sửa)", 2)
    assert ActivityEvent.objects.filter(event_type=EventType.ESTABLISHMENT_UPDATED).count() == 1


# --------------------------------------------------------------------------------------------
# Import page
# --------------------------------------------------------------------------------------------
def upload(client, content: bytes, name: str):
    return client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile(name, content)}, follow=False
    )


def test_the_template_download(client, make_user):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    response = client.get(reverse("registry:import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-co-so-cnnt.xlsx"'
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert tuple(c.value for c in ws[1]) == importing.HEADERS


def test_the_upload_page_imports_a_valid_file(client, make_user):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    response = upload(client, csv_bytes([row()], bom=True, delimiter=";"), "ds.csv")
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert Establishment.objects.get().name == "Hợp tác xã chè Chiềng Sơn"
    assert "Đã nhập 1 cơ sở từ tệp “ds.csv”." in client.get(LIST).content.decode()


def test_the_upload_page_lists_every_error_and_imports_nothing(client, make_user):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    rows = [row(name=f"Cơ sở {i}", tax_code="", commune_code=TO_HIEU) for i in range(250)]
    response = upload(client, csv_bytes(rows), "ds.csv")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tệp có 250 lỗi, chưa nhập cơ sở nào" in body
    assert body.count("nằm ngoài phạm vi Xã Chiềng Sơn của bạn") == 200
    assert "còn 50 lỗi khác" in body
    assert not Establishment.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "anh.xlsx", "không phải bảng tính .xlsx hay tệp .csv"),
        (csv_bytes([row()], headers=["Tên", "Loại"]), "ds.csv", "không phải dòng tiêu đề"),
    ],
)
def test_the_upload_page_explains_a_wrong_file(client, make_user, content, name, message):
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    body = upload(client, content, name).content.decode()
    assert message in body


def test_the_upload_page_refuses_an_oversize_file(client, make_user, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 1000)
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    body = upload(client, b"x" * 2000, "lon.csv").content.decode()
    assert "lớn hơn giới hạn" in body


def test_a_large_upload_goes_to_the_progress_page(client, make_user, settings, tmp_path):
    from khuyencong.registry.bench import sample_rows

    settings.MEDIA_ROOT = tmp_path
    officer = make_user(Role.COMMUNE_OFFICER, CHIENG_SON)
    client.force_login(officer)
    response = upload(client, csv_bytes(sample_rows(2_001, [CHIENG_SON])), "lon.csv")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_job", args=[job.pk])
    page = client.get(response["Location"])
    assert "Đang chờ xử lý" in page.content.decode()
    poll = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in poll
    assert "<html" not in poll
    from khuyencong.registry.services import run_import_job

    run_import_job(job.pk)
    done = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Đã nhập 2.001 cơ sở." in done
    assert "every 2s" not in done
    # Someone else cannot follow this job.
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.parametrize(
    ("role", "where", "offered"),
    [
        (Role.COMMUNE_OFFICER, CHIENG_SON, True),
        (Role.PROVINCE_CENTRE, "14", False),  # reviews registrations, does not make them
        (Role.PROVINCE_FINANCE, "14", False),
    ],
)
def test_the_registration_button_follows_the_policy(
    role, where, offered, make_user, make_establishment, client
):
    establishment = make_establishment()
    client.force_login(make_user(role, where))
    body = client.get(
        reverse("registry:establishment_detail", args=[establishment.pk])
    ).content.decode()
    registration = f"{reverse('planning:registration_create')}?co_so={establishment.pk}"
    assert (registration in body) is offered


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"phone": '=HYPERLINK("x")'}, "phone", "không phải số điện thoại"),
        ({"founded_year": 2999}, "founded_year", "Năm thành lập phải từ 1800 đến"),
        ({"employees_total": 10**7}, "employees_total", "Tổng lao động phải từ 0 đến 1.000.000"),
        ({"employees_total": 2**64}, "employees_total", "Tổng lao động phải từ 0 đến"),
        ({"employees_female": 11}, "employees_female", "nhiều hơn tổng lao động (10)"),
    ],
)
def test_the_form_applies_the_rules_of_the_import(client, make_user, unit, values, field, message):
    """Issue 10: the form accepted what the import refuses (a formula as phone, a future year,
    ten million workers); both now use registry/validation.py."""
    from khuyencong.registry import importing
    from khuyencong.registry.validation import field_errors

    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    response = client.post(
        reverse("registry:establishment_create"), form_data(unit(CHIENG_SON), **values)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Establishment.objects.exists()
    assert importing.validation.field_errors is field_errors


def test_text_typed_in_decomposed_unicode_is_stored_in_nfc(client, make_user, unit):
    import unicodedata

    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    name = unicodedata.normalize("NFD", "Hợp tác xã chè Chiềng Sơn")
    assert len(name) > len("Hợp tác xã chè Chiềng Sơn")
    response = client.post(
        reverse("registry:establishment_create"), form_data(unit(CHIENG_SON), name=name)
    )
    assert response.status_code == 302
    assert Establishment.objects.get().name == "Hợp tác xã chè Chiềng Sơn"


def test_a_long_list_shows_a_rough_count_and_counts_exactly_on_request(
    client, make_user, population, settings
):
    settings.LIST_EXACT_COUNT_LIMIT = 2
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    response = client.get(LIST)
    total = response.context["page"].paginator.total
    assert not total.exact
    if connection.vendor == "sqlite":
        assert "hơn 2 cơ sở" in response.content.decode()  # no planner to estimate
    else:  # the planner's estimate ("khoảng …"), or "hơn 2" when it expects fewer
        assert f"{dem(total)} cơ sở" in response.content.decode()
    assert 'href="?dem=du"' in response.content.decode()  # the way to the exact figure
    exact = client.get(LIST, {"dem": "du"})
    assert "3 cơ sở" in exact.content.decode()
    assert "dem-chinh-xac" not in exact.content.decode()
    assert len(names(exact)) == 3


def test_a_long_search_says_more_than_the_limit_never_a_planner_guess_in_flat_queries(
    client, make_user, make_establishment, settings
):
    """The planner's estimate of a text search is off by 4–30× (issue 11): above its limit
    (``SEARCH_EXACT_COUNT_LIMIT``, not the lists') a search says "hơn N", on PostgreSQL as on
    SQLite, with the way to the exact figure; more matches, the same queries. Every word is
    matched (in the name, the products or a unit)."""
    settings.SEARCH_EXACT_COUNT_LIMIT = 2
    settings.LIST_EXACT_COUNT_LIMIT = 10_000  # the lists' limit does not apply to a search
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    make_establishment(name="Hợp tác xã thổ cẩm Chiềng Sơn", main_products="Khăn thổ cẩm")
    make_establishment(name="Cơ sở dệt thổ cẩm", main_products="Túi thổ cẩm")
    make_establishment(name="Cơ sở thổ cẩm Mường", main_products="Váy")
    make_establishment(name="Cơ sở cẩm thạch", main_products="Đá thổ cư")  # both words
    make_establishment(name="Cơ sở thổ sản", main_products="Mật ong")  # one word only
    search = {"q": "tho cam"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST, search)
        assert "hơn 2 cơ sở" in response.content.decode()
        assert 'href="?q=tho+cam&amp;dem=du"' in response.content.decode()
        return len(ctx.captured_queries)

    few = queries()
    for n in range(4):
        make_establishment(name=f"Hộ thổ cẩm số {n}")
    assert queries() == few
    exact = client.get(LIST, {**search, "dem": "du"})
    assert "8 cơ sở" in exact.content.decode()
    assert "Cơ sở thổ sản" not in names(exact)


def test_a_commune_filter_by_name_finds_what_a_filter_by_code_does(
    client, make_user, make_establishment
):
    make_establishment(name="Hợp tác xã chè Chiềng Sơn", commune="03985")
    make_establishment(name="Cơ sở cà phê Tô Hiệu", commune="03646")
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    url = reverse("registry:establishment_list")
    for text in ("chieng son", "03985", "Xã Chiềng Sơn — Sơn La (03985)"):
        names = [e["name"] for e in client.get(url, {"xa": text}).context["page"]]
        assert names == ["Hợp tác xã chè Chiềng Sơn"], text
    assert list(client.get(url, {"xa": "khong co"}).context["page"]) == []


def test_the_list_puts_d_with_stroke_after_d(client, make_user, make_establishment):
    """Issue 9: the list sorted by the folded name, so "Đông" came before "Dung"."""
    for name in ("Em Hoa", "Đông Phát", "Dung Hà", "Duyên Hải", "Đa Lộc"):
        make_establishment(name=name)
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    assert names(client.get(LIST)) == ["Dung Hà", "Duyên Hải", "Đa Lộc", "Đông Phát", "Em Hoa"]


def test_a_search_issues_the_same_queries_whether_it_finds_something_or_not(
    client, make_user, make_establishment
):
    """Regression (issue 11, bench at scale 0.01 and 1.0): a commune's search "tho cam" found
    nothing at 0.01, and the empty page skipped its query: 4 queries, 5 at 1.0."""
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    make_establishment(name="Hợp tác xã dệt thổ cẩm")
    issued, found = [], []
    for term in ("tho cam", "khong co co so nao"):
        with CaptureQueriesContext(connection) as ctx:
            found.append(names(client.get(LIST, {"q": term})))
        issued.append(len(ctx.captured_queries))
    assert found == [["Hợp tác xã dệt thổ cẩm"], []]
    assert issued[0] == issued[1]


def test_the_list_issues_the_same_queries_below_and_above_the_count_limit(
    client, make_user, make_establishment, settings
):
    """Regression (issue 11, scale 1.0): above ``LIST_EXACT_COUNT_LIMIT`` the list asked the
    planner for its estimate in a query of its own (5 queries at scale 0.01, 6 at 1.0)."""
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    make_establishment(name="Hợp tác xã dệt thổ cẩm", legal_form="htx")
    for url in (LIST, f"{LIST}?loai=htx"):
        below, above = queries_below_and_above_the_count_limit(client, url, settings)
        assert below == above, url


def test_the_list_counts_its_establishments_without_joining_their_places(
    client, make_user, make_establishment
):
    """Regression (issue 11, quiet-run-2026-12-05-c.md): the rows carry their commune's and
    province's names, and the count read the rows themselves, joins included (Cục, lọc htx:
    23.9 → 48 ms at scale 1.0)."""
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    make_establishment(name="Hợp tác xã dệt thổ cẩm", legal_form="htx")
    for url in (LIST, f"{LIST}?loai=htx", f"{LIST}?q=tho+cam"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
        assert counts, url
        assert not [sql for sql in counts if "JOIN" in sql.upper()], url


def test_a_search_lists_the_names_that_match_first_then_in_vietnamese_order(
    client, make_user, make_establishment
):
    """The search's order (issue 11, docs/architecture.md): the names holding the words as
    typed, then the names holding every word, then the establishments that match elsewhere
    (products, owner, places), each group in Vietnamese order of the name and then by id, so
    that every page continues the one before."""
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    make_establishment(name="Cơ sở An Bình", main_products="Khăn thổ cẩm")  # products
    make_establishment(name="Hộ Đào", owner_name="Thổ Cẩm Lan")  # the owner
    make_establishment(name="Hợp tác xã thổ cẩm Chiềng Sơn")  # the phrase
    make_establishment(name="Cẩm Thổ")  # every word, another order
    make_establishment(name="Dệt Thổ Cẩm")  # the phrase
    make_establishment(name="Thổ sản Cẩm Thủy")  # every word
    make_establishment(name="Cơ sở thổ sản", main_products="Mật ong")  # one word: not found
    expected = [
        "Dệt Thổ Cẩm",
        "Hợp tác xã thổ cẩm Chiềng Sơn",
        "Cẩm Thổ",
        "Thổ sản Cẩm Thủy",
        "Cơ sở An Bình",
        "Hộ Đào",
    ]
    assert names(client.get(LIST, {"q": "THỔ cam"})) == expected
    make_establishment(name="Dệt Thổ Cẩm")  # a namesake: after the first, by id
    found = client.get(LIST, {"q": "tho cam"}).context["page"]
    assert [e["name"] for e in found][:2] == ["Dệt Thổ Cẩm", "Dệt Thổ Cẩm"]
    assert found[0]["pk"] < found[1]["pk"]


def test_the_pages_of_a_search_continue_one_another(client, make_user, make_establishment):
    """The database ranks the matches for a page ("An …" sorts before "Chè …" by name, but
    matches in its products only)."""
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    for i in range(30):
        make_establishment(name=f"An {i:02d}", main_products="Chè")
        make_establishment(name=f"Chè {i:02d}")
    first = names(client.get(LIST, {"q": "che"}))
    second = names(client.get(LIST, {"q": "che", "trang": 2}))
    assert first == [f"Chè {i:02d}" for i in range(30)] + [f"An {i:02d}" for i in range(20)]
    assert second == [f"An {i:02d}" for i in range(20, 30)]


@pytest.mark.parametrize(
    ("name", "rank"),
    [
        ("hop tac xa tho cam lung tam", 0),
        ("cam tho", 1),
        ("tho san cam thuy", 1),
        ("co so tho san", 2),
        ("co so an binh", 2),
    ],
)
def test_a_match_is_ranked_by_what_the_name_holds(make_establishment, name, rank):
    """The rank the page's rows are put in order by (Python) is the one the database ranks
    the matches by (SQL)."""
    from khuyencong.registry.selectors import EstablishmentFilter, search_rank

    assert match_rank(name, ["tho", "cam"]) == rank
    saved = make_establishment(name=name)
    words = EstablishmentFilter(search="Thổ  CẨM").words
    ranked = Establishment.objects.filter(pk=saved.pk).annotate(rank=search_rank(words))
    assert ranked.get().rank == rank


def test_a_search_of_accent_marks_alone_lists_everything(client, make_user, make_establishment):
    """Folded, "\u0301" (a combining accent) is no word at all: no rank to order by (a rank
    of its default alone is a constant, an ORDER BY position on PostgreSQL)."""
    make_establishment(name="Cơ sở chè")
    make_establishment(name="Cơ sở bánh")
    client.force_login(make_user(Role.COMMUNE_OFFICER, CHIENG_SON))
    assert names(client.get(LIST, {"q": "\u0301"})) == ["Cơ sở bánh", "Cơ sở chè"]


def test_a_search_joins_the_places_of_its_page_only(client, make_user, make_establishment):
    """Regression (issue 11, docs/bench/search-2026-12-05.md): the rows joined every match to
    its commune and province before the sort kept a page (the national "tho cam", 6,327
    matches at scale 1.0). The matches are ranked on the establishments alone."""
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    make_establishment(name="Hợp tác xã dệt thổ cẩm")
    with CaptureQueriesContext(connection) as ctx:
        assert names(client.get(LIST, {"q": "tho cam"})) == ["Hợp tác xã dệt thổ cẩm"]
    (rows,) = [q["sql"] for q in ctx.captured_queries if "commune_name" in q["sql"]]
    outer, ranked = rows.split(" IN (SELECT ", 1)
    assert "search_folded" not in outer  # the page's ids alone, not the search again
    assert "search_folded" in ranked
    assert "LIMIT" in ranked.upper()
    assert "JOIN" not in ranked.upper()
