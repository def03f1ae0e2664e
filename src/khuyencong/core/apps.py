from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    verbose_name = "Dùng chung"
