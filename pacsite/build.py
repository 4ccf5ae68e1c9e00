"""``pacsite build``, top to bottom: settings → load → figures → routes → render → write.

``build`` is the whole of it, one stage a line; ``plan_site`` is its first
stages, all that ``pacsite check`` runs. The stages are pure functions, and
the costly ones work family by family (``family_part``, ``family_warnings``,
the pages of ``routes.site_pages``, ``family_downloads``): each call goes
through ``reuse`` (``Reuse.call``), which gives back the last
build's result when its key, a digest of its inputs, is the same. A build
with an empty store is the clean build, there is no other. The live preview
(``pacsite.serve.preview``) makes the same calls on a store kept in memory,
and patches the folder it serves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pacsite.errors import Diagnostics, PacsiteError
from pacsite.figures import PlanFigures, compute, family_part, tolerances
from pacsite.figures.checks import Warnings, family_warnings, lint, warning_inputs
from pacsite.format import Formatter
from pacsite.i18n import translator
from pacsite.load.assets import collect_assets
from pacsite.load.families import validate_phase
from pacsite.load.frontmatter import Files
from pacsite.load.history import History
from pacsite.load.loader import link_plan, read_plan
from pacsite.load.model import Plan
from pacsite.load.settings import Settings, load_settings
from pacsite.messages import msg
from pacsite.output.write import Recycle, build_lock, check_output_dir, inside, write_site
from pacsite.render.theme import make_environment, theme_dir
from pacsite.reuse import SPARE, Reuse, files_digest
from pacsite.routes import site_pages
from pacsite.site.pages import Markdown, route_context
from pacsite.site.urls import DOWNLOADS, SITEMAP, Urls
from pacsite.site.views import PageSpec

if TYPE_CHECKING:  # lazy: forks workers; imported by the builds that fork them
    from pacsite.load.processes import Ahead


@dataclass(frozen=True)
class Site:
    """The plan read and checked, and its pages laid out: everything but the HTML."""

    plan: Plan
    figures: PlanFigures
    pages: list[PageSpec]
    copies: dict[str, Path]  # static files and attachments: output path -> source
    md: Markdown  # renders the phases' texts, left to the page workers (``PageSpec.deferred``)
    texts: Ahead | None = None  # the phases' texts being rendered by a worker meanwhile (``texts_ahead``)


@dataclass(frozen=True)
class Report:
    """What a build did, for the one-line summary."""

    pages: int
    files: int
    seconds: float
    output: Path
    warnings: int
    rendered: int | None = None  # pages rendered (the others were reused; None: all of them)
    changed: tuple[str, ...] | None = None  # files written or removed (None: the whole site)


def build(root: Path, diagnostics: Diagnostics, out: Path | None = None, today: date | None = None,
          base_url: str | None = None, strict: bool = False, files: Files | None = None,
          reuse: Reuse | None = None) -> Report:
    """Build the site into the output folder, or raise and leave the old output as it was.

    ``files``: the plan's files parsed ahead on every core (``load.processes``).
    """
    started, reuse = time.perf_counter(), reuse or Reuse()
    site = plan_site(root, diagnostics, today, base_url, files=files, reuse=reuse, texts_ahead=not reuse.warm)
    try:
        return _build_site(site, root, diagnostics, out, strict, reuse, started)
    finally:
        if site.texts is not None:
            site.texts.cancel()  # a build that failed before it took them: the worker is stopped


def _build_site(site: Site, root: Path, diagnostics: Diagnostics, out: Path | None, strict: bool, reuse: Reuse,
                started: float) -> Report:
    if diagnostics.has_errors():  # every error at once: the texts' broken links too
        link_errors(site.pages, site.md, diagnostics)
    if diagnostics.has_errors() or (strict and diagnostics.warnings):
        raise PacsiteError(msg("plan_has_errors"), diagnostics)
    settings = site.plan.settings
    target = out or settings.output_dir
    check_output_dir(target, root)
    for path in generated(site.pages):  # before the workers start: they would only stop with a bare message
        inside(target, path)
    from pacsite.output import search
    done: list[Any] = []
    # the site before the last, kept in the store: patched into this one (``Recycle``)
    recycle = Recycle(reuse.folder / SPARE, reuse.spare, {p.path for p in site.pages}) if reuse.folder else None
    with build_lock(target, settings.language) as lock:
        count = write_site(target, {}, site.copies, search.indexer(settings.search, diagnostics),
                           partial(_render, site, root, reuse, diagnostics, lock, done), recycle)
    salt, rendered, downloads = done[0]
    listing: dict[str, str] = {**rendered.keys, **dict.fromkeys(downloads, ""), **dict.fromkeys(site.copies, "")}
    reuse.save(rendered.made, rendered.reused, (salt, rendered.pieces),
               (recycle.built, recycle.kept, listing) if recycle else None)
    return Report(len(site.pages), count, time.perf_counter() - started, target, len(diagnostics.warnings),
                  rendered.rendered)


def plan_site(root: Path, diagnostics: Diagnostics, today: date | None = None, base_url: str | None = None, *,
              files: Files | None = None, reuse: Reuse | None = None, history: bool = True,
              charts: bool = True, texts_ahead: bool = False) -> Site:
    """Read and check the plan, and lay out its pages; its errors are in ``diagnostics``.

    Without ``history``, git is not asked when each file last changed;
    without ``charts``, none is drawn (``pacsite check`` shows no page).
    With ``texts_ahead`` (a clean build), the phases' texts are rendered
    by a worker while the figures are computed and the pages laid out.
    """
    settings, reuse = read_settings(root, diagnostics, base_url), reuse or Reuse()
    plan = load(root, diagnostics, today, settings, files, reuse)
    copies, links = static_files(root, settings, diagnostics, collect_assets)
    md = Markdown(plan, Urls(settings.language), links)  # the texts: rendered by the page workers (``defer``)
    texts = _texts_ahead(plan, md) if texts_ahead else None
    try:
        figures = plan_figures(plan, reuse)
        lint(plan, figures, diagnostics, warnings(plan, figures, reuse))
        past, points = git_history(root) if history else (History(), ())
        pages = site_pages(plan, figures, md, past, points, route_context(plan, charts, True), reuse)
    except BaseException:
        if texts is not None:
            texts.cancel()  # an unknown theme, an interrupt: the worker stops with the build
        raise
    for source, line, message in md.errors:
        diagnostics.error(source, line, None, message)
    drop_hidden(copies, generated(pages), diagnostics)  # `check` warns of it too, and --strict fails before writing
    return Site(plan, figures, pages, copies, md, texts)


AHEAD_TEXTS = 2_000  # phases whose texts a worker renders ahead: all of a usual plan, ~8 MB of HTML at most


def _texts_ahead(plan: Plan, md: Markdown) -> Ahead | None:
    """The phases' texts rendered by a worker forked now, or None for a plan too small to gain from it.

    Between the load and the rendering, this process computes the figures
    and lays out the pages (~0.2 s at 1 500 phases) and the other core has
    nothing to do: the worker renders, with its copy of ``md``, the texts
    the page workers would (~0.2 s of their CPU); ``_render`` hands them on.
    """
    from pacsite.load import processes

    if processes.workers(sum(len(f.phases) for f in plan.families)) <= 1:
        return None
    return processes.Ahead(partial(md.texts, plan, AHEAD_TEXTS))


def _render(site: Site, root: Path, reuse: Reuse, diagnostics: Diagnostics, lock: int, done: list[Any],
            staging: Path, present: dict[str, str]) -> tuple[int, dict[str, bytes]]:
    """Render the pages into ``staging`` on every core (or link them from the store), and make the downloads."""
    from pacsite.output import exports, parallel, search
    from pacsite.render.page import site_view

    plan, figures, pages, settings = site.plan, site.figures, site.pages, site.plan.settings
    urls, t = Urls(settings.language), translator(settings.language)
    view = site_view(plan, urls, Formatter(settings), t, changes=any(p.template == "changes.html" for p in pages))
    titles = {f.slug: f.title for f in plan.families} if settings.search else None
    salt = page_salt(reuse, root, settings, view, titles, site.md) if reuse.active else ""
    pieces = reuse.pieces_for(salt) if reuse.folder else None  # the last build's table rows
    if site.texts is not None and (ready := site.texts.result()) is not None:
        site.md.ready = ready  # rendered ahead by this very Markdown's copy: the page workers render none
    # the workers render while this process makes the downloads; they must not keep the lock
    rendering = parallel.start(staging, make_environment(settings, reload=False), pages, view, figures, titles,
                               parallel.workers(len(pages)), site.md, close=(lock,), reuse=reuse, salt=salt,
                               pieces=pieces, present=present)
    files = exports.downloads(plan, figures, t, download_parts(plan, figures, reuse))
    reuse.pack_values()  # while the workers render: every value of this build is made
    rendered = rendering.wait()
    for source, line, message in rendered.errors:
        diagnostics.error(source, line, None, message)
    if diagnostics.has_errors():  # a broken link in a phase's text: the staging folder is thrown away
        raise PacsiteError(msg("plan_has_errors"), diagnostics)
    if titles is not None:
        files[search.INDEX] = search.index_script(rendered.entries)
    files[SITEMAP] = exports.sitemap(tuple(p.path for p in pages), settings.base_url)
    if pieces is not None:  # the rows of the pages not rendered stay as they were, those of pages gone go
        paths = {p.path for p in pages}
        kept = {name: piece for name, piece in pieces.items() if name[0] in paths and name[0] not in rendered.paths}
        rendered.pieces = {**kept, **rendered.pieces}
    done.append((salt if pieces is not None else "", rendered, list(files)))
    return len(pages), files


def page_salt(reuse: Reuse, root: Path, settings: Settings, view: dict[str, Any], titles: dict[str, str] | None,
              md: Markdown) -> str:
    """What every page's key shares: the theme's files and the plan's own templates (they shadow the theme's),
    the settings, what every page shows (``view``), the families' titles in the search entries, where links lead."""
    return reuse.key("page", files_digest(theme_dir(settings.theme, root)), files_digest(root / "templates"),
                     settings, view, titles, md.links_key())


def load(root: Path, diagnostics: Diagnostics, today: date | None, settings: Settings, files: Files | None,
         reuse: Reuse) -> Plan:
    """The plan: its files read, each phase validated (the last build's validation while its file and its
    context are the same: a warm build parses only the files that changed), all of it linked."""
    plan_files = read_plan(root, diagnostics, settings, files, parse_ahead=not reuse.warm, keyed=reuse.active)
    return link_plan(plan_files, reuse.each(validate_phase, plan_files.phases), diagnostics, today)


def plan_figures(plan: Plan, reuse: Reuse) -> PlanFigures:
    """The plan's figures, from each family's part: the last build's while the family is the same, texts aside."""
    limits = tolerances(plan.settings)
    return compute(plan, [reuse.call(family_part, f.phases, f.budget, plan.today, limits,
                                     attribute="digest_without_body") for f in plan.families])


def warnings(plan: Plan, figures: PlanFigures, reuse: Reuse) -> list[Warnings]:
    """Each family's warnings: the last build's while the family and its figures are the same, texts aside."""
    return [reuse.call(family_warnings, *inputs, attribute="digest_without_body")
            for inputs in warning_inputs(plan, figures)]


def download_parts(plan: Plan, figures: PlanFigures, reuse: Reuse) -> list[Any]:
    """Each family's share of the downloads: the last build's while the family, its figures and its place are
    the same (they show no phase's text: a text edit makes none again)."""
    from pacsite.output import exports

    return [reuse.call(exports.family_downloads, *inputs, attribute="digest_without_body")
            for inputs in exports.family_downloads_inputs(plan, figures)]


def read_settings(root: Path, diagnostics: Diagnostics, base_url: str | None) -> Settings:
    """The plan's settings, with ``--base-url`` (ending with /) over its own."""
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return load_settings(root, diagnostics).with_overrides(base_url=base_url)


def static_files(root: Path, settings: Settings, diagnostics: Diagnostics,
                 collect: Callable[..., Any]) -> tuple[dict[str, Path], dict[str, str]]:
    """The theme's and the plan's static files (output path -> source), and the attachments Markdown may link to."""
    theme = theme_dir(settings.theme, root)
    assets = collect(root, theme)
    for shown, problem in assets.refused:
        diagnostics.error(shown, None, None, problem)
    copies = dict(assets.copies)
    return copies, {s.relative_to(root).as_posix(): o for o, s in copies.items() if s.is_relative_to(root)}


def git_history(root: Path) -> tuple[Any, tuple[Any, ...]]:
    """When each file last changed, and the plan's totals at each commit (nothing outside a repository)."""
    from pacsite.figures import trend
    from pacsite.load import history

    past = history.read(root)
    return past, trend.totals(root, past)


def generated(pages: list[PageSpec]) -> set[str]:
    """Every path the build writes itself: pages, downloads, the search index, the sitemap."""
    from pacsite.output import search  # lazy: `pacsite check` needs its one name, not the downloads

    return {p.path for p in pages} | set(DOWNLOADS) | {search.INDEX, SITEMAP}


def drop_hidden(copies: dict[str, Path], paths: set[str], diagnostics: Diagnostics) -> None:
    """Generated pages and downloads win over static files of the same path: say so."""
    for rel in list(copies):
        if rel in paths:
            diagnostics.warning(f"static/{rel}", None, None, msg("hidden_static"))
            del copies[rel]


def link_errors(pages: list[PageSpec], md: Markdown, diagnostics: Diagnostics) -> None:
    """Read the deferred pages' texts for broken links, on every core, into ``diagnostics``."""
    from pacsite.output import parallel

    for source, line, message in parallel.markdown_errors(pages, md, parallel.workers(len(pages))):
        diagnostics.error(source, line, None, message)
