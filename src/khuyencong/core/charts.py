"""Small server-side SVG charts (biểu đồ): no JavaScript library, no CDN, readable on paper.

Amounts are integer đồng; labels show triệu đồng the Vietnamese way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from .formatting import format_million

PALETTE = ("#8b1a1a", "#d98c1a", "#2f6f8f", "#5a8f2f", "#7a4f9a")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]


def stacked_columns(
    categories: Sequence[str], series: Sequence[Series], *, title: str, height: int = 260
) -> str:
    """Stacked columns, one per category (e.g. years), one colour per series (e.g. funds)."""
    width = max(320, 90 * len(categories) + 80)
    top, bottom, left = 30, 40, 10
    plot_h = height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = max(totals, default=0) or 1
    parts = [_open(width, height, title)]
    bar_w = 50
    for i, category in enumerate(categories):
        x = left + 40 + i * 90
        y: float = top + plot_h
        for k, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / peak
            y -= h
            tip = f"{s.label} {category}: {format_million(value)}"
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar_w}" height="{h:.1f}" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(tip)}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'font-size="12">{escape(category)}</text>'
            f'<text x="{x + bar_w / 2}" y="{y - 4:.1f}" text-anchor="middle" font-size="11">'
            f"{escape(format_million(totals[i], unit=False))}</text>"
        )
    parts.append(_legend(series, left + 40, height - 8))
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    title: str,
    value_text: Callable[[int], str] | None = None,
) -> str:
    """One bar per label (e.g. content groups), sized by amount (``value_text`` writes a
    value that is not money, e.g. a count)."""
    tip_text = value_text or format_million
    bar_text = value_text or (lambda value: format_million(value, unit=False))
    # Roughly 7 px a character at 12 px: wide enough for the longest label.
    row_h, bar_max = 26, 260
    label_w = 16 + 7 * max((len(label) for label in labels), default=10)
    height = 30 + row_h * len(labels) + 10
    width = label_w + bar_max + 120
    peak = max(values, default=0) or 1
    parts = [_open(width, height, title)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 30 + i * row_h
        w = bar_max * value / peak
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(tip_text(value))}'
            f"</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="11">'
            f"{escape(bar_text(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="chart" role="img" aria-label="{escape(title)}" '
        f'font-family="system-ui, sans-serif"><title>{escape(title)}</title>'
        f'<text x="10" y="18" font-size="13" font-weight="600">{escape(title)}</text>'
    )


def _legend(series: Sequence[Series], x: int, y: int) -> str:
    items = []
    for k, s in enumerate(series):
        items.append(
            f'<rect x="{x + k * 120}" y="{y - 10}" width="12" height="12" '
            f'fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{x + k * 120 + 16}" y="{y}" font-size="12">{escape(s.label)}</text>'
        )
    return "".join(items)
