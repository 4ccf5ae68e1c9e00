"""The live preview's build: the stages of ``pacsite build`` with its in-memory cache, patching the folder it serves.

A rebuild after one saved file must cost about one file: the stages are
called through the session's reuse layer (``Session.reuse``, kept in
memory), which gives back each result whose inputs' key is the same as last
time, as ``pacsite build`` does with its store. The pages are rendered
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
from typing import Any

from jinja2 import Environment

from pacsite.build import (
    Report,
    download_parts,
    drop_hidden,
    generated,
    load,
    page_salt,
    plan_figures,
    read_settings,
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
from pacsite.load.model import Plan
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
from pacsite.render.page import Fragments, render_page, site_view
from pacsite.render.theme import make_environment
from pacsite.reuse import string_key
from pacsite.routes import site_pages
from pacsite.serve.session import Session
from pacsite.site.pages import Markdown, route_context
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
    keys: dict[str, str]  # each page's key (``Reuse.page_key``): its search entry is reused by it


def rebuild(root: Path, diagnostics: Diagnostics, out: Path | None, today: date | None, session: Session,
            on_pages: Callable[[tuple[str, ...]], None] | None = None) -> Report:
    """Build into ``out``, writing only what changed since the last build of ``session``; raise on errors.

    ``on_pages`` is told the pages that changed as soon as they are on disk,
    before the downloads (plan.xlsx, plan.json…) and the compact search index.
    """
    started = time.perf_counter()
    rendered_before = session.rendered
    live = session.written is not None and on_pages is not None  # pages first, downloads after
    site = prepare(root, diagnostics, today, session, downloads_too=not live)
    if site is None:
        raise PacsiteError(msg("plan_has_errors"), diagnostics)
    target = out or site.plan.settings.output_dir
    check_output_dir(target, root)
    with build_lock(target, site.plan.settings.language):
        # patch the folder only if it still holds our last build: `pacsite build` may have replaced it
        if session.written is not None and session.output_id is not None and output_id(target) == session.output_id:
            changed: list[str] = []
            if live and on_pages is not None:
                # the pages first, the downloads as they were; then the downloads
                kept = {rel: session.written[rel] for rel in (*DOWNLOADS, search.INDEX)
                        if isinstance(session.written.get(rel), bytes)}
                changed = update_site(target, {**site.files, **kept}, site.copies, session.written)
                on_pages(tuple(changed))
                site.files.update(downloads(site.plan, site.figures, session, site.pages, site.files, site.keys))
            changed += update_site(target, site.files, site.copies, session.written)
            session.output_id = mark_output(target)
            session.sweep()
            session.last = site
            return Report(len(site.pages), len(changed), time.perf_counter() - started, target,
                          len(diagnostics.warnings), session.rendered - rendered_before, tuple(changed))
        if live:  # the folder is gone or not ours: the whole site, downloads included
            site.files.update(downloads(site.plan, site.figures, session, site.pages, site.files, site.keys))
        session.written, session.output_id = None, None  # until the swap is done, the folder's content is unknown
        count = write_site(target, site.files, site.copies, search.indexer(site.plan.settings.search, diagnostics))
        session.output_id = output_id(target)  # read under the lock: the folder this build swapped in
    session.written = {**site.files, **{rel: file_stamp(src) for rel, src in site.copies.items()}}
    session.sweep()
    session.last = site
    return Report(len(site.pages), count, time.perf_counter() - started, target, len(diagnostics.warnings))


def prepare(root: Path, diagnostics: Diagnostics, today: date | None, session: Session,
            downloads_too: bool = True) -> Preview | None:
    """The stages of ``pacsite build`` in memory, through the session's reuse layer; None on errors.

    Without ``downloads_too``, plan.json, plan.xlsx… are left out (the live
    preview writes the pages first, then ``downloads``).
    """
    reuse = session.reuse
    settings = read_settings(root, diagnostics, None)
    plan = load(root, diagnostics, today, settings, session, reuse)
    figures = plan_figures(plan, reuse)
    lint(plan, figures, diagnostics, warnings(plan, figures, reuse))
    copies, links = static_files(root, settings, diagnostics, lambda root, theme: session.listing(
        ("assets", theme), partial(collect_assets, root, theme)))
    if (last := session.last_listing("history")) is not None and last.stale():
        session.drop_listing("history", "trend")  # a commit or a pull: the watcher sees no file for it
    past = session.kept("history", partial(history.read, root))
    points = session.kept("trend", partial(trend.totals, root, past))
    urls, fmt, t = Urls(settings.language), Formatter(settings), translator(settings.language)
    md = Markdown(plan, urls, links)
    pages = site_pages(plan, figures, md, past, points, route_context(plan, True, False), reuse)
    for source, line, message in md.errors:
        diagnostics.error(source, line, None, message)
    drop_hidden(copies, generated(pages), diagnostics)
    if diagnostics.has_errors():
        return None
    env = session.environment(plan.settings, make_environment)
    session.later.clear()  # left by a build that failed after rendering: its sweep would be stale
    view = site_view(plan, urls, fmt, t, changes=any(p.template == "changes.html" for p in pages))
    titles = {f.slug: f.title for f in plan.families} if settings.search else None
    files, keys = render(env, pages, view, figures, page_salt(reuse, root, settings, view, titles, md), session)
    if downloads_too:
        files.update(downloads(plan, figures, session, pages, files, keys))
    files[SITEMAP] = reuse.call(exports.sitemap, tuple(p.path for p in pages), settings.base_url, disk=False)
    return Preview(plan, figures, pages, files, copies, keys)


def render(env: Environment, pages: list[PageSpec], view: dict[str, Any], figures: PlanFigures, salt: str,
           session: Session) -> tuple[dict[str, bytes], dict[str, str]]:
    """Each page's bytes, and the key of its bytes: the last build's bytes while the page's key is the same
    (``Reuse.page_key``).

    A page rendered again into the very bytes it had keeps its old bytes and
    their key (what follows, its search entry, is the last one: the timeline
    after a budget edit). The table rows' HTML is kept across builds too
    (``Fragments``, with ``session.fragments``): a budget edit renders a
    table of a hundred rows as one new row and ninety-nine kept ones.
    """
    reuse, fragments = session.reuse, Fragments(session.fragments)
    totals = reuse.key(figures)
    files, keys = {}, {}
    before = session.last.files if session.last is not None else {}
    before_keys = session.last.keys if session.last is not None else {}
    for page in pages:
        key = reuse.page_key(salt, page, totals if page.totals else None)
        data = reuse.remember(key, partial(count_rendered, session, env, page, view, figures, fragments), disk=False)
        old = before.get(page.path)
        if data is not old and data == old and page.path in before_keys:
            data, key = old, before_keys[page.path]
        files[page.path], keys[page.path] = data, key
    session.later.append(partial(fragments.sweep, set(files)))  # after the pages are on disk: it looks at every row
    return files, keys


def count_rendered(session: Session, env: Environment, page: PageSpec, view: dict[str, Any], figures: PlanFigures,
                   fragments: Fragments) -> bytes:
    """``render_page``, counted (the report says how many pages a save rendered)."""
    session.rendered += 1
    return render_page(env, page, view, figures, fragments)


def downloads(plan: Plan, figures: PlanFigures, session: Session, pages: list[PageSpec],
              files: dict[str, bytes], keys: dict[str, str]) -> dict[str, bytes]:
    """The downloads and the compact search index, for the pages in ``files`` (``keys``: their keys).

    Each family's share comes from the reuse layer, as in ``pacsite build``,
    and so does each page's search entry, by its page's key. The preview
    writes these after the pages, like Pagefind's index: they are what no
    open page shows.
    """
    parts = download_parts(plan, figures, session.reuse)
    out = exports.downloads(plan, figures, translator(plan.settings.language), parts)
    if plan.settings.search:
        titles = {f.slug: f.title for f in plan.families}
        entries = []
        for page in pages:
            if search.searchable(page):
                family = search.family_title(page, titles)
                entries.append(session.reuse.remember(
                    string_key("search entry", keys[page.path], page.title, family),
                    partial(search.entry_json, page, family, files[page.path]), disk=False))
        out[search.INDEX] = search.index_of(entries)
    return out
