"""The charts the pages show, drawn from their rows: Gantt charts, progress lines.

``charts`` knows SVG geometry; this module knows what a plan's chart says
(which bars, which labels, the text alternative in the plan's language).
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import Any, NamedTuple

from markupsafe import Markup

from pacsite.format import Formatter
from pacsite.i18n import STATUS_LABELS, french_spaces, plural
from pacsite.load.model import Objective, Phase
from pacsite.site import charts
from pacsite.site.urls import element_id, relative
from pacsite.site.views import FamilySpan, PhaseRow


class Bar(NamedTuple):
    """What a phase's bar on a Gantt chart shows: a budget edit leaves it the same."""

    title: str
    start: date | None
    end: date | None
    status: str
    late: bool
    days_late: int
    path: str
    family: str  # its family's slug


def bars(rows: list[PhaseRow]) -> list[Bar]:
    """The rows' bars, in their order."""
    return [Bar(r.phase.title, r.phase.start, r.phase.end, r.phase.status, r.fig.late, r.fig.days_late, r.path,
                r.family.slug) for r in rows]


def gantt(rows: list[Bar], today: date, language: str, families: Any, fmt: Formatter, t: dict[str, str],
          page: str, title: str) -> Markup:
    """A Gantt chart of the bars (``bars``), under a heading for each of ``families`` if any."""
    items: list[charts.GanttRow] = []
    for family in families or [None]:
        if family is not None:
            items.append(charts.GanttRow(family.title, header=True))
        for b in rows:
            if family is not None and b.family != family.slug:
                continue
            items.append(_row(b, language, fmt, t, page))
    late = sum(1 for b in rows if b.late)
    desc = (f"{len(rows)} {plural(language, len(rows), t['phase'], t['phases']).lower()}, "
            f"{late} {plural(language, late, t['late_phase'], t['late_phases']).lower()}"
            f"{t['list_sep']}{t['today']} {fmt.date(today)}")
    return charts.gantt(items, today, fmt.month_narrow,
                        lambda m: fmt.quarter(f"{m.year}-Q{(m.month - 1) // 3 + 1}"), title, desc,
                        f"{t['as_of']} {fmt.date(today)}", t["late"])


GROUP_LIMIT = 40  # a large plan's timeline: the phases a family opens on (the rest: on the family's page)
SOON = 90  # days: the timeline's view of what is late or under way in the next SOON days


def overview_gantt(spans: list[FamilySpan], bars_of: dict[str, list[Bar]], today: date, language: str,
                   fmt: Formatter, t: dict[str, str], page: str) -> Markup:
    """A large plan's timeline: one bar per family (its first start to its last end), each a ``<details>``
    that opens on its phases (the first GROUP_LIMIT; the others on the family's own timeline)."""
    items: list[charts.GanttRow] = []
    summaries: list[tuple[charts.GanttRow, str]] = []
    for s in spans:
        items.append(charts.GanttRow(s.family.title, header=True))
        shown = bars_of.get(s.family.slug, [])
        items += [_row(b, language, fmt, t, page) for b in shown[:GROUP_LIMIT]]
        # a family is not late as a phase is: its late phases are counted beside its name
        label = f"{s.family.title} ({s.phases}\u00a0{plural(language, s.phases, t['phase'], t['phases']).lower()})"
        summaries.append((charts.GanttRow(
            label + (f" ⚠\u00a0{s.late}" if s.late else ""), s.start, s.end, s.status, False,
            tooltip=f"{s.family.title} — {s.phases} {t['phases'].lower()}, {s.late} {t['late_phases'].lower()}"
                    + (f" — {fmt.date(s.start)} → {fmt.date(s.end)}" if s.start and s.end else "")),
            f'<p class="gantt-more"><a href="{escape(relative(page, s.timeline))}">'
            f"{escape(t['more_in_family'].format(n=len(shown) - GROUP_LIMIT))}</a></p>"
            if len(shown) > GROUP_LIMIT else ""))
    desc = f"{len(spans)} {t['families'].lower()}; {t['today']} {fmt.date(today)}"
    return charts.gantt(items, today, fmt.month_narrow,
                        lambda m: fmt.quarter(f"{m.year}-Q{(m.month - 1) // 3 + 1}"), t["timeline"], desc,
                        f"{t['as_of']} {fmt.date(today)}", t["late"], summaries)


def soon_bars(bars_of: dict[str, list[Bar]], today: date) -> dict[str, list[Bar]]:
    """The phases late now, or not done and under way within the next SOON days (started by then, not
    ended before today), by family."""
    horizon = today + timedelta(days=SOON)
    return {slug: [b for b in bars if b.late or (b.status in ("planned", "in_progress") and b.start and b.end
                                                 and b.start <= horizon and b.end >= today)]
            for slug, bars in bars_of.items()}


def _row(b: Bar, language: str, fmt: Formatter, t: dict[str, str], page: str) -> charts.GanttRow:
    """A phase's row on a Gantt: its bar, a link to it, and its dates and status in words as its tooltip."""
    status = STATUS_LABELS[language].get(b.status, b.status)
    tip = f"{b.title} — {status} — {fmt.date(b.start)} → {fmt.date(b.end)}"
    if b.late:
        tip += f" — {b.days_late} {t['day_late'] if b.days_late == 1 else t['days_late']}"
    return charts.GanttRow(b.title, b.start, b.end, b.status, b.late, relative(page, b.path), tooltip=tip)


def progress_chart(o: Objective, today: date, fmt: Formatter, t: dict[str, str], french: bool) -> Markup:
    def value(v: Any) -> str:
        return fmt.number(v) + (f"\u00a0{o.unit}" if o.unit else "")

    base = (o.baseline.date, o.baseline.value) if o.baseline and o.baseline.date else None
    target = (o.target.date, o.target.value) if o.target and o.target.date else None
    points = [(m.date, m.value) for m in o.measurements if m.date]
    # the text alternative says what the chart shows: each measurement (a forecast said so) and the target
    said = [f"{fmt.date(d)}{t['colon']} {value(v)}" + (f" ({t['forecast']})" if d > today else "")
            for d, v in sorted(points)]
    if target:
        said.append(f"{t['target'].lower()} {value(target[1])} ({fmt.date(target[0])})")
    desc = t["list_sep"].join(said)
    return charts.progress_chart(base, target, points, today, value, fmt.date_short,
                                 (t["measurements"], t["target"], f"{t['as_of']} {fmt.date(today)}", t["forecast"]),
                                 (french_spaces if french else str)(f"{t['chart_alt_progress']} — {o.title}"),
                                 (french_spaces if french else str)(desc), element_id("p", o.id))


def phase_progress_chart(p: Phase, today: date, fmt: Formatter, t: dict[str, str], french: bool) -> Markup:
    """A phase's results against the straight line from its first result to its target at its end.

    Drawn for a numeric target on a phase with an end and at least two dated,
    valued results: the first is where the phase started from (a phase has
    no baseline of its own), the others show whether it keeps to the line.
    """
    o = p.objective
    points = sorted((r.date, r.value) for r in p.results if r.date is not None and r.value is not None)
    if o is None or o.target is None or p.end is None or len(points) < 2 or points[0][0] >= p.end:
        return Markup("")

    def value(v: Any) -> str:
        return fmt.number(v) + (f"\u00a0{o.unit}" if o.unit else "")

    said = [f"{fmt.date(d)}{t['colon']} {value(v)}" + (f" ({t['forecast']})" if d > today else "") for d, v in points]
    said.append(f"{t['target'].lower()} {value(o.target)} ({fmt.date(p.end)})")
    # the axis shows numbers (a unit such as "€ par demande" does not fit beside them): the unit is in the key
    legend = f"{t['results_word']} ({o.unit})" if o.unit else t["results_word"]
    typography = french_spaces if french else str  # the chart is markup: the layout's typography skips it
    return charts.progress_chart(points[0], (p.end, o.target), points[1:], today, fmt.number, fmt.date_short,
                                 (legend, t["target"], f"{t['as_of']} {fmt.date(today)}", t["forecast"]),
                                 typography(f"{t['chart_alt_progress']} — {p.title}"),
                                 typography(t["list_sep"].join(said)), element_id("r", p.family_slug, p.slug))
