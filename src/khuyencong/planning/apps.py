from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "khuyencong.planning"
    verbose_name = "Đăng ký và kế hoạch khuyến công năm"

    def ready(self) -> None:
        from khuyencong.registry import support_history

        from . import history, inbox  # noqa: F401

        support_history.register(history.registration_records)
