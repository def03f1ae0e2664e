"""Products an actor may see (an establishment its own, a commune its commune's, a province its
province's, the nation all; a council member those of the entries they sit on)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from khuyencong.accounts import policy
from khuyencong.core.text import fold

from ..models import Entry, Product, ProductPaper, ProductPhoto


def visible_products(user: Any) -> QuerySet[Product]:
    return policy.scope_queryset(
        user,
        Product.objects.select_related("establishment", "commune", "province"),
        unit_field="commune",
        establishment_field="establishment",
    )


def products(
    user: Any, *, search: str = "", group: str = "", commune_code: str = ""
) -> QuerySet[Product]:
    # A subquery per row of the page, not Count("photos"): that grouped every product in scope
    # before the LIMIT (369 ms for the national 30,000 at scale 1.0 against 150 ms).
    photos = (
        ProductPhoto.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = visible_products(user).annotate(
        photo_count=Coalesce(Subquery(photos, output_field=IntegerField()), Value(0))
    )
    if search.strip():
        found = found.filter(name_folded__contains=fold(search.strip()))
    if group:
        found = found.filter(group=group)
    if commune_code:
        found = found.filter(commune__code=commune_code)
    return found.order_by("name_sort", "pk")


def product_rows(
    user: Any, *, search: str = "", group: str = "", commune_code: str = ""
) -> QuerySet[Product, Mapping[str, Any]]:
    """The product list's rows: only the columns it shows, as dicts. A Product came with its
    establishment's ~40 columns, its commune and its province as model instances, ~100–150 µs
    of CPU a row (issue 11: the SCT's and the commune's lists grew with the 50 rows a page
    holds at scale 1.0). Count the list with :func:`products` (these rows' joins would stay in
    the count)."""
    found = products(user, search=search, group=group, commune_code=commune_code)
    return found.values(
        "pk",
        "name",
        "group",
        "is_demo",
        "photo_count",  # type: ignore[misc]  # products()' annotation, unknown to django-stubs
        establishment_name=F("establishment__name"),
        commune_name=F("commune__name"),
    )


def product_for_view(user: Any, pk: int) -> Product:
    """The product with its photos, papers, entries and certificates, or 404 out of scope."""
    product = (
        visible_products(user)
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("view", "pk")),
            Prefetch("papers", queryset=ProductPaper.objects.order_by("kind", "pk")),
            Prefetch(
                "entries",
                queryset=Entry.objects.select_related("round").order_by("-round__year", "pk"),
            ),
            "certificates",
        )
        .filter(pk=pk)
        .first()
    )
    if product is None:
        raise Http404
    return product


def products_of_establishment(user: Any, establishment: Any) -> list[Product]:
    return list(
        visible_products(user)
        .filter(establishment=establishment)
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("view", "pk")),
            "certificates",
        )
        .order_by("name_sort", "pk")
    )


def photo_for_view(user: Any, product_pk: int, photo_pk: int) -> ProductPhoto:
    product = visible_products(user).filter(pk=product_pk).first()
    photo = ProductPhoto.objects.filter(product=product, pk=photo_pk).first() if product else None
    if photo is None:
        raise Http404
    photo.product = product  # type: ignore[assignment]
    return photo


def paper_for_view(user: Any, product_pk: int, paper_pk: int) -> ProductPaper:
    product = visible_products(user).filter(pk=product_pk).first()
    paper = ProductPaper.objects.filter(product=product, pk=paper_pk).first() if product else None
    if paper is None:
        raise Http404
    paper.product = product  # type: ignore[assignment]
    return paper
