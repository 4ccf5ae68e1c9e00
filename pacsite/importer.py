"""``pacsite import``: a plan kept as the template's table (xlsx or csv) written as content files.

The table is the one teams keep today: one row per phase, its family in the
ACTIONS column (often only on the family's first row), then PHASES/ÉTAPES,
QUI, BUDGET, DATE DÉBUT, DATE FIN, OBJECTIF, RÉSULTAT OBTENU, ANALYSE
ÉCARTS, in any order, with French or English headers, French amounts
(``12 500,50 €``) and dates (``15/03/2027``).

``plan.xlsx`` as ``pacsite build`` writes it comes back whole: its hidden
sheet carries each phase's front matter as written and the plan's other
files, and its File column ties each row to its file. The rows win: a cell
that no longer says what was exported changes that key (``merge``), in the
file as it is now when importing into the plan's own folder.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pacsite import fields, frontedit, messages
from pacsite.errors import Diagnostics, PacsiteError, UsageError
from pacsite.exports import CARRIER, CARRIER_MARK
from pacsite.frontmatter import SourceError, decode, parse_yaml, split
from pacsite.messages import Msg, Problem, msg, plain_list, quote
from pacsite.urls import slugify

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
_FR_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
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
        from openpyxl import load_workbook

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
        filled = sum(1 for c in cells if _text(c) is not None)
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
    shown = [fields.describe(" ".join(str(c).split())) for c in cells if _text(c) is not None]
    lacks = msg("import_column", name=missing[0]) if len(missing) == 1 else msg(
        "import_columns", names=plain_list(missing, diagnostics.language))
    diagnostics.error(name, best[2] + 1, None, msg("import_no_header", row=best[2] + 1, cells=shown, missing=lacks))
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _one_line(value: Any) -> str | None:
    """A cell's text on one line: line breaks typed in the cell (Alt+Entrée) are spaces."""
    text = _text(value)
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
        if amount != amount.quantize(Decimal("0.01")):
            raise Problem(msg("too_many_decimals", found=fields.describe(value)))
        if amount > fields.MAX_AMOUNT:
            raise Problem(msg("amount_too_large", found=fields.describe(value)))
        return amount.quantize(Decimal("0.01"))
    return fields.parse_money(str(value))


def _date(value: Any) -> date | None:
    """A date cell: an Excel date, ``15/03/2027`` or ``2027-03-15`` (what ``fields.parse_date`` says otherwise)."""
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
            pass  # not a real date: parse_date says why
    return fields.parse_date(text)


_PARSERS: dict[str, Any] = {"budget": _amount, "spent": _amount, "start": _date, "end": _date}


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
        if all(_text(v) is None for v in values.values()):
            continue
        named, _ = _header_row(cells[index])
        if sum(1 for p, c in named.items() if columns.get(p) == c) >= min(3, len(columns)):
            totals.section = {}  # the header row again: a new section of the template
            continue
        family_cell, title_cell = _one_line(values.get("family")), _text(values.get("title"))
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
                row.values[column] = _PARSERS.get(column, _text)(value)
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


def _owners(cell: str | None, ids: dict[str, str] | None = None) -> list[str]:
    """The owners of a QUI cell ("Claire Martin, Julien Roche": the first responsible), as ids when known."""
    names = [o.strip() for o in re.split(r"[,;]", cell or "") if o.strip()]
    return [ids.get(n, n) for n in names] if ids else names


def phase_text(v: dict[str, Any]) -> str:
    """A new phase's file from a row's values: the front matter, no text yet."""
    lines = ["---", f"title: {frontedit.quoted(v['title'])}"]
    owners = _owners(v.get("owner"))
    if len(owners) == 1:
        lines.append(f"owner: {frontedit.quoted(owners[0])}")
    elif owners:  # "Claire Martin, Julien Roche": two owners, the first responsible
        lines.append(f"owner: [{', '.join(frontedit.quoted(o) for o in owners)}]")
    lines.append(f"budget: {v.get('budget') or Decimal('0.00')}")
    if v.get("spent") is not None:
        lines.append(f"spent: {v['spent']}")
    for key in ("start", "end"):
        if v.get(key):
            lines.append(f"{key}: {v[key].isoformat()}")
    if v.get("status"):
        lines.append(f"status: {frontedit.quoted(v['status'])}")
    if v.get("objective"):
        lines += ["objective:", f"  text: {frontedit.quoted(v['objective'])}"]
    if v.get("result"):  # the text whole; its value, the first number not in a date (SPEC §2)
        lines += ["result:", f"  text: {frontedit.quoted(v['result'])}"]
        value = fields.result_value(v["result"])[0]
        if value is not None:
            lines.append(f"  value: {value}")
    if v.get("analysis"):
        lines.append(f"analysis: {frontedit.quoted(v['analysis'])}")
    return "\n".join([*lines, "---", ""])


def plan_files(rows: list[Row], language: str, title: str) -> dict[str, str]:
    """Return the plan's files (path -> text) for the rows of a table kept by hand."""
    files = {
        "pacsite.yaml": f"language: {language}\n",
        "content/_index.md": f"---\ntitle: {frontedit.quoted(title)}\n---\n",
    }
    families = list(dict.fromkeys(r.family for r in rows))
    for number, (family, folder) in enumerate(zip(families, _slugs(families), strict=True), 1):
        base = f"content/actions/{number:02d}-{folder}"
        files[f"{base}/_index.md"] = f"---\ntitle: {frontedit.quoted(family)}\n---\n"
        mine = [r for r in rows if r.family == family]
        for index, (row, name) in enumerate(zip(mine, _slugs([r.values["title"] for r in mine]), strict=True), 1):
            files[f"{base}/{index:02d}-{name}.md"] = phase_text(row.values)
    return files


FIELDS = ("family", "title", "owner", "budget", "spent", "start", "end", "objective", "result", "analysis",
          "status")  # the plan sheet's columns, in exports.table_row's order (then the file)
# a result cell as plan.xlsx writes it: the text, a space, the value
_TRAILING_VALUE = re.compile(r"^(.*\S)\s+([+-]?\d+(?:[.,]\d+)?)$")
_QUARTER = re.compile(r"^[tq][1-4]$")
_WRITTEN_AMOUNT = re.compile(r"^(?P<pre>(?:[€$£]|[A-Z]{3})?[ \u00a0\u202f]*)(?P<num>\d(?:[\d \u00a0\u202f.,]*\d)?)"
                             r"(?P<post>[ \u00a0\u202f]*(?:[€$£]|[A-Z]{3})?)$")
# the key a French-keyed file gets for a field it did not have
FRENCH_KEYS = {"title": "titre", "owner": "qui", "budget": "budget", "spent": "depense", "start": "debut",
               "end": "fin", "status": "statut", "objective": "objectif", "result": "resultat",
               "analysis": "analyse"}


def _same(column: str, cell: Any, exported: str | None) -> bool:
    """Tell whether a cell still says what plan.xlsx wrote in it."""
    parse = _PARSERS.get(column, _text)
    try:
        before = parse(exported)
    except ValueError:
        return False
    if column == "status":
        return _status(cell) == _status(before)
    return bool(cell == before)


def _status(value: Any) -> Any:
    return fields.STATUS_ALIASES.get(fields.normalize_key(value), value) if isinstance(value, str) else value


@dataclass
class Imported:
    """What an import did: files written and removed, and what the user should know."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: str = ""  # the rows' warnings, as the terminal shows them
    language: str = "fr"  # the plan's: the command's last line speaks it too


@dataclass
class _Merge:
    """Apply the plan sheet's rows to the files plan.xlsx's hidden sheet carries (see ``merge``)."""

    root: Path
    carried: dict[str, Carried]
    files: dict[str, str] = field(default_factory=dict)
    notes: list[Msg] = field(default_factory=list)
    folders: dict[str, str] = field(default_factory=dict)  # family title -> folder under content/actions
    taken: set[str] = field(default_factory=set)  # phase paths given out

    def current(self, path: str) -> str | None:
        """The file as it is in the target folder now (an import into the plan itself), else None."""
        target = self.root / path
        try:
            return decode(target.read_bytes()) if target.is_file() else None
        except (OSError, SourceError) as exc:
            raise PacsiteError(msg("import_file_unreadable", path=path, error=exc)) from None

    def people(self) -> dict[str, str]:
        """Names to ids, from people.yaml: an owner typed as a name is written as its id."""
        text = self.current("content/people.yaml") or next(
            (c.text for c in self.carried.values() if c.path in ("content/people.yaml", "content/people.yml")), "")
        try:
            data, _ = parse_yaml(text) if text.strip() else ({}, {})
        except SourceError:
            return {}
        names: dict[str, str] = {}
        for key, value in data.items():
            name = value.get("name") if isinstance(value, dict) else value
            if isinstance(name, str):
                names.setdefault(name, key)
        return names

    def family_folders(self) -> None:
        """Each known family's title -> its folder, from the rows as exported and the families' files."""
        for c in self.carried.values():
            if c.kind == "phase" and c.cells[0]:
                self.folders.setdefault(c.cells[0], c.path.split("/")[2])
            elif c.path.endswith("/_index.md") and c.path.count("/") == 3 and c.path.startswith("content/actions/"):
                folder = c.path.split("/")[2]
                try:
                    data = parse_yaml(split(c.text)[0] or "")[0]
                except SourceError:
                    continue
                title = next((v for k, v in data.items()
                              if fields.alias_table(fields.FAMILY_KEYS).get(fields.normalize_key(k)) == "title"), None)
                if isinstance(title, str):
                    self.folders.setdefault(title, folder)

    def folder_for(self, family: str, renames: dict[str, str]) -> str:
        """The folder of a family title: a known one, a renamed one, or a new one."""
        if family in self.folders:
            return self.folders[family]
        if family in renames:
            folder = renames[family]
            self.folders[family] = folder
            index = f"content/actions/{folder}/_index.md"
            text = self.current(index) or (self.carried[index].text if index in self.carried else "---\n---\n")
            front, _, body, _ = split(text)
            self.files[index] = _with_front(frontedit.set_key(front or "", "title",
                                                              fields.alias_table(fields.FAMILY_KEYS), family), body)
            self.notes.append(msg("import_family_renamed", folder=folder, title=family))
            return folder
        numbers = [int(m.group(1)) for f in self.folders.values() if (m := re.match(r"(\d+)", f))]
        folder = f"{max(numbers, default=0) + 1:02d}-{_slugs([family])[0]}"
        self.folders[family] = folder
        self.files[f"content/actions/{folder}/_index.md"] = f"---\ntitle: {frontedit.quoted(family)}\n---\n"
        return folder

    def new_path(self, folder: str, name: str | None, title: str) -> str:
        """A free file name in ``folder``: ``name`` if free, else the next number and the title's slug."""
        base = f"content/actions/{folder}/"
        if name and base + name not in self.taken and base + name not in self.carried:
            return base + name
        here = [p[len(base):] for p in (*self.carried, *self.taken) if p.startswith(base)]
        numbers = [int(m.group(1)) for n in here if (m := re.match(r"(\d+)", n))]
        return f"{base}{max(numbers, default=0) + 1:02d}-{_slugs([title])[0]}.md"


def _with_front(front: str, body: str) -> str:
    return f"---\n{front}\n---\n{body}" if front else f"---\n---\n{body}"


def _edited_value(column: str, value: Any, data: dict[str, Any], names: dict[str, str],
                  notes: list[Msg], where: tuple[int, str], warn: Callable[[Msg], None]) -> Any:
    """The front-matter value a changed cell gives, built on the key's current value in ``data``."""
    aliases = fields.alias_table(fields.PHASE_KEYS)
    current = next((v for k, v in data.items() if aliases.get(fields.normalize_key(k)) == column), None)
    if value is None:
        return None
    if column == "owner":
        owners = _owners(value, names)
        return owners[0] if len(owners) == 1 else owners or None
    if column in ("budget", "spent"):
        if column == "budget" and isinstance(current, list):
            notes.append(msg("import_budget_lines_replaced", row=where[0], path=where[1], amount=value))
        return f"{value}"
    if column in ("start", "end"):
        return value.isoformat()
    if column == "objective" and isinstance(current, dict):
        key = next((k for k in current if fields.normalize_key(k) == "text"), "text")
        return {**current, key: value}
    if column == "result":
        entries = current if isinstance(current, list) else [current] if current is not None else []
        entries = [e if isinstance(e, dict) else {"text": e} for e in entries]
        latest = entries[-1] if entries else {}
        text, number = _result_cell(value, any(fields.normalize_key(k) == "value" for k in latest), warn)
        rest = {k: v for k, v in latest.items() if fields.normalize_key(k) not in ("text", "value", "note")}
        entry = {**({"text": text} if text else {}), **({"value": f"{number}"} if number is not None else {}), **rest}
        return [*entries[:-1], entry] if len(entries) > 1 else entry
    return value


def _result_cell(cell: str, exported_value: bool, warn: Callable[[Msg], None]) -> tuple[str, Decimal | None]:
    """A RÉSULTAT OBTENU cell as (text, value): the text whole, its value the first number not in a date.

    plan.xlsx writes a result as its text, a space and its value: when the
    result had a value and the cell still ends with a number on its own
    (not the year of ``30 juin 2027``), that number is the value.
    """
    split = _TRAILING_VALUE.match(cell) if exported_value else None
    if split:
        last = fields.normalize_key(split.group(1)).rsplit("_", 1)[-1]
        number = fields.read_decimal(split.group(2))
        if last not in fields.MONTHS and not _QUARTER.match(last) and not isinstance(number, Problem):
            return split.group(1), number
    value, why = fields.result_value(cell)
    if why:
        warn(msg(f"import_result_{why}", found=fields.describe(cell)))
    return cell, value


def amount_like(written: str, amount: Decimal) -> str | None:
    """``amount`` written as ``written`` (a YAML scalar) writes its amount: ``"18 000 €"`` gives ``"21 000 €"``.

    Quotes, currency mark, thousands grouping and decimals as before; None
    when ``written`` is no amount or the new text would not read back as ``amount``.
    """
    quote = written[:1] if written[:1] in "\"'" else ""
    try:
        inner = json.loads(written) if quote == '"' else written[1:-1].replace("''", "'") if quote else written
    except ValueError:
        return None
    match = _WRITTEN_AMOUNT.match(inner) if isinstance(inner, str) else None
    if match is None:
        return None
    decimals = re.search(r"([.,])(\d{1,2})$", match["num"])
    point = decimals.group(1) if decimals else ""
    whole = match["num"][:decimals.start()] if decimals else match["num"]
    group = next((c for c in whole if not c.isdigit()), "")
    units, cents = format(amount.quantize(Decimal("0.01")), "f").split(".")
    for grouping in (group, ""):
        digits = units
        if grouping:
            digits = f"{int(units):,}".replace(",", grouping)
        if point:
            digits += point + cents
        elif cents != "00":
            digits += ("," if grouping in (" ", "\u00a0", "\u202f", ".") else ".") + cents
        text = match["pre"] + digits + match["post"]
        try:
            if fields.parse_money(text) != amount:
                continue
        except ValueError:
            continue
        if quote == '"':
            return frontedit.quoted(text)
        if quote == "'":
            return "'" + text.replace("'", "''") + "'"
        return frontedit.scalar(text)
    return None


def _french_keyed(front: str, aliases: dict[str, str]) -> bool:
    """Tell whether a file's keys are mostly written in French (``qui``, ``debut``) rather than English."""
    french = english = 0
    for key in frontedit.blocks(front):
        canonical = aliases.get(key)
        if canonical is None:
            continue
        if key != canonical:
            french += 1
        elif FRENCH_KEYS.get(canonical, canonical) != canonical:
            english += 1
    return french > english


def _set_field(front: str, column: str, new: Any, aliases: dict[str, str]) -> str:
    """Set one field's key in ``front``: its spelling kept, an amount written as the file wrote it.

    A key the file did not have is spelled as the file's other keys are
    (``depense`` among ``qui`` and ``debut``).
    """
    if column in ("budget", "spent") and isinstance(new, str):
        model = frontedit.written(front, column, aliases)
        if model is None and column == "spent":
            model = frontedit.written(front, "budget", aliases)
        text = amount_like(model, Decimal(new)) if model else None
        if text and frontedit.written(front, column, aliases) is not None:
            return frontedit.set_written(front, column, aliases, text)
        if text:  # a new key (spent): written as the budget is
            return _add_written(front, column, aliases, text)
    return frontedit.set_key(front, column, aliases, new, _key_for(front, column, aliases))


def _key_for(front: str, column: str, aliases: dict[str, str]) -> str:
    return FRENCH_KEYS.get(column, column) if _french_keyed(front, aliases) else column


def _add_written(front: str, column: str, aliases: dict[str, str], text: str) -> str:
    """Add a key the file does not have with ``text`` as its YAML scalar."""
    lines = front.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join([*lines, f"{_key_for(front, column, aliases)}: {text}"])


def merge(rows: list[Row], carried: dict[str, Carried], root: Path,
          warn: Callable[[int, Msg], None] | None = None) -> tuple[dict[str, str], list[str], list[Msg]]:
    """The plan's files from plan.xlsx: the hidden sheet's, with every cell edited in Excel applied.

    A row keeps its file (the File column) and its front matter as written,
    comments and all; a cell that no longer says what was exported changes
    its key, and only that key. A row whose family changed moves its file; a
    new row is a new phase; a phase whose row is gone is not written. Files
    already in ``root`` (an import into the plan itself) keep their text: an
    untouched row leaves its file alone, and an edit applies to the file as
    it is now. Return (files to write, paths to remove, notes).
    """
    m = _Merge(root, carried)
    m.family_folders()
    names = m.people()
    aliases = fields.alias_table(fields.PHASE_KEYS)
    known = {r.values.get("file") for r in rows}
    # a family title no row had before, given only to phases of one family that kept none: a rename
    renames: dict[str, str] = {}
    for title in dict.fromkeys(r.family for r in rows if r.family not in m.folders):
        origins = {carried[f].path.split("/")[2] for r in rows if r.family == title
                   and (f := r.values.get("file")) in carried and carried[f].kind == "phase"}
        if len(origins) == 1:
            folder = origins.pop()
            old = next(t for t, f in m.folders.items() if f == folder)
            if not any(r.family == old for r in rows):
                renames[title] = folder
    unchanged = changed = added = moves = bare = 0
    matched: set[str] = set()
    by_title: dict[tuple[str | None, str | None], list[Carried]] = {}
    for item in carried.values():
        if item.kind == "phase" and item.path not in known:
            by_title.setdefault((item.cells[0], item.cells[1]), []).append(item)
            by_title.setdefault((None, item.cells[1]), []).append(item)
    for row in rows:
        c = carried.get(row.values.get("file") or "")
        if c is None and not row.values.get("file"):  # its File cell cleared: the same family and title
            same = [x for x in by_title.get((row.family, row.values["title"]), by_title.get(
                (None, row.values["title"]), [])) if x.path not in m.taken]
            c = same[0] if same else None
        if c is None or c.kind != "phase" or c.path in m.taken:
            folder = m.folder_for(row.family, renames)
            path = m.new_path(folder, None, row.values["title"])
            m.taken.add(path)
            m.files[path] = phase_text({**row.values, "owner": ", ".join(_owners(row.values.get("owner"), names))})
            added += 1
            continue
        edits = {column: row.values.get(column) for column in FIELDS[1:]
                 if column in row.values and not _same(column, row.values.get(column), c.cells[FIELDS.index(column)])}
        if row.family != c.cells[0]:
            folder = m.folder_for(row.family, renames)
        else:
            folder = c.path.split("/")[2]
        moved = folder != c.path.split("/")[2]
        matched.add(c.path)
        path = m.new_path(folder, c.path.rsplit("/", 1)[1], row.values["title"]) if moved else c.path
        m.taken.add(path)
        now = m.current(c.path)
        changed += bool(edits)
        moves += moved
        unchanged += not (edits or moved)
        if not edits and not moved and now is not None:
            continue  # the file is already what the row says
        try:
            front, _, body, _ = split(now) if now is not None else (c.text, 0, "", 0)
            front = front or ""
            data = parse_yaml(front, 2)[0] if front.strip() else {}
        except SourceError as exc:
            raise PacsiteError(msg("import_cannot_edit", row=row.number, path=c.path, line=exc.line,
                                   error=exc.message)) from None
        if now is None and row.values.get("analysis") and not any(
                aliases.get(fields.normalize_key(k)) == "analysis" for k in data):
            edits["analysis"] = row.values["analysis"]  # it was in the text, which is not carried: keep it
        def said(message: Msg, number: int = row.number) -> None:
            if warn is not None:
                warn(number, message)

        for column, value in edits.items():
            new = _edited_value(column, value, data, names, m.notes, (row.number, c.path), said)
            if column == "spent" and isinstance(budget := next(
                    (v for k, v in data.items() if aliases.get(fields.normalize_key(k)) == "budget"), None), list):
                lines = [{k: v for k, v in b.items() if fields.normalize_key(k) != "spent"} if isinstance(b, dict)
                         else b for b in budget]
                front = frontedit.set_key(front, "budget", aliases, lines)
            front = _set_field(front, column, new, aliases)
        bare += now is None
        m.files[path] = _with_front(front, body)
    removed = [p for p, c in carried.items() if c.kind == "phase" and p not in m.taken]
    deleted = sum(1 for c in carried.values() if c.kind == "phase" and c.path not in matched)
    for path, c in carried.items():
        if c.kind == "file" and path not in m.files and m.current(path) is None:
            m.files[path] = c.text
    strangers = len(known - set(carried) - {None})
    m.notes.insert(0, msg("import_summary", changed=changed, moved=moves, added=added, deleted=deleted,
                          unchanged=unchanged, strangers=msg("import_strangers", n=strangers) if strangers else ""))
    if bare:
        m.notes.append(msg("import_bare", n=bare))
    return m.files, removed, m.notes


def import_plan(source: Path, root: Path, force: bool = False) -> Imported:
    """Write the plan of ``source`` into ``root``; return what was written and removed.

    Raise PacsiteError (with the rows' errors) before writing anything if a
    row cannot be read, UsageError if a file would be replaced or removed
    and ``force`` is not set. Messages speak the plan's language: the target
    folder's, else the table's headers', else French.
    """
    diagnostics = Diagnostics()
    diagnostics.language = folder_language(root) or "fr"
    try:
        return _import(source, root, force, diagnostics)
    except PacsiteError as exc:  # worded here: the command line prints the message as it is
        if isinstance(exc.message, Msg):
            raise type(exc)(exc.message.text(diagnostics.language), exc.diagnostics) from None
        raise


def _import(source: Path, root: Path, force: bool, diagnostics: Diagnostics) -> Imported:
    if not source.is_file():
        raise UsageError(msg("import_no_file", path=source))
    rows, language, carried = read_rows(source, diagnostics, folder_language(root))
    if diagnostics.has_errors():
        raise PacsiteError(msg("import_not_written", n=len(diagnostics.errors)), diagnostics)
    removed: list[str] = []
    notes: list[Msg] = []
    if carried:
        files, removed, notes = merge(rows, carried, root,
                                      lambda n, said: diagnostics.warning(source.name, n, None, said))
        removed = [p for p in removed if (root / p).is_file()]
    else:
        title = "Plan d'action commerciale" if language == "fr" else "Commercial action plan"
        files = plan_files(rows, language, title)
    existing = [rel for rel in files if (root / rel).exists()]
    if (existing or removed) and not force:
        what = msg("import_exists", path=root / existing[0]) if existing else msg(
            "import_would_remove", path=root / removed[0])
        raise UsageError(msg("import_use_force", what=what, replaced=msg("n_files", n=len(existing)),
                             removed=len(removed)))
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
        for rel in removed:
            (root / rel).unlink()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Imported(list(files), removed, [n.text(language) for n in notes],
                    diagnostics.render("text") if diagnostics.warnings else "", language)


def folder_language(root: Path) -> str | None:
    """The language of the plan in ``root`` (its pacsite.yaml), if it says one."""
    try:
        text = decode((root / "pacsite.yaml").read_bytes())
        data = parse_yaml(text)[0] if text.strip() else {}
    except (OSError, SourceError):
        return None
    language = data.get("language") if isinstance(data, dict) else None
    return language if language in messages.LANGUAGES else None
