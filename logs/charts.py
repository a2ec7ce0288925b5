"""Server-rendered SVG charts: the learner's activity heatmap and the cohort's bar chart.

Pure: plain data in (every label, title and link already worded and translated by the caller),
an SVG string out. Every text and attribute is escaped here, so a caller cannot inject markup
through a title. Colours come from classes styled in camplog.css (light and dark mode), never
from inline styles, which the Content-Security-Policy forbids. No JavaScript: tooltips are SVG
<title> elements and cells are links.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _role(urls) -> str:
    """An image, unless its parts are links: an image's parts are hidden from assistive
    technology, so links in one would be unreachable ("nested-interactive")."""
    return "group" if any(urls) else "img"


# --- Heatmap --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    """One day of the heatmap. `level` is 0 (nothing) to 4; `state` is "learning", "off" (a
    weekend or holiday) or "outside" (before the start, after the end, or still to come)."""

    title: str
    level: int = 0
    state: str = "learning"
    url: str = ""


CELL = 13
GAP = 3
STEP = CELL + GAP


def heatmap_svg(
    columns: Sequence[Sequence[HeatCell | None]],
    column_labels: Sequence[str],
    row_labels: Sequence[str],
    title: str,
    description: str = "",
) -> SafeString:
    """A GitHub-style grid: one column per week, one row per weekday (Monday first).

    `columns[i][j]` is the cell of week i, weekday j (None leaves it empty); `column_labels[i]`
    is printed above week i when non-empty; `row_labels[j]` beside weekday j when non-empty.
    """
    left, top = 22, 18
    width = left + len(columns) * STEP
    height = top + len(row_labels) * STEP
    role = _role(cell.url for column in columns for cell in column if cell is not None)
    parts = [
        f'<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{role}" aria-labelledby="heatmap-title'
        f'{" heatmap-desc" if description else ""}">',
        f'<title id="heatmap-title">{_e(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="heatmap-desc">{_e(description)}</desc>')
    for j, label in enumerate(row_labels):
        if label:
            y = top + j * STEP + CELL - 2
            parts.append(f'<text class="chart-label" x="0" y="{y}">{_e(label)}</text>')
    for i, label in enumerate(column_labels):
        if label:
            parts.append(
                f'<text class="chart-label" x="{left + i * STEP}" y="{top - 6}">{_e(label)}</text>'
            )
    for i, column in enumerate(columns):
        for j, cell in enumerate(column):
            if cell is None:
                continue
            level = max(0, min(4, cell.level))
            rect = (
                f'<rect class="hm-cell hm-{_e(cell.state)} hm-level-{level}" '
                f'x="{left + i * STEP}" y="{top + j * STEP}" width="{CELL}" height="{CELL}" '
                f'rx="2"><title>{_e(cell.title)}</title></rect>'
            )
            parts.append(f'<a href="{_e(cell.url)}">{rect}</a>' if cell.url else rect)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def heat_level(count: int) -> int:
    """0 for no entry; then 1, 2, 3, and 4 for four or more entries on a day."""
    return max(0, min(4, count))


# --- Bar chart ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    value: int
    title: str  # the tooltip, e.g. "2022-02-09 · Day 015 · 12 logs"
    label: str = ""  # printed under the bar when non-empty (e.g. the week at its first day)
    url: str = ""
    highlight: bool = False


LABEL_GAP = 26  # the room a label needs: the next one starts at least this far to the right


def bar_chart_svg(
    bars: Sequence[Bar], title: str, description: str = "", chart_id: str = "bars"
) -> SafeString:
    """Vertical bars with a baseline, a few horizontal grid lines and labels under the bars."""
    bar_w, gap = 8, 3
    left, right, top, bottom = 30, 6, 10, 22
    plot_h = 140
    width = left + max(1, len(bars)) * (bar_w + gap) + right
    height = top + plot_h + bottom
    peak = max((bar.value for bar in bars), default=0)
    scale_max = _nice_ceiling(peak)
    ids = f"{_e(chart_id)}-title" + (f" {_e(chart_id)}-desc" if description else "")
    parts = [
        f'<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="{_role(b.url for b in bars)}" '
        f'aria-labelledby="{ids}" '
        'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{_e(chart_id)}-desc">{_e(description)}</desc>')
    for step in range(5):
        value = scale_max * step // 4
        y = top + plot_h - (plot_h * step // 4)
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - right}" y1="{y}" y2="{y}"/>'
            f'<text class="chart-label" x="{left - 4}" y="{y + 3}" text-anchor="end">{value}</text>'
        )
    labelled = [i for i, bar in enumerate(bars) if bar.label]
    following = dict(pairwise(labelled))
    last_label_x = -1000
    for i, bar in enumerate(bars):
        x = left + i * (bar_w + gap)
        h = round(plot_h * bar.value / scale_max) if scale_max else 0
        if bar.value and h < 2:
            h = 2
        cls = "chart-bar is-highlight" if bar.highlight else "chart-bar"
        # The hit area covers the whole column, so a zero bar still has a tooltip and a link.
        rect = (
            f'<g class="{cls}"><rect class="chart-hit" x="{x}" y="{top}" width="{bar_w}" '
            f'height="{plot_h}"/><rect class="chart-fill" x="{x}" y="{top + plot_h - h}" '
            f'width="{bar_w}" height="{h}" rx="1"/><title>{_e(bar.title)}</title></g>'
        )
        parts.append(f'<a href="{_e(bar.url)}">{rect}</a>' if bar.url else rect)
        # A label too close to the previous one (after a week of one or two learning days)
        # moves right; it is left out only if that would take it past its own bars.
        if bar.label:
            label_x = max(x, last_label_x + LABEL_GAP)
            run_end = left + following[i] * (bar_w + gap) if i in following else width
            if label_x < run_end:
                last_label_x = label_x
                parts.append(
                    f'<text class="chart-label" x="{label_x}" y="{top + plot_h + 15}">'
                    f"{_e(bar.label)}</text>"
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _nice_ceiling(value: int) -> int:
    """The smallest of 4, 8, 12, 20, 40, 80, 100, 200, … that is ≥ value: four even grid steps."""
    if value <= 0:
        return 4
    magnitude = 1
    while True:
        for factor in (4, 8, 12, 20):
            if factor * magnitude >= value:
                return factor * magnitude
        magnitude *= 10
