from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter(trailing_slash=False)
router.register("units", views.UnitViewSet, basename="unit")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("establishments", views.EstablishmentViewSet, basename="establishment")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="swagger"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("changes", views.ChangeFeedView.as_view(), name="changes"),
    path("", include(router.urls)),
]
