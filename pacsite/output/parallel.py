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

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pacsite.figures import PlanFigures
from pacsite.load.processes import (  # noqa: F401 - the names this module always had
    MIN_FILES_PER_WORKER,
    MIN_PAGES_PER_WORKER,
    Shares,
    parse_files,
    workers,
)
from pacsite.messages import Msg
from pacsite.output import search
from pacsite.output.write import inside
from pacsite.site.pages import Markdown
from pacsite.site.views import PageSpec

if TYPE_CHECKING:  # rendering imports Jinja: `pacsite check` parses and reads links here without it
    from jinja2 import Environment

Errors = list[tuple[str, int, Msg]]


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
          families: dict[str, str] | None, jobs: int, md: Markdown, close: tuple[int, ...] = ()) -> Rendering:
    """Render ``pages`` into ``staging`` in ``jobs`` processes and return at once (``wait`` for the end).

    ``families`` (slug -> title) asks for the search entries; None when search is off.
    ``md`` renders the Markdown of deferred pages. With ``jobs`` 1, everything is
    done here before returning. ``close``: descriptors the workers must not keep (the build lock).
    """
    if jobs > 1:
        for name in dict.fromkeys(page.template for page in pages):
            env.get_template(name)  # compiled once, here, rather than once in every worker
    return Rendering(Shares(partial(_render_share, staging, env, pages, site, figures, families, md), jobs, close))


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
                  figures: PlanFigures, families: dict[str, str] | None, md: Markdown, share: int,
                  jobs: int) -> tuple[dict[int, list[str]], dict[int, Errors]]:
    """Render every ``jobs``-th page from ``share`` on and write it; return search entries and link errors."""
    from pacsite.render.page import Fragments, render_page  # lazy: Jinja, which `pacsite check` never imports

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
        target = inside(staging, page.path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
        if families is not None and search.searchable(page):
            family = families.get(page.family or "", "") if page.template == "phase.html" else ""
            entries[index] = search.entry(page, family, data)
    return entries, errors
