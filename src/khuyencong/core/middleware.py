"""Middleware of the whole site: Vietnamese first (the language is the user's explicit choice, never
the browser's guess), the Permissions-Policy header, the system's own error pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

_V = TypeVar("_V", bound=Callable[..., Any])


def public_view(view: _V) -> _V:
    """Mark a page of the public portal: the same for everyone, so a shared cache may keep it.
    Its language comes from its address (``/en/…`` English, else Vietnamese), never from the
    language cookie, and no middleware reads the session for it (no ``Vary: Cookie``, no
    ``Set-Cookie``). Decorators built with ``functools.wraps`` carry the mark outwards."""
    view.public_view = True  # type: ignore[attr-defined]
    return view


def is_public(request: HttpRequest) -> bool:
    """Is this request for a ``public_view`` (once resolved)? Then nothing may read its
    session: context processors and middleware that would, skip it."""
    match = getattr(request, "resolver_match", None)
    return match is not None and bool(getattr(match.func, "public_view", False))


def _view(request: HttpRequest, language: str) -> Any:
    """The view the address names when ``language`` is active (the portal's English addresses
    resolve only under English), or None."""
    try:
        with translation.override(language):
            return resolve(request.path_info, getattr(request, "urlconf", None)).func
    except Resolver404:
        return None


class VietnameseFirstLocaleMiddleware:
    """Activate the language of the address (``/en/…``, the public portal), else for a public
    page Vietnamese, else the one chosen with the switcher (cookie), else Vietnamese.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an official whose
    browser is set to English would get the English UI without asking for it. Public pages
    (``public_view``) never depend on the cookie, hence no ``Vary: Cookie`` on them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        # Exactly "/en/…": Django's get_language_from_path would take "/vi-pham/" for "vi".
        first = request.path_info.split("/", 2)[1]
        in_path = first if first in self.supported else None
        default = settings.LANGUAGE_CODE
        view = _view(request, in_path or default)
        public = bool(getattr(view, "public_view", False))
        if in_path:
            language = in_path
        elif public:
            language = default
        else:
            language = chosen if chosen in self.supported else default
            if language != default and view is not None and _view(request, language) is None:
                language = default  # a Vietnamese portal address (the consent screen)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if public:
            return response
        if chosen == language:
            _remember(request, language)
        response.headers["Vary"] = ", ".join(
            filter(None, [response.headers.get("Vary", ""), "Cookie"])
        )
        return response


def _remember(request: HttpRequest, language: str) -> None:
    """Keep the language a signed-in user chose: notices e-mailed to them use it. Only an
    explicit choice (the cookie) counts, so a browser without one changes nothing."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language != language:
        get_user_model().objects.filter(pk=user.pk).update(language=language)
        user.language = language


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` (settings.PERMISSIONS_POLICY): camera, microphone,
    geolocation… are refused to every page, so injected content could not use them either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class FriendlyErrorPagesMiddleware:
    """The system's own 404 and 500 pages even with ``DEBUG`` on (``make run``): Django's
    technical pages (settings, tracebacks, the URL list) are for developers, not for the
    officials who try the demo. The traceback still goes to the console (``django.request``);
    ``TECHNICAL_ERROR_PAGES=1`` keeps Django's pages for a developer who wants them. 403 needs
    nothing: Django renders ``handler403`` whatever ``DEBUG`` is."""

    #: Both of Django's technical pages say why they are shown.
    MARKER = b"DEBUG = True"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not settings.DEBUG
            or settings.TECHNICAL_ERROR_PAGES
            or response.status_code not in (404, 500)
            or getattr(response, "streaming", False)
            or self.MARKER not in response.content
        ):
            return response
        from . import views

        if response.status_code == 404:
            return views.page_not_found(request)
        return views.server_error(request)
