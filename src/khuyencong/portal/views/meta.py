"""sitemap.xml and robots.txt."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from khuyencong.core.middleware import public_view

from .. import selectors
from ..caching import content_etag, public_page
from .common import absolute

#: Pages robots may index; everything behind the login is closed to them.
PUBLIC_PREFIXES = ("/san-pham/", "/c/", "/01/", "/cong-khai/", "/du-lieu-mo/")


@public_view
@require_safe
@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    pages: list[tuple[str, datetime.datetime | None]] = [
        (absolute(reverse("portal:catalogue")), None)
    ]
    pages += [(absolute(url), updated) for url, updated in selectors.sitemap_products()]
    return render(request, "portal/sitemap.xml", {"pages": pages}, content_type="application/xml")


@public_view
@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Allow: {prefix}" for prefix in PUBLIC_PREFIXES]
    lines += ["Disallow: /", "", f"Sitemap: {absolute(reverse('portal:sitemap'))}", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    return content_etag(request, response, max_age=3600)
