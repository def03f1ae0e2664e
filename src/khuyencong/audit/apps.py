from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "khuyencong.audit"
    verbose_name = "Nhật ký hoạt động"
