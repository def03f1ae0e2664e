from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "khuyencong.projects"
    verbose_name = "Đề án khuyến công"

    def ready(self) -> None:
        from khuyencong.registry import support_history

        from . import history, inbox  # noqa: F401

        support_history.register(history.project_records)
