from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        from . import choices

        choices.install()
