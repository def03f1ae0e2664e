from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "khuyencong.reporting"
    verbose_name = "Báo cáo định kỳ"
