from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from khuyencong.accounts import views as account_views
from khuyencong.core import views as core_views
from khuyencong.portal.views import pages as portal_pages

# One login for the whole site: the admin's own form would skip the second factor and lock-out.
admin.site.login = account_views.admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("xuat/<int:pk>/", core_views.export_job, name="export_job"),
    path("xuat/<int:pk>/tai-ve/", core_views.export_download, name="export_download"),
    # Accounts and their e-mail addresses are issued by administrators, not self-managed.
    path("tai-khoan/email/", core_views.page_not_found),
    path(
        "tai-khoan/2fa/totp/activate/",
        account_views.ActivateTOTP.as_view(),
        name="mfa_activate_totp",
    ),
    path("tai-khoan/", include("allauth.urls")),
    path("vai-tro/", include("khuyencong.accounts.urls")),
    path("don-vi/", include("khuyencong.geo.urls")),
    path("nhat-ky/", include("khuyencong.audit.urls")),
    path("chuong-trinh/", include("khuyencong.programs.urls")),
    path("co-so/", include("khuyencong.registry.urls")),
    path("ke-hoach/", include("khuyencong.planning.urls")),
    path("thong-bao/", include("khuyencong.notifications.urls")),
    path("dinh-muc/", include("khuyencong.norms.urls")),
    path("de-an/", include("khuyencong.projects.urls")),
    path("binh-chon/", include("khuyencong.awards.urls")),
    path("bao-cao/", include("khuyencong.reporting.urls")),
    path("api/v1/", include("khuyencong.api.urls")),
    path("may-khach-api/", include("khuyencong.api.web_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
# The public side (no login): catalogue, QR trace, GS1 resolver, open data — Vietnamese at
# these addresses, English under /en/ (the language is in the address, not in a cookie, so
# a shared cache may keep the pages: ``core.middleware.public_view``).
urlpatterns += i18n_patterns(
    # Short and stable: printed in the QR code of every certificate; the public portal's
    # trace page answers it (the name stays: certificates reverse it).
    path("c/<str:code>", portal_pages.trace, name="certificate_public"),
    path("", include("khuyencong.portal.urls")),
    prefix_default_language=False,
)

handler403 = "khuyencong.core.views.permission_denied"
# Under /api/v1/ a problem+json, elsewhere the web's page.
handler404 = "khuyencong.api.views.page_not_found"
handler500 = "khuyencong.core.views.server_error"
