"""Dữ liệu mở ``/du-lieu-mo/``: the list of datasets (with the DCAT catalogue as JSON-LD),
each dataset's files at stable addresses, its ``datapackage.json`` and DCAT JSON-LD."""

from __future__ import annotations

import hashlib
import tempfile

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from khuyencong.core.middleware import public_view

from ..caching import content_etag, mark_public
from ..opendata import formats
from ..opendata.datasets import BY_SLUG, DATASETS, Dataset
from .common import absolute, not_found


def _base() -> str:
    return absolute("").rstrip("/")


@public_view
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "datasets": DATASETS,
        "catalogue": formats.dcat_catalogue(_base()),
        "canonical": absolute(request.path),
    }
    return content_etag(request, render(request, "portal/opendata.html", context))


def _dataset(request: HttpRequest, slug: str) -> Dataset | HttpResponse:
    dataset = BY_SLUG.get(slug)
    if dataset is None:
        return not_found(request, _("Không có bộ dữ liệu mở mang tên này."))
    return dataset


@public_view
@require_safe
def datapackage(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(request, slug)
    if isinstance(dataset, HttpResponse):
        return dataset
    body = JsonResponse(formats.datapackage(dataset), json_dumps_params={"ensure_ascii": False})
    return content_etag(request, body)


@public_view
@require_safe
def dcat(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(request, slug)
    if isinstance(dataset, HttpResponse):
        return dataset
    data = {"@context": formats.CONTEXT, **formats.dcat_dataset(dataset, _base())}
    body = JsonResponse(
        data, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )
    return content_etag(request, body)


@public_view
@require_safe
def dataset_file(request: HttpRequest, slug: str, name: str, fmt: str) -> HttpResponseBase:
    """The rows as CSV or JSON (streamed) or .xlsx; ``304`` while the data is unchanged."""
    dataset = _dataset(request, slug if name == slug else "")
    if isinstance(dataset, HttpResponse):
        return dataset
    if fmt not in formats.FORMATS:
        return not_found(request, _("Bộ dữ liệu có ở dạng CSV, JSON và XLSX."))
    seed = f"{dataset.slug}.{fmt}:{dataset.version()}"
    etag = quote_etag(hashlib.sha256(seed.encode()).hexdigest()[:32])
    response: HttpResponseBase | None = get_conditional_response(request, etag=etag)
    if response is None:
        response = _file(dataset, fmt)
    response["ETag"] = etag
    return mark_public(response, max_age=300)


def _file(dataset: Dataset, fmt: str) -> HttpResponseBase:
    content_type = formats.FORMATS[fmt] + ("; charset=utf-8" if fmt != "xlsx" else "")
    if fmt == "xlsx":
        file = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
        formats.write_xlsx(dataset, file)
        file.seek(0)
        response: HttpResponseBase = FileResponse(
            file, filename=f"{dataset.slug}.xlsx", content_type=content_type
        )
    else:
        chunks = formats.csv_chunks(dataset) if fmt == "csv" else formats.json_chunks(dataset)
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{dataset.slug}.{fmt}"'
    return response
