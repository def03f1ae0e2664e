"""Danh mục sản phẩm, trang sản phẩm, truy xuất theo mã giấy chứng nhận (QR), ảnh."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from khuyencong.core.middleware import public_view

from .. import filters, selectors, structured
from ..caching import IMMUTABLE_AGE, mark_public, public_page
from .common import absolute, bad_request, not_found, today


class CountedPaginator(Paginator):
    """A paginator told its count (the facets' total) rather than counting again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


@public_view
@require_safe
@public_page
def catalogue(request: HttpRequest) -> HttpResponse:
    """Danh mục sản phẩm CNNT tiêu biểu còn hiệu lực: search, filters, facet counts, pages."""
    day = today()
    found = filters.read(request.GET, day)
    if found.errors:
        return bad_request(request, found.errors)
    products = selectors.catalogue_queryset(found, day)
    counted = selectors.facets(found, day)
    paginator = CountedPaginator(products, filters.PAGE_SIZE, count=counted.total)
    if found.page > max(paginator.num_pages, 1):
        message = _("Trang %(page)s không có: kết quả chỉ có %(pages)s trang.") % {
            "page": found.page,
            "pages": paginator.num_pages,
        }
        return not_found(request, message, search=found.search)
    page = paginator.page(found.page)
    query = found.query()
    context = {
        "filters": found,
        "page": page,
        "cards": selectors.catalogue_cards(page.object_list, day),
        "facet_links": filters.facet_links(found, counted.facets),
        "prev_query": found.query(trang=found.page - 1 if found.page > 2 else ""),
        "next_query": found.query(trang=found.page + 1),
        "canonical": absolute(request.path + (f"?{query}" if query else "")),
    }
    return render(request, "portal/catalogue.html", context)


@public_view
@require_safe
@public_page
def product(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Trang sản phẩm: only what the holder chose to publish, every certificate it holds."""
    shown = selectors.public_product(pk, today())
    if shown is None:
        return not_found(request, _("Sản phẩm này không có hoặc không được công khai."))
    if slug != selectors.slug_for(shown.name):
        return redirect(shown.url, permanent=True)
    page = absolute(shown.url)
    context = {
        "product": shown,
        "canonical": page,
        "structured": structured.product_jsonld(shown, page=page, absolute=absolute),
        "og_image": absolute(shown.photos[0].url) if shown.photos else "",
    }
    return render(request, "portal/product.html", context)


@public_view
@require_safe
def product_short(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.public_product(pk, today())
    if shown is None:
        return not_found(request, _("Sản phẩm này không có hoặc không được công khai."))
    return redirect(shown.url, permanent=True)


@public_view
@require_safe
@public_page
def trace(request: HttpRequest, code: str) -> HttpResponse:
    """``/c/<mã>`` printed in a certificate's QR code."""
    found = selectors.trace(code, today())
    if found is None:
        message = _(
            "Không có giấy chứng nhận nào mang mã “%(code)s”. Hãy kiểm tra lại mã in dưới mã "
            "QR, hoặc tìm sản phẩm theo tên."
        ) % {"code": code[:40]}
        return not_found(request, message)
    context = {"trace": found, "certificate": found.certificate, "product": found.product}
    if found.certificate.revoked_on is not None:
        return render(request, "portal/revoked.html", context, status=410)
    if found.product.published:
        return redirect(f"{found.product.url}#gcn-{found.certificate.code}")
    context["canonical"] = absolute(request.path)
    return render(request, "portal/certificate.html", context)


@public_view
@require_safe
def photo(request: HttpRequest, pk: int, token: str, size: str) -> FileResponse:
    """A published product's photo under its content's random name: cached for a year."""
    found = selectors.public_photo(pk, token)
    if found is None or size not in ("lon", "nho"):
        raise Http404
    field = found.thumbnail if size == "nho" else found.image
    content_type = "image/png" if field.name.endswith(".png") else "image/jpeg"
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["ETag"] = quote_etag(f"{token}-{size}")  # the name is the content's: never stale
    response["X-Content-Type-Options"] = "nosniff"
    mark_public(response, max_age=IMMUTABLE_AGE)
    response["Cache-Control"] += ", immutable"
    return response
