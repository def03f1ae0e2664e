"""``reverse`` for the common case of a page: a named URL whose arguments are object keys.

A list page reversed the same detail URL once per row (``{% url 'x:detail' r.pk %}``): Django's
``reverse`` costs ~0.1 ms a call (namespace walk, candidate matching, the language's, URLconf's
and script prefix's thread-locals, quoting), ~25 calls a request over the load run's pages
(issue 11 item 7). For positional non-negative ``int`` arguments the URL is the same text around
the numbers, so it is reversed once with placeholder numbers per (name, number of arguments,
current app, script prefix, URLconf) and later calls only fill the numbers in. Anything else
goes to ``reverse`` unchanged: keyword or non-int arguments, a pattern the placeholders do not
fit, a converter that would not write the number as it is, a URL that depends on the language
(``i18n_patterns``: the public portal).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation

#: Placeholders: digits only (what ``<int:…>`` accepts), long enough never to occur in a path.
_PLACEHOLDERS = tuple(8_417_293_650_000 + i for i in range(8))


def _fill(pieces: tuple[str, ...], args: Sequence[object]) -> str:
    parts = [pieces[0]]
    for arg, piece in zip(args, pieces[1:], strict=True):
        parts.append(str(arg))
        parts.append(piece)
    return "".join(parts)


def _reverse_in_every_language(view_name: Any, args: tuple[int, ...], app: str | None) -> str:
    """The URL, or ``""`` if it is not the same in every language of the site."""
    urls = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls.add(reverse(view_name, args=args, current_app=app))
    return urls.pop() if len(urls) == 1 else ""


@lru_cache(maxsize=4096)
def _pieces(
    view_name: Any, count: int, current_app: str | None, _prefix: str, _urlconf: str | None
) -> tuple[str, ...] | None:
    """The URL's text around its ``count`` numbers, or ``None``: not a pattern to fill in.
    Called in the context the key describes (prefix, URLconf), so ``reverse`` answers for it."""
    if count > len(_PLACEHOLDERS):
        return None
    small = tuple(range(1, count + 1))
    try:
        url = _reverse_in_every_language(view_name, _PLACEHOLDERS[:count], current_app)
        small_url = _reverse_in_every_language(view_name, small, current_app)
    except NoReverseMatch:
        return None  # e.g. a pattern of at most 5 digits: ``reverse`` decides each call
    if not url or not small_url:
        return None
    pieces: list[str] = []
    rest = url
    for placeholder in _PLACEHOLDERS[:count]:
        before, found, rest = rest.partition(str(placeholder))
        if not found or str(placeholder) in rest:
            return None  # the converter rewrote the number, or the text holds it twice
        pieces.append(before)
    pieces.append(rest)
    # A converter that writes small numbers otherwise (zero-padding) is never filled in.
    return tuple(pieces) if _fill(tuple(pieces), small) == small_url else None


def where() -> tuple[str, str | None]:
    """What a URL depends on besides its name and arguments: fixed for a request (the handler
    sets both before the view), so a page's render reads it once (two thread-locals, ~10 µs)."""
    return get_script_prefix(), get_urlconf()


def reverse_ids(
    view_name: Any,
    args: Sequence[object],
    current_app: str | None = None,
    at: tuple[str, str | None] | None = None,
) -> str:
    """``reverse(view_name, args=args, current_app=current_app)``, the same text, without
    walking the resolver when every argument is a non-negative ``int``. ``at``: :func:`where`,
    if the caller has it."""
    if all(type(arg) is int and arg >= 0 for arg in args):  # bool is not an id
        pieces = _pieces(view_name, len(args), current_app, *(at or where()))
        if pieces is not None:
            return _fill(pieces, args)
    return reverse(view_name, args=args, current_app=current_app)


def around_id(view_name: Any, current_app: str | None = None) -> tuple[str, str]:
    """``view_name``'s URL for one id as its text before and after the id: what
    :func:`reverse_ids` returns for a non-negative ``int`` ``pk`` is ``f"{before}{pk}{after}"``.
    For a list linking each row to the same page: reversed once a page, a row's link is then
    ~0.15 µs of f-string instead of ~3.5 µs of :func:`reverse_ids` (issue 11). ``ValueError``
    for a URL :func:`reverse_ids` leaves to ``reverse`` (a converter that rewrites the number,
    a URL that follows the language)."""
    pieces = _pieces(view_name, 1, current_app, *where())
    if pieces is None:
        raise ValueError(f"{view_name!r} is not a URL around one id: use reverse_ids")
    before, after = pieces
    return before, after


@receiver(setting_changed)
def _forget(*, setting: str, **_kwargs: object) -> None:
    if setting in {"ROOT_URLCONF", "LANGUAGES"}:
        _pieces.cache_clear()
