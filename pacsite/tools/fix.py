"""``pacsite check --fix``: rewrite the fixes check is sure of, after showing them as a diff.

Only what can be read one way is fixed: a key typo to the key it suggests
(``budjet`` -> ``budget``), a date written the French way to ISO
(``15 mars 2027`` -> ``2027-03-15``), a person written by name to their
people.yaml id. Each fix is a text replacement on one line of one file;
when the line no longer holds the text (or holds it twice) it is left
alone. Every other byte of the file stays as it was.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from pacsite.errors import Fix


def apply(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Return ``text`` with the fixes that still apply, each on its own line, and how many did."""
    lines = text.split("\n")
    applied = 0
    for fix in fixes:
        index = fix.line - 1
        if not 0 <= index < len(lines):
            continue
        line = lines[index]
        if fix.kind == "key":
            pattern = re.compile(rf"^(\s*(?:-\s+)?){re.escape(fix.old)}(\s*:)")
            found = pattern.match(line)
            if found:
                lines[index] = found.group(1) + fix.new + line[found.end(1) + len(fix.old):]
        elif line.count(fix.old) == 1:
            lines[index] = line.replace(fix.old, fix.new)
        applied += lines[index] != line
    return "\n".join(lines), applied


def plan_changes(root: Path, fixes: list[Fix]) -> dict[str, tuple[str, str, int]]:
    """Each file the fixes change: its path -> (text now, text fixed, fixes applied)."""
    by_path: dict[str, list[Fix]] = {}
    for fix in fixes:
        by_path.setdefault(fix.path, []).append(fix)
    changes = {}
    for rel, some in sorted(by_path.items()):
        path = root / rel
        if path.is_symlink() or not path.is_file():  # never write through a link out of the plan
            continue
        with open(path, encoding="utf-8", newline="") as file:  # line endings as they are
            before = file.read()
        after, applied = apply(before, some)
        if after != before:
            changes[rel] = (before, after, applied)
    return changes


def unified(changes: dict[str, tuple[str, str, int]]) -> str:
    """The changes as a diff a reviewer reads."""
    out: list[str] = []
    for rel, (before, after, _) in changes.items():
        out.extend(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        f"a/{rel}", f"b/{rel}"))
    return "".join(out)


def write(root: Path, changes: dict[str, tuple[str, str, int]]) -> None:
    """Write each fixed file whole (a temporary file renamed over it), keeping its permissions."""
    for rel, (_, after, _) in changes.items():
        path = root / rel
        temporary = path.with_name(f".{path.name}.pacsite-fix")
        with open(temporary, "w", encoding="utf-8", newline="") as file:
            file.write(after)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
