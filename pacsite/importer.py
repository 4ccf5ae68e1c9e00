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
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pacsite import fields, frontedit
from pacsite.errors import Diagnostics, PacsiteError, UsageError
from pacsite.exports import CARRIER, CARRIER_MARK
from pacsite.frontmatter import SourceError, decode, parse_yaml, split
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
    "file": ("fichier", "file", "source"),
}
ENGLISH = {"families", "family", "steps", "step", "phases/steps", "who", "owner", "planned", "actual", "spent",
           "start", "start date", "end", "end date", "objective", "result", "results", "variance analysis",
           "analysis", "status", "file"}
_HEADER = {fields.normalize_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}
_FR_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


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
            raise UsageError(f"pacsite: cannot read {path.name} as a spreadsheet: {exc}") from None
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
            return [list(row) for row in csv.reader(io.StringIO(text), dialect)], []
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


_PARSERS: dict[str, Any] = {"budget": _amount, "spent": _amount, "start": _date, "end": _date}


def read_rows(path: Path, diagnostics: Diagnostics) -> tuple[list[Row], str, dict[str, Carried]]:
    """Read every phase row; errors (with the spreadsheet's row number) go to ``diagnostics``.

    Third: what plan.xlsx's hidden sheet carries, by path (empty for any other table).
    """
    cells, carrier = read_table(path)
    carried = read_carrier(carrier, path.name, diagnostics)
    start, columns, language = _header(cells)
    rows: list[Row] = []
    family: str | None = None
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
                row.values[column] = _PARSERS.get(column, _text)(value)
            except ValueError as exc:
                header = next(str(cells[start][p]) for p, c in columns.items() if c == column)
                diagnostics.error(path.name, number, header.strip(), str(exc))
        start_day, end_day = row.values.get("start"), row.values.get("end")
        if start_day and end_day and end_day < start_day:
            diagnostics.error(path.name, number, None, f"ends ({end_day}) before it starts ({start_day})")
        rows.append(row)
    if not rows and not diagnostics.has_errors():
        diagnostics.error(path.name, start + 1, None, "no phase below the header row")
    return rows, language, carried


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
            diagnostics.error(name, number, where, f"not a file of the plan: {str(path)[:80]!r}")
            continue
        text = "".join(str(c) for c in chunks if c is not None)
        try:
            if encoding == "json":
                text = json.loads(text)
            cells = tuple(json.loads(fingerprint)) if kind == "phase" else ()
            if not isinstance(text, str) or (kind == "phase" and len(cells) != len(FIELDS) + 1):
                raise ValueError
        except (ValueError, TypeError):
            diagnostics.error(name, number, where, f"the hidden sheet's row for {path} is damaged")
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
    if v.get("result"):
        lines += ["result:", f"  text: {frontedit.quoted(v['result'])}"]
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
_LAST_NUMBER = re.compile(r"^(.*?)\s*([+-]?\d+(?:[.,]\d+)?)$")


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


@dataclass
class _Merge:
    """Apply the plan sheet's rows to the files plan.xlsx's hidden sheet carries (see ``merge``)."""

    root: Path
    carried: dict[str, Carried]
    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    folders: dict[str, str] = field(default_factory=dict)  # family title -> folder under content/actions
    taken: set[str] = field(default_factory=set)  # phase paths given out

    def current(self, path: str) -> str | None:
        """The file as it is in the target folder now (an import into the plan itself), else None."""
        target = self.root / path
        try:
            return decode(target.read_bytes()) if target.is_file() else None
        except (OSError, SourceError) as exc:
            raise PacsiteError(f"{path} cannot be read ({exc}): fix it, then import again") from None

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
            self.notes.append(f"family renamed: {folder} is now titled \"{family}\"")
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
                  notes: list[str], where: str) -> Any:
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
            notes.append(f"{where}: its budget lines are replaced by the one amount {value}")
        return f"{value}"
    if column in ("start", "end"):
        return value.isoformat()
    if column == "objective" and isinstance(current, dict):
        key = next((k for k in current if fields.normalize_key(k) == "text"), "text")
        return {**current, key: value}
    if column == "result":
        match = _LAST_NUMBER.match(value)
        text, number = (match.group(1) or None, match.group(2).replace(",", ".")) if match else (value, None)
        entries = current if isinstance(current, list) else [current] if current is not None else []
        entries = [e if isinstance(e, dict) else {"text": e} for e in entries]
        latest = entries[-1] if entries else {}
        rest = {k: v for k, v in latest.items() if fields.normalize_key(k) not in ("text", "value", "note")}
        entry = {**({"text": text} if text else {}), **({"value": number} if number else {}), **rest}
        return [*entries[:-1], entry] if len(entries) > 1 else entry
    return value


def merge(rows: list[Row], carried: dict[str, Carried], root: Path) -> tuple[dict[str, str], list[str], list[str]]:
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
            raise PacsiteError(f"row {row.number}: {c.path} cannot be edited: line {exc.line}: {exc.message}; "
                               "fix it (pacsite check), then import again") from None
        if now is None and row.values.get("analysis") and not any(
                aliases.get(fields.normalize_key(k)) == "analysis" for k in data):
            edits["analysis"] = row.values["analysis"]  # it was in the text, which is not carried: keep it
        for column, value in edits.items():
            new = _edited_value(column, value, data, names, m.notes, f"row {row.number} ({c.path})")
            if column == "spent" and isinstance(budget := next(
                    (v for k, v in data.items() if aliases.get(fields.normalize_key(k)) == "budget"), None), list):
                lines = [{k: v for k, v in b.items() if fields.normalize_key(k) != "spent"} if isinstance(b, dict)
                         else b for b in budget]
                front = frontedit.set_key(front, "budget", aliases, lines)
            front = frontedit.set_key(front, column, aliases, new)
        bare += now is None
        m.files[path] = _with_front(front, body)
    removed = [p for p, c in carried.items() if c.kind == "phase" and p not in m.taken]
    deleted = sum(1 for c in carried.values() if c.kind == "phase" and c.path not in matched)
    for path, c in carried.items():
        if c.kind == "file" and path not in m.files and m.current(path) is None:
            m.files[path] = c.text
    strangers = len(known - set(carried) - {None})
    m.notes.insert(0, f"phases: {changed} changed, {moves} moved, {added} added, {deleted} removed, "
                      f"{unchanged} unchanged" + (f" ({strangers} rows name a file the spreadsheet does not carry: "
                                                  "new phases)" if strangers else ""))
    if bare:
        m.notes.append(f"{bare} phases written without their text: the spreadsheet carries their fields, the "
                       "text stays in the plan's files (import into the plan's own folder to keep it)")
    return m.files, removed, m.notes


def import_plan(source: Path, root: Path, force: bool = False) -> Imported:
    """Write the plan of ``source`` into ``root``; return what was written and removed.

    Raise PacsiteError (with the rows' errors) before writing anything if a
    row cannot be read, UsageError if a file would be replaced or removed
    and ``force`` is not set.
    """
    if not source.is_file():
        raise UsageError(f"pacsite: no such file: {source}")
    diagnostics = Diagnostics()
    rows, language, carried = read_rows(source, diagnostics)
    if diagnostics.has_errors():
        raise PacsiteError(f"{len(diagnostics.errors)} rows cannot be read; nothing was written", diagnostics)
    removed: list[str] = []
    notes: list[str] = []
    if carried:
        files, removed, notes = merge(rows, carried, root)
        removed = [p for p in removed if (root / p).is_file()]
    else:
        title = "Plan d'action commerciale" if language == "fr" else "Commercial action plan"
        files = plan_files(rows, language, title)
    existing = [rel for rel in files if (root / rel).exists()]
    if (existing or removed) and not force:
        what = f"{root / existing[0]} exists" if existing else f"{root / removed[0]} would be removed"
        raise UsageError(f"pacsite: {what} ({len(existing)} files would be replaced, {len(removed)} removed): "
                         "use --force")
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
    return Imported(list(files), removed, notes)
