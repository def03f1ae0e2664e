"""The project list's table rows, written in one pass from the rows read as dicts (issue 11,
growth).

A title search shows ~50 rows at scale 1.0 against ~12 at 0.01: what a row costs is what the
page's time grows by. Through the template's loop a row cost ~175 µs; in two passes of Python
(each row's cells labelled into its dict, then written) ~12 µs; here ~5.7 µs (timeit over the
51 rows of the national search 'tho cam' at 1.0, docs/bench/projrows-2026-12-05.md). What is
the same for every row is done once a page: the labels translated (kind, status, fund), the
detail URL reversed (``urlcache.around_id``), "dữ liệu mẫu" escaped; a cell a page repeats (a
province, a place, an amount) is written at its first row and looked up at the next. The HTML
is the template's, byte for byte (the list's pinned rows, vi and en): every text is escaped as
the template escaped it (``html.escape`` is what Django's ``escape`` calls).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from khuyencong.core import urlcache
from khuyencong.core.formatting import format_million
from khuyencong.core.rows import labels
from khuyencong.core.templatetags import badges

from . import rules
from .models import Project, ProjectKind, ProjectStatus

#: What a row shows for a missing place or approved amount.
NONE_SHOWN = "—"


class _Cells(dict[Any, str]):
    """A cell's HTML for each value, written by ``write`` at the value's first row of the page
    and looked up at the next ones (a dict lookup where it hits)."""

    def __init__(self, write: Callable[[Any], str]) -> None:
        super().__init__()
        self.write = write

    def __missing__(self, value: Any) -> str:
        html = self[value] = self.write(value)
        return html


def _text(value: Any) -> str:
    return escape(str(value))


def _amount(amount: int) -> str:
    # Digits, "." and "," (triệu đồng as ``trieu:""`` prints them): nothing to escape.
    return format_million(amount, unit=False)


def table_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The ``<tr>`` of each row of ``selectors.project_rows``, as
    ``projects/project_list.html`` wrote them."""
    kind_labels = labels(ProjectKind.choices)
    kinds = _Cells(lambda kind: _text(kind_labels.get(kind, kind)))
    status_labels = labels(ProjectStatus.choices)
    styles, other = badges.STYLES["projects"]
    statuses = _Cells(
        lambda status: (
            f'<span class="badge {escape(styles.get(status, other))}">'
            f"{_text(status_labels.get(status, status))}</span>"
        )
    )
    funds = _Cells(lambda fund: _text(rules.fund_label(fund)))
    units = _Cells(_text)
    places = _Cells(_text)
    places[None] = places[""] = NONE_SHOWN
    supports = _Cells(_amount)
    approved = _Cells(_amount)
    approved[0] = NONE_SHOWN
    demo = f" · {escape(_('dữ liệu mẫu'))}"
    # The id is an int: it goes into the link as digits, unescaped (as into the code).
    before, after = (escape(text) for text in urlcache.around_id("projects:project_detail"))
    code_of = Project.code_of
    # Unescaped: the code (ĐA-, the year, the id: digits), the year and the ids (ints);
    # everything else is escaped above or here (the title: each row its own).
    written = [
        f'<tr>\n    <td class="small text-nowrap"><a href="{before}{p["pk"]}{after}">'
        f"{code_of(p['plan_year'], p['pk'])}</a></td>\n"
        f'    <td><a href="{before}{p["pk"]}{after}">{escape(p["title"])}</a>'
        f'<div class="small text-muted">{kinds[p["kind"]]}{demo if p["is_demo"] else ""}'
        "</div></td>\n"
        f"    <td>{units[p['unit_name']]}</td><td>{places[p['location_name']]}</td>\n"
        f"    <td>{funds[p['fund']]}</td><td>{p['plan_year']}</td>\n"
        f'    <td class="table-num">{supports[p["support_kcqg"] + p["support_kcdp"]]}</td>\n'
        f'    <td class="table-num">{approved[p["approved_kcqg"] + p["approved_kcdp"]]}</td>\n'
        f"    <td>{statuses[p['status']]}</td></tr>\n  "
        for p in rows
    ]
    # Safe: every text above is escaped.
    return mark_safe("".join(written))
