"""Products: services (who may, GTIN, optimistic locking, photos and papers checked by content)
and pages (scope, 404/403, flat queries, the establishment page, downloads)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.awards.models import Product, ProductPaper, ProductPhoto
from khuyencong.awards.services import SelectionError, SelectionInvalid
from khuyencong.awards.services import products as services
from khuyencong.core.concurrency import StaleEditError

from .conftest import (
    CHIENG_SON,
    KH_COMMUNE,
    KHANH_HOA,
    SON_LA,
    TO_HIEU,
    build_establishment,
    build_product,
)
from .samples import PDF, colour_jpeg, grey_jpeg, upload

pytestmark = pytest.mark.django_db

DATA = services.ProductData(
    name="  Chè  Shan tuyết  Chiềng Sơn ",
    group="2",
    description="Chè xanh sao tay.",
    gtin="893 5049 510864",
    standards="TCVN 9740:2013",
)


@pytest.fixture
def officer(make_user):
    return make_user(Role.COMMUNE_OFFICER, CHIENG_SON)


def test_a_commune_officer_adds_a_product_for_an_establishment_of_the_commune(
    officer, establishment
):
    product = services.create_product(actor=officer, establishment=establishment, data=DATA)
    assert product.name == "Chè Shan tuyết Chiềng Sơn"
    assert product.gtin == "08935049510864"
    assert product.commune == establishment.commune
    assert product.province.code == SON_LA
    event = ActivityEvent.objects.get(event_type=EventType.PRODUCT_CHANGED)
    assert event.unit == establishment.commune
    assert product.history.count() == 1


def test_bad_fields_are_named_and_nothing_is_saved(officer, establishment):
    bad = services.ProductData(name=" ", group="9", description="", gtin="8935049510865")
    with pytest.raises(SelectionInvalid) as caught:
        services.create_product(actor=officer, establishment=establishment, data=bad)
    assert set(caught.value.problems) == {"name", "group", "description", "gtin"}
    assert "chữ số cuối phải là 4" in caught.value.problems["gtin"][0]
    assert not Product.objects.exists()


def test_a_gtin_belongs_to_one_product(officer, establishment):
    services.create_product(actor=officer, establishment=establishment, data=DATA)
    with pytest.raises(SelectionInvalid, match="đã được ghi cho sản phẩm khác"):
        services.create_product(actor=officer, establishment=establishment, data=DATA)


def test_who_may_keep_products(make_user, unit, establishment, representative):
    allowed = [
        make_user(Role.COMMUNE_OFFICER, CHIENG_SON),
        make_user(Role.PROVINCE_CENTRE, SON_LA),
        representative(establishment),
    ]
    for user in allowed:
        services.create_product(
            actor=user,
            establishment=establishment,
            data=services.ProductData(name=f"Sản phẩm {user.pk}", group="2", description="x"),
        )
    refused = [
        make_user(Role.COMMUNE_OFFICER, TO_HIEU),
        make_user(Role.PROVINCE_SCT, SON_LA),
        make_user(Role.PROVINCE_CENTRE, KHANH_HOA),
        make_user(Role.COUNCIL_MEMBER, SON_LA),
        representative(build_establishment(unit, name="Cơ sở khác")),
    ]
    for user in refused:
        with pytest.raises(PermissionDenied):
            services.create_product(actor=user, establishment=establishment, data=DATA)


def test_a_stale_edit_is_refused(officer, product):
    services.update_product(actor=officer, product=product, expected_version=1, data=DATA)
    with pytest.raises(StaleEditError):
        services.update_product(
            actor=officer,
            product=product,
            expected_version=1,
            data=services.ProductData(name="Khác", group="2", description="x"),
        )
    product.refresh_from_db()
    assert (product.version, product.gtin) == (2, "08935049510864")


def test_a_photo_of_a_view_replaces_the_previous_one(officer, product, settings):
    first = services.add_photo(
        actor=officer, product=product, view="truoc", upload=upload(colour_jpeg())
    )
    second = services.add_photo(
        actor=officer,
        product=product,
        view="truoc",
        upload=upload(colour_jpeg(colour=(10, 20, 200))),
    )
    services.add_photo(actor=officer, product=product, view="khac", upload=upload(colour_jpeg()))
    services.add_photo(actor=officer, product=product, view="khac", upload=upload(colour_jpeg()))
    assert set(ProductPhoto.objects.filter(product=product).values_list("view", flat=True)) == {
        "truoc",
        "khac",
    }
    assert ProductPhoto.objects.filter(product=product).count() == 3
    assert not ProductPhoto.objects.filter(pk=first.pk).exists()
    assert second.image.name.startswith(f"awards/products/{product.pk}/anh/")
    assert second.thumbnail.size < second.image.size


def test_refused_photos_say_why_and_store_nothing(officer, product):
    with pytest.raises(SelectionError, match="ảnh đen trắng"):
        services.add_photo(actor=officer, product=product, view="ben", upload=upload(grey_jpeg()))
    with pytest.raises(SelectionError, match="không phải ảnh JPEG hoặc PNG"):
        services.add_photo(
            actor=officer, product=product, view="ben", upload=upload(PDF, "ben.jpg")
        )
    assert not ProductPhoto.objects.exists()


def test_papers_are_pdf_or_scans(officer, product):
    paper = services.add_paper(
        actor=officer,
        product=product,
        kind="attp",
        upload=upload(PDF, "attp.pdf", "application/pdf"),
    )
    assert paper.content_type == "application/pdf"
    with pytest.raises(SelectionError, match="chương trình chạy được"):
        services.add_paper(
            actor=officer, product=product, kind="khac", upload=upload(b"MZ\x90\x00", "x.pdf")
        )
    assert ProductPaper.objects.count() == 1
    services.remove_paper(actor=officer, paper=paper)
    assert not ProductPaper.objects.exists()


# -------------------------------------------------------------------------------- pages
def _bulk(establishment, n, start=0):
    products = [
        Product(
            establishment=establishment,
            commune=establishment.commune,
            name=f"Sản phẩm {i}",
            group="2",
            description="x",
        )
        for i in range(start, start + n)
    ]
    for p in products:
        p.fill_derived_fields()
        p.fill_province()
    Product.objects.bulk_create(products)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_product_list_is_scoped_and_its_queries_flat(client, make_user, unit, establishment):
    sct = make_user(Role.PROVINCE_SCT, SON_LA)
    client.force_login(sct)
    _bulk(establishment, 5)
    few = _queries(client, reverse("awards:product_list"))
    _bulk(establishment, 120, start=5)
    assert _queries(client, reverse("awards:product_list")) == few
    build_product(build_establishment(unit, KH_COMMUNE, "Cơ sở Khánh Hòa"), "Nước mắm")
    page = client.get(reverse("awards:product_list"), {"q": "nuoc mam"}).content.decode()
    assert "Nước mắm" not in page
    client.force_login(make_user(Role.PROVINCE_SCT, KHANH_HOA))
    page = client.get(reverse("awards:product_list"), {"q": "nuoc mam"}).content.decode()
    assert "Nước mắm" in page


def test_detail_404_out_of_scope_and_403_with_the_reason_for_readers(client, make_user, product):
    url = reverse("awards:product_detail", args=[product.pk])
    client.force_login(make_user(Role.COMMUNE_OFFICER, TO_HIEU))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    assert client.get(url).status_code == 200
    response = client.get(reverse("awards:product_edit", args=[product.pk]))
    assert response.status_code == 403
    assert "không được phép thêm, sửa sản phẩm" in response.content.decode()
    client.force_login(make_user(Role.COUNCIL_MEMBER, SON_LA))
    assert client.get(url).status_code == 404


def test_create_edit_upload_and_download_over_http(client, representative, establishment):
    user = representative(establishment)
    client.force_login(user)
    response = client.post(
        reverse("awards:product_create"),
        {
            "co_so": establishment.pk,
            "name": "Chè búp",
            "group": "2",
            "description": "Chè búp khô",
            "gtin": "8935049510865",
        },
    )
    assert response.status_code == 200
    assert "chữ số cuối phải là 4" in response.content.decode()
    response = client.post(
        reverse("awards:product_create"),
        {"co_so": establishment.pk, "name": "Chè búp", "group": "2", "description": "Chè búp khô"},
    )
    product = Product.objects.get(name="Chè búp")
    assert response.url == reverse("awards:product_detail", args=[product.pk])
    response = client.post(
        reverse("awards:photo_upload", args=[product.pk]),
        {"view": "truoc", "image": upload(colour_jpeg(), "truoc.jpg")},
    )
    assert response.status_code == 302
    photo = ProductPhoto.objects.get(product=product)
    thumb = client.get(reverse("awards:photo_file", args=[product.pk, photo.pk, "nho"]))
    assert thumb["Content-Type"] == "image/jpeg"
    assert thumb["X-Content-Type-Options"] == "nosniff"
    assert b"".join(thumb.streaming_content).startswith(b"\xff\xd8")
    page = client.get(reverse("awards:product_detail", args=[product.pk])).content.decode()
    assert "mặt bên, mặt trên" in page  # still missing
    response = client.post(
        reverse("awards:photo_upload", args=[product.pk]),
        {"view": "ben", "image": upload(grey_jpeg(), "ben.jpg")},
        follow=True,
    )
    assert "ảnh đen trắng" in response.content.decode()
    response = client.post(
        reverse("awards:product_edit", args=[product.pk]),
        {"name": "Chè búp Mộc Châu", "group": "2", "description": "Chè", "version": "1"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("awards:product_edit", args=[product.pk]),
        {"name": "Chè cũ", "group": "2", "description": "Chè", "version": "1"},
    )
    assert "vừa được người khác sửa" in response.content.decode()


def test_files_of_a_product_out_of_scope_are_404(client, make_user, officer, product):
    photo = services.add_photo(
        actor=officer, product=product, view="tren", upload=upload(colour_jpeg())
    )
    paper = services.add_paper(
        actor=officer, product=product, kind="attp", upload=upload(PDF, "a.pdf")
    )
    client.force_login(make_user(Role.COMMUNE_OFFICER, TO_HIEU))
    assert (
        client.get(reverse("awards:photo_file", args=[product.pk, photo.pk, "anh"])).status_code
        == 404
    )
    assert (
        client.get(reverse("awards:paper_download", args=[product.pk, paper.pk])).status_code == 404
    )
    assert (
        client.post(reverse("awards:photo_delete", args=[product.pk, photo.pk])).status_code == 404
    )
    client.force_login(officer)
    download = client.get(reverse("awards:paper_download", args=[product.pk, paper.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"


def test_the_establishment_page_shows_its_products(client, officer, product, make_user):
    client.force_login(officer)
    page = client.get(reverse("registry:establishment_detail", args=[product.establishment.pk]))
    html = page.content.decode()
    assert product.name in html
    assert "Thêm sản phẩm" in html
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    html = client.get(
        reverse("registry:establishment_detail", args=[product.establishment.pk])
    ).content.decode()
    assert product.name in html
    assert "Thêm sản phẩm" not in html


def test_the_product_history_page(client, make_user, officer, product):
    services.update_product(actor=officer, product=product, expected_version=1, data=DATA)
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    response = client.get(reverse("audit:object_history", args=["awards.Product", product.pk]))
    assert response.status_code == 200
    assert "Chè Shan tuyết Chiềng Sơn" in response.content.decode()


def test_product_lists_sort_the_vietnamese_way_d_before_dd(client, make_user, unit, establishment):
    """ "Đ" is a letter after "D" (issue 9): "Dâu tây", "Dưa", then "Đậu", never "Đậu" among
    the d's as the folded name ("dau") would put it; the round's entries sort the same way."""
    from khuyencong.awards.selectors import rounds as round_selectors

    from .conftest import build_entry, build_round

    round_ = build_round(unit)
    for name in ("Đậu phụ Mộc Châu", "Dưa hấu", "Dâu tây", "Ếch"):
        build_entry(round_, build_product(establishment, name))
    assert Product.objects.get(name="Dưa hấu").name_sort  # filled by save()
    sct = make_user(Role.PROVINCE_SCT, SON_LA)
    client.force_login(sct)
    page = client.get(reverse("awards:product_list")).content.decode()
    positions = [page.index(n) for n in ("Dâu tây", "Dưa hấu", "Đậu phụ Mộc Châu", "Ếch")]
    assert positions == sorted(positions)
    entries = round_selectors.entries_of_round(sct, round_)
    assert [e.product.name for e in entries] == [
        "Dâu tây", "Dưa hấu", "Đậu phụ Mộc Châu", "Ếch",
    ]  # fmt: skip
    # A renamed product moves to its new place.
    tea = Product.objects.get(name="Ếch")
    tea.name = "Bánh"
    tea.save(update_fields=["name"])
    assert Product.objects.order_by("name_sort", "pk").first().name == "Bánh"


def test_the_product_list_counts_photos_per_row_without_grouping_the_scope(
    client, make_user, officer, product
):
    # Scale 1.0 bench: Count("photos") grouped every product in scope before the LIMIT (the
    # national list took 369 ms); the count is now a subquery of the page's rows.
    from khuyencong.awards.selectors.products import products

    services.add_photo(actor=officer, product=product, view="truoc", upload=upload(colour_jpeg()))
    services.add_photo(actor=officer, product=product, view="ben", upload=upload(colour_jpeg()))
    national = make_user(Role.NATIONAL_OFFICER, "VN")
    listed = products(national)
    assert listed.query.group_by is None
    assert [(p.pk, p.photo_count) for p in listed] == [(product.pk, 2)]


def test_a_product_row_shows_every_column(client, make_user, officer, establishment):
    """Pinned before the rows became dicts (issue 11): name and link, the sample badge, the
    group, the establishment, the commune and the photos."""
    product = build_product(establishment, "Chè Shan tuyết")
    services.add_photo(actor=officer, product=product, view="truoc", upload=upload(colour_jpeg()))
    Product.objects.filter(pk=product.pk).update(is_demo=True)
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    html = client.get(reverse("awards:product_list")).content.decode()
    row = html.split("<tbody><tr>", 1)[1].split("</tr>", 1)[0]
    url = reverse("awards:product_detail", args=[product.pk])
    assert f'<a href="{url}">Chè Shan tuyết</a>' in row
    assert "Mẫu</span>" in row
    cells = [cell.split("</td>")[0] for cell in row.split("<td")[2:]]
    assert cells == [
        f">{product.group}",
        f">{establishment.name}",
        f">{establishment.commune.name}",
        ' class="table-num">1',
    ]


def test_the_product_list_counts_its_products_without_joins(client, make_user, product):
    """The rows carry their establishment's and commune's names: counting the rows would
    keep those joins (as the certificate list's count did, quiet-run-2026-12-05-c.md)."""
    client.force_login(make_user(Role.PROVINCE_SCT, SON_LA))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("awards:product_list")).status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1
    assert "JOIN" not in counts[0].upper()
