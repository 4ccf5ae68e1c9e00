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

Reading the table is ``pacsite/tools/table.py``; this module writes the plan's
files from its rows. Every row is read before anything is written: a row that cannot be read is
reported with its number and nothing is written at all. Files are made in a
staging folder of this run's own and moved into place; an existing file is never replaced
without ``--force``.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pacsite import messages
from pacsite.errors import Diagnostics, PacsiteError, UsageError
from pacsite.load import fields
from pacsite.load.frontmatter import SourceError, decode, parse_yaml, split
from pacsite.messages import Msg, Problem, msg
from pacsite.site.urls import slugify
from pacsite.tools import frontedit
from pacsite.tools.table import FIELDS, PARSERS, Carried, Row, cell_text, read_rows


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


STAGING_PREFIX = ".pacsite-import-"  # + a random part: the folder an import writes in before moving files

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
    parse = PARSERS.get(column, cell_text)
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
    # a folder of its own, made here: a fixed name would be someone's folder (or link) to delete
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
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
