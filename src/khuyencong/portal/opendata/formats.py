"""A dataset written as CSV (UTF-8, header row), JSON (an array of objects), .xlsx, and
described as a Frictionless data package and as DCAT JSON-LD. CSV and JSON are produced row
by row (streamed); the .xlsx goes through the write-only ``core.xlsx.ListWriter``."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from khuyencong.core.xlsx import ListWriter

from .datasets import DATASETS, Dataset

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
FORMATS = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


def csv_chunks(dataset: Dataset) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f.name for f in dataset.fields])
    for count, row in enumerate(dataset.rows(), start=1):
        writer.writerow(["" if v is None else _plain(v) for v in row])
        if count % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _json_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "number":
        return float(value) if isinstance(value, Decimal) else value
    return _plain(value)


def json_chunks(dataset: Dataset) -> Iterator[bytes]:
    names = [(f.name, f.type) for f in dataset.fields]
    yield b"["
    for count, row in enumerate(dataset.rows()):
        record = {name: _json_value(v, kind) for (name, kind), v in zip(names, row, strict=True)}
        yield (b",\n" if count else b"\n") + json.dumps(record, ensure_ascii=False).encode()
    yield b"\n]\n"


def write_xlsx(dataset: Dataset, out: BinaryIO) -> None:
    money = frozenset(i for i, f in enumerate(dataset.fields) if f.name.endswith("_dong"))
    text = frozenset(i for i, f in enumerate(dataset.fields) if f.name.startswith("ma_"))
    writer = ListWriter(
        dataset.slug[:31],
        [f.name for f in dataset.fields],
        [max(12.0, min(40.0, len(str(f.title)) * 1.2)) for f in dataset.fields],
        money=money,
        text=text,
    )
    for row in dataset.rows():
        writer.append([("" if v is None else v) for v in row])
    writer.save(out)


def _schema(dataset: Dataset) -> dict[str, Any]:
    return {
        "fields": [{"name": f.name, "type": f.type, "title": str(f.title)} for f in dataset.fields],
    }


def datapackage(dataset: Dataset) -> dict[str, Any]:
    """Frictionless Data Package: the CSV and the .xlsx, each with the typed schema. Paths are
    relative to the package's own address (``/du-lieu-mo/<slug>/``)."""
    return {
        "name": dataset.slug,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "licenses": [LICENCE],
        "homepage": settings.SITE_URL.rstrip("/") + "/du-lieu-mo/",
        "resources": [
            {
                "name": f"{dataset.slug}-{fmt}",
                "path": f"{dataset.slug}.{fmt}",
                "format": fmt,
                "mediatype": FORMATS[fmt],
                **({"encoding": "utf-8"} if fmt == "csv" else {}),
                "schema": _schema(dataset),
            }
            for fmt in ("csv", "xlsx")
        ],
    }


def _publisher() -> dict[str, Any]:
    return {"@type": "foaf:Organization", "foaf:name": _("Khuyến công số")}


def dcat_dataset(dataset: Dataset, base: str) -> dict[str, Any]:
    folder = f"{base}/du-lieu-mo/{dataset.slug}/"
    return {
        "@id": folder,
        "@type": "dcat:Dataset",
        "dct:title": str(dataset.title),
        "dct:description": str(dataset.description),
        "dct:license": {"@id": LICENCE["path"]},
        "dct:publisher": _publisher(),
        "dct:modified": {"@value": dataset.modified().isoformat(), "@type": "xsd:date"},
        "dct:language": "vi",
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dcat:downloadURL": {"@id": f"{folder}{dataset.slug}.{fmt}"},
                "dcat:mediaType": FORMATS[fmt],
                "dct:license": {"@id": LICENCE["path"]},
            }
            for fmt in FORMATS
        ]
        + [
            {
                "@type": "dcat:Distribution",
                "dcat:downloadURL": {"@id": f"{folder}datapackage.json"},
                "dcat:mediaType": "application/json",
                "dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/data-package/"},
            }
        ],
    }


CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def dcat_catalogue(base: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@id": f"{base}/du-lieu-mo/",
        "@type": "dcat:Catalog",
        "dct:title": _("Dữ liệu mở khuyến công"),
        "dct:license": {"@id": LICENCE["path"]},
        "dct:publisher": _publisher(),
        "dcat:dataset": [dcat_dataset(d, base) for d in DATASETS],
    }
