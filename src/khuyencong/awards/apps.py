from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "khuyencong.awards"
    verbose_name = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu"

    def ready(self) -> None:
        from khuyencong.registry import sections

        from . import establishment

        sections.register(establishment.establishment_products)
