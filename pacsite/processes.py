"""Worker processes forked from this one, each with its share of the work; and the files parsed ahead.

Kept apart from ``pacsite.parallel`` (which renders, and imports the pages,
Markdown and figures) so that a command can fork its parsing workers before
it imports the rest: ``parse_ahead`` starts them while this process goes on
importing pydantic, markdown-it and the model (~0.2 s), then ``collect``
gives the parsed files to the load.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pacsite.errors import PacsiteError
from pacsite.frontmatter import ParseCache, SourceError, parse_file
from pacsite.messages import Msg, msg
from pacsite.sources import discover

MIN_PAGES_PER_WORKER = 150  # below this a process costs more than it saves
MIN_FILES_PER_WORKER = 400  # parsing a file costs less than rendering a page


def workers(items: int, per_worker: int | None = None) -> int:
    """How many processes share ``items`` pages (or files): one per core, fewer for a small plan, 1 without fork."""
    if "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin":
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, items // (per_worker or MIN_PAGES_PER_WORKER)))


class Shares:
    """Worker processes, each running ``work(share, jobs)`` on its share; ``results`` waits for them all."""

    def __init__(self, work: Callable[[int, int], Any], jobs: int) -> None:
        self.children: list[tuple[Any, Connection]] = []
        self.done: list[Any] = []
        if jobs <= 1:
            self.done.append(work(0, 1))
            return
        context = multiprocessing.get_context("fork")
        gc.collect()
        gc.freeze()  # the plan is read by every worker: keep the collector from touching (copying) its pages
        try:
            for share in range(jobs):
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(send, work, share, jobs), daemon=True)
                process.start()
                send.close()
                self.children.append((process, receive))
        finally:
            gc.unfreeze()

    def results(self) -> list[Any]:
        """Wait for every worker and return what each returned; raise the first failure one met."""
        error: str | Msg | None = None
        for process, conn in self.children:
            try:
                status, payload = pickle.loads(conn.recv_bytes())
            except EOFError:
                status, payload = "error", msg("worker_died")
            conn.close()
            process.join()
            if status == "ok":
                self.done.append(payload)
            elif error is None:
                error = payload
        if error is not None:
            raise PacsiteError(error)
        return self.done


def _child(conn: Connection, work: Callable[[int, int], Any], share: int, jobs: int) -> None:
    try:
        result: tuple[str, Any] = ("ok", work(share, jobs))
    except PacsiteError as exc:
        result = ("error", str(exc))
    except BaseException:  # a bug: its traceback, since the parent cannot show the child's
        result = ("error", "a worker failed:\n" + traceback.format_exc())
    conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    conn.close()


Parsed = list[tuple[Path, tuple[int, int, int], Any]]


def _parse_share(paths: list[Path], share: int, count: int) -> Parsed:
    out = []
    for path in paths[share::count]:
        try:
            info = path.stat()
            data = path.read_bytes()
        except OSError:
            continue
        try:
            result: Any = parse_file(data)
        except SourceError as exc:  # sent as its fields: an exception's own pickling loses them
            result = ("error", exc.line, exc.message, exc.key)
        out.append((path, (info.st_mtime_ns, info.st_size, info.st_ino), result))
    return out


def _store(parts: list[Parsed], cache: ParseCache) -> None:
    for part in parts:
        for path, stamp, result in part:
            if isinstance(result, tuple):
                result = SourceError(result[1], result[2], result[3])
            cache.put(path, stamp, result)


def parse_files(paths: list[Path], cache: ParseCache, jobs: int) -> None:
    """Read and parse ``paths`` on every core into ``cache`` (a clean build's load reads from it).

    YAML is the load's main cost; the parsed files are plain data, cheap to
    send back. A file that cannot be read is left out: the loader reads it
    again and reports the error where it always does.
    """
    _store(Shares(partial(_parse_share, paths), jobs).results(), cache)


class ParseAhead:
    """The plan's files being parsed by worker processes; ``collect`` waits for them."""

    def __init__(self, shares: Shares) -> None:
        self.shares = shares

    def collect(self) -> ParseCache:
        cache = ParseCache(once=True)  # the build keeps no parsed text once the plan is loaded
        _store(self.shares.results(), cache)
        self.shares.done = []  # the workers' results live in the cache only (freed after the load)
        return cache


def parse_ahead(root: Path) -> ParseAhead | None:
    """Start parsing the plan in ``root`` on every core and return at once; None for a small plan.

    The load that is given ``collect()`` reads every unchanged file from it,
    as after ``parse_files``: the same results, earlier.
    """
    paths = [s.path for s in discover(root) if s.kind != "refused" and s.path.suffix in (".md", ".yaml", ".yml")]
    jobs = workers(len(paths), MIN_FILES_PER_WORKER)
    return ParseAhead(Shares(partial(_parse_share, paths), jobs)) if jobs > 1 else None
