from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "khuyencong.portal"
    verbose_name = "Cổng thông tin công khai"

    def ready(self) -> None:
        from . import versioning

        versioning.connect()
