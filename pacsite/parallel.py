"""Render and write the pages of a clean build on every core, without holding the site in memory.

A clean ``pacsite build`` spends most of its time in Jinja. The pages are
independent once the plan is loaded and its figures computed, so worker
processes forked from the build share that state copy-on-write; each renders
its share of the pages (every n-th page), writes each file into the staging
folder as soon as it is rendered, and sends back only what the build needs
afterwards: the search entries (a few hundred bytes a page). The rendered
HTML is never gathered in one process: at 15 000 phases it is ~500 MB.

Where ``fork`` does not exist (Windows) or the plan is small, the pages are
rendered in this process, with the same results.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from jinja2 import Environment

from pacsite import search
from pacsite.errors import PacsiteError
from pacsite.figures import PlanFigures
from pacsite.pages import Markdown, PageSpec
from pacsite.render import Fragments, render_page

MIN_PAGES_PER_WORKER = 150  # below this a process costs more than it saves


def workers(pages: int) -> int:
    """How many processes render ``pages`` pages: one per core, fewer for a small plan, 1 without fork."""
    if "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin":
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, pages // MIN_PAGES_PER_WORKER))


@dataclass
class Rendering:
    """Pages being rendered by worker processes; ``wait`` returns the search entries in page order."""

    pages: list[PageSpec]
    children: list[tuple[Any, Connection]]
    entries: dict[int, list[str]]
    errors: dict[int, list[tuple[str, int, str]]]

    def wait(self) -> tuple[list[list[str]], list[tuple[str, int, str]]]:
        """Wait for every worker; return the search entries and the Markdown link errors, in page order.

        Raise the first failure a worker met (a template error)."""
        error: str | None = None
        for process, conn in self.children:
            try:
                status, payload = pickle.loads(conn.recv_bytes())
            except EOFError:
                status, payload = "error", "a rendering process stopped without a word (out of memory?)"
            conn.close()
            process.join()
            if status == "ok":
                self.entries.update(payload[0])
                self.errors.update(payload[1])
            elif error is None:
                error = payload
        if error is not None:
            raise PacsiteError(error)
        return ([self.entries[i] for i in sorted(self.entries)],
                [e for i in sorted(self.errors) for e in self.errors[i]])


def start(staging: Path, env: Environment, pages: list[PageSpec], site: dict[str, Any], figures: PlanFigures,
          families: dict[str, str] | None, jobs: int, md: Markdown) -> Rendering:
    """Render ``pages`` into ``staging`` in ``jobs`` processes and return at once (``wait`` for the end).

    ``families`` (slug -> title) asks for the search entries; None when search is off.
    ``md`` renders the Markdown of deferred pages. With ``jobs`` 1, everything is
    done here before returning.
    """
    if jobs <= 1:
        entries, errors = _render_share(staging, env, pages, site, figures, families, md, 0, 1)
        return Rendering(pages, [], entries, errors)
    context = multiprocessing.get_context("fork")
    for name in dict.fromkeys(page.template for page in pages):
        env.get_template(name)  # compiled once, here, rather than once in every worker
    gc.collect()
    gc.freeze()  # the plan is read by every worker: keep the collector from touching (copying) its pages
    children = []
    try:
        for share in range(jobs):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(send, staging, env, pages, site, figures, families,
                                                           md, share, jobs), daemon=True)
            process.start()
            send.close()
            children.append((process, receive))
    finally:
        gc.unfreeze()
    return Rendering(pages, children, {}, {})


def _child(conn: Connection, staging: Path, env: Environment, pages: list[PageSpec], site: dict[str, Any],
           figures: PlanFigures, families: dict[str, str] | None, md: Markdown, share: int, jobs: int) -> None:
    try:
        result: tuple[str, Any] = ("ok", _render_share(staging, env, pages, site, figures, families, md,
                                                       share, jobs))
    except PacsiteError as exc:
        result = ("error", str(exc))
    except BaseException:  # a bug: its traceback, since the parent cannot show the child's
        result = ("error", "rendering failed:\n" + traceback.format_exc())
    conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    conn.close()


def _render_share(staging: Path, env: Environment, pages: list[PageSpec], site: dict[str, Any],
                  figures: PlanFigures, families: dict[str, str] | None, md: Markdown, share: int,
                  jobs: int) -> tuple[dict[int, list[str]], dict[int, list[tuple[str, int, str]]]]:
    """Render every ``jobs``-th page from ``share`` on and write it; return search entries and link errors."""
    entries: dict[int, list[str]] = {}
    errors: dict[int, list[tuple[str, int, str]]] = {}
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
