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
GANTT_ROW, GANTT_TOP_FIRST, GANTT_TOP = 24, 58, 22  # px: the titles' column (style.css) uses the same heights
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
    summaries: Sequence[tuple[GanttRow, str]] | None = None,
) -> Markup:
    """Draw a Gantt chart: quarters and months, a line at today, late bars marked.

    ``summaries`` (a large plan): for each family, a row that stands for it
    (its span, from its first start to its last end) and what follows its
    phases (a link to the rest): each family is then a ``<details>`` whose
    summary is that row, closed, and opens on its phases without a script.

    The titles are HTML, in a column that stays where it is while the bars
    scroll sideways beside it (a phone shows a few months of a two-year
    plan); each family is a block of its own, titles and bars at the same
    row height, so that a printed page breaks between families. The bars
    are drawn at their own size (never scaled, or the rows would no longer
    meet their titles). ``data-today``: where today's line is, for the
    script that opens the chart scrolled to it.
    """
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
    # 28 px a month at least, so that a month's initial and a bar of a few days can be read (up to five years)
    chart_w, row_h = float(max(700, 28 * min(len(months), 60))), GANTT_ROW
    width = chart_w

    def x(day: date) -> float:
        return chart_w * (day - span_start).days / total_days

    month_w = chart_w / len(months)
    yearly = len(months) > MONTHS_DRAWN
    step = 1 if month_w >= 9 else 3  # below 9 px a column cannot hold even one letter
    quarter_w = chart_w * 3 / len(months)
    tx = x(today) + chart_w / total_days / 2
    anchor = "end" if tx > chart_w * 0.75 else "start"

    def block(index: int, block_rows: Sequence[GanttRow], scale: bool = True, summary: bool = False) -> str:
        """One family (or the whole chart when there are no families): its titles, and its bars on the common
        scale in an SVG of their own. The first block has the quarters and the "as of" label; one without
        ``scale`` has no month scale (a family's summary row, under the one above it)."""
        first = index == 0 and scale
        top = GANTT_TOP_FIRST if first else GANTT_TOP if scale else 0
        month_y = 47 if first else 15
        height = top + row_h * len(block_rows) + (8 if index == len(blocks) - 1 else 2)
        name = escape(title if first or not block_rows[0].header else f"{title} — {block_rows[0].label}")
        parts = [
            f'<svg class="chart gantt-bars" viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" height="{height}" '
            f'role="img" aria-label="{name}" xmlns="http://www.w3.org/2000/svg">',
            f"<desc>{escape(description)}</desc>" if first else "",
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
                if i % step == 0 and scale:
                    parts.append(f'<text class="axis" x="{x(m) + month_w * step / 2:.1f}" y="{month_y}" '
                                 f'text-anchor="middle">{escape(month_label(m, month_w * step))}</text>')
        for n, row in enumerate(block_rows):
            parts.append(_gantt_bar(row, top + n * row_h, row_h, width, chart_w, total_days, x, late_label))
        parts.append(f'<line class="today" x1="{tx:.1f}" y1="{4 if first else 0}" x2="{tx:.1f}" y2="{height}"/>')
        if first:
            parts.append(f'<text class="today-label" x="{tx + (-4 if anchor == "end" else 4):.1f}" y="13" '
                         f'text-anchor="{anchor}">{escape(today_label)}</text>')
        parts.append("</svg>")
        titles = "".join(_gantt_title(row, late_label) for row in block_rows)
        top_class = " first" if first else "" if scale else " flush"
        if summary:  # inside <summary>: phrasing content only, and nothing focusable (the script scrolls it)
            titles = titles.replace("<li ", "<span ").replace("</li>", "</span>")
            return (f'<span class="gantt-family"><span class="gantt-titles{top_class}">{titles}</span>'
                    f'<span class="gantt-scroll">{"".join(parts)}</span></span>')
        return (f'<div class="gantt-family"><ul class="gantt-titles{top_class}">{titles}</ul>'
                f'<div class="gantt-scroll" tabindex="0" role="group" aria-label="{name}">{"".join(parts)}</div></div>')

    blocks: list[list[GanttRow]] = []
    for row in rows:
        if row.header or not blocks:
            blocks.append([])
        blocks[-1].append(row)
    if summaries is None:
        return Markup(f'<div class="gantt" data-today="{tx:.0f}">'
                      + "".join(block(i, b) for i, b in enumerate(blocks)) + "</div>")
    return Markup(f'<div class="gantt" data-today="{tx:.0f}">' + "".join(
        f'<details class="gantt-group"><summary>{block(i, [summary], scale=i == 0, summary=True)}</summary>'
        f'{block(i + 1, [r for r in b if not r.header])}{after}</details>'
        for i, (b, (summary, after)) in enumerate(zip(blocks, summaries, strict=True))) + "</div>")


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


def _gantt_title(row: GanttRow, late_label: str) -> str:
    """A row's title beside the bars: a family's name, or a phase's status sign, title (link) and lateness."""
    if row.header:
        return f'<li class="g-band">{escape(row.label)}</li>'
    status = escape(row.status)
    sign = f'<span class="sign st-{status}" aria-hidden="true">{escape(ICONS.get(row.status, ""))}</span> '
    late = (f'<span class="late-sign" title="{escape(late_label)}">⚠<span class="sr-only"> {escape(late_label)}'
            "</span></span> ") if row.late else ""  # before the title: a long one is cut at its end
    text = escape(row.label)
    tip = escape(row.tooltip or row.label)
    body = (f'<a href="{escape(row.href)}" title="{tip}">{text}</a>' if row.href
            else f'<span title="{tip}">{text}</span>')
    return f'<li class="g-row">{sign}{late}{body}</li>'


def _gantt_bar(row: GanttRow, y: int, row_h: int, width: float, chart_w: float, total_days: int,
               x: Callable[[date], float], late_label: str) -> str:
    """A family band, or a phase's bar (a diamond for a one-day milestone), late bars outlined and marked."""
    if row.header:
        return f'<rect class="band" x="0" y="{y}" width="{width:.0f}" height="{row_h}"/>'
    if not (row.start and row.end):
        return ""
    status = escape(row.status)  # every attribute value is escaped, whatever it holds today
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
        elif before - room >= 0:
            bar += (f'<text class="late-mark" x="{before:.1f}" y="{y + 15}" text-anchor="end">'
                    f'⚠ {escape(late_label)}</text>')
    return f"<g><title>{escape(row.tooltip or row.label)}</title>{bar}</g>"


@dataclass(frozen=True)
class BarItem:
    """One family of the budget chart: its name, planned and actual amounts, and its envelope (None: none)."""

    label: str
    planned: Decimal
    actual: Decimal
    envelope: Decimal | None = None


def bars(items: Sequence[BarItem], words: dict[str, str], money: Callable[[Decimal], str], title: str,
         ident: str = "bars") -> Markup:
    """Planned and actual bars per family, in HTML rather than SVG: real text that wraps and keeps the
    body's size on a phone and on paper.

    Each row is the family's full name, two bars on one scale (the largest
    amount, envelopes included), a mark at the family's envelope, and the
    amounts in words. Spending beyond the planned amount is red and carries
    ▲ and its excess; a planned amount beyond the envelope carries ⚠ and the
    excess (never the colour alone). The bars are drawn for the eye
    (``aria-hidden``); the words say it all.
    """
    if not items:
        return Markup("")
    ident = _ident(ident)
    peak = max(max(i.planned, i.actual, i.envelope or Decimal(0)) for i in items) or Decimal(1)

    def pct(value: Decimal) -> str:
        return f"{max(Decimal(0), value) * 100 / peak:.2f}%"

    rows = []
    for item in items:
        over = item.actual > item.planned
        beyond = item.envelope is not None and item.planned > item.envelope
        values = [f'{escape(words["planned"])}\u00a0{escape(money(item.planned))}',
                  f'{escape(words["actual"])}\u00a0'
                  + (f'<strong class="over">▲ {escape(money(item.actual))} '
                     f'({escape(words["overspend"])} +{escape(money(item.actual - item.planned))})</strong>'
                     if over else escape(money(item.actual)))]
        if item.envelope is not None:
            values.append(f'{escape(words["envelope"])}\u00a0{escape(money(item.envelope))}'
                          + (f' <strong class="over">⚠ {escape(words["over_envelope"].lower())} '
                             f'+{escape(money(item.planned - item.envelope))}</strong>' if beyond else ""))
        mark = (f'<span class="hbar-envelope{" over" if beyond else ""}" style="left: {pct(item.envelope)}"></span>'
                if item.envelope is not None else "")
        rows.append(
            f'<li class="hbar"><span class="hbar-label">{escape(item.label)}</span>'
            f'<span class="hbar-track" aria-hidden="true">'
            f'<span class="hbar-bar planned" style="width: {pct(item.planned)}"></span>'
            f'<span class="hbar-bar actual{" over" if over else ""}" style="width: {pct(item.actual)}"></span>'
            f"{mark}</span>"
            f'<span class="hbar-values">{" · ".join(values)}</span></li>')
    legend = (f'<p class="legend" aria-hidden="true"><span class="key"><span class="swatch hbar-planned"></span>'
              f'{escape(words["planned"])}</span> <span class="key"><span class="swatch hbar-actual"></span>'
              f'{escape(words["actual"])}</span> <span class="key"><span class="swatch hbar-over"></span>'
              f'▲ {escape(words["overspend_key"])}</span>'
              + (f' <span class="key"><span class="swatch hbar-envelope-key"></span>{escape(words["envelope"])}</span>'
                 if any(i.envelope is not None for i in items) else "")
              + "</p>")
    return Markup(f'<figure class="hbars" aria-labelledby="{ident}-t"><figcaption id="{ident}-t" class="sr-only">'
                  f'{escape(title)}</figcaption>{legend}<ul class="hbars-list">{"".join(rows)}</ul></figure>')


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
    """Draw two cumulative lines (planned, actual) over months, with a marker at today: a wide drawing and a
    narrow one for a phone (``pair``), each at its size, rather than one shrunk to a third."""
    if not points:
        return Markup("")
    return pair(_lines(points, labels, axis_label, money, title, description, today_index, _ident(ident), False),
                _lines(points, labels, axis_label, money, title, description, today_index, _ident(ident) + "-n", True))


def pair(wide: str, narrow: str) -> Markup:
    """A chart drawn twice: the stylesheet shows the narrow one under 600 px, the wide one elsewhere and on paper."""
    return Markup(wide.replace('class="chart ', 'class="chart wide ', 1)
                  + narrow.replace('class="chart ', 'class="chart narrow ', 1))


def _lines(points: Sequence[tuple[str, Decimal, Decimal | None]], labels: tuple[str, str, str],
           axis_label: Callable[[str], str], money: Callable[[Decimal], str], title: str, description: str,
           today_index: int | None, ident: str, narrow: bool) -> str:
    peak = max(max(p, a or Decimal(0)) for _, p, a in points) or Decimal(1)
    ticks = nice_ticks(Decimal(0), peak, 4 if narrow else 5)
    top_value = ticks[-1]
    if narrow:  # 362 px wide: shown at its size on a phone, its text at the body's small size (11.5 px)
        left = 12.0 + 6.8 * max(len(money(v)) for v in ticks)
        chart_w, chart_h, top, labels_across, text = 348.0 - left, 190.0, 28.0, 3, "axis"
    else:
        left, chart_w, chart_h, top, labels_across, text = 110.0, 860.0, 260.0, 28.0, 10, "axis big"
    width, height = left + chart_w + 14 + (0 if narrow else 16), top + chart_h + (70 if narrow else 52)
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
                     f'<text class="{text}" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(money(value))}</text>")
    step = max(1, -(-n // labels_across))
    for i, (month, _, _) in enumerate(points):
        if i % step == 0:
            anchor = "end" if i == n - 1 and n > 1 else "start" if i == 0 and narrow else "middle"
            parts.append(f'<text class="{text}" x="{px(i):.1f}" y="{top + chart_h + 20}" '
                         f'text-anchor="{anchor}">{escape(axis_label(month))}</text>')
    drawn = [(i, points[i]) for i in sampled(n, POINTS_DRAWN, today_index)]
    planned = " ".join(f"{px(i):.1f},{py(p):.1f}" for i, (_, p, _) in drawn)
    actual = " ".join(f"{px(i):.1f},{py(a):.1f}" for i, (_, _, a) in drawn if a is not None)
    parts.append(f'<polyline class="line planned-line" points="{planned}"/>')
    if actual:
        parts.append(f'<polyline class="line actual-line" points="{actual}"/>')
    if today_index is not None and 0 <= today_index < n:
        tx = px(today_index)
        late_half = narrow and tx > left + chart_w / 2  # the label on the side with room for it
        anchor = ' text-anchor="end"' if late_half else ""
        parts.append(f'<line class="today" x1="{tx:.1f}" y1="{top - 14}" x2="{tx:.1f}" y2="{top + chart_h}"/>'
                     f'<text class="today-label" x="{tx - 4 if late_half else tx + 4:.1f}" y="{top - 4}"'
                     f"{anchor}>{escape(labels[2])}</text>")
    ly = top + chart_h + 44
    second = (8.0, ly + 22) if narrow else (left + 180, ly)  # the second key under the first on a phone
    x0 = 8.0 if narrow else left
    parts.append(
        f'<line class="line planned-line" x1="{x0}" y1="{ly - 5}" x2="{x0 + 28}" y2="{ly - 5}"/>'
        f'<text class="{text}" x="{x0 + 34}" y="{ly}">{escape(labels[0])}</text>'
        f'<line class="line actual-line" x1="{second[0]}" y1="{second[1] - 5}" x2="{second[0] + 28}" '
        f'y2="{second[1] - 5}"/>'
        f'<text class="{text}" x="{second[0] + 34}" y="{second[1]}">{escape(labels[1])}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


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
    if len(list(measurements)) + bool(baseline) + bool(target) < 2:
        return Markup("")
    args = (baseline, target, measurements, today, value_label, date_label, labels, title, description)
    return pair(_progress(*args, _ident(ident), False), _progress(*args, _ident(ident) + "-n", True))


def _progress(baseline: tuple[date, Decimal] | None, target: tuple[date, Decimal] | None,
              measurements: Sequence[tuple[date, Decimal]], today: date, value_label: Callable[[Decimal], str],
              date_label: Callable[[date], str], labels: tuple[str, ...], title: str, description: str,
              ident: str, narrow: bool) -> str:
    points = list(measurements)
    if baseline:
        points.append(baseline)
    if target:
        points.append(target)
    d0 = min(d for d, _ in points)
    d1 = max(max(d for d, _ in points), today)
    ticks = nice_ticks(min(v for _, v in points), max(v for _, v in points), 3)
    v0, v1 = ticks[0], ticks[-1]
    if narrow:  # 360 px wide: shown at its size on a phone; the axis as wide as its longest value (13 px text)
        left = 12.0 + 7.6 * max(len(value_label(v)) for v in ticks)
        chart_w, chart_h, top = 344.0 - left, 150.0, 16.0
    else:
        left, chart_w, chart_h, top = 120.0, 520.0, 170.0, 16.0
    width, height = left + chart_w + 16 + (0 if narrow else 24), top + chart_h + (96 if narrow else 56)
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
    # the key: every mark drawn, the forecast's dotted line too when there is one; on a line each, after
    # one another by their text's width (≈ 7 px a character), or one under the other on a phone
    keys = [("line actual-line", labels[0]), ("line target-line", labels[1]), ("today", labels[2])]
    if past and len(past) < len(series) and len(labels) > 3:
        keys.insert(1, ("line forecast-line", labels[3][:1].upper() + labels[3][1:]))
    x, y = (8.0 if narrow else left), top + chart_h + 44
    for mark, word in keys:
        if mark == "today":
            parts.append(f'<line class="today" x1="{x + 10:.0f}" y1="{y - 10}" x2="{x + 10:.0f}" y2="{y + 2}"/>')
        else:
            parts.append(f'<line class="{mark}" x1="{x:.0f}" y1="{y - 4}" x2="{x + 20:.0f}" y2="{y - 4}"/>')
        parts.append(f'<text class="axis" x="{x + 26:.0f}" y="{y}">{escape(word)}</text>')
        if narrow and x > 100:
            x, y = 8.0, y + 20
        else:
            x += max(140, 26 + 7 * len(word) + 24)
    parts.append("</svg>")
    return "".join(parts)
