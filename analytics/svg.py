"""Charts drawn on the server as inline SVG: no JavaScript, no chart library, no CDN.

Each chart carries a <title> and <desc> (named by aria-labelledby) and draws with
presentation attributes only, which the site's Content-Security-Policy allows (it
forbids inline style). Widths are in viewBox units, so a chart scales to the column
it sits in; the sizes are chosen to stay legible on a 360-pixel-wide phone. The numbers
are always also in a table beside the chart, for screen readers and for copying.
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe palette: Okabe–Ito, then Paul Tol's muted scheme, so that even the
# twelve stages of an application get distinct colours.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#882255",
    "#44AA99",
    "#999933",
    "#332288",
]
INK = "#1f2937"
GRID = "#d1d5db"
MUTED = "#6b7280"
FONT = 'font-family="system-ui, sans-serif"'

_ids = itertools.count(1)


@dataclass
class Series:
    name: str
    values: Sequence[float]
    color: str = ""


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:.1f}"


def _nice_max(value: float, ticks: int = 4) -> float:
    """A round axis maximum at or above `value`, split into `ticks` whole round steps."""
    if value <= 0:
        return ticks
    raw = value / ticks
    exponent = 10 ** math.floor(math.log10(raw))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        value_step = step * exponent
        if raw <= value_step and value_step == int(value_step):  # whole numbers on the axis
            return value_step * ticks
    return 10 * exponent * ticks


def _open(width: int, height: int, title: str, desc: str) -> tuple[list[str], str]:
    uid = f"chart{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" class="chart" {FONT}>',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    return parts, uid


def _legend_layout(series: Sequence[Series], width: int) -> list[tuple[int, int]]:
    """(x, row) of each legend entry, wrapping at the chart's width."""
    x, row, places = 8, 0, []
    for item in series:
        item_width = 22 + 7 * len(item.name)
        if x + item_width > width and x > 8:
            x, row = 8, row + 1
        places.append((x, row))
        x += item_width
    return places


def _legend(parts: list[str], series: Sequence[Series], y: int, width: int) -> None:
    for item, (x, row) in zip(series, _legend_layout(series, width), strict=True):
        top = y + row * 18
        parts.append(f'<rect x="{x}" y="{top}" width="12" height="12" fill="{item.color}"/>')
        parts.append(
            f'<text x="{x + 16}" y="{top + 10}" font-size="12" fill="{INK}">'
            f"{escape(item.name)}</text>"
        )


def column_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    stacked: bool = True,
    width: int = 340,
    height: int = 220,
) -> SafeString:
    """Columns per category (months), one colour per series, stacked or side by side."""
    for index, item in enumerate(series):
        item.color = item.color or PALETTE[index % len(PALETTE)]
    left, right, top, bottom = 44, 8, 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [
        sum(item.values[i] for item in series)
        if stacked
        else max((item.values[i] for item in series), default=0)
        for i in range(len(categories))
    ]
    top_value = _nice_max(max(totals, default=0))
    legend_rows = 1 + max((row for _x, row in _legend_layout(series, width)), default=0)
    total_height = height + (legend_rows * 18 + 6 if len(series) > 1 else 0)
    parts, _uid = _open(width, total_height, title, desc)

    for step in range(5):  # grid lines and the value axis
        value = top_value * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="{MUTED}">{_fmt(value)}</text>'
        )
    count = max(len(categories), 1)
    slot = plot_w / count
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    label_every = max(1, math.ceil(count / 8))  # at most ~8 labels: legible on a phone
    for i, category in enumerate(categories):
        x0 = left + slot * i + slot * 0.15
        base = 0.0
        for index, item in enumerate(series):
            value = item.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top_value
            x = x0 if stacked else x0 + bar_w * index
            y = top + plot_h - plot_h * base / top_value - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{item.color}"><title>{escape(category)} · {escape(item.name)}: '
                f"{_fmt(value)}</title></rect>"
            )
            if stacked:
                base += value
        if i % label_every == 0:
            parts.append(
                f'<text x="{left + slot * i + slot / 2:.1f}" y="{top + plot_h + 16}" '
                f'font-size="12" text-anchor="middle" fill="{INK}">{escape(category)}</text>'
            )
    if len(series) > 1:
        _legend(parts, series, height, width)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    width: int = 340,
    value_suffix: str = "",
    max_value: float | None = None,
    shown: Sequence[str] | None = None,
) -> SafeString:
    """Horizontal bars, one row per label (long names stay readable on a phone: the label
    sits above its bar). Several series stack within a row."""
    for index, item in enumerate(series):
        item.color = item.color or PALETTE[index % len(PALETTE)]
    row_h, left, right = 34, 8, 84
    plot_w = width - left - right
    totals = [sum(item.values[i] for item in series) for i in range(len(labels))]
    top_value = max_value or max(totals, default=0) or 1
    legend_rows = 1 + max((row for _x, row in _legend_layout(series, width)), default=0)
    legend_h = legend_rows * 18 + 6 if len(series) > 1 else 0
    height = row_h * max(len(labels), 1) + 6 + legend_h
    parts, _uid = _open(width, height, title, desc)
    for i, label in enumerate(labels):
        y = row_h * i + 4
        # Long names are cut to fit the width; the full name is in the tooltip and table.
        room = (width - left) // 7
        short = label if len(label) <= room else label[: room - 1] + "…"
        parts.append(
            f'<text x="{left}" y="{y + 11}" font-size="12" fill="{INK}">{escape(short)}'
            f"<title>{escape(label)}</title></text>"
        )
        parts.append(
            f'<rect x="{left}" y="{y + 15}" width="{plot_w}" height="12" fill="{GRID}" '
            'fill-opacity="0.4"/>'
        )
        base = 0.0
        for item in series:
            value = item.values[i]
            if value <= 0:
                continue
            w = plot_w * min(value, top_value) / top_value
            parts.append(
                f'<rect x="{left + plot_w * base / top_value:.1f}" y="{y + 15}" '
                f'width="{max(w, 1):.1f}" height="12" fill="{item.color}"><title>'
                f"{escape(label)} · {escape(item.name)}: {_fmt(value)}</title></rect>"
            )
            base += min(value, top_value)
        text = shown[i] if shown else f"{_fmt(totals[i])}{value_suffix}"
        parts.append(
            f'<text x="{width - right + 4}" y="{y + 26}" font-size="12" fill="{INK}">'
            f"{escape(text)}</text>"
        )
    if len(series) > 1:
        _legend(parts, series, row_h * len(labels) + 8, width)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
