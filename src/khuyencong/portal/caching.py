"""HTTP caching of public pages: ``Cache-Control`` with a short life, ``ETag`` and
``Last-Modified`` tied to the public data's version (``versioning``), ``304`` to a
conditional request, and the rendered page kept in Django's cache under the same key."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from . import versioning

#: Seconds a browser or proxy may reuse a public page without asking again: short, so a
#: revoked certificate is not shown as valid for long; after that a ``304`` costs one query.
MAX_AGE = 60
#: Photos carry their content's random name: a new photo is a new URL.
IMMUTABLE_AGE = 365 * 24 * 3600
CACHED_PAGE_SECONDS = 600

View = Callable[..., HttpResponse]


def _last_modified(stamp: versioning.Stamp) -> datetime.datetime:
    # A certificate expires at midnight with no change to any row: the day is data too.
    today = timezone.localdate()
    midnight = datetime.datetime.combine(
        today, datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    return max(stamp.changed_at, midnight)


_R = TypeVar("_R", bound=HttpResponseBase)


def mark_public(response: _R, *, max_age: int = MAX_AGE) -> _R:
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def public_page(view: View) -> View:
    """Serve ``view`` with validators from the data version; its 200 pages are cached."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stamp = versioning.current()
        seed = "|".join(
            (
                str(stamp.counter),
                timezone.localdate().isoformat(),
                translation.get_language() or "vi",
                request.get_full_path(),
            )
        )
        tag = hashlib.sha256(seed.encode()).hexdigest()[:32]
        etag = quote_etag(tag)
        modified = int(_last_modified(stamp).timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=modified)
        if response is None:
            key = f"portal:page:{tag}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                cache.set(key, response, CACHED_PAGE_SECONDS)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified)
        return mark_public(response)

    return wrapped


def content_etag(
    request: HttpRequest, response: HttpResponse, *, max_age: int = MAX_AGE
) -> HttpResponse:
    """Aggregate pages (programmes, open data) and small answers (robots.txt, the GS1
    linkset): the ETag is the page's own hash."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return response
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return mark_public(not_modified, max_age=max_age)
    response["ETag"] = etag
    return mark_public(response, max_age=max_age)
