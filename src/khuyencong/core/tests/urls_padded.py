"""A URLconf whose converter writes numbers zero-padded (test_urlcache): never filled in."""

from django.http import HttpResponse
from django.urls import path, register_converter


class Padded:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


register_converter(Padded, "padded")

urlpatterns = [path("so/<padded:n>/", lambda request, n: HttpResponse(), name="padded")]
