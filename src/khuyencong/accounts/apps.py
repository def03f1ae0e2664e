from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "khuyencong.accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from . import inbox, signals  # noqa: F401
