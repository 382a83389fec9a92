"""Small bar charts drawn on the server as SVG: no chart library in the browser, nothing to run there.

A chart is an `<svg role="img">` with a `<title>` (and a `<desc>` naming the table that holds its numbers);
the page always shows that table beside it. Colours come from app.css classes (the CSP forbids inline
styles); every piece of text is escaped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 80
BAR_HEIGHT = 16
GAP = 10
LEGEND_HEIGHT = 26
MAX_LABEL_CHARS = 28
_ids = itertools.count(1)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float]]],
    *,
    number: Callable[[int | float], str] = str,
    description: str = "",
) -> Markup:
    """Horizontal bars, one row per label, one bar per series (at most 2 read well; the legend names them).

    `number` formats the values written at the end of each bar (e.g. Formatter.number)."""
    chart_id = f"chart-{next(_ids)}"
    legend = len(series) > 1
    top = LEGEND_HEIGHT if legend else 4
    row_height = BAR_HEIGHT * len(series) + GAP
    height = top + row_height * max(len(labels), 1) + 4
    largest = max((v for _, values in series for v in values), default=0) or 1
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    if legend:
        x = LABEL_WIDTH
        for i, (name, _) in enumerate(series):
            parts.append(f'<rect class="chart-bar chart-bar-{i + 1}" x="{x}" y="6" width="12" height="12"/>')
            parts.append(f'<text class="chart-legend" x="{x + 18}" y="16">{escape(name)}</text>')
            x += 30 + 8 * len(name)
    if not labels:
        parts.append("</svg>")
        return Markup("".join(parts))
    for row, label in enumerate(labels):
        y = top + row * row_height
        middle = y + (BAR_HEIGHT * len(series)) / 2
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{middle:.1f}" dominant-baseline="middle"'
            f' text-anchor="end">{escape(_short(label))}</text>'
        )
        for i, (_, values) in enumerate(series):
            value = values[row] if row < len(values) else 0
            width = max(0.0, bar_area * float(value) / largest)
            bar_y = y + i * BAR_HEIGHT
            parts.append(
                f'<rect class="chart-bar chart-bar-{i + 1}" x="{LABEL_WIDTH}" y="{bar_y + 1}"'
                f' width="{width:.1f}" height="{BAR_HEIGHT - 2}"/>'
            )
            parts.append(
                f'<text class="chart-value" x="{LABEL_WIDTH + width + 4:.1f}" y="{bar_y + BAR_HEIGHT / 2:.1f}"'
                f' dominant-baseline="middle">{escape(number(value))}</text>'
            )
    parts.append(f'<line class="chart-axis" x1="{LABEL_WIDTH}" y1="{top - 2}" x2="{LABEL_WIDTH}" y2="{height - 2}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
