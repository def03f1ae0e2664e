from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "khuyencong.notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from . import inbox  # noqa: F401
