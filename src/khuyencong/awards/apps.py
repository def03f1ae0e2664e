from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "khuyencong.awards"
    verbose_name = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu"
