"""Charts for the staff console as inline SVG rendered on the server: no JavaScript, nothing loaded from a CDN.

Labels come from conversation data, so every piece of text is escaped. Sizes are in the viewBox, so a chart scales
to the width of its container.
"""
from __future__ import annotations

import math
from datetime import date
from html import escape
from typing import List, Sequence, Tuple

BAR_COLOUR = "#3b6ea5"
AXIS_COLOUR = "#888"
FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="#222"'
TITLE_HEIGHT = 28
MAX_LABEL_CHARACTERS = 28
DATE_LABELS = 6


def bar_chart(
    items: Sequence[Tuple[str, float]], title: str, *, width: int = 600, label_width: int = 200, bar_height: int = 20
) -> str:
    """Horizontal bars, one per labelled value in the order given: a ranking such as the top intents."""
    if not items:
        return _no_data(title, width)
    gap, value_width = 6, 60
    height = TITLE_HEIGHT + len(items) * (bar_height + gap)
    largest = max(value for _, value in items)
    scale = (width - label_width - value_width) / largest if largest > 0 else 0
    parts = _open(title, width, height, f"{len(items)} bars, largest {_number(largest)}")
    for row, (label, value) in enumerate(items):
        y = TITLE_HEIGHT + row * (bar_height + gap)
        middle = y + bar_height / 2
        length = max(value, 0) * scale
        parts += [
            f"<g><title>{escape(str(label))}: {_number(value)}</title>",
            f'<text x="{label_width - 8}" y="{middle:.1f}" text-anchor="end" dominant-baseline="middle">'
            f"{escape(_shorten(str(label)))}</text>",
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{BAR_COLOUR}"/>',
            f'<text x="{label_width + length + 6:.1f}" y="{middle:.1f}" dominant-baseline="middle">'
            f"{_number(value)}</text></g>",
        ]
    return "".join(parts + ["</svg>"])


def daily_chart(days: Sequence[Tuple[date, int]], title: str, *, width: int = 600, height: int = 200) -> str:
    """Vertical bars, one per day, with a few dates along the bottom and the day's maximum at the top."""
    if not days:
        return _no_data(title, width)
    left, bottom = 40, 22
    plot_width, plot_height = width - left, height - TITLE_HEIGHT - bottom
    base = TITLE_HEIGHT + plot_height
    peak_day, largest = max(days, key=lambda day_count: day_count[1])
    slot = plot_width / len(days)
    summary = f"{sum(count for _, count in days)} in {len(days)} days, most {largest} on {peak_day.isoformat()}"
    parts = _open(title, width, height, summary)
    parts += [
        f'<text x="{left - 6}" y="{TITLE_HEIGHT}" text-anchor="end" dominant-baseline="hanging">{largest}</text>',
        f'<text x="{left - 6}" y="{base}" text-anchor="end">0</text>',
        f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="{AXIS_COLOUR}"/>',
    ]
    for index, (day, count) in enumerate(days):
        bar = plot_height * count / largest if largest > 0 else 0
        parts.append(
            f'<rect x="{left + index * slot + slot * 0.1:.1f}" y="{base - bar:.1f}" width="{slot * 0.8:.1f}" '
            f'height="{bar:.1f}" fill="{BAR_COLOUR}"><title>{day.isoformat()}: {count}</title></rect>'
        )
    step = math.ceil(len(days) / DATE_LABELS)
    for index in range(0, len(days), step):
        day = days[index][0]
        parts.append(
            f'<text x="{left + (index + 0.5) * slot:.1f}" y="{height - 4}" text-anchor="middle">'
            f"{day:%b} {day.day}</text>"
        )
    return "".join(parts + ["</svg>"])


def _open(title: str, width: int, height: int, summary: str) -> List[str]:
    label = escape(title)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
        f'{FONT}><title>{label}</title><desc>{escape(summary)}</desc>',
        f'<text x="0" y="16" font-weight="bold">{label}</text>',
    ]


def _no_data(title: str, width: int) -> str:
    height = TITLE_HEIGHT + 30
    parts = _open(title, width, height, "No data")
    parts.append(
        f'<text x="{width / 2:.0f}" y="{TITLE_HEIGHT + 18}" text-anchor="middle" fill="{AXIS_COLOUR}">No data</text>'
    )
    return "".join(parts + ["</svg>"])


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARACTERS else label[: MAX_LABEL_CHARACTERS - 1] + "…"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
