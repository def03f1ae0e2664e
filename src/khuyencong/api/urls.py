from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from khuyencong.core import uploads

from . import views, views_awards, views_import, views_planning, views_reports

app_name = "api"

router = SimpleRouter(trailing_slash=False)
router.register("units", views.UnitViewSet, basename="unit")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("establishments", views.EstablishmentViewSet, basename="establishment")
router.register("artisans", views.ArtisanViewSet, basename="artisan")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("rounds", views_planning.RoundViewSet, basename="round")
router.register("registrations", views_planning.RegistrationViewSet, basename="registration")
router.register("plans", views_planning.PlanViewSet, basename="plan")
router.register("norms", views_planning.NormViewSet, basename="norm")
router.register("awards/rounds", views_awards.SelectionRoundViewSet, basename="selection-round")
router.register("awards/products", views_awards.ProductViewSet, basename="product")
router.register("reports", views_reports.ReportViewSet, basename="report")
router.register("awards/certificates", views_awards.CertificateViewSet, basename="certificate")
router.register("awards/entries", views_awards.EntryViewSet, basename="entry")
router.register("awards/sheets", views_awards.ScoreSheetViewSet, basename="score-sheet")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="swagger"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("changes", views.ChangeFeedView.as_view(), name="changes"),
    path(
        "establishments/import",
        # The import page's limit (a province's file), not the form-data one.
        uploads.accepts_upload(uploads.REGISTRY_IMPORT)(
            views_import.EstablishmentImportView.as_view()
        ),
        name="establishment-import",
    ),
    path("norms/support-limit", views_planning.SupportLimitView.as_view(), name="support-limit"),
    path("", include(router.urls)),
]
