"""Walk a plan folder: which files make the plan. No parsing here."""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pacsite.messages import Msg, msg, printable, quote

Kind = Literal["header", "people", "objective", "family", "phase", "page", "stray", "refused"]
_TEMP_PATTERNS = ("*~", "*.swp", "*.swo", "*.swx", "#*#", ".#*", "*___jb_tmp___", "*___jb_old___", "4913")
_TEMP = re.compile("|".join(fnmatch.translate(p) for p in _TEMP_PATTERNS))


@dataclass(frozen=True)
class Source:
    """One file of the plan: its kind, absolute path and path shown to users."""

    kind: Kind
    path: Path
    rel: str  # relative to the plan folder, with '/', as users see it
    family_dir: str | None = None  # for families and phases: the folder name
    problem: Msg | None = None  # kind "refused": why it is not read (a link out of the plan, a loop)


def ignored(name: str) -> bool:
    """Tell whether a file or folder name is hidden, private or an editor temporary."""
    if name == "_index.md":
        return False
    if name.startswith(("_", ".")):
        return True
    return _TEMP.match(name) is not None


Found = tuple[Path, tuple[str, ...], Msg | None]  # a file (path, parts below the folder), or why it is refused


Stamp = tuple[int, int, int]
Entries = tuple[tuple[str, str, bool], ...]  # name, where a link leads ("" for a file or folder), folder
Folders = dict[str, "tuple[Stamp, Entries] | None"]  # a listed folder -> its stamp and entries (None: absent)


def folder_stamp(path: str) -> Stamp | None:
    """What changes when a file is added to a folder, removed or renamed: its mtime (and ctime, inode)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_ino) if stat.S_ISDIR(info.st_mode) else None


def _entry(entry: os.DirEntry[str]) -> tuple[str, str, bool]:
    """A folder entry as a listing depends on it: a link re-pointed out of the plan is another entry."""
    return entry.name, os.path.realpath(entry.path) if entry.is_symlink() else "", entry.is_dir()


def folder_entries(path: str) -> Entries | None:
    """A folder's names but ignored ones (an editor's temporary files), each with where it leads when
    it is a link, and whether it is a folder (None: no such folder)."""
    try:
        with os.scandir(path) as entries:
            return tuple(sorted(_entry(e) for e in entries if not ignored(e.name)))
    except OSError:
        return None


def same_folder(path: str, recorded: tuple[Stamp, Entries] | None) -> tuple[bool, tuple[Stamp, Entries] | None]:
    """Whether a folder still holds the entries it held when listed, and its record as of now.

    Its stamp first (nothing to read when it did not move, but where its
    links lead); when it moved, its entries: an editor that saves through a
    temporary file renamed over the original moves the folder's mtime, and
    the folder still holds the same names.
    """
    stamp = folder_stamp(path)
    if recorded is None or stamp is None:
        return recorded is None and stamp is None, None
    if stamp == recorded[0]:
        # a link in it leads where it led (one of its links re-pointed elsewhere moves no stamp here)
        same = all(os.path.realpath(os.path.join(path, name)) == target for name, target, _ in recorded[1] if target)
        return same, recorded
    entries = folder_entries(path)
    return entries == recorded[1], (stamp, recorded[1])


def walk(folder: Path, bound: Path, folders: Folders | None = None) -> list[Found]:
    """List files below ``folder`` in a stable order, skipping ignored names; never leave ``bound``.

    A link whose target leaves ``bound`` (the plan folder: ``passwd.md ->
    /etc/passwd``), or that loops, is listed with the reason it is refused
    rather than followed: CI builds plans from pull requests on runners that
    hold secrets. A link that stays inside is followed. A broken link is
    skipped, as before.

    ``folders`` receives each folder listed with its stamp, taken before it
    is read: while none of them changes, no file came, went or was renamed,
    and the listing still holds (the live preview lists nothing after an edit).
    """
    found: list[Found] = []
    bound = bound.resolve()
    if folders is not None and not folder.is_dir():
        folders[str(folder)] = None  # created later: the listing is made again
    if folder.is_dir():
        top = folder.resolve()
        if not top.is_relative_to(bound):  # `static -> /`: the folder itself is a link out
            return [(folder, (), link_problem(folder, bound) or msg("link_outside", target=quote(str(top))))]
        _visit(folder, (), frozenset({top}), bound, found, folders)
    return found


def _visit(here: Path, parts: tuple[str, ...], above: frozenset[Path], bound: Path, found: list[Found],
           folders: Folders | None) -> None:
    """``walk``'s step into one folder (a function of its own: a nested one that calls itself is a cycle,
    which holds every path found until the collector runs, and a build runs without it)."""
    stamp = folder_stamp(str(here)) if folders is not None else None  # before reading it
    with os.scandir(here) as entries:
        listed = sorted(entries, key=lambda e: e.name)
    if folders is not None and stamp is not None:
        folders[str(here)] = (stamp, tuple(_entry(e) for e in listed if not ignored(e.name)))
    for entry in listed:
        if ignored(entry.name):
            continue
        path, below = here / entry.name, (*parts, entry.name)
        problem = link_problem(path, bound) if entry.is_symlink() else None
        if problem is not None:
            if problem.code != "link_broken":
                found.append((path, below, problem))
            continue
        if entry.is_dir():
            real = path.resolve()
            if real in above:
                found.append((path, below, msg("link_loop")))
                continue
            _visit(path, below, above | {real}, bound, found, folders)
        elif entry.is_file():
            found.append((path, below, None))


def link_problem(path: Path, bound: Path) -> Msg | None:
    """Why the link ``path`` may not be read (its target leaves ``bound``, it loops), or None.

    ``bound`` is resolved. A broken link gives ``link_broken``: skipped without a word.
    """
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return msg("link_broken")
    except RuntimeError:  # Python < 3.13 says a loop so
        return msg("link_loop")
    except OSError as exc:
        return msg("link_loop") if exc.errno == errno.ELOOP else msg("link_broken")
    if real.is_relative_to(bound):
        return None
    try:
        written = os.readlink(path)
    except OSError:
        written = str(real)
    return msg("link_outside", target=quote(printable(written)))


def discover(root: Path, folders: Folders | None = None) -> list[Source]:
    """Return every file of the plan in ``root/content`` with its kind (``folders``: see ``walk``)."""
    content = root / "content"
    sources: list[Source] = []
    if not content.is_dir():
        if folders is not None:
            folders[str(content)] = None
        return sources
    for path, rel_parts, problem in walk(content, root, folders):
        rel = "/".join(("content", *rel_parts))
        top = rel_parts[0] if rel_parts else ""
        kind: Kind = "stray"
        family_dir = None
        if problem is not None:
            kind = "refused"
        elif rel_parts == ("_index.md",):
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
        sources.append(Source(kind, path, rel, family_dir, problem))
    return sources


def family_dirs(root: Path) -> list[str]:
    """Return the family folder names under ``content/actions``, sorted."""
    actions = root / "content" / "actions"
    if not actions.is_dir():
        return []
    bound = root.resolve()
    return sorted(p.name for p in actions.iterdir()
                  if p.is_dir() and not ignored(p.name) and not (p.is_symlink() and link_problem(p, bound)))
