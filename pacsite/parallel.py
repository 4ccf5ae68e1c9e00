"""Use every core for a clean build or a check: parse the files, render and write the pages.

A clean ``pacsite build`` spends most of its time in Jinja. The pages are
independent once the plan is loaded and its figures computed, so worker
processes forked from the build share that state copy-on-write; each renders
its share of the pages (every n-th page), writes each file into the staging
folder as soon as it is rendered, and sends back only what the build needs
afterwards: the search entries (a few hundred bytes a page). The rendered
HTML is never gathered in one process: at 15 000 phases it is ~500 MB.

The same workers parse the content files before the load (YAML is the
load's main cost) and, for ``pacsite check``, read the phases' texts for
broken links. Where ``fork`` does not exist (Windows, macOS) or the plan is
small, all of it runs in this process, with the same results.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pacsite import search
from pacsite.errors import PacsiteError
from pacsite.figures import PlanFigures
from pacsite.frontmatter import ParseCache, SourceError, parse_file
from pacsite.pages import Markdown, PageSpec

if TYPE_CHECKING:  # rendering imports Jinja: `pacsite check` parses and reads links here without it
    from jinja2 import Environment

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
        error: str | None = None
        for process, conn in self.children:
            try:
                status, payload = pickle.loads(conn.recv_bytes())
            except EOFError:
                status, payload = "error", "a worker process stopped without a word (out of memory?)"
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


Errors = list[tuple[str, int, str]]


@dataclass
class Rendering:
    """Pages being rendered by worker processes."""

    shares: Shares

    def wait(self) -> tuple[list[list[str]], Errors]:
        """Wait for every worker; return the search entries and the Markdown link errors, in page order.

        Raise the first failure a worker met (a template error)."""
        entries: dict[int, list[str]] = {}
        errors: dict[int, Errors] = {}
        for share_entries, share_errors in self.shares.results():
            entries.update(share_entries)
            errors.update(share_errors)
        return [entries[i] for i in sorted(entries)], [e for i in sorted(errors) for e in errors[i]]


def start(staging: Path, env: Environment, pages: list[PageSpec], site: dict[str, Any], figures: PlanFigures,
          families: dict[str, str] | None, jobs: int, md: Markdown) -> Rendering:
    """Render ``pages`` into ``staging`` in ``jobs`` processes and return at once (``wait`` for the end).

    ``families`` (slug -> title) asks for the search entries; None when search is off.
    ``md`` renders the Markdown of deferred pages. With ``jobs`` 1, everything is
    done here before returning.
    """
    if jobs > 1:
        for name in dict.fromkeys(page.template for page in pages):
            env.get_template(name)  # compiled once, here, rather than once in every worker
    return Rendering(Shares(partial(_render_share, staging, env, pages, site, figures, families, md), jobs))


def parse_files(paths: list[Path], cache: ParseCache, jobs: int) -> None:
    """Read and parse ``paths`` on every core into ``cache`` (a clean build's load reads from it).

    YAML is the load's main cost; the parsed files are plain data, cheap to
    send back. A file that cannot be read is left out: the loader reads it
    again and reports the error where it always does.
    """
    def share_parsed(share: int, count: int) -> list[tuple[Path, tuple[int, int, int], Any]]:
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

    for part in Shares(share_parsed, jobs).results():
        for path, stamp, result in part:
            if isinstance(result, tuple):
                result = SourceError(result[1], result[2], result[3])
            cache.put(path, stamp, result)


def markdown_errors(pages: list[PageSpec], md: Markdown, jobs: int) -> Errors:
    """Render the deferred pages' Markdown for its link errors alone (``pacsite check``), on every core."""
    def share_errors(share: int, count: int) -> dict[int, Errors]:
        found: dict[int, Errors] = {}
        for index in range(share, len(pages), count):
            if pages[index].deferred:
                md.errors = []
                md.complete(pages[index])
                if md.errors:
                    found[index] = md.errors
        return found

    merged: dict[int, Errors] = {}
    for part in Shares(share_errors, jobs).results():
        merged.update(part)
    return [e for i in sorted(merged) for e in merged[i]]


def _render_share(staging: Path, env: Environment, pages: list[PageSpec], site: dict[str, Any],
                  figures: PlanFigures, families: dict[str, str] | None, md: Markdown, share: int,
                  jobs: int) -> tuple[dict[int, list[str]], dict[int, Errors]]:
    """Render every ``jobs``-th page from ``share`` on and write it; return search entries and link errors."""
    from pacsite.render import Fragments, render_page

    entries: dict[int, list[str]] = {}
    errors: dict[int, Errors] = {}
    made: set[Path] = set()
    fragments = Fragments()
    for index in range(share, len(pages), jobs):
        page = pages[index]
        if page.deferred:
            md.errors = []
            page = md.complete(page)
            if md.errors:
                errors[index] = md.errors
        data = render_page(env, page, site, figures, fragments)
        target = staging / page.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
        if families is not None and search.searchable(page):
            family = families.get(page.family or "", "") if page.template == "phase.html" else ""
            entries[index] = search.entry(page, family, data)
    return entries, errors
