"""``Authorization: Bearer kc_…``: the request acts as the client's service account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import services


class ApiClientAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng “Bearer <mã truy cập>”.")
            )
        client = services.client_for_token(header[1])
        if client is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi. Hãy đề nghị quản trị "
                    "hệ thống cấp lại."
                )
            )
        return client.account, client

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class ApiClientScheme(OpenApiAuthenticationExtension):
    target_class = "khuyencong.api.authentication.ApiClientAuthentication"
    name = "apiClient"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
