"""The template's table read as rows: ``pacsite import``'s first half.

Finds the header row as people write it (any case, accents, text in
parentheses, punctuation, line breaks, any order), skips the header row the
template repeats before each section, splits a cell that lists several
phases, checks TOTAL rows against the rows above, and reads each cell with
the plan's own parsers (an amount is never guessed). Also reads the hidden
sheet of a ``plan.xlsx`` that pacsite wrote. Nothing here writes a file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pacsite import messages
from pacsite.errors import Diagnostics, UsageError
from pacsite.load import fields
from pacsite.messages import Problem, msg, plain_list, quote
from pacsite.output.exports import CARRIER, CARRIER_MARK

FIELDS = ("family", "title", "owner", "budget", "spent", "start", "end", "objective", "result", "analysis",
          "status")  # the plan sheet's columns, in exports.table_row's order (then the file)
# each column, by its header as people write it (see ``header_key``)
COLUMNS: dict[str, tuple[str, ...]] = {
    "family": ("actions", "action", "familles", "famille", "famille d'actions", "familles d'actions",
               "families", "family", "actions commerciales"),
    "title": ("phases etapes", "phases", "phase", "etapes", "etape", "phases et etapes", "steps", "step",
              "phases steps"),
    "owner": ("qui", "responsable", "responsables", "who", "owner"),
    "budget": ("budget", "budget prevu", "prevu", "planned", "budget planned"),
    "spent": ("realise", "depense", "depenses", "budget realise", "budget depense", "actual", "spent"),
    "start": ("date debut", "date de debut", "debut", "start", "start date"),
    "end": ("date fin", "date de fin", "fin", "end", "end date"),
    "objective": ("objectif", "objectifs", "objectifs prevus", "objective", "objectives"),
    "result": ("resultat obtenu", "resultats obtenus", "resultat", "resultats", "result", "results"),
    "analysis": ("analyse ecarts", "analyse des ecarts", "analyse", "ecarts", "variance analysis", "analysis"),
    "status": ("statut", "etat", "status"),
    "file": ("fichier", "file", "source"),
}
ENGLISH = {"families", "family", "steps", "step", "phases steps", "who", "owner", "planned", "budget planned",
           "actual", "spent", "start", "start date", "end", "end date", "objective", "objectives", "result",
           "results", "variance analysis", "analysis", "status", "file"}
# what the no-header message says is missing, in the template's words
EXPECTED = {"family": ("ACTIONS", "ACTIONS"), "title": ("PHASES/ÉTAPES", "STEPS"), "owner": ("QUI", "WHO"),
            "budget": ("BUDGET", "BUDGET"), "start": ("DATE DÉBUT", "START DATE"), "end": ("DATE FIN", "END DATE")}
_PARENS = re.compile(r"\([^)]*\)?")
_HEADER_PUNCT = re.compile(r"[?:,;/.!*€\s]+")


def header_key(text: str) -> str:
    """A header cell as compared: no case, accents, text in parentheses, punctuation or extra spaces.

    ``PHASES, ÉTAPES (décrire brièvement…)`` and ``Phases/Étapes`` are both
    ``phases_etapes``; ``QUI ? (qui réalise l'action ?)`` is ``qui``.
    """
    bare = _HEADER_PUNCT.sub(" ", _PARENS.sub(" ", text)).strip()
    return fields.normalize_key(bare) if bare else ""


_HEADER = {header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}
_ENGLISH = {header_key(e) for e in ENGLISH}
_BULLET = re.compile(r"^(?:[-*+]\s+|[•▶►▸▪◦·○●■□→➢➤✓✔–—]\s*)")
_TOTAL = re.compile(r"^(?:sous_)?total(?:e|es|aux)?(?:_|$)|^totaux(?:_|$)")


@dataclass
class Row:
    """One phase of the table, read."""

    number: int
    family: str
    values: dict[str, Any] = field(default_factory=dict)


def read_table(path: Path) -> tuple[list[list[Any]], list[list[Any]]]:
    """Return the cells of the file's first sheet (xlsx) or of the file (csv, ``;`` or ``,``).

    Second: the rows of plan.xlsx's hidden ``pacsite`` sheet, if there is one.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook  # lazy: 0.15 s to import, for .xlsx files alone

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not xlsx
            raise UsageError(msg("import_not_spreadsheet", name=path.name, error=exc)) from None
        try:
            table = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
            carrier: list[list[Any]] = []
            if CARRIER in workbook.sheetnames and workbook.worksheets[0].title != CARRIER:
                carrier = [list(row) for row in workbook[CARRIER].iter_rows(values_only=True)]
            return table, carrier
        finally:
            workbook.close()
    if suffix == ".csv":
        raw = path.read_bytes()
        if b"\x00" in raw[:8192]:
            raise UsageError(msg("import_binary_csv", name=path.name))
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
            return [list(row) for row in csv.reader(io.StringIO(text), dialect)], []
        except csv.Error as exc:
            raise UsageError(msg("import_bad_csv", name=path.name, error=exc)) from None
    raise UsageError(msg("import_wrong_suffix", name=path.name))


def _header_row(cells: list[Any]) -> tuple[dict[int, str], int]:
    """The columns a row names (position -> field) and how many of them are English words."""
    found: dict[int, str] = {}
    english = 0
    for position, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        key = header_key(cell)
        column = _HEADER.get(key)
        if column and column not in found.values():
            found[position] = column
            english += key in _ENGLISH
    return found, english


def _header(rows: list[list[Any]], name: str, language: str | None,
            diagnostics: Diagnostics) -> tuple[int, dict[int, str], str] | None:
    """Find the header row (a title may sit above it): its index, column -> field, and language.

    None when there is none: the error shows the nearest row's cells and the columns it lacks.
    """
    best: tuple[int, int, int] | None = None  # (columns named, cells filled, index)
    for index, cells in enumerate(rows[:20]):
        found, english = _header_row(cells)
        detected = "en" if english * 2 > len(found) else "fr"
        if "title" in found.values() and len(found) >= 3:
            return index, found, language or detected
        filled = sum(1 for c in cells if cell_text(c) is not None)
        if filled and (best is None or (len(found), filled) > best[:2]):
            best = (len(found), filled, index)
    if best is None:
        diagnostics.language = language or "fr"
        diagnostics.error(name, None, None, msg("import_no_cells"))
        return None
    cells = rows[best[2]]
    found, english = _header_row(cells)
    diagnostics.language = language or ("en" if found and english * 2 > len(found) else "fr")
    side = 0 if diagnostics.language == "fr" else 1
    missing = [words[side] for column, words in EXPECTED.items() if column not in found.values()]
    shown = [fields.describe(" ".join(str(c).split())) for c in cells if cell_text(c) is not None]
    lacks = msg("import_column", name=missing[0]) if len(missing) == 1 else msg(
        "import_columns", names=plain_list(missing, diagnostics.language))
    diagnostics.error(name, best[2] + 1, None, msg("import_no_header", row=best[2] + 1, cells=shown, missing=lacks))
    return None


def cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _one_line(value: Any) -> str | None:
    """A cell's text on one line: line breaks typed in the cell (Alt+Entrée) are spaces."""
    text = cell_text(value)
    return " ".join(text.split()) if text else None


def _amount(value: Any) -> Decimal | None:
    """An amount cell: a number typed in Excel is exact; text is read as ``fields.parse_money`` reads it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Problem(msg("expected_amount", found=fields.describe(value)))
    if isinstance(value, (int, float)):
        try:
            amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise Problem(msg("expected_amount", found=fields.describe(value))) from None
        if not amount.is_finite():
            raise Problem(msg("expected_amount", found=fields.describe(value)))
        if amount < 0:
            raise Problem(msg("negative_amount", found=fields.describe(value)))
        if amount > fields.MAX_AMOUNT:  # first: rounding 30 digits to cents needs more than Decimal's 28
            raise Problem(msg("amount_too_large", found=fields.describe(value)))
        if amount != amount.quantize(Decimal("0.01")):
            raise Problem(msg("too_many_decimals", found=fields.describe(value)))
        return amount.quantize(Decimal("0.01"))
    return fields.parse_money(str(value))


def _date(value: Any) -> date | None:
    """A date cell: an Excel date, ``15/03/2027`` or ``2027-03-15`` (what ``fields.parse_date`` says otherwise)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return fields.in_range(value.date(), value.date().isoformat())
    if isinstance(value, date):
        return fields.in_range(value, value.isoformat())
    text = str(value).strip()
    day = fields.written_date(text)  # not a real date: parse_date says why
    return fields.in_range(day, text) if day is not None else fields.parse_date(text)


PARSERS: dict[str, Any] = {"budget": _amount, "spent": _amount, "start": _date, "end": _date}


def phase_lines(cell: str) -> list[str]:
    """The phases of a PHASES cell: one per line, bullets (``-``, ``•``, ``▶``) dropped.

    When some lines start with a bullet, a line without one continues the
    item above (a long phase wrapped by hand); otherwise each line is a phase.
    """
    lines = [line.strip() for line in cell.splitlines() if line.strip()]
    bulleted = any(_BULLET.match(line) for line in lines)
    items: list[str] = []
    for line in lines:
        bare = _BULLET.sub("", line).strip()
        if bulleted and not _BULLET.match(line) and items:
            items[-1] = f"{items[-1]} {bare}"
        elif bare:
            items.append(bare)
    return [" ".join(item.split()) for item in items]


def _is_total(text: str | None) -> bool:
    return bool(text) and bool(_TOTAL.match(fields.normalize_key(text or "")))


@dataclass
class _Totals:
    """The amounts of the phases read so far: the table's, and the section's (since a header or TOTAL row)."""

    table: dict[str, Decimal] = field(default_factory=dict)
    section: dict[str, Decimal] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        for column in ("budget", "spent"):
            amount = row.values.get(column) or Decimal(0)
            self.table[column] = self.table.get(column, Decimal(0)) + amount
            self.section[column] = self.section.get(column, Decimal(0)) + amount


def _money(amount: Decimal, language: str) -> str:
    spelled = messages.number(amount, language)
    return f"{spelled} €" if language == "fr" else f"€{spelled}"


def read_rows(path: Path, diagnostics: Diagnostics,
              language: str | None = None) -> tuple[list[Row], str, dict[str, Carried]]:
    """Read every phase row; errors (with the spreadsheet's row number) go to ``diagnostics``.

    ``language``: the target plan's, if it has one (else the headers'). Second:
    the language; third: what plan.xlsx's hidden sheet carries, by path
    (empty for any other table).
    """
    cells, carrier = read_table(path)
    carried = read_carrier(carrier, path.name, diagnostics)
    found = _header(cells, path.name, language, diagnostics)
    if found is None:
        return [], diagnostics.language, carried
    start, columns, language = found
    diagnostics.language = language
    headers = {c: _short(str(cells[start][p])) for p, c in columns.items()}
    rows: list[Row] = []
    family: str | None = None
    totals = _Totals()
    for index in range(start + 1, len(cells)):
        number = index + 1  # as the spreadsheet numbers its rows
        values = {column: cells[index][position] for position, column in columns.items()
                  if position < len(cells[index])}
        if all(cell_text(v) is None for v in values.values()):
            continue
        named, _ = _header_row(cells[index])
        if sum(1 for p, c in named.items() if columns.get(p) == c) >= min(3, len(columns)):
            totals.section = {}  # the header row again: a new section of the template
            continue
        family_cell, title_cell = _one_line(values.get("family")), cell_text(values.get("title"))
        if _is_total(family_cell) or _is_total(title_cell):
            _check_total(path.name, number, family_cell if _is_total(family_cell) else title_cell, values,
                         headers, totals, diagnostics)
            continue
        family = family_cell or family
        if title_cell is None:
            continue  # a family's own row (its title only)
        if family is None:
            diagnostics.error(path.name, number, headers["family"] if "family" in headers else "ACTIONS",
                              msg("import_before_family"))
            continue
        titles = phase_lines(title_cell)
        if not titles:
            continue
        row = Row(number, family, {"title": titles[0]})
        for column, value in values.items():
            if column in ("family", "title"):
                continue
            try:
                row.values[column] = PARSERS.get(column, cell_text)(value)
            except Problem as exc:
                diagnostics.error(path.name, number, headers[column], exc.msg)
        start_day, end_day = row.values.get("start"), row.values.get("end")
        if start_day and end_day and end_day < start_day:
            diagnostics.error(path.name, number, None, msg("import_ends_before_start", end=end_day.isoformat(),
                                                           start=start_day.isoformat()))
        result = row.values.get("result")
        if result and not carried:
            _, why = fields.result_value(result)
            if why:
                diagnostics.warning(path.name, number, headers["result"],
                                    msg(f"import_result_{why}", found=fields.describe(result)))
        if len(titles) > 1:
            # one row, several phases: only QUI can be given to each; an amount or a date cannot be split
            whole = [headers[c] for c, v in row.values.items() if c not in ("title", "owner", "file") and v]
            if whole:
                diagnostics.error(path.name, number, headers["title"], msg(
                    "import_list_cell_filled", n=len(titles), columns=plain_list(whole, language)))
                continue
            diagnostics.warning(path.name, number, headers["title"], msg("import_list_cell", n=len(titles)))
        for title in titles:
            phase = Row(number, family, {**row.values, "title": title})
            rows.append(phase)
            totals.add(phase)
    if not rows and not diagnostics.has_errors():
        diagnostics.error(path.name, start + 1, None, msg("import_no_phase"))
    return rows, language, carried


def _short(header: str) -> str:
    """A header as a message names it: ``PHASES, ÉTAPES`` for the template's long one, ``QUI`` for ``QUI ?``."""
    return " ".join(_PARENS.sub(" ", header).split()).rstrip(" ?:") or " ".join(header.split())


def _check_total(name: str, number: int, label: str | None, values: dict[str, Any], headers: dict[str, str],
                 totals: _Totals, diagnostics: Diagnostics) -> None:
    """A TOTAL row is no phase: its amounts must be the sum of the phases above it.

    ``Total général`` sums the whole table; another ``Total`` its section (the
    rows since the last header or TOTAL row), or the whole table when that
    is what it says (one TOTAL under sections).
    """
    general = "general" in fields.normalize_key(label or "")
    for column in ("budget", "spent"):
        try:
            said = _amount(values.get(column))
        except Problem as exc:
            diagnostics.error(name, number, headers[column], exc.msg)
            continue
        if said is None:
            continue
        whole = totals.table.get(column, Decimal(0))
        section = totals.section.get(column, Decimal(0))
        if said == whole or (said == section and not general):
            continue
        expected = whole if general else section
        diagnostics.warning(name, number, headers[column], msg(
            "import_total_differs", label=label or "TOTAL", total=_money(said, diagnostics.language),
            sum=_money(expected, diagnostics.language), gap=_money(abs(said - expected), diagnostics.language)))
    totals.section = {}


@dataclass(frozen=True)
class Carried:
    """A file as plan.xlsx's hidden sheet carries it: a phase's front matter, or another file whole."""

    path: str
    kind: str  # "phase" or "file"
    cells: tuple[str | None, ...]  # a phase's table cells as exported (see exports.table_row)
    text: str


# the paths a hidden sheet may name: the plan's own text files, nothing above or beside them
_SAFE_PATH = re.compile(r"^(?:pacsite\.yaml|content/(?:[\w][\w .()+'-]*/)*[\w][\w .()+'-]*\.(?:md|ya?ml))$")
_PHASE_PATH = re.compile(r"^content/actions/[^/]+/(?!_index\.md$)[^/]+\.md$")


def read_carrier(rows: list[list[Any]], name: str, diagnostics: Diagnostics) -> dict[str, Carried]:
    """Read the hidden sheet; a row that is not the plan's own file is an error naming its row."""
    if not rows or not rows[0] or rows[0][0] != CARRIER_MARK:
        return {}
    out: dict[str, Carried] = {}
    for number, row in enumerate(rows[1:], 2):
        if not row or row[0] is None:
            continue
        path, kind, fingerprint, encoding = [*row, None, None, None][:4]
        chunks = row[4:]
        where = f"{CARRIER}!A{number}"
        if not isinstance(path, str) or not _SAFE_PATH.fullmatch(path) or ".." in path.split("/") \
                or kind not in ("phase", "file") or (kind == "phase") != bool(_PHASE_PATH.fullmatch(path)):
            diagnostics.error(name, number, where, msg("import_not_plan_file", path=quote(repr(str(path)[:80])[1:-1])))
            continue
        text = "".join(str(c) for c in chunks if c is not None)
        try:
            if encoding == "json":
                text = json.loads(text)
            cells = tuple(json.loads(fingerprint)) if kind == "phase" else ()
            if not isinstance(text, str) or (kind == "phase" and len(cells) != len(FIELDS) + 1):
                raise ValueError
        except (ValueError, TypeError):
            diagnostics.error(name, number, where, msg("import_carrier_damaged", path=path))
            continue
        out[path] = Carried(path, kind, cells, text)
    return out
