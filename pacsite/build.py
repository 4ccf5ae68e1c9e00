"""The pipeline, top to bottom: settings → load → figures → pages → render → write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from pacsite.errors import Diagnostics, PacsiteError
from pacsite.figures import PlanFigures, compute
from pacsite.figures.checks import lint
from pacsite.format import Formatter
from pacsite.i18n import translator
from pacsite.load.assets import collect_assets
from pacsite.load.frontmatter import ParseCache
from pacsite.load.loader import load_plan
from pacsite.load.model import Phase, Plan
from pacsite.load.settings import load_settings
from pacsite.memo import BuildCache
from pacsite.messages import msg
from pacsite.output.write import (
    build_lock,
    check_output_dir,
    file_stamp,
    inside,
    mark_output,
    output_id,
    update_site,
    write_site,
)
from pacsite.render.theme import make_environment, theme_dir
from pacsite.reuse import Reuse, digest_by_keys, files_digest
from pacsite.site.pages import Markdown, build_pages
from pacsite.site.urls import DOWNLOADS, SITEMAP, Urls
from pacsite.site.views import PageSpec


@dataclass(frozen=True)
class Site:
    """Everything a build computed, before anything is written."""

    plan: Plan
    figures: PlanFigures
    pages: list[PageSpec]
    files: dict[str, bytes]
    copies: dict[str, Path]
    links: dict[str, str] = field(default_factory=dict)  # attachments Markdown may link to
    view: dict[str, Any] = field(default_factory=dict)  # what every page shows (site_view)


@dataclass(frozen=True)
class Report:
    """What a build did, for the one-line summary."""

    pages: int
    files: int
    seconds: float
    output: Path
    warnings: int
    rendered: int | None = None  # pages rendered again (None: all of them)
    changed: tuple[str, ...] | None = None  # files written or removed (None: the whole site)


def prepare(
    root: Path, diagnostics: Diagnostics, today: date | None = None,
    base_url: str | None = None, render: bool = True, cache: ParseCache | None = None,
    deferred: list[Markdown] | None = None, downloads: bool = True, history: bool = True, charts: bool = True,
    reuse: Reuse | None = None,
) -> Site | None:
    """Load, check and (if ``render``) render the plan in memory; None on errors.

    A ``BuildCache`` (the live preview) makes each stage reuse what did not
    change since the last build; the result is the same, byte for byte.
    Without ``downloads``, plan.json, plan.xlsx… are left out (the live
    preview writes the pages first, then ``_memo_downloads``). Without
    ``history``, git is not asked when each file last changed; without
    ``charts``, none is drawn (``pacsite check`` shows no page).
    """
    memo = cache if isinstance(cache, BuildCache) else None
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    settings = load_settings(root, diagnostics).with_overrides(base_url=base_url)
    plan = load_plan(root, diagnostics, today, settings, cache, reuse)
    figures = compute(plan, memo.figures if memo else None)
    lint(plan, figures, diagnostics)
    urls, fmt, t = Urls(settings.language), Formatter(settings), translator(settings.language)
    theme = theme_dir(settings.theme, root)
    assets = memo.listing(("assets", theme), partial(collect_assets, root, theme)) if memo \
        else collect_assets(root, theme)
    for shown, problem in assets.refused:
        diagnostics.error(shown, None, None, problem)
    copies = dict(assets.copies)
    links = {s.relative_to(root).as_posix(): o for o, s in copies.items() if s.is_relative_to(root)}
    from pacsite.load import history as git_history
    past = None
    points: tuple[Any, ...] = ()
    if history:  # `pacsite check` shows no page: it asks git nothing
        from pacsite.figures import trend

        if memo and (last := memo.last_listing("history")) is not None and last.stale():
            memo.drop_listing("history", "trend")  # a commit or a pull: the watcher sees no file for it
        past = memo.kept("history", partial(git_history.read, root)) if memo else git_history.read(root)
        points = memo.kept("trend", partial(trend.totals, root, past)) if memo else trend.totals(root, past)
    pages = build_pages(plan, figures, urls, fmt, t, links, diagnostics, memo, deferred, past, charts, points)
    # here, not once rendered: `pacsite check` warns of what `build` hides, and --strict fails before writing
    _drop_hidden(copies, _generated(pages), diagnostics)
    if not render:  # with its errors, if any: the caller reports them (and the deferred pages' ones)
        return Site(plan, figures, pages, {}, copies, links)
    if diagnostics.has_errors():
        return None
    from pacsite.output import exports, search  # here: `pacsite check` never needs them (nor Jinja)
    from pacsite.render.page import render_pages, site_view
    env = memo.environment(plan.settings, make_environment) if memo else make_environment(settings)
    view = site_view(plan, urls, fmt, t)
    if memo:
        memo.later.clear()  # left by a build that failed after rendering: its sweep would be stale
    files = render_pages(env, pages, view, figures, memo.pages if memo else None, memo.fragments if memo else None,
                         memo.later if memo else None)
    if memo:
        if downloads:
            files.update(_memo_downloads(plan, figures, memo, pages, files))
    else:
        files.update(exports.downloads(plan, figures, urls, t))
        if settings.search:
            files[search.INDEX] = search.search_index(pages, files, {f.slug: f.title for f in plan.families})
    files[SITEMAP] = exports.sitemap([p.path for p in pages], settings.base_url)
    return Site(plan, figures, pages, files, copies, links, view)


def _memo_downloads(plan: Plan, figures: PlanFigures, memo: BuildCache, pages: list[PageSpec],
                    files: dict[str, bytes]) -> dict[str, bytes]:
    """The downloads and the compact search index, for the pages in ``files`` (the live preview).

    The downloads show no Markdown body: a text edit does not make them again.
    The preview writes these after the pages, like Pagefind's index: they
    are what no open page shows.
    """
    from pacsite.output import exports, search

    urls, t = Urls(plan.settings.language), translator(plan.settings.language)
    textless = replace(plan, families=tuple(replace(f, phases=tuple(memo.without_body(p) for p in f.phases))
                                            for f in plan.families))
    out = dict(memo.exports.get("exports", (textless, figures), partial(exports.downloads, textless, figures, urls, t)))
    if plan.settings.search:
        out[search.INDEX] = search.search_index(pages, files, {f.slug: f.title for f in plan.families},
                                                memo.search)
    return out


def _generated(pages: list[PageSpec]) -> set[str]:
    """Every path the build writes itself: pages, downloads, the search index, the sitemap."""
    from pacsite.output import search  # lazy: `pacsite check` needs its one name, not the downloads

    return {p.path for p in pages} | set(DOWNLOADS) | {search.INDEX, SITEMAP}


def _drop_hidden(copies: dict[str, Path], generated: set[str], diagnostics: Diagnostics) -> None:
    """Generated pages and downloads win over static files of the same path: say so."""
    for rel in list(copies):
        if rel in generated:
            diagnostics.warning(f"static/{rel}", None, None, msg("hidden_static"))
            del copies[rel]


def link_errors(pages: list[PageSpec], md: Markdown, diagnostics: Diagnostics) -> None:
    """Read the deferred pages' texts for broken links, on every core, into ``diagnostics``."""
    from pacsite.output import parallel

    for source, line, message in parallel.markdown_errors(pages, md, parallel.workers(len(pages))):
        diagnostics.error(source, line, None, message)


def _build_clean(root: Path, diagnostics: Diagnostics, out: Path | None, today: date | None,
                 base_url: str | None, strict: bool, started: float, cache: ParseCache | None,
                 reuse: Reuse) -> Report:
    """``pacsite build``: pages rendered on every core straight into the staging folder, or taken from ``reuse``.

    The same pages and files as ``prepare`` + ``write_site``, byte for byte
    (tests compare them), without holding every page in memory at once.
    """
    deferred: list[Markdown] = []  # the phases' Markdown: rendered by the workers, with their pages
    site = prepare(root, diagnostics, today, base_url, render=False, cache=cache, deferred=deferred, reuse=reuse)
    from pacsite.output import exports, parallel, search
    from pacsite.render.page import site_view
    assert site is not None  # without rendering, prepare returns the site with its errors
    if diagnostics.has_errors():  # every error at once: the texts' broken links too
        link_errors(site.pages, deferred[0], diagnostics)
    if diagnostics.has_errors() or (strict and diagnostics.warnings):
        raise PacsiteError(msg("plan_has_errors"), diagnostics)
    plan, figures, pages = site.plan, site.figures, site.pages
    settings = plan.settings
    target = out or settings.output_dir
    check_output_dir(target, root)
    urls, fmt, t = Urls(settings.language), Formatter(settings), translator(settings.language)
    env = make_environment(settings)
    view = site_view(plan, urls, fmt, t)
    titles = {f.slug: f.title for f in plan.families} if settings.search else None
    # a page's key: its view (given to the workers), and what every page shares
    salt = reuse.key("page", files_digest(theme_dir(settings.theme, root)), settings, view, titles,
                     deferred[0].links_key()) if reuse.active else ""
    copies = site.copies  # without the static files a page hides (prepare warned of them)
    for path in _generated(pages):  # here, before the workers start: they would only stop with a bare message
        inside(target, path)
    done: list[parallel.Rendered] = []

    def produce(staging: Path, lock: int) -> tuple[int, dict[str, bytes]]:
        # the workers render while this process writes the downloads; they must not keep the lock
        rendering = parallel.start(staging, env, pages, view, figures, titles, parallel.workers(len(pages)),
                                   deferred[0], close=(lock,), reuse=reuse, salt=salt)
        files = reuse.remember(digest_by_keys((reuse.namespace, "downloads", plan, figures), (Phase,))
                               if reuse.active else "", partial(exports.downloads, plan, figures, urls, t))
        rendered = rendering.wait()
        for source, line, message in rendered.errors:
            diagnostics.error(source, line, None, message)
        if diagnostics.has_errors():  # a broken link in a phase's text: the staging folder is thrown away
            raise PacsiteError(msg("plan_has_errors"), diagnostics)
        if titles is not None:
            files[search.INDEX] = search.index_script(rendered.entries)
        files[SITEMAP] = exports.sitemap([p.path for p in pages], settings.base_url)
        done.append(rendered)
        return len(pages), files

    with build_lock(target, settings.language) as lock:
        count = write_site(target, {}, copies, search.indexer(settings.search, diagnostics),
                           lambda staging: produce(staging, lock))
    for key in done[0].reused:
        reuse.reused_page(key)
    reuse.save(done[0].made)
    return Report(len(pages), count, time.perf_counter() - started, target, len(diagnostics.warnings),
                  done[0].rendered)


def build(
    root: Path, diagnostics: Diagnostics, out: Path | None = None, today: date | None = None,
    base_url: str | None = None, strict: bool = False, cache: ParseCache | None = None,
    on_pages: Callable[[tuple[str, ...]], None] | None = None, reuse: Reuse | None = None,
) -> Report:
    """Build the site into the output folder, or raise and leave the old output intact.

    ``on_pages`` (the live preview, once it has written a site) is told the
    pages that changed as soon as they are on disk, before the downloads
    (plan.xlsx, plan.json…) and the compact search index are made and written.
    """
    started = time.perf_counter()
    memo = cache if isinstance(cache, BuildCache) else None
    if memo is None:
        return _build_clean(root, diagnostics, out, today, base_url, strict, started, cache, reuse or Reuse())
    from pacsite.output import search
    rendered_before = memo.pages.computed
    live = memo.written is not None and on_pages is not None  # pages first, downloads after
    site = prepare(root, diagnostics, today, base_url, cache=cache, downloads=not live)
    if site is None or (strict and diagnostics.warnings):
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
                site.files.update(_memo_downloads(site.plan, site.figures, memo, site.pages, site.files))
            changed += update_site(target, site.files, site.copies, memo.written)
            memo.output_id = mark_output(target)
            memo.sweep()
            memo.last = site
            return Report(len(site.pages), len(changed), time.perf_counter() - started, target,
                          len(diagnostics.warnings), memo.pages.computed - rendered_before, tuple(changed))
        if live:  # the folder is gone or not ours: the whole site, downloads included
            site.files.update(_memo_downloads(site.plan, site.figures, memo, site.pages, site.files))
        memo.written, memo.output_id = None, None  # until the swap is done, the folder's content is unknown
        count = write_site(target, site.files, site.copies, search.indexer(site.plan.settings.search, diagnostics))
        memo.output_id = output_id(target)  # read under the lock: the folder this build swapped in
    memo.written = {**site.files, **{rel: file_stamp(src) for rel, src in site.copies.items()}}
    memo.sweep()
    memo.last = site
    return Report(len(site.pages), count, time.perf_counter() - started, target,
                  len(diagnostics.warnings))


