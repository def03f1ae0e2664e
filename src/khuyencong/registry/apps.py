from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "khuyencong.registry"
    verbose_name = "Cơ sở công nghiệp nông thôn"

    def ready(self) -> None:
        from . import signals

        signals.connect()
