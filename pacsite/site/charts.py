"""Charts drawn at build time as inline SVG: no library, no JavaScript.

Pure functions from plain numbers and dates to SVG text. Every chart has a
``<title>`` and ``<desc>`` (its text alternative) and pages show the same
figures in a table next to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html import escape

from markupsafe import Markup

from pacsite.i18n import ICONS
from pacsite.site.urls import slugify

CHAR_W = 6.2  # average glyph width at 11px, to truncate labels
# beyond ten years (a date far from the others, 2199 for 2029) the Gantt draws years, not months, and the
# lines keep a point every few months: no chart grows with the span (2 076 months made a 220 KB timeline)
MONTHS_DRAWN = 120
POINTS_DRAWN = 240
YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100)


@dataclass(frozen=True)
class GanttRow:
    """One line of the Gantt: a family header or a phase bar."""

    label: str
    start: date | None = None
    end: date | None = None
    status: str = "planned"
    late: bool = False
    href: str | None = None
    header: bool = False
    tooltip: str = ""


def _months(start: date, end: date) -> list[date]:
    first = date(start.year, start.month, 1)
    out = []
    while first <= end:
        out.append(first)
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return out


def _truncate(text: str, width: float) -> str:
    limit = max(4, int(width / CHAR_W))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _truncate_middle(text: str, width: float) -> str:
    """Shorten from the middle: titles of a template share their beginnings, not their ends."""
    limit = max(8, int(width / CHAR_W))
    if len(text) <= limit:
        return text
    head = limit // 2 - 1
    return text[:head].rstrip() + " … " + text[len(text) - (limit - head - 2):].lstrip()


def _ident(ident: str) -> str:
    """Keep a chart's id to the letters, digits and dashes an ``aria-labelledby`` list can hold.

    Callers make ids from names with ``pacsite.site.urls.element_id``; this is the
    last guard, so that no caller can put a quote or a space into the markup.
    """
    return ident if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", ident) else slugify(ident)


def gantt(
    rows: Sequence[GanttRow],
    today: date,
    month_label: Callable[[date, float], str],
    quarter_label: Callable[[date], str],
    title: str,
    description: str,
    today_label: str,
    late_label: str,
) -> Markup:
    """Draw a Gantt chart: quarters and months, a line at today, late bars marked."""
    dated = [r for r in rows if r.start and r.end]
    if not dated:
        return Markup("")
    start = min(r.start for r in dated if r.start)
    end = max(r.end for r in dated if r.end)
    start, end = min(start, today), max(end, today)
    months = _months(start, end)
    span_start = months[0]
    last = months[-1]
    span_end = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    total_days = (span_end - span_start).days
    label_w, chart_w, row_h = 300.0, 700.0, 24
    width = label_w + chart_w

    def x(day: date) -> float:
        return label_w + chart_w * (day - span_start).days / total_days

    month_w = chart_w / len(months)
    yearly = len(months) > MONTHS_DRAWN
    step = 1 if month_w >= 9 else 3  # below 9 px a column cannot hold even one letter
    quarter_w = chart_w * 3 / len(months)
    tx = x(today) + chart_w / total_days / 2
    anchor = "end" if tx > label_w + chart_w * 0.75 else "start"
    linked = any(r.href for r in rows)

    def block(index: int, block_rows: Sequence[GanttRow]) -> str:
        """One family (or the whole chart when there are no families): its own SVG on the common scale.

        Separate SVGs let a printed page break between families, never through a
        row, and each family keeps a month scale above it. The first block has
        the title, the quarters and the "as of" label.
        """
        first = index == 0
        top = 58 if first else 22
        month_y = 47 if first else 15
        height = top + row_h * len(block_rows) + (8 if index == len(blocks) - 1 else 2)
        if first:
            # with links to the phases it is a group of links (an image cannot hold them); the scales are decoration
            role = ('role="group" aria-labelledby="gantt-t" aria-describedby="gantt-d"' if linked
                    else 'role="img" aria-labelledby="gantt-t gantt-d"')
            head = f'<title id="gantt-t">{escape(title)}</title><desc id="gantt-d">{escape(description)}</desc>'
        else:
            name = escape(f"{title} — {block_rows[0].label}")
            role = f'role="group" aria-label="{name}"' if linked else f'role="img" aria-label="{name}"'
            head = ""
        parts = [
            f'<svg class="chart gantt" viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" '
            f'{role} xmlns="http://www.w3.org/2000/svg">', head, '<g aria-hidden="true">',
        ]
        if yearly:
            parts.extend(_year_scale(months, x, first, height))
        else:
            for m in months:
                if m.month % 3 == 1 or m == months[0]:
                    if first and (quarter_w >= 44 or m.month == 1):
                        parts.append(f'<text class="axis q" x="{x(m) + 3:.1f}" y="30">'
                                     f'{escape(quarter_label(m))}</text>')
                    parts.append(f'<line class="grid q" x1="{x(m):.1f}" y1="{18 if first else 2}" '
                                 f'x2="{x(m):.1f}" y2="{height}"/>')
            for i, m in enumerate(months):
                parts.append(f'<line class="grid" x1="{x(m):.1f}" y1="{34 if first else 2}" '
                             f'x2="{x(m):.1f}" y2="{height}"/>')
                if i % step == 0:
                    parts.append(f'<text class="axis" x="{x(m) + month_w * step / 2:.1f}" y="{month_y}" '
                                 f'text-anchor="middle">{escape(month_label(m, month_w * step))}</text>')
        parts.append("</g>")
        for n, row in enumerate(block_rows):
            parts.append(_gantt_row(row, top + n * row_h, row_h, width, label_w, chart_w, total_days, x, late_label))
        parts.append(f'<line class="today" x1="{tx:.1f}" y1="{4 if first else 0}" x2="{tx:.1f}" y2="{height}"/>')
        if first:
            parts.append(f'<text class="today-label" x="{tx + (-4 if anchor == "end" else 4):.1f}" y="13" '
                         f'text-anchor="{anchor}">{escape(today_label)}</text>')
        parts.append("</svg>")
        return "".join(parts)

    blocks: list[list[GanttRow]] = []
    for row in rows:
        if row.header or not blocks:
            blocks.append([])
        blocks[-1].append(row)
    return Markup("".join(block(i, b) for i, b in enumerate(blocks)))


def sampled(n: int, limit: int, keep: int | None = None) -> list[int]:
    """Indices of at most about ``limit`` of ``n`` evenly spaced points, with the last and ``keep`` (today)."""
    every = -(-n // limit)
    return [i for i in range(n) if i % every == 0 or i == n - 1 or i == keep]


def _year_scale(months: Sequence[date], x: Callable[[date], float], first: bool, height: int) -> list[str]:
    """A scale of years (every 1, 2, 5… so that at most 25 are drawn) for a Gantt of more than ten years."""
    years = [m for m in months if m.month == 1]
    every = next((k for k in YEAR_STEPS if len(years) / k <= 25), YEAR_STEPS[-1])
    parts = []
    for m in years:
        if m.year % every == 0:
            if first:
                parts.append(f'<text class="axis q" x="{x(m) + 3:.1f}" y="30">{m.year}</text>')
            parts.append(f'<line class="grid q" x1="{x(m):.1f}" y1="{18 if first else 2}" '
                         f'x2="{x(m):.1f}" y2="{height}"/>')
    return parts


def _gantt_row(row: GanttRow, y: int, row_h: int, width: float, label_w: float, chart_w: float,
               total_days: int, x: Callable[[date], float], late_label: str) -> str:
    """A family band, or a phase: its status sign, its title and its bar (a diamond for a one-day milestone)."""
    if row.header:
        return (f'<rect class="band" x="0" y="{y}" width="{width:.0f}" height="{row_h}"/>'
                f'<text class="family" x="4" y="{y + 15}">{escape(_truncate(row.label, width / 2))}</text>')
    label = escape(_truncate(row.label, label_w - 32))
    # the status as a sign as well as a colour; the whole title is the tooltip and the link's name
    tip = f"<title>{escape(row.tooltip or row.label)}</title>"
    status = escape(row.status)  # every attribute value is escaped, whatever it holds today
    sign = (f'<text class="sign {status}" x="10" y="{y + 16}" aria-hidden="true">'
            f'{escape(ICONS.get(row.status, ""))}</text>')
    bar = ""
    if row.start and row.end:
        css = f"bar {status}" + (" late" if row.late else "")
        if row.start == row.end:
            cx, cy = x(row.start) + chart_w / total_days / 2, y + row_h / 2
            bar = (f'<polygon class="{css} milestone" points="{cx:.1f},{cy - 7:.1f} {cx + 7:.1f},'
                   f'{cy:.1f} {cx:.1f},{cy + 7:.1f} {cx - 7:.1f},{cy:.1f}"/>')
        else:
            x1, x2 = x(row.start), x(row.end + timedelta(days=1))
            bar = (f'<rect class="{css}" x="{x1:.1f}" y="{y + 4}" width="{max(x2 - x1, 2):.1f}" '
                   f'height="{row_h - 8}" rx="3"/>')
        if row.late:  # after the bar; before it when the bar ends at the right edge; else the outline says it
            after, before = x(row.end + timedelta(days=1)) + 4, x(row.start) - 4
            room = CHAR_W * (len(late_label) + 3)
            if after + room <= width:
                bar += f'<text class="late-mark" x="{after:.1f}" y="{y + 15}">⚠ {escape(late_label)}</text>'
            elif before - room >= label_w:
                bar += (f'<text class="late-mark" x="{before:.1f}" y="{y + 15}" text-anchor="end">'
                        f'⚠ {escape(late_label)}</text>')
    content = f'{sign}<text class="label" x="26" y="{y + 15}">{label}</text>{bar}'
    if row.href:
        return f'<g><a href="{escape(row.href)}">{tip}{content}</a></g>'
    return f"<g>{tip}{content}</g>"


def bars(
    items: Sequence[tuple[str, Decimal, Decimal]],
    labels: tuple[str, str],
    money: object,
    title: str,
    description: str,
    ident: str = "bars",
) -> Markup:
    """Draw paired horizontal bars (planned, actual) per item."""
    if not items:
        return Markup("")
    ident = _ident(ident)
    fmt = money if callable(money) else str
    peak = max(max(p, a) for _, p, a in items) or Decimal(1)
    label_w, chart_w, row_h = 330.0, 470.0, 38
    width, height = label_w + chart_w + 200, 30 + row_h * len(items)
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>',
        f'<rect class="bar planned-fill" x="{label_w}" y="4" width="12" height="10"/>'
        f'<text class="axis" x="{label_w + 16}" y="13">{escape(labels[0])}</text>'
        f'<rect class="bar actual-fill" x="{label_w + 110}" y="4" width="12" height="10"/>'
        f'<text class="axis" x="{label_w + 126}" y="13">{escape(labels[1])}</text>',
    ]
    for i, (label, planned, actual) in enumerate(items):
        y = 24 + i * row_h
        wp = float(planned / peak) * chart_w
        wa = float(actual / peak) * chart_w
        parts.append(
            f'<g><title>{escape(label)} — {escape(labels[0])} {escape(fmt(planned))}, '
            f'{escape(labels[1])} {escape(fmt(actual))}</title>'
            f'<text class="label big" x="4" y="{y + 21}">{escape(_truncate_middle(label, (label_w - 8) * 0.8))}</text>'
            f'<rect class="bar planned-fill" x="{label_w}" y="{y + 2}" width="{wp:.1f}" height="14"/>'
            f'<rect class="bar actual-fill" x="{label_w}" y="{y + 18}" width="{wa:.1f}" height="14"/>'
            f'<text class="value" x="{label_w + max(wp, wa) + 6:.1f}" y="{y + 21}">'
            f"{escape(fmt(planned))} / {escape(fmt(actual))}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def nice_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    """Return round axis values covering low..high (steps of 1, 2, 2.5 or 5 × 10^k)."""
    span = high - low
    if span <= 0:
        return [low, low + 1]
    raw = span / count
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(m * magnitude for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if m * magnitude >= raw)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def lines(
    points: Sequence[tuple[str, Decimal, Decimal | None]],
    labels: tuple[str, str, str],
    axis_label: Callable[[str], str],
    money: Callable[[Decimal], str],
    title: str,
    description: str,
    today_index: int | None = None,
    ident: str = "lines",
) -> Markup:
    """Draw two cumulative lines (planned, actual) over months, with a marker at today."""
    if not points:
        return Markup("")
    ident = _ident(ident)
    peak = max(max(p, a or Decimal(0)) for _, p, a in points) or Decimal(1)
    ticks = nice_ticks(Decimal(0), peak)
    top_value = ticks[-1]
    left, chart_w, chart_h, top = 110.0, 860.0, 260.0, 28.0
    width, height = left + chart_w + 30, top + chart_h + 52
    n = len(points)

    def px(i: int) -> float:
        return left + (chart_w * i / (n - 1) if n > 1 else chart_w / 2)

    def py(v: Decimal) -> float:
        return top + chart_h - float(v / top_value) * chart_h

    parts = [
        f'<svg class="chart lines" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>',
    ]
    for value in ticks:
        y = py(value)
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + chart_w}" y2="{y:.1f}"/>'
                     f'<text class="axis big" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(money(value))}</text>")
    step = max(1, -(-n // 10))
    for i, (month, _, _) in enumerate(points):
        if i % step == 0:
            anchor = "end" if i == n - 1 and n > 1 else "middle"  # the last label ends at the right edge
            parts.append(f'<text class="axis big" x="{px(i):.1f}" y="{top + chart_h + 20}" '
                         f'text-anchor="{anchor}">{escape(axis_label(month))}</text>')
    drawn = [(i, points[i]) for i in sampled(n, POINTS_DRAWN, today_index)]
    planned = " ".join(f"{px(i):.1f},{py(p):.1f}" for i, (_, p, _) in drawn)
    actual = " ".join(f"{px(i):.1f},{py(a):.1f}" for i, (_, _, a) in drawn if a is not None)
    parts.append(f'<polyline class="line planned-line" points="{planned}"/>')
    if actual:
        parts.append(f'<polyline class="line actual-line" points="{actual}"/>')
    if today_index is not None and 0 <= today_index < n:
        tx = px(today_index)
        parts.append(f'<line class="today" x1="{tx:.1f}" y1="{top - 14}" x2="{tx:.1f}" y2="{top + chart_h}"/>'
                     f'<text class="today-label" x="{tx + 4:.1f}" y="{top - 4}">{escape(labels[2])}</text>')
    ly = top + chart_h + 44
    parts.append(
        f'<line class="line planned-line" x1="{left}" y1="{ly - 5}" x2="{left + 28}" y2="{ly - 5}"/>'
        f'<text class="axis big" x="{left + 34}" y="{ly}">{escape(labels[0])}</text>'
        f'<line class="line actual-line" x1="{left + 180}" y1="{ly - 5}" x2="{left + 208}" y2="{ly - 5}"/>'
        f'<text class="axis big" x="{left + 214}" y="{ly}">{escape(labels[1])}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def progress_chart(
    baseline: tuple[date, Decimal] | None,
    target: tuple[date, Decimal] | None,
    measurements: Sequence[tuple[date, Decimal]],
    today: date,
    value_label: Callable[[Decimal], str],
    date_label: Callable[[date], str],
    labels: tuple[str, ...],
    title: str,
    description: str,
    ident: str,
) -> Markup:
    """Draw an objective's measurements against the straight path baseline -> target.

    ``labels``: measurements, target, today, and optionally the word for a forecast.
    """
    points = list(measurements)
    if baseline:
        points.append(baseline)
    if target:
        points.append(target)
    if len(points) < 2:
        return Markup("")
    ident = _ident(ident)
    d0 = min(d for d, _ in points)
    d1 = max(max(d for d, _ in points), today)
    ticks = nice_ticks(min(v for _, v in points), max(v for _, v in points), 3)
    v0, v1 = ticks[0], ticks[-1]
    left, chart_w, chart_h, top = 120.0, 520.0, 170.0, 16.0
    width, height = left + chart_w + 40, top + chart_h + 56
    span = max(1, (d1 - d0).days)

    def px(d: date) -> float:
        return left + chart_w * (d - d0).days / span

    def py(v: Decimal) -> float:
        return top + chart_h - float((v - v0) / (v1 - v0)) * chart_h

    parts = [
        f'<svg class="chart progress" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>',
    ]
    for v in ticks:
        parts.append(f'<line class="grid" x1="{left}" y1="{py(v):.1f}" x2="{left + chart_w}" y2="{py(v):.1f}"/>'
                     f'<text class="axis" x="{left - 8}" y="{py(v) + 4:.1f}" text-anchor="end">'
                     f"{escape(value_label(v))}</text>")
    for d, anchor in ((d0, "start"), (d1, "end")):
        parts.append(f'<text class="axis" x="{px(d):.1f}" y="{top + chart_h + 18}" text-anchor="{anchor}">'
                     f"{escape(date_label(d))}</text>")
    if baseline and target:
        parts.append(f'<line class="line target-line" x1="{px(baseline[0]):.1f}" y1="{py(baseline[1]):.1f}" '
                     f'x2="{px(target[0]):.1f}" y2="{py(target[1]):.1f}"/>')
    series = sorted(([baseline] if baseline else []) + list(measurements))
    past = [(d, v) for d, v in series if d <= today]
    if len(past) > 1:
        pts = " ".join(f"{px(d):.1f},{py(v):.1f}" for d, v in past)
        parts.append(f'<polyline class="line actual-line" points="{pts}"/>')
    if past and len(past) < len(series):
        pts = " ".join(f"{px(d):.1f},{py(v):.1f}" for d, v in series[len(past) - 1:])
        parts.append(f'<polyline class="line forecast-line" points="{pts}"/>')
    for d, v in series:
        forecast = d > today  # a measurement dated after today is a forecast: drawn hollow
        parts.append(f'<circle class="point{" forecast" if forecast else ""}" cx="{px(d):.1f}" cy="{py(v):.1f}" '
                     f'r="4"><title>{escape(date_label(d))} — {escape(value_label(v))}'
                     f'{" (" + escape(labels[3]) + ")" if forecast and len(labels) > 3 else ""}</title></circle>')
    tx = px(today)
    parts.append(f'<line class="today" x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{top + chart_h}"/>')
    ly = top + chart_h + 44
    # each key after the one before it, by its text's width (≈ 6.5 px a character at the axis size)
    second = left + max(150, 26 + 6.5 * len(labels[0]) + 24)
    third = max(left + 330, second + 26 + 6.5 * len(labels[1]) + 24)
    parts.append(
        f'<line class="line actual-line" x1="{left}" y1="{ly - 4}" x2="{left + 20}" y2="{ly - 4}"/>'
        f'<text class="axis" x="{left + 26}" y="{ly}">{escape(labels[0])}</text>'
        f'<line class="line target-line" x1="{second:.0f}" y1="{ly - 4}" x2="{second + 20:.0f}" y2="{ly - 4}"/>'
        f'<text class="axis" x="{second + 26:.0f}" y="{ly}">{escape(labels[1])}</text>'
        f'<line class="today" x1="{third:.0f}" y1="{ly - 10}" x2="{third:.0f}" y2="{ly + 2}"/>'
        f'<text class="axis" x="{third + 6:.0f}" y="{ly}">{escape(labels[2])}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
