from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "khuyencong.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from khuyencong.core import uploads

        from . import problems, signals

        signals.connect()
        # A body over the limit is refused before any view runs: in the API's own format.
        uploads.TOO_LARGE_ANSWERS["/api/"] = problems.too_large
