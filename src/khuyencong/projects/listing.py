"""The project list's filters as read from a query string, and its export (``core.exports``):
one reading for the list page, its export and the background export job, so the three never
diverge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from khuyencong.core import http
from khuyencong.core.exports import ExportPlan
from khuyencong.geo import picker
from khuyencong.geo.models import UnitLevel

from . import exporting, selectors
from .models import ProjectFund, ProjectStatus


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@dataclass(frozen=True)
class ListFilters:
    """The list's filters as typed in the query string (``raw``, shown back in the form) and
    as the selector takes them (unknown statuses and funds are ignored, a year is digits)."""

    raw: dict[str, Any]
    selector: dict[str, Any]


def list_filters(user: Any, query: QueryDict) -> ListFilters:
    status = query.get("trang_thai", "")
    fund = query.get("nguon", "")
    commune = picker.filter_unit(user, query.get("xa", ""), level=UnitLevel.COMMUNE)
    raw = {
        "status": status,
        "fund": fund,
        "year": query.get("nam", ""),
        "commune": commune,
        "search": query.get("q", ""),
        "line": query.get("dong", ""),
    }
    selector = {
        "status": status
        if status in ProjectStatus.values or status == selectors.SUPPORTED_STATUS
        else "",
        "fund": fund if fund in ProjectFund.values else "",
        "year": _int(query.get("nam")),
        "commune_code": commune.code,
        "search": raw["search"],
        "line_id": _int(query.get("dong")),
    }
    return ListFilters(raw=raw, selector=selector)


def export_plan(user: Any, query: QueryDict, fmt: str = "xlsx") -> ExportPlan:
    """Xuất Excel the projects the list shows with the same filters (all pages, same order)."""
    filters = list_filters(user, query).selector
    return ExportPlan(
        found=selectors.projects(user, **filters),
        rows=lambda: selectors.export_rows(user, limit=exporting.MAX_ROWS, **filters),
        write=lambda rows, out: exporting.projects_xlsx_writer(rows).save(out),
        filename=exporting.filename(timezone.localdate()),
        content_type=http.XLSX,
    )
