"""Walk a plan folder: which files make the plan. No parsing here."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["header", "people", "objective", "family", "phase", "page", "stray"]
_TEMP_PATTERNS = ("*~", "*.swp", "*.swo", "*.swx", "#*#", ".#*", "*___jb_tmp___", "*___jb_old___", "4913")
_TEMP = re.compile("|".join(fnmatch.translate(p) for p in _TEMP_PATTERNS))


@dataclass(frozen=True)
class Source:
    """One file of the plan: its kind, absolute path and path shown to users."""

    kind: Kind
    path: Path
    rel: str  # relative to the plan folder, with '/', as users see it
    family_dir: str | None = None  # for families and phases: the folder name


def ignored(name: str) -> bool:
    """Tell whether a file or folder name is hidden, private or an editor temporary."""
    if name == "_index.md":
        return False
    if name.startswith(("_", ".")):
        return True
    return _TEMP.match(name) is not None


def _walk(folder: Path, parts: tuple[str, ...] = ()) -> list[tuple[Path, tuple[str, ...]]]:
    """List files below ``folder`` (path, parts below it) in a stable order, skipping ignored names."""
    found: list[tuple[Path, tuple[str, ...]]] = []
    with os.scandir(folder) as entries:
        listed = sorted(entries, key=lambda e: e.name)
    for entry in listed:
        if ignored(entry.name):
            continue
        path = folder / entry.name
        if entry.is_dir():
            found.extend(_walk(path, (*parts, entry.name)))
        elif entry.is_file():
            found.append((path, (*parts, entry.name)))
    return found


def discover(root: Path) -> list[Source]:
    """Return every file of the plan in ``root/content`` with its kind."""
    content = root / "content"
    sources: list[Source] = []
    if not content.is_dir():
        return sources
    for path, rel_parts in _walk(content):
        rel = "content/" + "/".join(rel_parts)
        top = rel_parts[0]
        kind: Kind = "stray"
        family_dir = None
        if rel_parts == ("_index.md",):
            kind = "header"
        elif rel_parts == ("people.yaml",) or rel_parts == ("people.yml",):
            kind = "people"
        elif top == "objectives" and len(rel_parts) == 2 and path.suffix == ".md":
            kind = "objective"
        elif top == "actions" and len(rel_parts) == 3 and path.suffix == ".md":
            family_dir = rel_parts[1]
            kind = "family" if rel_parts[2] == "_index.md" else "phase"
        elif top == "pages" and path.suffix == ".md":
            kind = "page"
        sources.append(Source(kind, path, rel, family_dir))
    return sources


def family_dirs(root: Path) -> list[str]:
    """Return the family folder names under ``content/actions``, sorted."""
    actions = root / "content" / "actions"
    if not actions.is_dir():
        return []
    return sorted(p.name for p in actions.iterdir() if p.is_dir() and not ignored(p.name))
