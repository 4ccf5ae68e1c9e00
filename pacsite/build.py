"""The pipeline, top to bottom: settings → load → figures → pages → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pacsite import exports
from pacsite.checks import lint
from pacsite.errors import Diagnostics, PacsiteError
from pacsite.figures import PlanFigures, compute
from pacsite.frontmatter import ParseCache
from pacsite.i18n import translator
from pacsite.loader import load_plan
from pacsite.model import Plan
from pacsite.output import build_lock, check_output_dir, write_site
from pacsite.pages import PageSpec, build_pages
from pacsite.render import render_pages, site_view
from pacsite.settings import load_settings
from pacsite.sources import ignored
from pacsite.theme import Formatter, make_environment, theme_dir
from pacsite.urls import Urls


@dataclass(frozen=True)
class Site:
    """Everything a build computed, before anything is written."""

    plan: Plan
    figures: PlanFigures
    pages: list[PageSpec]
    files: dict[str, bytes]
    copies: dict[str, Path]


@dataclass(frozen=True)
class Report:
    """What a build did, for the one-line summary."""

    pages: int
    files: int
    seconds: float
    output: Path
    warnings: int


def prepare(
    root: Path, diagnostics: Diagnostics, today: date | None = None,
    base_url: str | None = None, render: bool = True, cache: ParseCache | None = None,
) -> Site | None:
    """Load, check and (if ``render``) render the plan in memory; None on errors."""
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    settings = load_settings(root, diagnostics).with_overrides(base_url=base_url)
    plan = load_plan(root, diagnostics, today, settings, cache)
    figures = compute(plan)
    lint(plan, figures, diagnostics)
    urls, fmt, t = Urls(settings.language), Formatter(settings), translator(settings.language)
    copies = collect_assets(root, theme_dir(settings.theme, root))
    links = {s.relative_to(root).as_posix(): o for o, s in copies.items() if s.is_relative_to(root)}
    pages = build_pages(plan, figures, urls, fmt, t, links, diagnostics)
    if diagnostics.has_errors():
        return None
    if not render:
        return Site(plan, figures, pages, {}, copies)
    env = make_environment(settings)
    files = render_pages(env, pages, site_view(plan, urls, fmt, t), figures)
    files["plan.json"] = exports.plan_json(plan, figures)
    files["budget.csv"] = exports.budget_csv(plan, figures, t)
    files["plan.xlsx"] = exports.plan_xlsx(plan, figures, t)
    files["plan.ics"] = exports.plan_ics(plan, figures, urls)
    files["sitemap.xml"] = exports.sitemap(list(files), settings.base_url)
    for rel in list(copies):
        if rel in files:  # generated pages win over static files of the same name
            diagnostics.warning(f"static/{rel}", None, None, "hidden by a generated page of the same path")
            del copies[rel]
    return Site(plan, figures, pages, files, copies)


def build(
    root: Path, diagnostics: Diagnostics, out: Path | None = None, today: date | None = None,
    base_url: str | None = None, strict: bool = False, cache: ParseCache | None = None,
) -> Report:
    """Build the site into the output folder, or raise and leave the old output intact."""
    started = time.perf_counter()
    site = prepare(root, diagnostics, today, base_url, cache=cache)
    if site is None or (strict and diagnostics.warnings):
        raise PacsiteError("the plan has errors; nothing was written", diagnostics)
    target = out or site.plan.settings.output_dir
    check_output_dir(target, root)
    with build_lock(target):
        count = write_site(target, site.files, site.copies)
    return Report(len(site.pages), count, time.perf_counter() - started, target,
                  len(diagnostics.warnings))


def collect_assets(root: Path, theme: Path) -> dict[str, Path]:
    """Map output paths to files copied as is: theme assets, static/, content attachments."""
    copies: dict[str, Path] = {}
    for folder, prefix in ((theme / "static", "assets/"), (root / "static", ""),
                           (root / "content", "files/")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if not path.is_file() or any(ignored(part) and part != "_index.md" for part in rel.parts):
                continue
            if prefix == "files/" and path.suffix in (".md", ".yaml", ".yml"):
                continue
            copies[prefix + rel.as_posix()] = path
    return copies
