from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "khuyencong.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import signals

        signals.connect()
