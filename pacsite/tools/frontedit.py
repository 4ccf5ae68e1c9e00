"""Edit one top-level key of front matter as written, keeping every other line.

``pacsite import`` applies a spreadsheet cell edited in Excel to a phase's
front matter: the key's block (its line and the indented lines under it) is
replaced and the rest of the text, comments and key spellings included, is
kept byte for byte. Values are plain data as ``frontmatter.parse_yaml``
gives them (str, None, list, dict); every scalar is written so that it reads
back as the same text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pacsite.load import fields

# a top-level key line: `key:` followed by a space or the end (quoted keys too)
_KEY = re.compile(r"""^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"\-?:,\[\]{}&*!|>%@`][^:#]*?))\s*:(?:\s|$)""")
# plain scalars safe to write unquoted: words, numbers, dates, simple punctuation
_PLAIN = re.compile(r"^[\w€$£(][\w €$£%.,;'’()/+\-]*$")
_RESERVED = re.compile(r"^(?:~|null|true|false|yes|no|on|off|y|n)$", re.IGNORECASE)
# what YAML does not let stand even in quotes: written as escapes
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")  # NEL, LS, PS: line breaks


def scalar(text: str | None, flow: bool = False) -> str:
    """Return ``text`` as a YAML scalar on one line that reads back as the same text.

    ``flow``: inside ``[a, b]``, where a comma or a bracket ends a plain scalar.
    """
    if text is None:
        return "null"
    if (_PLAIN.fullmatch(text) and not text.endswith(" ") and not _RESERVED.fullmatch(text) and " #" not in text
            and not (flow and "," in text)):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """Return ``text`` double-quoted: JSON's escapes are YAML's, and what YAML refuses even quoted is escaped."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _literal(text: str, indent: str) -> list[str] | None:
    """A literal block (``|`` or ``|-``) for multi-line text when it reads back exactly; None otherwise."""
    body = text[:-1] if text.endswith("\n") else text
    if "\n" not in body or body.endswith("\n") or text.startswith((" ", "\n", "\t")):
        return None
    lines = body.split("\n")
    if any(line != line.rstrip() or line.startswith("\t") or _UNPRINTABLE.search(line)
           or any(ord(c) < 32 and c != "\t" for c in line) for line in lines):
        return None
    return ["|" if text.endswith("\n") else "|-", *(f"{indent}{line}" if line else "" for line in lines)]


def _lines(head: str, value: Any, indent: str) -> list[str]:
    """The lines of ``value`` after ``head`` (``key:`` in a mapping, ``-`` in a list) at ``indent``."""
    child = indent + "  "
    if isinstance(value, dict):
        if not value:
            return [f"{indent}{head} {{}}"]
        inner = [line for k, v in value.items() for line in _lines(f"{scalar(k)}:", v, child)]
    elif isinstance(value, list):
        if all(v is None or (isinstance(v, str) and "\n" not in v) for v in value):
            return [f"{indent}{head} [{', '.join(scalar(v, flow=True) for v in value)}]"]
        inner = [line for v in value for line in _lines("-", v, child)]
    else:
        literal = _literal(value, child) if isinstance(value, str) else None
        if literal:
            return [f"{indent}{head} {literal[0]}", *literal[1:]]
        return [f"{indent}{head} {scalar(value)}"]
    if head == "-":  # compact: the first child on the dash's line
        return [f"{indent}- {inner[0][len(child):]}", *inner[1:]]
    return [f"{indent}{head}", *inner]


def dump(key: str, value: Any, indent: str = "") -> list[str]:
    """Return the YAML lines of ``key: value`` at ``indent`` (``key`` as it is to be written)."""
    return _lines(f"{key}:", value, indent)


def blocks(front: str) -> dict[str, tuple[str, int, int]]:
    """Map each top-level key, normalised, to (key as written, first line, end line) of its block.

    A block runs to the next top-level key, less the blank and comment lines
    just before it (they belong to what follows).
    """
    lines = front.split("\n")
    starts: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        match = _KEY.match(line)
        if match:
            written = next(g for g in match.groups() if g is not None)
            starts.append((number, written))
    out: dict[str, tuple[str, int, int]] = {}
    for index, (start, written) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        out.setdefault(fields.normalize_key(written), (written, start, end))
    return out


def set_key(front: str, canonical: str, aliases: dict[str, str], value: Any, new_key: str | None = None) -> str:
    """Return ``front`` with the key whose canonical name is ``canonical`` set to ``value``.

    The key keeps its spelling (``qui:`` stays ``qui:``); a missing key is
    added at the end as ``new_key`` (else its canonical name); ``value`` None
    removes it.
    """
    lines = front.split("\n")
    found = next(((w, s, e) for k, (w, s, e) in blocks(front).items() if aliases.get(k) == canonical), None)
    if found is None:
        if value is None:
            return front
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join([*lines, *dump(new_key or canonical, value)])
    written, start, end = found
    key = written if _KEY.match(f"{written}:") and not written.startswith(("'", '"')) else scalar(written)
    new = [] if value is None else dump(key, value)
    return "\n".join([*lines[:start], *new, *lines[end:]])


def _one_line(front: str, canonical: str, aliases: dict[str, str]) -> tuple[int, int, str, str] | None:
    """(line, where the value starts, value as written, what follows it) of a key written on one line."""
    found = next(((s, e) for k, (w, s, e) in blocks(front).items() if aliases.get(k) == canonical), None)
    if found is None or found[1] - found[0] != 1:
        return None
    line = front.split("\n")[found[0]]
    match = _KEY.match(line)
    if match is None:  # pragma: no cover - blocks() found it with the same pattern
        return None
    at = match.end() + len(line[match.end():]) - len(line[match.end():].lstrip())
    rest = line[at:]
    if rest[:1] in ('"', "'"):
        end = re.match(r'"(?:[^"\\]|\\.)*"' if rest[0] == '"' else r"'(?:[^']|'')*'", rest)
        if end is None:
            return None
        cut = end.end()
    else:
        comment = re.search(r"\s#", rest)
        cut = comment.start() if comment else len(rest.rstrip())
    value = rest[:cut]
    if not value or value[0] in "[{|>&*!":
        return None
    return found[0], at, value, rest[cut:]


def written(front: str, canonical: str, aliases: dict[str, str]) -> str | None:
    """The scalar of a key written on one line, as written (quotes included, comment left out); else None."""
    found = _one_line(front, canonical, aliases)
    return found[2] if found else None


def set_written(front: str, canonical: str, aliases: dict[str, str], text: str) -> str:
    """Return ``front`` with a one-line key's scalar replaced by ``text`` (YAML as written), its comment kept."""
    found = _one_line(front, canonical, aliases)
    if found is None:
        raise KeyError(canonical)
    number, at, _, after = found
    lines = front.split("\n")
    lines[number] = lines[number][:at] + text + after
    return "\n".join(lines)
