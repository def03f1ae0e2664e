from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "khuyencong.planning"
    verbose_name = "Đăng ký và kế hoạch khuyến công năm"
