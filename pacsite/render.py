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
    fragments = Fragments()
    for page in pages:
        inputs = (page, site, figures if page.totals else None)
        out[page.path] = memo.get(page.path, inputs, partial(render_page, env, page, site, figures, fragments))
    return out


def _render(env: Environment, pages: list[PageSpec], site: dict[str, Any], figures: PlanFigures,
            fragments: Fragments | None = None) -> dict[str, bytes]:
    fragments = fragments if fragments is not None else Fragments()
    return {page.path: render_page(env, page, site, figures, fragments) for page in pages}


class Fragments:
    """Pieces of the layout made once and reused, as Hugo's ``partialCached``: ``{% call fragment(key…) %}``.

    The header, the families in the sidebar and the footer are the same for
    every phase page of a family (their links are relative to the same
    folder): made for each one they were half the time of a phase page. A
    fragment's key must name everything its HTML depends on; ``layout_key``
    is the folder its links are relative to. One store per build (or per
    rendering worker), never shared between builds.
    """

    def __init__(self) -> None:
        self._store: dict[tuple[Any, ...], str] = {}

    def __call__(self, *key: Any, caller: Any) -> str:
        html = self._store.get(key)
        if html is None:
            html = self._store[key] = caller()
        return html


def layout_key(page: PageSpec) -> str:
    """The folder a page's layout links are relative to, shared by every phase page of a family."""
    if page.template == "phase.html" and page.path.count("/") == 3:
        return page.path.rsplit("/", 2)[0]  # actions/<family>
    return page.path


def render_page(env: Environment, page: PageSpec, site: dict[str, Any], figures: PlanFigures,
                fragments: Fragments | None = None) -> bytes:
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
            url=url, fragment=fragments if fragments is not None else Fragments(), layout_key=layout_key(page),
            **page.context,
        )
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or page.template
        line = getattr(exc, "lineno", None)
        raise PacsiteError(
            f"{where}{':' + str(line) if line else ''}: template error on {page.path}: {exc}"
        ) from None
    return html.encode("utf-8")
