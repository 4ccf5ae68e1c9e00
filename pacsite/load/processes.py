"""Worker processes forked from this one, each with its share of the work; and the files parsed ahead.

Kept apart from ``pacsite.output.parallel`` (which renders, and imports the pages,
Markdown and figures) so that a command can fork its parsing workers before
it imports the rest: ``parse_ahead`` starts them while this process goes on
importing pydantic, markdown-it and the model (~0.2 s), then ``collect``
gives the parsed files to the load.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as connection_wait
from pathlib import Path
from typing import Any, cast

from pacsite.errors import PacsiteError
from pacsite.load.frontmatter import Files, Parsed, SourceError, file_digest, parse_file
from pacsite.load.sources import discover
from pacsite.messages import Msg, msg

MIN_PAGES_PER_WORKER = 40  # below this a process costs more than it saves (a fork: ~5 ms; a page: ~1.5 ms)
MIN_FILES_PER_WORKER = 400  # parsing a file costs less than rendering a page
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_CHECK = 0.5  # seconds between a worker's looks at its parent, where the kernel cannot tell it


@contextmanager
def one_shot() -> Iterator[None]:
    """The cycle collector off in this process while a command that ends with its work runs (build, check).

    The collector runs every few hundred new objects, and a full
    collection looks at every object alive: a build of 15 000 phases makes
    millions of objects that live till it ends (the plan, its figures, the
    parsed files, the pages) and spent ~2 s of its 15 in collections that
    found nothing, more the larger the plan. What a build makes is freed by
    reference counting, and the process ends with the command; the workers it
    forks collect as usual (what they inherit is frozen, never looked at).
    Never for ``serve``: it lives for hours.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def collecting() -> Iterator[None]:
    """The cycle collector on while this process does a worker's work itself (``one_shot`` turned it off)."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()


def workers(items: int, per_worker: int | None = None) -> int:
    """How many processes share ``items`` pages (or files): one per core, fewer for a small plan, 1 without fork."""
    if "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin":
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, items // (per_worker or MIN_PAGES_PER_WORKER)))


class Turns:
    """The items (pages) still to do, shared by the workers: each takes the next one when it is free.

    A page of totals (the plan's table, the variances) costs a hundred phase
    pages: shared every n-th, one worker got most of them and the other
    waited. Taken in turn, heaviest first (``order``), the workers end
    within a page of each other. The counter lives in memory shared by the
    forked workers; with one job it is a plain loop.
    """

    def __init__(self, order: Sequence[int], jobs: int) -> None:
        self.order = order
        self.jobs = jobs
        self._next: Any = None
        self._lock: Any = None
        if jobs > 1:
            context = multiprocessing.get_context("fork")
            self._next = context.RawValue("q", 0)
            self._lock = context.Lock()

    def position(self, index: int) -> int:
        """Where item ``index`` comes in the order of turns (a failure's rank among the workers' failures)."""
        return self.order.index(index)

    def take(self) -> Iterator[int]:
        """The indices this process does, in turn with the others (all of them with one job)."""
        if self._next is None:
            yield from self.order
            return
        while True:
            with self._lock:
                turn = self._next.value
                self._next.value = turn + 1
            if turn >= len(self.order):
                return
            yield self.order[turn]


class Shares:
    """Worker processes, each running ``work(share, jobs)`` on its share; ``results`` waits for them all.

    A worker dies with the process that forked it (a build killed with
    ``kill -9`` leaves no worker behind) and keeps none of ``close``, the
    file descriptors of its parent it must not hold: the build lock, which
    a surviving worker would hold for ever, blocking every later build.
    """

    def __init__(self, work: Callable[[int, int], Any], jobs: int, close: Sequence[int] = (),
                 fork: bool = False) -> None:
        self.children: list[tuple[Any, Connection]] = []
        self.done: list[Any] = []
        if jobs <= 1 and not fork:  # ``fork``: one worker all the same, while this process goes on
            with collecting():  # as a worker does (``_child``): rendering makes cycles (Jinja's contexts)
                self.done.append(work(0, 1))
            return
        context = multiprocessing.get_context("fork")
        # the plan is read by every worker: keep the collector from touching (copying) its pages; no collection
        # first (it took 60 ms of a warm build at 1 500 phases, and leaves holes the workers would copy)
        gc.freeze()
        parent = os.getpid()
        received: list[Connection] = []  # the read ends so far: a worker closes those it inherits
        try:
            for share in range(jobs):
                receive, send = context.Pipe(duplex=False)
                received.append(receive)
                process = context.Process(target=_child, daemon=True,
                                          args=(send, work, share, jobs, parent, [*received], tuple(close)))
                process.start()
                send.close()
                self.children.append((process, receive))
        finally:
            gc.unfreeze()

    def results(self) -> list[Any]:
        """Wait for every worker and return what each returned, in worker order; raise the first failure (in
        worker order), or that a worker died.

        The workers are waited for together, each as it ends: one that dies
        (killed, out of memory) stops the others at once, as one of them may
        wait for ever on a turn it held (``Turns``).
        """
        pending = {conn: (index, process) for index, (process, conn) in enumerate(self.children)}
        done: dict[int, Any] = {}
        errors: dict[int, str | Msg] = {}
        while pending:
            for ready in connection_wait(list(pending)):
                conn = cast(Connection, ready)
                if conn not in pending:  # stopped with a dead worker's others, in this same round
                    continue
                index, process = pending.pop(conn)
                died = False
                try:
                    status, payload = pickle.loads(conn.recv_bytes())
                except EOFError:
                    status, payload, died = "error", msg("worker_died"), True
                conn.close()
                process.join()
                if status == "ok":
                    done[index] = payload
                    continue
                errors[index] = payload
                if died:
                    for other, (_, running) in pending.items():
                        running.kill()
                        running.join()
                        other.close()
                    pending.clear()
        self.children = []  # joined: never to be killed (their ids may be another process's by now)
        if errors:
            raise PacsiteError(errors[min(errors)])
        self.done += [done[index] for index in sorted(done)]
        return self.done

    def cancel(self) -> None:
        """Stop the workers still running and forget what they did (a build that failed before it used them)."""
        for process, conn in self.children:
            process.kill()
            process.join()
            conn.close()
        self.children = []


class Ahead:
    """``work()`` done by one worker forked now, while this process goes on; ``result`` waits for it.

    For work whose result this process will need later and can make
    itself: on a failure of the worker, ``result`` is None.
    """

    def __init__(self, work: Callable[[], Any]) -> None:
        self.shares = Shares(partial(_whole, work), 1, fork=True)

    def result(self) -> Any:
        try:
            [done] = self.shares.results()
        except PacsiteError:
            return None
        return done

    def cancel(self) -> None:
        self.shares.cancel()


def _whole(work: Callable[[], Any], share: int, jobs: int) -> Any:
    return work()


def _child(conn: Connection, work: Callable[[int, int], Any], share: int, jobs: int, parent: int,
           received: list[Connection], close: tuple[int, ...]) -> None:
    _die_with(parent)
    gc.enable()  # off in a one-shot parent (``one_shot``): a worker's own garbage is collected
    for other in received:  # with a read end open here, a write to a dead parent would wait for ever
        other.close()
    for fd in close:  # closed, not unlocked: the parent keeps its lock
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        result: tuple[str, Any] = ("ok", work(share, jobs))
    except PacsiteError as exc:
        result = ("error", exc.message)  # the message itself: the parent words it in the plan's language
    except BaseException:  # a bug: its traceback, since the parent cannot show the child's
        result = ("error", "a worker failed:\n" + traceback.format_exc())
    conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    conn.close()


def _die_with(parent: int) -> None:
    """End this worker when ``parent`` ends, however it ends (``kill -9`` included).

    Linux kills it as soon as its parent dies (``PR_SET_PDEATHSIG``); a
    thread watching ``os.getppid()`` covers other systems, and a parent
    that died before the request was made.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watching thread still works
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Exit at once when this process's parent is no longer ``parent`` (it died; another adopted us)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


# each file as a worker sends it: its index in the list of paths, its stamp, what it parses to (``Parsed``'s
# fields, or a ``SourceError``'s), the digest of its bytes. Plain tuples and an index, not a ``Parsed`` and a
# ``Path``: at 15 000 phases, rebuilding those from the pickles took ~0.3 s of the 0.5 this process spent on them
Sent = list[tuple[int, tuple[int, int, int], tuple[Any, ...], bytes]]


def _parse_share(paths: list[Path], share: int, count: int) -> Sent:
    out = []
    for index in range(share, len(paths), count):
        path = paths[index]
        try:
            info = path.stat()
            data = path.read_bytes()
        except OSError:
            continue
        try:
            parsed = parse_file(data)
            result: tuple[Any, ...] = (parsed.data, parsed.lines, parsed.body, parsed.body_line, parsed.front)
        except SourceError as exc:  # sent as its fields: an exception's own pickling loses them
            result = ("error", exc.line, exc.message, exc.key)
        out.append((index, (info.st_mtime_ns, info.st_size, info.st_ino), result, file_digest(data)))
    return out


def _store(parts: list[Sent], paths: list[Path], files: Files) -> None:
    for part in parts:
        for index, stamp, result, digest in part:
            if len(result) == 4 and result[0] == "error":
                files.put(paths[index], stamp, SourceError(result[1], result[2], result[3]), digest)
            else:
                files.put(paths[index], stamp, Parsed(*result), digest)


def parse_files(paths: list[Path], files: Files, jobs: int) -> None:
    """Read and parse ``paths`` on every core into ``files`` (a clean build's load reads from it).

    YAML is the load's main cost; the parsed files are plain data, cheap to
    send back. A file that cannot be read is left out: the loader reads it
    again and reports the error where it always does.
    """
    _store(Shares(partial(_parse_share, paths), jobs).results(), paths, files)


class ParseAhead:
    """The plan's files being parsed by worker processes; ``collect`` waits for them."""

    def __init__(self, shares: Shares, paths: list[Path]) -> None:
        self.shares = shares
        self.paths = paths

    def collect(self) -> Files:
        files = Files(once=True)  # the build keeps no parsed text once the plan is loaded
        _store(self.shares.results(), self.paths, files)
        self.shares.done = []  # the workers' results live in ``files`` only (freed after the load)
        return files


def parse_ahead(root: Path) -> ParseAhead | None:
    """Start parsing the plan in ``root`` on every core and return at once; None for a small plan.

    The load that is given ``collect()`` reads every unchanged file from it,
    as after ``parse_files``: the same results, earlier.
    """
    paths = [s.path for s in discover(root) if s.kind != "refused" and s.path.suffix in (".md", ".yaml", ".yml")]
    jobs = workers(len(paths), MIN_FILES_PER_WORKER)
    return ParseAhead(Shares(partial(_parse_share, paths), jobs), paths) if jobs > 1 else None
