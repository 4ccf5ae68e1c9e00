"""Render every page with the theme. Rendering never writes to disk."""

from __future__ import annotations

from functools import partial
from typing import Any

from jinja2 import Environment, TemplateError

from pacsite import __version__
from pacsite.errors import PacsiteError
from pacsite.figures import PlanFigures
from pacsite.memo import Memo
from pacsite.model import Plan
from pacsite.pages import PageSpec
from pacsite.theme import Formatter
from pacsite.urls import Urls, relative

NAV = ("home", "plan", "budget", "timeline", "variances", "objectives", "people")


def site_view(plan: Plan, urls: Urls, fmt: Formatter, t: dict[str, str]) -> dict[str, Any]:
    """Return what every page shows: title, navigation, sidebar families."""
    period = ""
    if plan.period.start and plan.period.end:
        period = f"{fmt.date(plan.period.start)} – {fmt.date(plan.period.end)}"
    settings = plan.settings
    edit = settings.repository_edit_url
    if edit and not edit.endswith("/"):
        edit += "/"
    return {
        "title": plan.title,
        "company": plan.company,
        "period": period,
        "version": __version__,
        "today": plan.today,
        "base_url": settings.base_url,
        "edit_url": edit,
        "nav": [(k, t[k], urls.home if k == "home" else urls.section(k)) for k in NAV],
        "sections": {k: urls.section(k) for k in (*NAV[1:], "search")},
        "search": settings.search,
        "families": [{"slug": f.slug, "title": f.title, "path": urls.family(f.slug)} for f in plan.families],
        "family_paths": {f.slug: urls.family(f.slug) for f in plan.families},
        "stage_titles": {s.id: s.title for s in plan.stages},
        "pages": [{"title": p.title, "path": urls.page(p.slug)} for p in plan.pages],
    }


def render_pages(
    env: Environment, pages: list[PageSpec], site: dict[str, Any], figures: PlanFigures,
    memo: Memo | None = None,
) -> dict[str, bytes]:
    """Render each page to bytes, keyed by its output path.

    A page sees its own view, the site-wide ``site`` and, only when it says
    so (``totals``), the plan's figures: those are all its inputs, so with a
    ``memo`` (the live preview) a page whose inputs are the same as last
    time is not rendered again; its previous bytes are returned, the very
    same object, which tells the writer it has nothing to do.
    """
    if memo is None:
        return _render(env, pages, site, figures)
    # one comparison per build for what every page shares; then identity tests
    site = memo.intern(("site",), site)
    figures = memo.intern(("figures",), figures)
    out: dict[str, bytes] = {}
    for page in pages:
        inputs = (page, site, figures if page.totals else None)
        out[page.path] = memo.get(page.path, inputs, partial(_render_one, env, page, site, figures))
    return out


def _render_one(env: Environment, page: PageSpec, site: dict[str, Any], figures: PlanFigures) -> bytes:
    return _render(env, [page], site, figures)[page.path]


def _render(env: Environment, pages: list[PageSpec], site: dict[str, Any], figures: PlanFigures) -> dict[str, bytes]:
    return {page.path: render_page(env, page, site, figures) for page in pages}


def render_page(env: Environment, page: PageSpec, site: dict[str, Any], figures: PlanFigures) -> bytes:
    """Render one page to bytes; a template error names the template, its line and the page."""
    base_url = site.get("base_url")
    # the 404 page is served at any depth: its links must be absolute when they can be
    if page.path == "404.html" and base_url:
        url = lambda target, _b=base_url: _b + target  # noqa: E731
    else:
        url = lambda target, _p=page.path: relative(_p, target)  # noqa: E731
    try:
        html = env.get_template(page.template).render(
            page=page, site=site, figures=figures if page.totals else None,
            url=url,
            **page.context,
        )
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or page.template
        line = getattr(exc, "lineno", None)
        raise PacsiteError(
            f"{where}{':' + str(line) if line else ''}: template error on {page.path}: {exc}"
        ) from None
    return html.encode("utf-8")
