"""``pacsite import``: a plan kept as the template's table (xlsx or csv) written as content files.

The table is the one teams keep today: one row per phase, its family in the
ACTIONS column (often only on the family's first row), then PHASES/ÉTAPES,
QUI, BUDGET, DATE DÉBUT, DATE FIN, OBJECTIF, RÉSULTAT OBTENU, ANALYSE
ÉCARTS, in any order, with French or English headers, French amounts
(``12 500,50 €``) and dates (``15/03/2027``). ``plan.xlsx`` as ``pacsite
build`` writes it reads the same way (its extra columns: actual, status).

Every row is read before anything is written: a row that cannot be read is
reported with its number and nothing is written at all. Files are made in a
staging folder and moved into place; an existing file is never replaced
without ``--force``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pacsite import fields
from pacsite.errors import Diagnostics, PacsiteError, UsageError
from pacsite.urls import slugify

# each column, by its header written in any case, with or without accents
COLUMNS: dict[str, tuple[str, ...]] = {
    "family": ("actions", "action", "familles", "famille", "famille d'actions", "families", "family"),
    "title": ("phases/etapes", "phases / etapes", "phases", "phase", "etapes", "etape", "steps", "step",
              "phases/steps"),
    "owner": ("qui", "responsable", "who", "owner"),
    "budget": ("budget", "budget prevu", "prevu", "planned"),
    "spent": ("realise", "depense", "budget realise", "actual", "spent"),
    "start": ("date debut", "date de debut", "debut", "start", "start date"),
    "end": ("date fin", "date de fin", "fin", "end", "end date"),
    "objective": ("objectif", "objectifs", "objective"),
    "result": ("resultat obtenu", "resultat", "resultats", "result", "results"),
    "analysis": ("analyse ecarts", "analyse des ecarts", "analyse", "variance analysis", "analysis"),
    "status": ("statut", "etat", "status"),
}
ENGLISH = {"families", "family", "steps", "step", "phases/steps", "who", "owner", "planned", "actual", "spent",
           "start", "start date", "end", "end date", "objective", "result", "results", "variance analysis",
           "analysis", "status"}
_HEADER = {fields.normalize_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}
_FR_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


@dataclass
class Row:
    """One phase of the table, read."""

    number: int
    family: str
    values: dict[str, Any] = field(default_factory=dict)


def read_table(path: Path) -> list[list[Any]]:
    """Return the cells of the file's first sheet (xlsx) or of the file (csv, ``;`` or ``,``)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not xlsx
            raise UsageError(f"pacsite: cannot read {path.name} as a spreadsheet: {exc}") from None
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    if suffix == ".csv":
        raw = path.read_bytes()
        if b"\x00" in raw[:8192]:
            raise UsageError(f"pacsite: {path.name} is not a CSV file (binary content)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on a French Windows
        first = text.split("\n", 1)[0]
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:  # one column, or not a table at all: the header search says so
            dialect = "excel-tab" if "\t" in first else "excel"
        if isinstance(dialect, str) and ";" in first:
            dialect = type("Semicolons", (csv.excel,), {"delimiter": ";"})
        try:
            return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
        except csv.Error as exc:
            raise UsageError(f"pacsite: cannot read {path.name} as CSV: {exc}") from None
    raise UsageError(f"pacsite: expected a .xlsx or .csv file, found {path.name}")


def _header(rows: list[list[Any]]) -> tuple[int, dict[int, str], str]:
    """Find the header row (a title may sit above it): its index, column -> field, and language."""
    for index, cells in enumerate(rows[:20]):
        found: dict[int, str] = {}
        english = 0
        english_keys = {fields.normalize_key(e) for e in ENGLISH}
        for position, cell in enumerate(cells):
            if not isinstance(cell, str) or not cell.strip():
                continue
            key = fields.normalize_key(cell)
            column = _HEADER.get(key)
            if column and column not in found.values():
                found[position] = column
                english += key in english_keys
        if "title" in found.values() and len(found) >= 3:
            return index, found, "en" if english * 2 > len(found) else "fr"
    raise PacsiteError("no header row found: expected columns such as ACTIONS, PHASES/ÉTAPES, QUI, BUDGET, "
                       "DATE DÉBUT, DATE FIN in the first 20 rows")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _amount(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected an amount, found {fields.describe(value)}")
    if isinstance(value, (int, float)):
        try:
            return fields.parse_money(repr(value) if isinstance(value, float) else str(value))
        except (ValueError, InvalidOperation):
            raise ValueError(f"expected an amount in cents at most, found {value}") from None
    return fields.parse_money(str(value))


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _FR_DATE.match(text)
    if match:
        try:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            raise ValueError(f"not a real date: {text}") from None
    return fields.parse_date(text)


def read_rows(path: Path, diagnostics: Diagnostics) -> tuple[list[Row], str]:
    """Read every phase row; errors (with the spreadsheet's row number) go to ``diagnostics``."""
    cells = read_table(path)
    start, columns, language = _header(cells)
    rows: list[Row] = []
    family: str | None = None
    parsers = {"budget": _amount, "spent": _amount, "start": _date, "end": _date}
    for index in range(start + 1, len(cells)):
        number = index + 1  # as the spreadsheet numbers its rows
        values = {column: cells[index][position] for position, column in columns.items()
                  if position < len(cells[index])}
        if all(_text(v) is None for v in values.values()):
            continue
        family = _text(values.get("family")) or family
        title = _text(values.get("title"))
        if title is None:
            continue  # a family's own row (its title only), or a subtotal
        if family is None:
            diagnostics.error(path.name, number, "ACTIONS", "a phase before any family: fill in its ACTIONS cell")
            continue
        row = Row(number, family, {"title": title})
        for column, value in values.items():
            if column in ("family", "title"):
                continue
            try:
                row.values[column] = parsers[column](value) if column in parsers else _text(value)
            except ValueError as exc:
                header = next(str(cells[start][p]) for p, c in columns.items() if c == column)
                diagnostics.error(path.name, number, header.strip(), str(exc))
        start_day, end_day = row.values.get("start"), row.values.get("end")
        if start_day and end_day and end_day < start_day:
            diagnostics.error(path.name, number, None, f"ends ({end_day}) before it starts ({start_day})")
        rows.append(row)
    if not rows and not diagnostics.has_errors():
        diagnostics.error(path.name, start + 1, None, "no phase below the header row")
    return rows, language


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's): any text, read back as written."""
    return json.dumps(text, ensure_ascii=False)


def _slugs(titles: list[str]) -> list[str]:
    """File and folder names from titles: short, unique, in order."""
    seen: dict[str, int] = {}
    out = []
    for title in titles:
        base = slugify(title)
        if len(base) > 40:  # cut at a word, as a person would
            base = base[:41].rsplit("-", 1)[0]
        base = base.strip("-") or "phase"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def plan_files(rows: list[Row], language: str, title: str) -> dict[str, str]:
    """Return the plan's files (path -> text) for the rows read."""
    files = {
        "pacsite.yaml": f"language: {language}\n",
        "content/_index.md": f"---\ntitle: {_quoted(title)}\n---\n",
    }
    families = list(dict.fromkeys(r.family for r in rows))
    for number, (family, folder) in enumerate(zip(families, _slugs(families), strict=True), 1):
        base = f"content/actions/{number:02d}-{folder}"
        files[f"{base}/_index.md"] = f"---\ntitle: {_quoted(family)}\n---\n"
        mine = [r for r in rows if r.family == family]
        for index, (row, name) in enumerate(zip(mine, _slugs([r.values["title"] for r in mine]), strict=True), 1):
            v = row.values
            lines = ["---", f"title: {_quoted(v['title'])}"]
            owners = [o.strip() for o in re.split(r"[,;]", v.get("owner") or "") if o.strip()]
            if len(owners) == 1:
                lines.append(f"owner: {_quoted(owners[0])}")
            elif owners:  # "Claire Martin, Julien Roche": two owners, the first responsible
                lines.append(f"owner: [{', '.join(_quoted(o) for o in owners)}]")
            lines.append(f"budget: {v.get('budget') or Decimal('0.00')}")
            if v.get("spent") is not None:
                lines.append(f"spent: {v['spent']}")
            for key in ("start", "end"):
                if v.get(key):
                    lines.append(f"{key}: {v[key].isoformat()}")
            if v.get("status"):
                lines.append(f"status: {_quoted(v['status'])}")
            if v.get("objective"):
                lines += ["objective:", f"  text: {_quoted(v['objective'])}"]
            if v.get("result"):
                lines += ["result:", f"  text: {_quoted(v['result'])}"]
            if v.get("analysis"):
                lines.append(f"analysis: {_quoted(v['analysis'])}")
            lines += ["---", ""]
            files[f"{base}/{index:02d}-{name}.md"] = "\n".join(lines)
    return files


def import_plan(source: Path, root: Path, force: bool = False) -> list[str]:
    """Write the plan of ``source`` into ``root``; return the files written.

    Raise PacsiteError (with the rows' errors) before writing anything if a
    row cannot be read, UsageError if a file exists and ``force`` is not set.
    """
    if not source.is_file():
        raise UsageError(f"pacsite: no such file: {source}")
    diagnostics = Diagnostics()
    rows, language = read_rows(source, diagnostics)
    if diagnostics.has_errors():
        raise PacsiteError(f"{len(diagnostics.errors)} rows cannot be read; nothing was written", diagnostics)
    title = "Plan d'action commerciale" if language == "fr" else "Commercial action plan"
    files = plan_files(rows, language, title)
    existing = [rel for rel in files if (root / rel).exists()]
    if existing and not force:
        raise UsageError(f"pacsite: {root / existing[0]} exists ({len(existing)} files would be replaced): "
                         "use --force to replace them")
    root.mkdir(parents=True, exist_ok=True)
    staging = root / ".pacsite-import"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for rel in files:  # every file made: now each is moved into place
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).replace(root / rel)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return list(files)
