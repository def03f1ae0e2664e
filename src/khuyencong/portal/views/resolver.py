"""GS1 Digital Link resolver: ``/01/<GTIN>`` → 307 to the product page, the RFC 9264 linkset
on request, a ``Link`` header always; ``/.well-known/gs1resolver``."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from khuyencong.core.middleware import public_view

from .. import gs1, selectors
from ..caching import content_etag, mark_public
from .common import absolute, bad_request, not_found, today


def _links(shown: selectors.PublicProduct) -> list[gs1.Link]:
    page = absolute(shown.url)
    links = [
        gs1.Link(gs1.DEFAULT, page, shown.name),
        gs1.Link(gs1.PIP, page, _("Thông tin sản phẩm: %(name)s") % {"name": shown.name}),
    ]
    for certificate in shown.certificates:
        links.append(
            gs1.Link(
                gs1.CERTIFICATION,
                absolute(f"/c/{certificate.code}"),
                _("Giấy chứng nhận %(number)s (%(level)s, %(status)s)")
                % {
                    "number": certificate.number,
                    "level": certificate.level_label,
                    "status": certificate.status_label,
                },
            )
        )
    return links


@public_view
@require_safe
def resolve(request: HttpRequest, path: str) -> HttpResponse:
    try:
        gtin = gs1.read_gtin("01/" + path)
    except gs1.DigitalLinkError as error:
        return bad_request(request, [str(error)])
    shown = selectors.product_by_gtin(gtin, today())
    if shown is None:
        message = _("Chưa có sản phẩm nào được công khai với mã GTIN %(gtin)s.") % {"gtin": gtin}
        return not_found(request, message)
    anchor = absolute(f"/01/{gtin}")
    links = _links(shown)
    link_type = request.GET.get("linkType", "")
    if gs1.wants_linkset(link_type, request.headers.get("Accept", "")):
        response = HttpResponse(
            json.dumps(gs1.linkset(anchor, links), ensure_ascii=False),
            content_type=gs1.LINKSET_TYPE,
        )
    else:
        response = HttpResponse(status=307)
        response["Location"] = gs1.choose(links, link_type or gs1.DEFAULT).href
    response["Link"] = gs1.link_header(anchor, links)
    response["Vary"] = "Accept"
    return content_etag(request, mark_public(response))


@public_view
@require_safe
def well_known(request: HttpRequest) -> HttpResponse:
    description = gs1.resolver_description(absolute("/"), _("Khuyến công số — cổng công khai"))
    response = JsonResponse(description, json_dumps_params={"ensure_ascii": False})
    return content_etag(request, response, max_age=3600)
