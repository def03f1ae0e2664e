"""The dashboard's two long tables written as HTML once a page (issue 11: CPU per request).

The indicators (with their breakdown keys, ~60 rows) and the lower units (a province's ~150
communes) cost ~14 ms of the template engine at scale 1.0 — a variable lookup, a filter chain,
a ``{% url %}`` and an escape per cell, in the largest block of CPU of the load mix. Here each
row is one f-string: its links' common part built once a table, the labels translated once a
page, every text escaped (``html.escape`` escapes as Django's ``escape`` does). The pages are
pinned cell by cell (``tests/test_pinned_pages.py``, ``test_pages``); the template keeps the
tables' frame and headers.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_number
from khuyencong.geo.models import UnitLevel

from . import display

if TYPE_CHECKING:
    from .dashboard import Board, IndicatorRow
    from .models import Indicator


def indicator_rows(result: Board, rows: list[IndicatorRow], shown: Indicator) -> SafeString:
    """The ``<tr>`` of each indicator and of each of its breakdown keys."""
    period, area = escape(result.period.code), result.area.pk
    own = "" if result.area.level == UnitLevel.NATIONAL else f"&amp;don_vi={area}"
    reported = escape(reverse("reporting:reported"))
    records = escape(reverse("reporting:records"))
    by_hand = escape(_("nhập tay"))
    differs = escape(_("chênh lệch"))
    differs_title = escape(_("Số liệu hệ thống khác số liệu báo cáo"))
    html: list[str] = []
    for row in rows:
        indicator, cell = row.indicator, row.cell
        code = escape(indicator.code)
        computed = bool(indicator.computation)
        query = f"?ky={period}&amp;chi_tieu={code}&amp;don_vi={area}"
        active = ' class="table-active"' if indicator.code == shown.code else ""
        text = display.figure_text
        reported_cell = (
            f'<a href="{reported}{query}">{escape(text(cell.reported, indicator))}</a>'
            if cell.reported
            else "—"
        )
        live_cell = (
            f'<a href="{records}{query}">{escape(text(cell.live, indicator))}</a>'
            if computed
            else f'<span class="text-muted">{by_hand}</span>'
        )
        share = row.share_of_target
        badge = (
            f'<span class="badge text-bg-warning" title="{differs_title}">'
            f"{differs} {format_number(cell.difference)}</span>"
            if computed and cell.differs
            else ""
        )
        html.append(
            f'<tr id="dong-{code}"{active}>\n'
            f'    <td><a href="?ky={period}&amp;chi_tieu={code}{own}">'
            f"{escape(indicator.shown_label)}</a> "
            f'<span class="small text-muted">({escape(indicator.shown_unit)})</span></td>\n'
            f'    <td class="text-end">{format_number(row.target) or "—"}</td>\n'
            f'    <td class="text-end">{reported_cell}</td>\n'
            f'    <td class="text-end">{live_cell}</td>\n'
            f'    <td class="text-end">'
            f"{'' if share is None else format_number(share) + ' %'}</td>\n"
            f"    <td>{badge}</td></tr>\n"
        )
        for key, part in row.keys:
            key_query = f"{query}&amp;phan_to={escape(key)}"
            reported_cell = (
                f'<a href="{reported}{key_query}">{escape(text(part.reported, indicator))}</a>'
                if part.reported
                else "—"
            )
            live = escape(text(part.live, indicator))
            live_cell = (
                f'<a href="{records}{key_query}">{live}</a>' if computed and part.live else live
            )
            html.append(
                f'    <tr class="small text-muted phan-to" data-phan-to="{escape(key)}">'
                f'<td class="ps-4">— {escape(display.key_label(key))}</td><td></td>'
                f'<td class="text-end">{reported_cell}</td>'
                f'<td class="text-end">{live_cell}</td><td></td><td></td></tr>'
            )
        html.append("\n  ")
    return mark_safe("".join(html))  # every text in it is escaped above


def unit_rows(result: Board, indicator: Indicator) -> SafeString:
    """The ``<tr>`` of each lower unit: its name (to its own dashboard from the nation's), its
    figure by report and by the system (to what each sums) and the difference."""
    from .dashboard import by_unit

    query = escape(f"?ky={result.period.code}&chi_tieu={indicator.code}&don_vi=")
    computed = bool(indicator.computation)
    drill = result.area.level == UnitLevel.NATIONAL
    reported = escape(reverse("reporting:reported")) + query
    records = escape(reverse("reporting:records")) + query
    differs = escape(_("chênh lệch"))
    text = display.figure_text
    html: list[str] = []
    for unit, cell in by_unit(result, indicator.code):
        pk, name = unit.pk, escape(unit.name)
        live = escape(text(cell.live, indicator))
        if drill:
            name = f'<a href="{query}{pk}">{name}</a>'
        if computed:
            live = f'<a href="{records}{pk}">{live}</a>'
        by_report = (
            f'<a href="{reported}{pk}">{escape(text(cell.reported, indicator))}</a>'
            if cell.reported
            else "—"
        )
        badge = (
            f'<span class="badge text-bg-warning">{differs} {format_number(cell.difference)}</span>'
            if computed and cell.differs
            else ""
        )
        # The whitespace of the template these rows were (test_pages pins it).
        html.append(
            f"<tr>\n    <td>{name}</td>\n"
            f'    <td class="text-end">{by_report}</td>\n'
            f'    <td class="text-end">{live}</td>\n'
            f"    <td>{badge}</td></tr>"
        )
    return mark_safe("".join(html))  # every text in it is escaped above
