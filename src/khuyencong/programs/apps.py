from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "khuyencong.programs"
    verbose_name = "Chương trình khuyến công"
