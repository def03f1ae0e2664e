from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "khuyencong.notifications"
    verbose_name = "Thông báo"
