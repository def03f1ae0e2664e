"""``Idempotency-Key`` on POST: the first answer is stored with the write, in its transaction;
a retry with the same key and body gets that answer again (nothing is done twice), the same
key with another body is refused (422)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotencyKey
from .problems import Problem

KEPT_HEADERS = ("ETag", "Location")


def _hash(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(stored: IdempotencyKey, request_hash: str) -> Response:
    if stored.request_hash != request_hash:
        raise Problem(
            422,
            _(
                "Khóa Idempotency-Key này đã dùng cho một yêu cầu khác: mỗi thao tác mới cần "
                "một khóa mới."
            ),
        )
    response = Response(stored.body, status=stored.status)
    for name, value in stored.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(handler)
    def run(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > 255:
            raise Problem(400, _("Idempotency-Key dài tối đa 255 ký tự."))
        request_hash = _hash(request)
        stored = IdempotencyKey.objects.filter(account=request.user, key=key).first()
        if stored is not None:
            return _replay(stored, request_hash)
        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if response.status_code < 500:
                    IdempotencyKey.objects.create(
                        account=request.user,
                        key=key,
                        request_hash=request_hash,
                        status=response.status_code,
                        body=response.data,
                        headers={h: response[h] for h in KEPT_HEADERS if h in response},
                    )
        except IntegrityError:  # the same key, sent twice at once: the other one won
            stored = IdempotencyKey.objects.filter(account=request.user, key=key).first()
            if stored is None:
                raise
            return _replay(stored, request_hash)
        return response

    return run
