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
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape

from pacsite import __version__, xlsx
from pacsite.figures import Amounts, PhaseFigures, PlanFigures
from pacsite.i18n import STATUS_LABELS, translator
from pacsite.model import Family, Phase, Plan, Result
from pacsite.urls import Urls, directory_url


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _ratio(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _pair(a: Amounts) -> dict[str, str | None]:
    return {"planned": _amount(a.planned), "actual": _amount(a.actual)}


def plan_json(plan: Plan, figures: PlanFigures) -> bytes:
    """Return plan.json: the whole plan and its computed figures."""
    families = []
    for f in plan.families:
        ff = figures.families[f.slug]
        phases = []
        for p in f.phases:
            pf = figures.phase(p)
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
        families.append({
            "slug": f.slug, "title": f.title, "order": f.order, "stage": f.stage,
            "envelope": _amount(ff.envelope), "remaining": _amount(ff.remaining),
            "planned": _amount(ff.amounts.planned), "actual": _amount(ff.amounts.actual),
            "variance": _amount(ff.amounts.variance), "phases": phases,
        })
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
        "families": families,
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
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _fr_amount(value: Decimal, decimal_comma: bool) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if decimal_comma else text


def budget_csv(plan: Plan, figures: PlanFigures, t: dict[str, str]) -> bytes:
    """Return budget.csv for Excel: UTF-8 with BOM, ';' and a decimal comma in French."""
    comma = plan.settings.language == "fr"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if comma else ",", lineterminator="\r\n")
    writer.writerow([t["family"], t["phase"], t["owner"], t["stage"], t["start"], t["end"],
                     t["status"], t["planned"], t["actual"], t["variance"]])
    for f in plan.families:
        for p in f.phases:
            pf = figures.phase(p)
            writer.writerow([
                f.title, p.title, p.owner.name if p.owner else "", p.stage,
                p.start.isoformat() if p.start else "", p.end.isoformat() if p.end else "",
                p.status, _fr_amount(pf.money.planned, comma), _fr_amount(pf.money.actual, comma),
                _fr_amount(pf.amounts.variance, comma),
            ])
    totals = figures.totals
    writer.writerow([t["total"], "", "", "", "", "", "", _fr_amount(totals.planned, comma),
                     _fr_amount(totals.actual, comma), _fr_amount(totals.variance, comma)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# the hidden sheet that lets `pacsite import` give back the plan (see pacsite.importer)
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


def plan_xlsx(plan: Plan, figures: PlanFigures, t: dict[str, str]) -> bytes:
    """Return plan.xlsx: the plan table, the budget tables, and a hidden sheet for ``pacsite import``.

    The hidden sheet holds each phase's front matter as written (the table
    shows part of it) with the cells as exported, and the plan's other files
    but the phases' text: importing the workbook gives the same plan.json,
    and a cell edited in Excel wins over what the hidden sheet says.

    Written by ``pacsite.xlsx`` (see there why not openpyxl); the tests build
    the same workbook with openpyxl and compare every cell, format and font.
    """
    money = '#,##0.00\\ "€"' if plan.settings.currency == "EUR" else "#,##0.00"
    day = "dd/mm/yyyy" if plan.settings.language == "fr" else "yyyy-mm-dd"
    labels = STATUS_LABELS[plan.settings.language]
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
    styles = (xlsx.PLAIN, xlsx.PLAIN, xlsx.PLAIN, xlsx.MONEY, xlsx.MONEY, xlsx.DATE, xlsx.DATE,
              xlsx.PLAIN, xlsx.PLAIN, xlsx.PLAIN, xlsx.PLAIN, xlsx.PLAIN)
    for f in plan.families:
        for p in f.phases:
            cells = table_row(f, p, figures.phase(p), labels)
            ws.append(list(zip(cells, styles, strict=True)))
            carrier.append(_carried(p.source, "phase", _fingerprint(cells), p.front or ""))
    for path, text in plan.files:
        carrier.append(_carried(path, "file", "", text))
    names = {o.key: o.name for p in plan.phases for o in p.owners}
    stages = {s.id: s.title for s in plan.stages}
    objectives = {o.id: o.title for o in plan.objectives}
    # lists, not dicts: two owners may share a name and must stay two rows
    tables: list[tuple[str, list[tuple[str, Amounts]]]] = [
        (t["by_family"], [(f.title, figures.families[f.slug].amounts) for f in plan.families]),
        (t["by_stage"], [(stages.get(k, k), a) for k, a in figures.by_stage.items()]),
        (t["by_owner"], [(names.get(k, k), a) for k, a in figures.by_owner.items()]),
        (t["by_objective"], [(objectives.get(k, k), a) for k, a in figures.by_objective.items()]),
        (t["by_quarter"], list(figures.by_quarter.items())),
        (t["by_month"], list(figures.by_month.items())),
    ]
    for title, table in tables:
        ws = sheet(title, [title, t["planned"], t["actual"], t["variance"]])
        for key, amounts in [*table, (t["total"], figures.totals)]:
            ws.append([(key or t["none"], xlsx.PLAIN), *((v, xlsx.MONEY) for v in
                                                         (amounts.planned, amounts.actual, amounts.variance))])
    sheets.append(carrier)
    return xlsx.workbook(sheets, money, day, "pacsite", datetime.combine(plan.today, time(0, 0)))


def plan_ics(plan: Plan, figures: PlanFigures, urls: Urls) -> bytes:
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
    stamp = plan.today.strftime("%Y%m%dT000000Z")
    base = plan.settings.base_url
    t, labels = translator(plan.settings.language), STATUS_LABELS[plan.settings.language]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_ics_escape(f'-//pacsite//{__version__}//FR')}",
             f"X-WR-CALNAME:{_ics_escape(plan.title)}"]
    for f in plan.families:
        for p in f.phases:
            if p.start is None or p.end is None:
                continue
            # icalendar's order: these first, then the others by name
            lines += ["BEGIN:VEVENT", f"SUMMARY:{_ics_escape(f'{p.title} ({f.title})')}",
                      f"DTSTART;VALUE=DATE:{p.start:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{p.end + timedelta(days=1):%Y%m%d}",
                      f"DTSTAMP:{stamp}", f"UID:{_ics_escape(f'{f.slug}.{p.slug}@pacsite')}",
                      f"CATEGORIES:{_ics_escape(f.title)}"]
            url = base + directory_url(urls.phase(f.slug, p.slug)) if base else None
            lines.append(f"DESCRIPTION:{_ics_escape(_ics_description(p, url, t, labels))}")
            lines.append(f"STATUS:{_ICS_STATUS[p.status]}")
            if url:
                lines.append(f"URL:{url}")
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_ics_fold(line) + "\r\n" for line in lines).encode("utf-8")


# a phase's status as a calendar reads it: planned is tentative, under way or done is confirmed
_ICS_STATUS = {"planned": "TENTATIVE", "in_progress": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED"}


def _ics_description(p: Phase, url: str | None, t: dict[str, str], labels: dict[str, str]) -> str:
    """What an event's notes say: who, the status in words, and the phase's page."""
    lines = [f"{t['owner']}{t['colon']} {', '.join(o.name for o in p.owners) or t['none']}",
             f"{t['status']}{t['colon']} {labels.get(p.status, p.status)}"]
    if url:
        lines.append(url)
    return "\n".join(lines)


def _ics_escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, line breaks."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


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


def sitemap(paths: list[str], base_url: str | None) -> bytes:
    """Return sitemap.xml; without base_url the locations are relative to the site."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(paths):
        if path.endswith(".html") and path != "404.html":
            lines.append(f"  <url><loc>{escape((base_url or '') + directory_url(path))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
