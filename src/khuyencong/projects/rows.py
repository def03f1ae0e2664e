"""The project list's table rows written once a page in Python (issue 11, growth).

The list's rows are prepared as the template prints them (``selectors.labelled_project_rows``);
even so, the template engine's loop cost ~100 µs a row (thirteen variable lookups, each
escaped), and a title search shows 50 rows at scale 1.0 against ~11 at 0.01 — the largest part
of the national search's growth (14 → 26 ms p95, quiet paired run of 5 December 2026). Here a
row costs a few µs. Every text is escaped as the template escaped it (``html.escape`` is what
Django's ``escape`` calls); the HTML is the template's, byte for byte (the list's pinned rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def table_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """The ``<tr>`` of each labelled row, as ``projects/project_list.html`` wrote them."""
    demo = f" · {escape(_('dữ liệu mẫu'))}"
    written = []
    for p in rows:
        link = escape(p["link"])
        written.append(
            f'<tr>\n    <td class="small text-nowrap"><a href="{link}">{escape(p["code"])}</a>'
            "</td>\n"
            f'    <td><a href="{link}">{escape(p["title"])}</a><div class="small text-muted">'
            f"{escape(str(p['kind_label']))}{demo if p['is_demo'] else ''}</div></td>\n"
            f"    <td>{escape(str(p['unit_name']))}</td><td>{escape(p['location_name'])}</td>\n"
            f"    <td>{escape(str(p['fund_label']))}</td><td>{escape(p['year'])}</td>\n"
            f'    <td class="table-num">{escape(p["support"])}</td>\n'
            f'    <td class="table-num">{escape(p["approved"])}</td>\n'
            f'    <td><span class="badge {escape(p["badge"])}">{escape(str(p["status_label"]))}'
            "</span></td></tr>\n  "
        )
    # Safe: every text above is escaped.
    return mark_safe("".join(written))
