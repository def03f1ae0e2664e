from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Thông báo của tôi: newest first, unread ones marked."""
    unread_only = request.GET.get("chua_doc") == "1"
    page = Paginator(selectors.notices_for(request.user, unread_only=unread_only), 30).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notice read, then follow its link when asked (``mo=1``)."""
    notice = selectors.notice_for(request.user, pk)
    services.mark_read(user=request.user, notification=notice)
    if request.POST.get("mo") == "1" and url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notice.url or "notifications:list")
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return redirect("notifications:list")
