from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "khuyencong.norms"
    verbose_name = "Định mức hỗ trợ"
