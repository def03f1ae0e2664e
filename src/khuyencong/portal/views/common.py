"""What every public view shares: the absolute (canonical) address, the friendly error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def absolute(path: str) -> str:
    """Canonical address on ``SITE_URL`` (never the Host header a request happened to carry)."""
    return settings.SITE_URL.rstrip("/") + path


def today() -> Any:
    return timezone.localdate()


def not_found(request: HttpRequest, message: str = "", *, search: str = "") -> HttpResponse:
    """404 in Vietnamese with the catalogue's search box (a mistyped code or address)."""
    return render(
        request, "portal/not_found.html", {"message": message, "search": search}, status=404
    )


def bad_request(request: HttpRequest, errors: list[str]) -> HttpResponse:
    return render(request, "portal/bad_request.html", {"errors": errors}, status=400)
