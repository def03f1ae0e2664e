"""Cursor pagination (phân trang theo con trỏ): stable under inserts, no count, one index
range per page — what a big list and a sync need. A view names its order in
``cursor_ordering`` (the index order of its list)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("pk",)

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        return tuple(getattr(view, "cursor_ordering", self.ordering))
