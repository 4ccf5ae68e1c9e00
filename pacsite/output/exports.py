"""Downloads beside the pages: plan.json, budget.csv, plan.xlsx, plan.ics, sitemap.xml.

``plan.json`` is the machine-readable contract (see README, "plan.json"):
amounts are strings with two decimals, ratios are fractions, statuses are
canonical English ids. Every export is byte-reproducible for the same plan
and ``today``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from json.encoder import encode_basestring  # the C escaper, when there
from typing import Any

from pacsite import __version__
from pacsite.figures import Amounts, FamilyFigures, PhaseFigures, PlanFigures
from pacsite.figures.budget import as_of
from pacsite.format import Formatter
from pacsite.i18n import STATUS_LABELS, translator
from pacsite.load.model import Family, Phase, Plan, Result
from pacsite.load.settings import Settings
from pacsite.output import xlsx
from pacsite.site.tables import PeriodRow, ToDateRow, all_final, final_variance
from pacsite.site.tables import budget_tables as page_tables
from pacsite.site.urls import DOWNLOADS, Urls, absolute_url


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _ratio(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 4)


def pretty_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, to the byte, ~5 times faster.

    Python's JSON encoder is written in C only without ``indent``: with it,
    plan.json took ~100 ms at 1 500 phases, in the process that makes the
    downloads while the pages render. Strings go through the C escaper;
    a value other than text, whole numbers, finite floats, booleans, None,
    lists and dicts with text keys is left to ``json.dumps`` itself.
    """
    out: list[str] = []
    try:
        _pretty(value, "\n", out)
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(out)


class _NotPlain(Exception):
    """A value ``pretty_json`` leaves to ``json.dumps``."""


def _pretty(value: Any, newline: str, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and math.isfinite(value):
        out.append(float.__repr__(value))
    elif kind is dict or kind is list or kind is tuple:
        if not value:
            out.append("{}" if kind is dict else "[]")
            return
        inner = newline + "  "
        out.append("{" if kind is dict else "[")
        separator = inner
        if kind is dict:
            for key, item in value.items():
                if type(key) is not str:
                    raise _NotPlain
                out.append(separator)
                out.append(encode_basestring(key))
                out.append(": ")
                _pretty(item, inner, out)
                separator = "," + inner
        else:
            for item in value:
                out.append(separator)
                _pretty(item, inner, out)
                separator = "," + inner
        out.append(newline + ("}" if kind is dict else "]"))
    else:
        raise _NotPlain


def _pair(a: Amounts) -> dict[str, str | None]:
    return {"planned": _amount(a.planned), "actual": _amount(a.actual)}


def plan_json(plan: Plan, figures: PlanFigures, parts: list[FamilyDownloads] | None = None) -> bytes:
    """Return plan.json: the whole plan and its computed figures (each family's object from ``parts``)."""
    parts = parts if parts is not None else family_downloads_of(plan, figures)
    data = {
        "pacsite": __version__,
        "today": plan.today.isoformat(),
        "currency": plan.settings.currency,
        "title": plan.title,
        "company": plan.company,
        "totals": {
            "planned": _amount(figures.totals.planned), "actual": _amount(figures.totals.actual),
            "variance": _amount(figures.totals.variance), "envelope": _amount(figures.envelope),
            "remaining": _amount(figures.remaining), "released": _amount(figures.released),
            "planned_to_date": _amount(figures.to_date.planned),
            "late_phases": figures.late_phases, "off_track": figures.off_track,
        },
        "families": [],
        "by_stage": {k: _pair(v) for k, v in figures.by_stage.items()},
        "by_owner": {k: _pair(v) for k, v in figures.by_owner.items()},
        "by_objective": {k: _pair(v) for k, v in figures.by_objective.items()},
        "by_month": {k: _pair(v) for k, v in figures.by_month.items()},
        "by_quarter": {k: _pair(v) for k, v in figures.by_quarter.items()},
        "objectives": [
            {"id": o.id, "title": o.title,
             "progress": _ratio(figures.objectives[o.id].progress),
             "expected_progress": _ratio(figures.objectives[o.id].expected),
             "ahead": figures.objectives[o.id].ahead}
            for o in plan.objectives
        ],
    }
    text = pretty_json(data)
    if parts:
        # each family's object, made apart, in its place: no string holds '"families": []' (its quotes
        # would be escaped), so this is the one the list left
        text = text.replace('"families": []', '"families": [\n' + ",\n".join(f.json for f in parts) + "\n  ]", 1)
    return (text + "\n").encode("utf-8")


def _json_family(f: Family, ff: FamilyFigures, figures: tuple[PhaseFigures, ...]) -> str:
    """A family's object in plan.json, indented for its place in the list of families."""
    phases = []
    for p, pf in zip(f.phases, figures, strict=True):
        ov = pf.objective
        phases.append({
            "slug": p.slug, "title": p.title, "stage": p.stage,
            "owner": p.owner.key if p.owner else None,
            "owners": [o.key for o in p.owners],
            "start": p.start.isoformat() if p.start else None,
            "end": p.end.isoformat() if p.end else None,
            "finished": p.finished.isoformat() if p.finished else None,
            "status": p.status, "late": pf.late, "days_late": pf.days_late,
            "budget": _amount(pf.money.budget), "planned": _amount(pf.money.planned),
            "actual": _amount(pf.money.actual), "released": _amount(pf.money.released),
            "variance": _amount(pf.amounts.variance),
            "variance_pct": _ratio(pf.amounts.variance_pct),
            "schedule_variance": pf.schedule_variance,
            "objective_status": pf.objective_status,
            "target": str(p.objective.target) if p.objective and p.objective.target is not None else None,
            "result": str(pf.result.value) if pf.result and pf.result.value is not None else None,
            "gap": str(ov.gap) if ov and ov.gap is not None else None,
            "gap_pct": _ratio(ov.gap_pct) if ov else None,
            "contributes_to": list(p.contributes_to), "tags": list(p.tags),
            "source": p.source,
        })
    text = pretty_json({
        "slug": f.slug, "title": f.title, "order": f.order, "stage": f.stage,
        "envelope": _amount(ff.envelope), "remaining": _amount(ff.remaining),
        "planned": _amount(ff.amounts.planned), "actual": _amount(ff.amounts.actual),
        "variance": _amount(ff.amounts.variance), "phases": phases,
    })
    return "\n".join("    " + line for line in text.split("\n"))  # two levels down: the list, in the plan


def _fr_amount(value: Decimal, decimal_comma: bool) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if decimal_comma else text


Cell = str | Decimal | None  # a label, an amount, or an empty cell (the site's "—")


@dataclass(frozen=True)
class Table:
    """One budget table as the downloads give it: a sheet of plan.xlsx, a section of budget.csv."""

    title: str
    headers: list[str]
    rows: list[list[Cell]]  # the last one: the total


def budget_tables(plan: Plan, figures: PlanFigures, t: dict[str, str]) -> list[Table]:
    """Return the budget page's tables, with its columns and labels (see ``pacsite.site.tables``).

    Variances are the page's: to date (actual − planned up to today) by
    family, stage, owner and objective; by quarter and month, actual −
    planned of a period that has begun, empty for one after today.
    """
    tables = page_tables(plan, figures, Formatter(plan.settings), t)
    to_date, totals = figures.to_date, figures.totals
    columns = [t["planned"], t["planned_to_date"], t["actual"], t["variance_to_date"]]

    def to_date_table(title: str, first: str, rows: list[ToDateRow]) -> Table:
        body: list[list[Cell]] = [[r.label, r.amounts.planned, r.to_date.planned, r.amounts.actual,
                                   r.to_date.variance] for r in rows]
        return Table(title, [first, *columns],
                     [*body, [t["total"], totals.planned, to_date.planned, totals.actual, to_date.variance]])

    def period_table(title: str, first: str, rows: list[PeriodRow]) -> Table:
        body: list[list[Cell]] = [[r.label, r.amounts.planned, r.amounts.actual, r.variance] for r in rows]
        return Table(title, [first, t["planned"], t["actual"], t["variance"]],
                     [*body, [t["total"], totals.planned, totals.actual, None]])

    family_rows: list[list[Cell]] = [[r.label, ff.envelope, r.amounts.planned, ff.remaining, r.amounts.actual,
                                      r.to_date.planned, r.to_date.variance] for r, ff in tables.families]
    families = Table(t["by_family"], [t["family"], t["envelope"], t["planned"], t["remaining"], t["actual"],
                                      t["planned_to_date"], t["variance_to_date"]],
                     [*family_rows, [t["total"], figures.envelope, totals.planned, figures.remaining,
                                     totals.actual, to_date.planned, to_date.variance]])
    return [families,
            to_date_table(t["by_stage"], t["stage"], tables.stages),
            to_date_table(t["by_owner"], t["owner"], tables.owners),
            to_date_table(t["by_objective"], t["objective"], tables.objectives),
            period_table(t["by_quarter"], t["quarter"], tables.quarters),
            period_table(t["by_month"], t["month"], tables.months)]


def phases_headers(t: dict[str, str]) -> list[str]:
    """The columns of the phases' table in budget.csv."""
    return [t["family"], t["phase"], t["owner"], t["stage"], t["start"], t["end"], t["status"], t["planned"],
            t["planned_to_date"], t["actual"], t["variance_to_date"], t["variance"]]


def phase_cells(f: Family, p: Phase, pf: PhaseFigures, stages: dict[str, str], t: dict[str, str],
                statuses: dict[str, str]) -> list[Cell]:
    """One phase's money as the site gives it: to date, and the final variance where the site shows one."""
    so_far = as_of(pf.money, pf.planned_to_date)
    return [f.title, p.title, p.owner.name if p.owner else t["unassigned"], stages.get(p.stage, p.stage),
            p.start.isoformat() if p.start else "", p.end.isoformat() if p.end else "",
            statuses.get(p.status, p.status), pf.money.planned, so_far.planned, pf.money.actual,
            Amounts(so_far.planned, so_far.actual).variance, final_variance(pf)]


def phases_total(figures: PlanFigures, t: dict[str, str]) -> list[Cell]:
    """The last row of the phases' table: the plan's totals."""
    totals = figures.totals
    return [t["total"], "", "", "", "", "", "", totals.planned, figures.to_date.planned, totals.actual,
            figures.to_date.variance, totals.variance if all_final(list(figures.phases.values())) else None]


def _csv_writer(buffer: io.StringIO, comma: bool) -> Any:
    return csv.writer(buffer, delimiter=";" if comma else ",", lineterminator="\r\n")


def _csv_cell(value: Cell, comma: bool) -> str:
    return _fr_amount(value, comma) if isinstance(value, Decimal) else _csv_text(value or "")


def budget_csv(plan: Plan, figures: PlanFigures, t: dict[str, str],
               parts: list[FamilyDownloads] | None = None) -> bytes:
    """Return budget.csv for Excel: UTF-8 with BOM, ';' and a decimal comma in French.

    First every phase (each family's rows from ``parts``), then the budget
    page's tables, each under its title after an empty line; an empty cell
    where the site shows "—".
    """
    parts = parts if parts is not None else family_downloads_of(plan, figures)
    comma = plan.settings.language == "fr"
    buffer = io.StringIO()
    writer = _csv_writer(buffer, comma)
    writer.writerow(phases_headers(t))
    for part in parts:
        buffer.write(part.csv)
    writer.writerow([_csv_cell(c, comma) for c in phases_total(figures, t)])
    for table in budget_tables(plan, figures, t):
        writer.writerows([[], [table.title], table.headers])
        writer.writerows([_csv_cell(c, comma) for c in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# what makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(text: str) -> str:
    """Neutralise a text cell Excel would run as a formula: a leading ``'`` keeps it text.

    Titles and names come from pull requests: ``=HYPERLINK("http://evil…")``
    as a phase title would be a live link (or worse) once budget.csv is
    opened. Amounts are never text here, so a negative amount stays a number.
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


# the hidden sheet that lets `pacsite import` give back the plan (see pacsite.tools.importer)
CARRIER = "pacsite"
CARRIER_MARK = "pacsite-plan-1"
CHUNK = 32_000  # characters per cell (Excel's limit is 32 767)


def result_text(result: Result | None) -> str:
    """The RÉSULTAT OBTENU cell: the latest result's text, then its value."""
    if result is None:
        return ""
    return ((result.text or "") + (f" {result.value}" if result.value is not None else "")).strip()


def table_row(family: Family, p: Phase, pf: PhaseFigures, labels: dict[str, str]) -> list[Any]:
    """One phase's cells in plan.xlsx's plan sheet, typed (``pacsite import`` compares them to tell edits)."""
    return [family.title, p.title, ", ".join(o.name for o in p.owners), p.budget, pf.money.actual, p.start,
            p.end, (p.objective.text or "") if p.objective else "", result_text(pf.result), p.analysis or "",
            labels.get(p.status, p.status), p.source]


def _fingerprint(cells: list[Any]) -> str:
    """The cells as exported, as text: an import tells an edited cell from an untouched one."""
    return json.dumps([c.isoformat() if isinstance(c, date) else None if c is None else str(c) for c in cells],
                      ensure_ascii=False)


def _carried(path: str, kind: str, fingerprint: str, text: str) -> list[tuple[object, int] | None]:
    encoding = ""
    if xlsx.ILLEGAL.search(text):  # characters XML cannot hold: the text goes as JSON, escapes and all
        text, encoding = json.dumps(text, ensure_ascii=False), "json"
    chunks = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
    return [(path, xlsx.PLAIN), (kind, xlsx.PLAIN), (fingerprint, xlsx.PLAIN), (encoding, xlsx.PLAIN),
            *((c, xlsx.PLAIN) for c in chunks)]


def plan_xlsx(plan: Plan, figures: PlanFigures, t: dict[str, str],
              parts: list[FamilyDownloads] | None = None) -> bytes:
    """Return plan.xlsx: the plan table, the budget tables, and a hidden sheet for ``pacsite import``.

    The hidden sheet holds each phase's front matter as written (the table
    shows part of it) with the cells as exported, and the plan's other files
    but the phases' text: importing the workbook gives the same plan.json,
    and a cell edited in Excel wins over what the hidden sheet says.

    Written by ``pacsite.output.xlsx`` (see there why not openpyxl); the tests build
    the same workbook with openpyxl and compare every cell, format and font.
    """
    parts = parts if parts is not None else family_downloads_of(plan, figures)
    money = '#,##0.00\\ "€"' if plan.settings.currency == "EUR" else "#,##0.00"
    day = "dd/mm/yyyy" if plan.settings.language == "fr" else "yyyy-mm-dd"
    sheets: list[xlsx.Sheet] = []

    def sheet(title: str, headers: list[str]) -> xlsx.Sheet:
        made = xlsx.Sheet(title)
        made.append([(h, xlsx.BOLD) for h in headers])
        sheets.append(made)
        return made

    ws = sheet(t["plan"], [t["actions"], t["phases"], t["who"], t["budget"], t["actual"], t["start"], t["end"],
                           t["objective"], t["result"], t["analysis"], t["status"], t["source_file"]])
    carrier = xlsx.Sheet(CARRIER, hidden=True)
    carrier.append([(CARRIER_MARK, xlsx.BOLD)])
    for part in parts:  # each family's rows, made apart from their first row on (``family_downloads``)
        ws.append_xml(part.plan_rows, part.rows)
        carrier.append_xml(part.carried, part.rows)
    for path, text in plan.files:
        carrier.append(_carried(path, "file", "", text))
    for table in budget_tables(plan, figures, t):
        ws = sheet(table.title, table.headers)
        for row in table.rows:
            ws.append([(c, xlsx.MONEY if isinstance(c, Decimal) else xlsx.PLAIN) for c in row])
    sheets.append(carrier)
    return xlsx.workbook(sheets, money, day, "pacsite", datetime.combine(plan.today, time(0, 0)))


def plan_ics(plan: Plan, figures: PlanFigures, parts: list[FamilyDownloads] | None = None) -> bytes:
    """Return plan.ics: one all-day event per dated phase, stable UIDs.

    Each event says who does the phase and its status (in the notes, and as
    the event's STATUS), and links to the phase's page when ``base_url`` is
    set: a calendar subscribed to the published plan.ics updates its events
    (same UID: family and phase folder names) rather than adding copies.

    Written here rather than with the icalendar library, which spends ~0.25 ms
    an event (3.5 s for 15 000 phases) on what is a few lines of text; the
    tests read every file back with icalendar and check it event by event,
    and that it gives the very bytes icalendar writes.
    """
    parts = parts if parts is not None else family_downloads_of(plan, figures)
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_ics_escape(f'-//pacsite//{__version__}//FR')}",
            f"X-WR-CALNAME:{_ics_escape(plan.title)}"]
    return ("".join(_ics_fold(line) + "\r\n" for line in head) + "".join(part.ics for part in parts)
            + "END:VCALENDAR\r\n").encode("utf-8")


def _ics_events(f: Family, settings: Settings, today: date) -> str:
    """A family's events in plan.ics, folded: one a dated phase."""
    stamp = today.strftime("%Y%m%dT000000Z")
    base, urls = settings.base_url, Urls(settings.language)
    t, labels = translator(settings.language), STATUS_LABELS[settings.language]
    lines: list[str] = []
    for p in f.phases:
        if p.start is None or p.end is None:
            continue
        # icalendar's order: these first, then the others by name
        lines += ["BEGIN:VEVENT", f"SUMMARY:{_ics_escape(f'{p.title} ({f.title})')}",
                  f"DTSTART;VALUE=DATE:{p.start:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{p.end + timedelta(days=1):%Y%m%d}",
                  f"DTSTAMP:{stamp}", f"UID:{_ics_escape(f'{f.slug}.{p.slug}@pacsite')}",
                  f"CATEGORIES:{_ics_escape(f.title)}"]
        url = absolute_url(base, urls.phase(f.slug, p.slug)) if base else None
        lines.append(f"DESCRIPTION:{_ics_escape(_ics_description(p, url, t, labels))}")
        lines.append(f"STATUS:{_ICS_STATUS[p.status]}")
        if url:
            lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


# a phase's status as a calendar reads it: planned is tentative, under way or done is confirmed
_ICS_STATUS = {"planned": "TENTATIVE", "in_progress": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED"}


def _ics_description(p: Phase, url: str | None, t: dict[str, str], labels: dict[str, str]) -> str:
    """What an event's notes say: who, the status in words, and the phase's page."""
    lines = [f"{t['owner']}{t['colon']} {', '.join(o.name for o in p.owners) or t['none']}",
             f"{t['status']}{t['colon']} {labels.get(p.status, p.status)}"]
    if url:
        lines.append(url)
    return "\n".join(lines)


# RFC 5545 §3.1: a TEXT value holds no control character but the tab (line breaks are escaped first)
_ICS_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _ics_escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, line breaks; drop other controls.

    Titles and folder names come from pull requests: a CR or LF left in
    would end the line, and what follows would be a property of its own
    (``ATTACH:``). Line breaks become ``\\n``; no CR or LF survives.
    """
    escaped = (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
               .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))
    return _ICS_CONTROLS.sub("", escaped)


def _ics_fold(line: str, limit: int = 75) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a character or an escape."""
    if len(line) * 4 < limit or len(line.encode("utf-8")) < limit:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= limit:
            if len(current) > 1 and current[-1] == "\\":  # keep an escape whole, as icalendar does
                parts.append("".join(current[:-1]))
                current, size = ["\\"], 1
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def sitemap(paths: tuple[str, ...], base_url: str | None) -> bytes:
    """Return sitemap.xml; without base_url the locations are relative to the site."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(paths):
        if path.endswith(".html") and path != "404.html":
            lines.append(f"  <url><loc>{xlsx.escape(absolute_url(base_url or '', path))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")



@dataclass(frozen=True)
class FamilyDownloads:
    """One family's share of each download, as it is written in the file: the downloads are these, in plan
    order, between a head and a tail made of the plan's totals. A build keeps each family's while the
    family and its figures are the same, texts aside (``Reuse.call``): a budget edit makes one family's."""

    json: str  # its object in plan.json's list of families
    csv: str  # its phases' rows in budget.csv
    plan_rows: str  # its phases' rows in plan.xlsx's plan sheet (XML), from ``first`` on
    carried: str  # its phases' rows in plan.xlsx's hidden sheet (XML), from ``first`` on
    ics: str  # its dated phases' events in plan.ics
    rows: int  # its phases: the rows it takes in each sheet


def family_downloads(f: Family, ff: FamilyFigures, figures: tuple[PhaseFigures, ...], settings: Settings,
                     stages: tuple[tuple[str, str], ...], today: date, first: int) -> FamilyDownloads:
    """A family's share of each download; ``first``: the number of its first row in plan.xlsx's sheets."""
    t, statuses = translator(settings.language), STATUS_LABELS[settings.language]
    comma, titles = settings.language == "fr", dict(stages)
    buffer = io.StringIO()
    writer = _csv_writer(buffer, comma)
    styles = (xlsx.PLAIN, xlsx.PLAIN, xlsx.PLAIN, xlsx.MONEY, xlsx.MONEY, xlsx.DATE, xlsx.DATE,
              xlsx.PLAIN, xlsx.PLAIN, xlsx.PLAIN, xlsx.PLAIN, xlsx.PLAIN)
    plan_rows: list[xlsx.Row] = []
    carried: list[xlsx.Row] = []
    for p, pf in zip(f.phases, figures, strict=True):
        writer.writerow([_csv_cell(c, comma) for c in phase_cells(f, p, pf, titles, t, statuses)])
        cells = table_row(f, p, pf, statuses)
        plan_rows.append([(c, style) for c, style in zip(cells, styles, strict=True)])
        carried.append(_carried(p.source, "phase", _fingerprint(cells), p.front or ""))
    return FamilyDownloads(_json_family(f, ff, figures), buffer.getvalue(), xlsx.rows_xml(plan_rows, first),
                           xlsx.rows_xml(carried, first), _ics_events(f, settings, today), len(f.phases))


def family_downloads_of(plan: Plan, figures: PlanFigures) -> list[FamilyDownloads]:
    """Every family's share of the downloads, in plan order."""
    return [family_downloads(*inputs) for inputs in family_downloads_inputs(plan, figures)]


def family_downloads_inputs(plan: Plan, figures: PlanFigures) -> list[tuple[Any, ...]]:
    """What ``family_downloads`` takes for each family, in plan order: all that its share is made of."""
    inputs, first, stages = [], 2, stage_titles(plan)  # row 1: the headers
    for f in plan.families:
        inputs.append((f, figures.families[f.slug], tuple(figures.phase(p) for p in f.phases), plan.settings,
                       stages, plan.today, first))
        first += len(f.phases)
    return inputs


def stage_titles(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The plan's stages, id and title: budget.csv names a phase's stage by its title."""
    return tuple((st.id, st.title) for st in plan.stages)


def downloads(plan: Plan, figures: PlanFigures, t: dict[str, str],
              parts: list[FamilyDownloads] | None = None) -> dict[str, bytes]:
    """Return the downloadable files: the same figures as the pages, for other tools.

    ``parts``: each family's share (``family_downloads``), when the caller has them.
    """
    parts = parts if parts is not None else family_downloads_of(plan, figures)
    made = (plan_json(plan, figures, parts), budget_csv(plan, figures, t, parts), plan_xlsx(plan, figures, t, parts),
            plan_ics(plan, figures, parts))
    return dict(zip(DOWNLOADS, made, strict=True))  # plan.json, budget.csv, plan.xlsx, plan.ics
