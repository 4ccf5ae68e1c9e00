"""Split a content file into front matter and body; read YAML safely with lines.

Why our own tree builder: PyYAML's resolvers turn ``no`` into False and
``01000`` into 512, let duplicate keys win silently and expand alias bombs.
We walk libyaml's *events* instead (fast, C), so every scalar stays the text
the user typed, each key keeps its line, and anchors, aliases, tags and
duplicate keys are refused before any value exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pacsite.messages import Msg, msg

try:  # libyaml is bundled in PyYAML wheels; the pure loader is ~20x slower
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FRONT_MATTER = 64 * 1024
NULLS = {"", "~", "null", "Null", "NULL"}

Path_ = tuple[str | int, ...]


class SourceError(Exception):
    """A file cannot be read at all; carries the 1-based line and the key."""

    def __init__(self, line: int | None, message: Msg | str, key: str | None = None) -> None:
        super().__init__(str(message))
        self.line = line
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Parsed:
    """Front matter as plain data (str, None, list, dict), with the line of each path."""

    data: dict[str, Any]
    lines: dict[Path_, int]
    body: str
    body_line: int
    front: str | None = None  # the YAML text as written (plan.xlsx carries it, comments and all)

    def line_of(self, path: Path_) -> int | None:
        """Return the line of ``path`` or of its closest known parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class Files:
    """The plan's files as read: each one's digest and what it parses to, by path (``read_plan``'s input).

    A file is read when first asked for, or put here by the workers that
    parsed it ahead (``load.processes``). The live preview keeps one
    across saves (``load.stamps.Stamped``): like Pelican's
    ``FileStampDataCacher``, a file whose (mtime, size, inode) did not
    change is not read again.
    """

    def __init__(self, once: bool = False) -> None:
        # path -> (stamp, result, digest of the bytes parsed: ``pacsite build``'s store keys phases on it)
        self._entries: dict[Path, tuple[tuple[int, int, int], Parsed | SourceError, bytes]] = {}
        self.once = once  # for one load only (files parsed ahead): emptied after it, so its texts are freed

    def release(self) -> None:
        """Forget every file (files read ``once``, after their load)."""
        self._entries.clear()

    def put(self, path: Path, stamp: tuple[int, int, int], result: Parsed | SourceError, digest: bytes) -> None:
        """Record a file parsed elsewhere (by a worker process), as ``parse`` would have."""
        self._entries[path] = (stamp, result, digest)

    def parse(self, path: Path) -> Parsed:
        """Return the parsed file, from cache when unchanged; raise SourceError or OSError."""
        result = self.parsed(path)[1]
        if isinstance(result, SourceError):
            raise result
        return result

    def parsed(self, path: Path) -> tuple[bytes, Parsed | SourceError]:
        """The digest of the file's bytes and what they parse to, from cache when unchanged; raise OSError."""
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        hit = self._entries.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[2], hit[1]
        data = path.read_bytes()
        result: Parsed | SourceError
        try:
            result = parse_file(data)
        except SourceError as exc:
            result = exc
        digest = file_digest(data)
        self._entries[path] = (stamp, result, digest)
        return digest, result


def file_digest(data: bytes) -> bytes:
    """The digest of a file's bytes (its key in ``pacsite build``'s store)."""
    return hashlib.blake2b(data, digest_size=20).digest()


def decode(data: bytes) -> str:
    """Decode UTF-8 (a BOM is allowed); name the line of the first bad byte."""
    if b"\x00" in data[:8192]:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise SourceError(line, msg("binary_file"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(line, msg("not_utf8", byte=f"0x{data[exc.start]:02x}")) from None
    return text.removeprefix("\ufeff")


def check_conflict_markers(text: str) -> None:
    """Refuse git conflict markers left in a file, at their line."""
    if "<<<<<<<" not in text:
        return
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("<<<<<<<") or line.startswith(">>>>>>>"):
            raise SourceError(number, msg("conflict_marker"))


def split(text: str) -> tuple[str | None, int, str, int]:
    """Return (yaml text or None, its first line, body, body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, 0, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return yaml_text, 2, body, index + 2
    raise SourceError(1, msg("front_matter_unclosed"))


def parse_file(data: bytes) -> Parsed:
    """Parse a content file's bytes into front matter and body."""
    text = decode(data)
    check_conflict_markers(text)
    yaml_text, first, body, body_line = split(text)
    if yaml_text is None:
        return Parsed({}, {}, body, body_line)
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER:
        raise SourceError(1, msg("front_matter_too_large", kb=MAX_FRONT_MATTER // 1024))
    tree, lines = parse_yaml(yaml_text, first)
    return Parsed(tree, lines, body, body_line, yaml_text)


def parse_yaml(
    text: str, first_line: int = 1, expected: str = "front_matter_not_mapping"
) -> tuple[dict[str, Any], dict[Path_, int]]:
    """Parse a YAML mapping into plain data where every scalar is a string.

    ``first_line`` is the file line of the YAML text's first line, so that
    lines reported are the file's own; ``expected`` is the message when the
    text is not a mapping (people.yaml and settings say what they want).
    """
    if "\t" in text:
        for number, line in enumerate(text.split("\n")):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise SourceError(number + first_line, msg("yaml_tab"))
    builder = _TreeBuilder(first_line)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, first_line) from None
    except yaml.YAMLError as exc:
        raise SourceError(None, msg("yaml_invalid", problem=str(exc))) from None
    root = builder.root
    if root is None:
        return {}, {}
    if not isinstance(root, dict):
        raise SourceError(first_line, msg(expected, found=msg("a_list") if isinstance(root, list) else str(root)))
    return root, builder.lines


def _yaml_error(exc: yaml.MarkedYAMLError, first_line: int) -> SourceError:
    """Say what libyaml found, in the plan's words, at the line the user must look at.

    An unclosed quote is found at the end of the text; the line to fix is
    where the quoted value starts (libyaml's context mark).
    """
    context = str(exc.context or "")
    problem = str(exc.problem or "")
    mark = exc.problem_mark or exc.context_mark
    if "quoted scalar" in context and exc.context_mark is not None:
        return SourceError(int(exc.context_mark.line) + first_line, msg("yaml_unclosed_quote"))
    line = int(mark.line) + first_line if mark else None
    if "mapping values are not allowed" in problem:
        return SourceError(line, msg("yaml_colon_in_text"))
    if "found character '\\t'" in problem:
        return SourceError(line, msg("yaml_tab"))
    for words, code in _YAML_PROBLEMS:
        if words in problem:
            return SourceError(line, msg(code))
    return SourceError(line, msg("yaml_invalid", problem=problem or context or "?"))


# libyaml's words -> what a user should do about them
_YAML_PROBLEMS = (
    ("expected ',' or ']'", "yaml_open_bracket"),
    ("expected ',' or '}'", "yaml_open_brace"),
    ("could not find expected ':'", "yaml_missing_colon"),
    ("expected <block end>", "yaml_indentation"),
    ("did not find expected key", "yaml_indentation"),
    ("did not find expected '-' indicator", "yaml_indentation"),
    ("cannot start any token", "yaml_bad_start"),
    ("unexpected end of stream", "yaml_unexpected_end"),
)

class _TreeBuilder:
    """Build plain containers from parser events, recording each path's line."""

    def __init__(self, first_line: int) -> None:
        self.first = first_line
        self.root: Any = None
        self.lines: dict[Path_, int] = {}
        # each frame: [container, path, pending key, pending key line]
        self.stack: list[list[Any]] = []

    def _line(self, event: yaml.Event) -> int:
        mark = event.start_mark
        return (int(mark.line) if mark else 0) + self.first

    def _refuse_extras(self, event: Any) -> None:
        if getattr(event, "anchor", None) is not None:
            raise SourceError(self._line(event), msg("yaml_anchor"))
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise SourceError(self._line(event), msg("yaml_tag", tag=tag))

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent):
            raise SourceError(self._line(event), msg("yaml_alias"))
        if isinstance(event, yaml.ScalarEvent):
            self._refuse_extras(event)
            plain = event.implicit[0]
            value = None if plain and event.value in NULLS else event.value
            self._add(value, event)
        elif isinstance(event, yaml.MappingStartEvent):
            self._refuse_extras(event)
            self._open({}, event)
        elif isinstance(event, yaml.SequenceStartEvent):
            self._refuse_extras(event)
            self._open([], event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
        elif isinstance(event, yaml.DocumentStartEvent) and self.root is not None:
            raise SourceError(self._line(event), msg("yaml_documents"))

    def _open(self, container: dict[str, Any] | list[Any], event: yaml.Event) -> None:
        path = self._add(container, event)
        self.stack.append([container, path, None, None])

    def _add(self, value: Any, event: yaml.Event) -> Path_:
        line = self._line(event)
        if not self.stack:
            self.root = value
            self.lines[()] = line
            return ()
        frame = self.stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            child = (*path, len(container))
            container.append(value)
            self.lines[child] = line
            return child
        if frame[2] is None:  # this scalar is a key
            if not isinstance(value, str):
                raise SourceError(line, msg("yaml_complex_key"))
            if value in container:
                first = self.lines[(*path, value)]
                raise SourceError(line, msg("duplicate_key", first=first), key=value)
            frame[2], frame[3] = value, line
            return path
        key, key_line = frame[2], frame[3]
        frame[2] = frame[3] = None
        container[key] = value
        child = (*path, key)
        self.lines[child] = key_line
        return child
