"""Chương trình khuyến công công khai: approved programmes, their targets and progress —
aggregates only, counted by the programme page's own code (``programs.selectors``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from khuyencong.core.middleware import public_view
from khuyencong.programs import selectors as programme_selectors

from ..caching import content_etag
from .common import absolute, not_found


@public_view
@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = programme_selectors.public_programmes()
    response = render(
        request,
        "portal/programme_list.html",
        {"programmes": programmes, "canonical": absolute(request.path)},
    )
    return content_etag(request, response)


@public_view
@require_safe
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = programme_selectors.public_programme(code)
    if programme is None:
        return not_found(request, _("Không có chương trình khuyến công đã phê duyệt mang mã này."))
    progress = programme_selectors.programme_progress_table(
        programme, request.GET.get("nam"), public=True
    )
    context = {
        "programme": programme,
        "progress": progress,
        "targets": programme.targets.all(),
        "canonical": absolute(request.path),
    }
    return content_etag(request, render(request, "portal/programme_detail.html", context))
