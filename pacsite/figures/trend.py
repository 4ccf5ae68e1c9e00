"""The plan's totals after each of its latest commits: the figures of each change, and their history.

Each commit's plan is loaded for real (the same rules as the site: the
cancelled rule, budget lines…), but cheaply: one temporary folder is moved
from the oldest commit to the newest, writing only the files whose blob
changed; the files parsed (``Stamped``, by stamp) and the families' figures
(an in-memory ``Reuse``, by key) carry over what did not change, as in the
live preview. The totals of a commit never change, so they are also kept in
``~/.cache/pacsite/`` by commit: a second build asks git for nothing new.
Totals do not depend on the judging date (planned and actual amounts only).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath

from pacsite import __version__, git
from pacsite.errors import Diagnostics
from pacsite.figures import compute, family_part, tolerances
from pacsite.load import processes as parallel
from pacsite.load.families import validate_phase
from pacsite.load.history import Change, History
from pacsite.load.loader import link_plan, read_plan
from pacsite.load.revisions import repository
from pacsite.load.stamps import Stamped
from pacsite.reuse import Reuse


@dataclass(frozen=True)
class Point:
    """The plan's totals once a commit is made, and what the commit changed."""

    change: Change
    planned: Decimal
    actual: Decimal
    planned_delta: Decimal | None  # None for the oldest commit listed when its parent is unknown
    actual_delta: Decimal | None
    errors: int  # content errors at that commit (its totals count what could be read)


def _cache_file() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "pacsite" / f"totals-{__version__}.json"


def _read_cache() -> dict[str, list[str | int]]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(data: dict[str, list[str | int]]) -> None:
    target = _cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".totals-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream)
        os.replace(temporary, target)
    except OSError:
        pass  # no cache: the next build computes them again


def _tree(root: Path, commit: str, prefix: str) -> dict[str, str] | None:
    """The plan's files at a commit, as plan-relative path -> blob id (regular files only)."""
    out = git.output(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--",
                     f"{prefix}pacsite.yaml", f"{prefix}content")
    if out is None:
        return None
    files: dict[str, str] = {}
    for entry in out.decode("utf-8", "replace").split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) != 3 or parts[1] != "blob" or parts[0] not in ("100644", "100755"):
            continue  # links and submodules: never followed
        rel = path[len(prefix):] if path.startswith(prefix) else path
        if ".." in PurePosixPath(rel).parts or rel.startswith("/"):
            continue
        files[rel] = parts[2]
    return files


def _unmodified(root: Path, rels: list[str]) -> dict[str, bytes]:
    """The files of ``rels`` as they are on disk, for those git says are as committed in HEAD.

    Reading 1 500 files from disk takes a tenth of reading them from git's
    loose objects. A file git calls modified, a link, or one that cannot be
    read is left out: it is read from git.
    """
    out = git.output(root, "diff-index", "--relative", "--name-only", "-z", "HEAD", "--", "pacsite.yaml", "content")
    if out is None:
        return {}
    modified = set(out.decode("utf-8", "replace").split("\0"))
    found: dict[str, bytes] = {}
    for rel in rels:
        path = root / rel
        if rel in modified or path.is_symlink():
            continue
        try:
            found[rel] = path.read_bytes()
        except OSError:
            continue
    return found


def _blobs(root: Path, ids: list[str]) -> dict[str, bytes]:
    """Read blobs with one ``git cat-file --batch``."""
    if not ids:
        return {}
    out = git.output(root, "cat-file", "--batch", data="".join(f"{i}\n" for i in ids).encode())
    found: dict[str, bytes] = {}
    position = 0
    while out is not None and position < len(out):
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3:
            continue  # "<id> missing"
        size = int(header[2])
        found[header[0].decode()] = out[position:position + size]
        position += size + 1
    return found


def totals(root: Path, history: History) -> tuple[Point, ...]:
    """Return the totals after each commit of ``history.recent`` (newest first), with each one's change."""
    if not history.recent:
        return ()
    try:
        _, prefix = repository(root)
    except Exception:  # noqa: BLE001 - no repository after all: no history to draw
        return ()
    commits = [c.commit for c in reversed(history.recent)]
    parent = git.output(root, "rev-parse", "--verify", "--quiet", f"{commits[0]}^")
    states = ([parent.decode().strip()] if parent else []) + commits
    cache = _read_cache()
    key = f"{prefix}:"
    wanted = [c for c in states if key + c not in cache]
    if wanted:
        _compute(root, prefix, wanted, cache, key)
        _write_cache(cache)
    points = []
    previous: list[str | int] | None = cache.get(key + states[0]) if parent else None
    for change in reversed(history.recent):
        now = cache.get(key + change.commit)
        if now is None:
            previous = None
            continue
        planned, actual = Decimal(str(now[0])), Decimal(str(now[1]))
        points.append(Point(change, planned, actual,
                            planned - Decimal(str(previous[0])) if previous else None,
                            actual - Decimal(str(previous[1])) if previous else None, int(now[2])))
        previous = now
    return tuple(reversed(points))


def _scratch() -> str | None:
    """A folder in memory for the commits' files when there is one (Linux's /dev/shm), else the usual temp.

    Each commit's files are written there for the loader: on this kind of
    machine, making 1 500 files costs ~1 s on disk and 0.04 s in memory.
    """
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _compute(root: Path, prefix: str, commits: list[str], cache: dict[str, list[str | int]], key: str) -> None:
    """Load the plan at each commit, newest first, in one folder moved from commit to commit."""
    files, reuse = Stamped(), Reuse.in_memory()
    current: dict[str, str] = {}
    head = git.output(root, "rev-parse", "--verify", "--quiet", "HEAD")
    with tempfile.TemporaryDirectory(prefix="pacsite-trend-", dir=_scratch()) as tmp:
        folder = Path(tmp)
        # newest first: the newest is usually HEAD, whose files are on disk (a clean checkout in CI)
        for commit in reversed(commits):
            tree = _tree(root, commit, prefix)
            if tree is None:
                continue
            changed = [rel for rel, blob in tree.items() if current.get(rel) != blob]
            gone = [rel for rel in current if rel not in tree]
            on_disk = _unmodified(root, changed) if not current and head and head.decode().strip() == commit else {}
            contents = _blobs(root, sorted({tree[rel] for rel in changed if rel not in on_disk}))
            for rel in gone:
                (folder / rel).unlink(missing_ok=True)
            for rel in changed:
                target = folder / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(on_disk[rel] if rel in on_disk else contents.get(tree[rel], b""))
            if current:  # as the live preview does: the files named are read again, whatever their stamp
                files.changes([folder / rel for rel in (*changed, *gone)])
            else:  # the first state: every file, parsed on every core
                paths = [folder / rel for rel in changed if rel.endswith((".md", ".yaml", ".yml"))]
                jobs = parallel.workers(len(paths), parallel.MIN_FILES_PER_WORKER)
                if jobs > 1:
                    parallel.parse_files(paths, files, jobs)
            current = tree
            diagnostics = Diagnostics()
            # each phase validated as `pacsite build` does: the same results reused
            plan_files = read_plan(folder, diagnostics, files=files, keyed=True)
            plan = link_plan(plan_files, reuse.each(validate_phase, plan_files.phases), diagnostics)
            limits = tolerances(plan.settings)  # each family's part as in `pacsite build`: the same ones reused
            figures = compute(plan, [reuse.call(family_part, f.phases, f.budget, plan.today, limits,
                                                     attribute="digest_without_body") for f in plan.families])
            reuse.save()
            cache[key + commit] = [f"{figures.totals.planned:.2f}", f"{figures.totals.actual:.2f}",
                                   len(diagnostics.errors)]
