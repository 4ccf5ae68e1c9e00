"""When each file of the plan last changed, and by whom: one ``git log`` for the whole build.

Asking git once per file costs a process per page (seconds at 1 500
phases); one ``git log --name-only`` over the plan's ``content/`` gives
every file's last commit, newest first, in one pass (tens of milliseconds
for 500 commits). Outside a repository, in a shallow clone (where the
oldest commit would claim every file) or without git, there is no history
and the site shows none: never an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pacsite import git

RECENT = 10  # commits listed on the home page


@dataclass(frozen=True)
class Change:
    """One commit, as a reader sees it."""

    commit: str
    day: date
    author: str
    subject: str
    files: tuple[str, ...] = ()  # plan-relative paths it touched (content/…)


@dataclass(frozen=True)
class History:
    """Each plan file's last change, and the latest commits touching content/."""

    files: dict[str, Change] = field(default_factory=dict)
    recent: tuple[Change, ...] = ()
    reflog: tuple[str, tuple[int, int] | None] | None = None  # git's HEAD log and its stamp when read

    def stale(self) -> bool:
        """Tell whether git moved since this was read (a commit, a pull, a checkout: the HEAD log changed)."""
        return self.reflog is not None and _stamp(self.reflog[0]) != self.reflog[1]

    def __bool__(self) -> bool:
        return bool(self.files)


def read(root: Path) -> History:
    """Return the plan's history from git, or an empty one (not a repository, shallow, no git)."""
    def text(*args: str) -> str | None:
        out = git.output(root, *args)
        return None if out is None else out.decode("utf-8", "replace")

    found = text("rev-parse", "--is-shallow-repository", "--absolute-git-dir")
    lines = (found or "").split("\n")
    if found is None or lines[0].strip() != "false":
        return History()
    head_log = str(Path(lines[1].strip()) / "logs" / "HEAD") if len(lines) > 1 and lines[1].strip() else None
    reflog = (head_log, _stamp(head_log)) if head_log else None
    # --relative: paths from the plan folder, and only what is under it
    log = text("log", "--relative", "--no-renames", "--name-only", "-z",
              "--format=%x1e%H%x1f%aI%x1f%an%x1f%s", "--", "content")
    if not log:
        return History()
    files: dict[str, Change] = {}
    recent: list[Change] = []
    for record in log.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        fields = head.rstrip("\x00").split("\x1f")
        if len(fields) != 4:
            continue
        commit, when, author, subject = fields
        try:
            day = datetime.fromisoformat(when).date()
        except ValueError:
            continue
        touched = tuple(n.strip("\n") for n in names.split("\x00") if n.strip("\n"))
        change = Change(commit, day, author, subject, touched)
        if len(recent) < RECENT:
            recent.append(change)
        for name in touched:
            files.setdefault(name, change)  # newest first: the first commit seen is the last change
    return History(files, tuple(recent), reflog)


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size
