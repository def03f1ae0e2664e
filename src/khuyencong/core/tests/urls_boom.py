"""The site's URLs plus one page that fails, to see the 500 page with DEBUG on."""

from django.urls import path

from khuyencong.urls import urlpatterns as site


def boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("hỏng có chủ đích")


urlpatterns = [*site, path("thu-loi-500/", boom)]
handler403 = "khuyencong.core.views.permission_denied"
handler404 = "khuyencong.core.views.page_not_found"
handler500 = "khuyencong.core.views.server_error"
