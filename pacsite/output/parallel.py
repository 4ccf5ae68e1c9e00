"""Use every core for a clean build or a check: parse the files, render and write the pages.

A clean ``pacsite build`` spends most of its time in Jinja. The pages are
independent once the plan is loaded and its figures computed, so worker
processes forked from the build share that state copy-on-write; each takes
the next page when it is free (``Turns``), writes each file into the staging
folder as soon as it is rendered, and sends back only what the build needs
afterwards: the search entries (a few hundred bytes a page). The rendered
HTML is never gathered in one process: at 15 000 phases it is ~500 MB.

The same workers parse the content files before the load (YAML is the
load's main cost) and, for ``pacsite check``, read the phases' texts for
broken links. Where ``fork`` does not exist (Windows, macOS) or the plan is
small, all of it runs in this process, with the same results.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pacsite.errors import PacsiteError
from pacsite.figures import PlanFigures
from pacsite.load.processes import (  # noqa: F401 - the names this module always had
    MIN_FILES_PER_WORKER,
    MIN_PAGES_PER_WORKER,
    Shares,
    Turns,
    parse_files,
    workers,
)
from pacsite.messages import Msg
from pacsite.output import search
from pacsite.output.write import inside
from pacsite.reuse import PageHit, Reuse
from pacsite.site.pages import Markdown
from pacsite.site.views import PageSpec

if TYPE_CHECKING:  # rendering imports Jinja: `pacsite check` parses and reads links here without it
    from jinja2 import Environment

Errors = list[tuple[str, int, Msg]]


@dataclass
class Rendered:
    """What the workers did: search entries and link errors (in page order), and the pages stored or reused."""

    entries: list[list[str]]
    errors: Errors
    made: list[tuple[str, PageHit]]  # pages rendered and stored, by key
    reused: list[str]  # keys of the stored pages taken as they were
    rendered: int  # pages rendered (the others were reused)
    paths: set[str] = field(default_factory=set)  # the pages rendered (their kept table rows are ``pieces``)
    pieces: dict[Any, tuple[None, str]] = field(default_factory=dict)  # the table rows' HTML they used
    keys: dict[str, str] = field(default_factory=dict)  # every page's key, by path (what the site holds)


@dataclass
class Rendering:
    """Pages being rendered by worker processes."""

    shares: Shares

    def wait(self) -> Rendered:
        """Wait for every worker; return what they did. Raise the failure met on the first page in the order of
        turns (a template error): the same page whichever worker took it, build after build."""
        entries: dict[int, list[str]] = {}
        errors: dict[int, Errors] = {}
        done = Rendered([], [], [], [], 0)
        shares = self.shares.results()
        failures = [share.failed for share in shares if share.failed is not None]
        if failures:
            raise PacsiteError(min(failures)[1])
        for share in shares:
            entries.update(share.entries)
            errors.update(share.errors)
            done.made += share.made
            done.reused += share.reused
            done.rendered += share.rendered
            done.paths |= share.paths
            done.pieces.update(share.pieces)
            done.keys.update(share.keys)
        done.entries = [entries[i] for i in sorted(entries)]
        done.errors = [e for i in sorted(errors) for e in errors[i]]
        return done


@dataclass
class Share:
    """One worker's part of ``Rendered`` (entries and errors by page index)."""

    entries: dict[int, list[str]]
    errors: dict[int, Errors]
    made: list[tuple[str, PageHit]]
    reused: list[str]
    rendered: int
    paths: set[str] = field(default_factory=set)
    pieces: dict[Any, tuple[None, str]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    failed: tuple[int, str | Msg] | None = None  # the page it stopped at (its turn) and why: a template error


def start(staging: Path, env: Environment, pages: list[PageSpec], site: dict[str, Any], figures: PlanFigures,
          families: dict[str, str] | None, jobs: int, md: Markdown, close: tuple[int, ...] = (),
          reuse: Reuse | None = None, salt: str = "",
          pieces: dict[Any, tuple[Any, str]] | None = None, present: dict[str, str] | None = None) -> Rendering:
    """Render ``pages`` into ``staging`` in ``jobs`` processes and return at once (``wait`` for the end).

    ``families`` (slug -> title) asks for the search entries; None when search is off.
    ``md`` renders the Markdown of deferred pages. With ``jobs`` 1, everything is
    done here before returning. ``close``: descriptors the workers must not keep (the build lock).
    ``reuse``: a page whose key (``salt``, its whole view and, for a page of
    totals, the figures) is stored is linked from the store, not rendered.
    ``pieces``: the table rows' HTML the last build kept (``Fragments``),
    for the pages rendered again: a budget edit renders one row of a table.
    ``present``: the pages the staging folder holds already, by path (the
    last build but one's site, ``write.Recycle``): one whose key is the same
    is left there, the others are replaced.
    """
    if jobs > 1:
        for name in dict.fromkeys(page.template for page in pages):
            env.get_template(name)  # compiled once, here, rather than once in every worker
    # the summary pages first (the plan's table, a family's, the variances: a hundred phase pages each), then the
    # phase pages, each to the first worker free: they end together
    order = sorted(range(len(pages)), key=lambda i: pages[i].template == "phase.html")
    work = partial(_render_share, staging, env, pages, site, figures, families, md, reuse or Reuse(), salt, pieces,
                   present or {}, Turns(order, jobs))
    return Rendering(Shares(work, jobs, close))


def markdown_errors(pages: list[PageSpec], md: Markdown, jobs: int) -> Errors:
    """Render the deferred pages' Markdown for its link errors alone (``pacsite check``), on every core."""
    def share_errors(share: int, count: int) -> dict[int, Errors]:
        found: dict[int, Errors] = {}
        for index in range(share, len(pages), count):
            if pages[index].deferred:
                md.errors = []
                md.read_links(pages[index])
                if md.errors:
                    found[index] = md.errors
        return found

    merged: dict[int, Errors] = {}
    for part in Shares(share_errors, jobs).results():
        merged.update(part)
    return [e for i in sorted(merged) for e in merged[i]]


def _render_share(staging: Path, env: Environment, pages: list[PageSpec], site: dict[str, Any],
                  figures: PlanFigures, families: dict[str, str] | None, md: Markdown, reuse: Reuse, salt: str,
                  pieces: dict[Any, tuple[Any, str]] | None, present: dict[str, str], turns: Turns, share: int,
                  jobs: int) -> Share:
    """Render (or link from the store) the pages this worker takes in turn (``turns``) and write them."""
    from pacsite.render.page import Fragments, render_page  # lazy: Jinja, which `pacsite check` never imports

    done = Share({}, {}, [], [], 0)
    folders: set[Path] = set()
    fragments = Fragments(pieces, hashed=True)  # this process's copy: what it adds goes back in ``done.pieces``
    totals = reuse.key(figures) if reuse.active else ""
    for index in turns.take():
        page = pages[index]
        key = reuse.page_key(salt, page, totals if page.totals else None) if reuse.active else ""
        if key:
            done.keys[page.path] = key
        there = present.get(page.path)
        if there is not None and there == key and _is_stored(reuse, key, f"{staging}/{page.path}"):
            done.reused.append(key)  # the spare's page, the store's very file: kept as it is
            if (entry := reuse.pages[key].entry) is not None:
                done.entries[index] = entry
            continue
        target = inside(staging, page.path)
        stored = reuse.page_file(key) if key else None
        if there is not None:  # the spare's page, another one: replaced
            target.unlink(missing_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)  # the few pages an edit changes
        elif target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        if stored is not None and _link(stored, target):
            done.reused.append(key)
            entry = reuse.pages[key].entry
            if entry is not None:
                done.entries[index] = entry
            continue
        if page.deferred:
            md.errors = []
            page = md.complete(page)
            if md.errors:
                done.errors[index] = md.errors
        try:
            data = render_page(env, page, site, figures, fragments)
        except PacsiteError as exc:  # this worker stops; the other goes on (its own failure may come first)
            done.failed = (turns.position(index), exc.message)
            break
        done.rendered += 1
        done.paths.add(page.path)
        target.write_bytes(data)
        entry = None
        if families is not None and search.searchable(page):
            family = families.get(page.family or "", "") if page.template == "phase.html" else ""
            entry = done.entries[index] = search.entry(page, family, data)
        if key and index not in done.errors and (kept := reuse.keep_page(key, target, entry)) is not None:
            done.made.append(kept)
    done.pieces = fragments.portable()
    return done


def _is_stored(reuse: Reuse, key: str, target: str) -> bool:
    """Whether ``target`` is the store's page for ``key``, as it was stored (the same file, not a copy).

    ``target``: a path ``build`` checked already (``write.inside``), only read here: two ``lstat``
    and no ``Path`` (the 1 500 pages a warm build keeps, in 3 ms rather than 20).
    """
    stored = reuse.page_stat(key)
    if stored is None:
        return False
    try:
        found = os.lstat(target)
    except OSError:
        return False
    return (found.st_ino, found.st_dev) == (stored.st_ino, stored.st_dev)


def _link(stored: Path, target: Path) -> bool:
    """Put the stored page at ``target``: a hard link, or a copy across file systems."""
    try:
        os.link(stored, target)
    except OSError:
        try:
            shutil.copyfile(stored, target)
        except OSError:
            return False
    return True
