"""The live preview's build: the stages of ``pacsite build`` with its in-memory cache, patching the folder it serves.

A rebuild after one saved file must cost about one file: each stage takes
the ``BuildCache`` of the session (``pacsite.memo``) and reuses what did not
change, compared by identity and then field by field. The pages are rendered
here, in memory, and only the files whose bytes changed are written, each
replaced atomically; the first build (or one after ``pacsite build`` wrote
the folder) swaps in a whole site like ``pacsite build``. The pages an edit
changes are written (and ``on_pages`` told) before the downloads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from pacsite.build import (
    Report,
    download_parts,
    drop_hidden,
    generated,
    plan_figures,
    read_settings,
    routes,
    static_files,
    warnings,
)
from pacsite.errors import Diagnostics, PacsiteError
from pacsite.figures import PlanFigures, trend
from pacsite.figures.checks import lint
from pacsite.format import Formatter
from pacsite.i18n import translator
from pacsite.load import history
from pacsite.load.assets import collect_assets
from pacsite.load.loader import load_plan
from pacsite.load.model import Plan
from pacsite.memo import BuildCache
from pacsite.messages import msg
from pacsite.output import exports, search
from pacsite.output.write import (
    build_lock,
    check_output_dir,
    file_stamp,
    mark_output,
    output_id,
    update_site,
    write_site,
)
from pacsite.render.page import render_pages, site_view
from pacsite.render.theme import make_environment
from pacsite.site.pages import Markdown, build_pages
from pacsite.site.urls import DOWNLOADS, SITEMAP, Urls
from pacsite.site.views import PageSpec


@dataclass(frozen=True)
class Preview:
    """A preview build in memory: the plan, its pages and every file's bytes."""

    plan: Plan
    figures: PlanFigures
    pages: list[PageSpec]
    files: dict[str, bytes]
    copies: dict[str, Path]


def rebuild(root: Path, diagnostics: Diagnostics, out: Path | None, today: date | None, memo: BuildCache,
            on_pages: Callable[[tuple[str, ...]], None] | None = None) -> Report:
    """Build into ``out``, writing only what changed since the last build of ``memo``; raise on errors.

    ``on_pages`` is told the pages that changed as soon as they are on disk,
    before the downloads (plan.xlsx, plan.json…) and the compact search index.
    """
    started = time.perf_counter()
    rendered_before = memo.pages.computed
    live = memo.written is not None and on_pages is not None  # pages first, downloads after
    site = prepare(root, diagnostics, today, memo, downloads_too=not live)
    if site is None:
        raise PacsiteError(msg("plan_has_errors"), diagnostics)
    target = out or site.plan.settings.output_dir
    check_output_dir(target, root)
    with build_lock(target, site.plan.settings.language):
        # patch the folder only if it still holds our last build: `pacsite build` may have replaced it
        if memo.written is not None and memo.output_id is not None and output_id(target) == memo.output_id:
            changed: list[str] = []
            if live and on_pages is not None:
                # the pages first, the downloads as they were; then the downloads
                kept = {rel: memo.written[rel] for rel in (*DOWNLOADS, search.INDEX)
                        if isinstance(memo.written.get(rel), bytes)}
                changed = update_site(target, {**site.files, **kept}, site.copies, memo.written)
                on_pages(tuple(changed))
                site.files.update(downloads(site.plan, site.figures, memo, site.pages, site.files))
            changed += update_site(target, site.files, site.copies, memo.written)
            memo.output_id = mark_output(target)
            memo.sweep()
            memo.last = site
            return Report(len(site.pages), len(changed), time.perf_counter() - started, target,
                          len(diagnostics.warnings), memo.pages.computed - rendered_before, tuple(changed))
        if live:  # the folder is gone or not ours: the whole site, downloads included
            site.files.update(downloads(site.plan, site.figures, memo, site.pages, site.files))
        memo.written, memo.output_id = None, None  # until the swap is done, the folder's content is unknown
        count = write_site(target, site.files, site.copies, search.indexer(site.plan.settings.search, diagnostics))
        memo.output_id = output_id(target)  # read under the lock: the folder this build swapped in
    memo.written = {**site.files, **{rel: file_stamp(src) for rel, src in site.copies.items()}}
    memo.sweep()
    memo.last = site
    return Report(len(site.pages), count, time.perf_counter() - started, target, len(diagnostics.warnings))


def prepare(root: Path, diagnostics: Diagnostics, today: date | None, memo: BuildCache,
            downloads_too: bool = True) -> Preview | None:
    """The stages of ``pacsite build`` in memory, each reusing what ``memo`` kept; None on errors.

    Without ``downloads_too``, plan.json, plan.xlsx… are left out (the live
    preview writes the pages first, then ``downloads``).
    """
    settings = read_settings(root, diagnostics, None)
    plan = load_plan(root, diagnostics, today, settings, memo, memo.reuse)
    figures = plan_figures(plan, memo.reuse)
    lint(plan, figures, diagnostics, warnings(plan, figures, memo.reuse))
    copies, links = static_files(root, settings, diagnostics, lambda root, theme: memo.listing(
        ("assets", theme), partial(collect_assets, root, theme)))
    if (last := memo.last_listing("history")) is not None and last.stale():
        memo.drop_listing("history", "trend")  # a commit or a pull: the watcher sees no file for it
    past = memo.kept("history", partial(history.read, root))
    points = memo.kept("trend", partial(trend.totals, root, past))
    urls, fmt, t = Urls(settings.language), Formatter(settings), translator(settings.language)
    md = Markdown(plan, urls, links, memo.markdown)
    pages = build_pages(plan, figures, md, diagnostics, routes(plan, figures, md, past, True, False, memo.reuse), memo,
                        past, True, points)
    drop_hidden(copies, generated(pages), diagnostics)
    if diagnostics.has_errors():
        return None
    env = memo.environment(plan.settings, make_environment)
    memo.later.clear()  # left by a build that failed after rendering: its sweep would be stale
    files = render_pages(env, pages, site_view(plan, urls, fmt, t), figures, memo.pages, memo.fragments,
                         memo.later)
    if downloads_too:
        files.update(downloads(plan, figures, memo, pages, files))
    files[SITEMAP] = exports.sitemap([p.path for p in pages], settings.base_url)
    return Preview(plan, figures, pages, files, copies)


def downloads(plan: Plan, figures: PlanFigures, memo: BuildCache, pages: list[PageSpec],
              files: dict[str, bytes]) -> dict[str, bytes]:
    """The downloads and the compact search index, for the pages in ``files``.

    Each family's share comes from the reuse layer, as in ``pacsite build``.
    The preview writes these after the pages, like Pagefind's index: they
    are what no open page shows.
    """
    parts = download_parts(plan, figures, memo.reuse)
    out = exports.downloads(plan, figures, translator(plan.settings.language), parts)
    if plan.settings.search:
        out[search.INDEX] = search.search_index(pages, files, {f.slug: f.title for f in plan.families},
                                                memo.search)
    return out

