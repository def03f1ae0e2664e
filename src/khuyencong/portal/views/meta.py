"""sitemap.xml, robots.txt and the language switch of the public pages."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from .. import selectors
from ..caching import public_page
from .common import absolute

#: Pages robots may index; everything behind the login is closed to them.
PUBLIC_PREFIXES = ("/san-pham/", "/c/", "/01/", "/cong-khai/", "/du-lieu-mo/")


@require_safe
@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    pages: list[tuple[str, datetime.datetime | None]] = [
        (absolute(reverse("portal:catalogue")), None)
    ]
    pages += [(absolute(url), updated) for url, updated in selectors.sitemap_products()]
    return render(request, "portal/sitemap.xml", {"pages": pages}, content_type="application/xml")


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Allow: {prefix}" for prefix in PUBLIC_PREFIXES]
    lines += ["Disallow: /", "", f"Sitemap: {absolute(reverse('portal:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch language by a plain link (public pages carry no form, hence no CSRF cookie)."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("portal:catalogue")
    response = redirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response
